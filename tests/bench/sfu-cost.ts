import type { types } from 'mediasoup';
import { recordVp8Clip, replayClip, type RtpSource } from '../support/rtpSource.ts';
import { TestClient } from '../support/signalingClient.ts';
import { tupaBotSignaling, WeriftBot, type ReceivedTrack } from '../support/weriftBot.ts';
import { intOption, type Bench, type BenchContext } from './context.ts';
import { forwardingStats, sleep, within, type BenchResult, type ForwardingStats } from './measure.ts';
import { startRawSfu } from './rawSfu.ts';
import { startServerChild } from './serverChild.ts';

// SFU worker CPU per forwarded video packet: N werift bots send real VP8 (a clip ffmpeg encoded
// once, replayed packet for packet, so both setups forward the very same stream), M werift bots
// receive every sender, all over ICE +
// DTLS + SRTP on loopback. The worker's own CPU time (getResourceUsage, user + system) over a
// fixed window is divided by the packets its consumers sent (outbound-rtp packetCount). Run once
// through Tupa (server in a child process, bots joined over Socket.IO) and once through bare
// mediasoup in this process; the ratio is Tupa / raw.

interface Setup {
  label: string;
  newBot(name: string): Promise<WeriftBot>;
  workerCpuMs(): Promise<number>;
  forwarded(): Promise<ForwardingStats>;
  close(): Promise<void>;
}

interface Measured {
  label: string;
  cpuMs: number;
  seconds: number;
  packets: number;
  bytes: number;
  streams: number;
  botPackets: number;
  /** Packets the ffmpeg encoders produced during the window (every receiver should get each one). */
  sourcePackets: number;
}

async function tupaSetup(ctx: BenchContext): Promise<Setup> {
  const server = await startServerChild({ databaseUrl: await ctx.pg.createDatabase(), unlimitedSignaling: true });
  const [roomId] = await server.createRooms(1);
  const clients: TestClient[] = [];
  const bots: WeriftBot[] = [];
  return {
    label: 'Tupa',
    async newBot(name) {
      const client = await TestClient.connect(server.url);
      clients.push(client);
      const joined = await client.joinCall({ roomId: roomId!, displayName: name });
      const bot = await WeriftBot.create(tupaBotSignaling(client), joined.routerRtpCapabilities as never);
      bots.push(bot);
      return bot;
    },
    workerCpuMs: async () => cpuMs(await server.workerUsage()),
    forwarded: () => server.consumerStats(),
    async close() {
      for (const bot of bots) bot.close();
      for (const client of clients) client.close();
      await server.stop();
    },
  };
}

async function rawSetup(): Promise<Setup> {
  const sfu = await startRawSfu();
  const bots: WeriftBot[] = [];
  return {
    label: 'raw mediasoup',
    async newBot() {
      const bot = await WeriftBot.create(sfu.signalingFor(), sfu.router.rtpCapabilities as never);
      bots.push(bot);
      return bot;
    },
    workerCpuMs: async () => cpuMs(await sfu.worker.getResourceUsage()),
    forwarded: () => forwardingStats(sfu.consumers()),
    async close() {
      for (const bot of bots) bot.close();
      sfu.close();
    },
  };
}

function cpuMs(usage: types.WorkerResourceUsage): number {
  return usage.ru_utime + usage.ru_stime;
}

async function measure(setup: Setup, sources: RtpSource[], receivers: number, windowSeconds: number, ctx: BenchContext): Promise<Measured> {
  const detach: Array<() => void> = [];
  try {
    const producerIds: string[] = [];
    for (const [i, source] of sources.entries()) {
      const bot = await setup.newBot(`Sender ${i + 1}`);
      const track = await bot.send('video');
      detach.push(source.onPacket((packet) => track.writeRtp(packet)));
      producerIds.push(track.producerId);
    }
    const received: ReceivedTrack[] = [];
    for (let i = 0; i < receivers; i++) {
      const bot = await setup.newBot(`Receiver ${i + 1}`);
      for (const producerId of producerIds) received.push(await bot.receive(producerId));
    }
    // Video flows only from a key frame on; every stream must be going before the window opens.
    await within(20_000, `${setup.label}: first packet on every stream`, Promise.all(received.map((r) => r.firstPacket(20_000))));
    await sleep(2000);
    const sourcePackets = () => sources.reduce((total, s) => total + s.packets, 0);
    const before = { cpu: await setup.workerCpuMs(), fwd: await setup.forwarded(), at: performance.now(), bot: sum(received), src: sourcePackets() };
    ctx.log(`${setup.label}: ${received.length} streams flowing, measuring ${windowSeconds} s`);
    await sleep(windowSeconds * 1000);
    const after = { cpu: await setup.workerCpuMs(), fwd: await setup.forwarded(), at: performance.now(), bot: sum(received), src: sourcePackets() };
    return {
      label: setup.label,
      cpuMs: after.cpu - before.cpu,
      seconds: (after.at - before.at) / 1000,
      packets: after.fwd.packets - before.fwd.packets,
      bytes: after.fwd.bytes - before.fwd.bytes,
      streams: after.fwd.consumers,
      botPackets: after.bot - before.bot,
      sourcePackets: after.src - before.src,
    };
  } finally {
    for (const stop of detach) stop();
    await setup.close();
  }
}

function sum(received: ReceivedTrack[]): number {
  return received.reduce((total, r) => total + r.packets, 0);
}

const CLIP_SECONDS = 10;
const KEY_FRAME_INTERVAL = 60;

export const sfuCost: Bench = {
  name: 'sfu-cost',
  seconds: 105,
  async run(ctx): Promise<BenchResult> {
    const senders = intOption(ctx, 'senders', 2, 1, 8);
    const receivers = intOption(ctx, 'receivers', 4, 1, 16);
    const windowSeconds = intOption(ctx, 'window', 20, 5, 120);
    const rounds = intOption(ctx, 'rounds', 2, 1, 5);
    const perSetupSeconds = windowSeconds + 40;
    const sources: RtpSource[] = [];
    try {
      ctx.log('sfu-cost: encoding a 10 s VP8 clip with ffmpeg');
      const clip = await recordVp8Clip({ seconds: CLIP_SECONDS, keyFrameInterval: KEY_FRAME_INTERVAL });
      for (let i = 0; i < senders; i++) {
        // Staggered, so the senders' key frames do not all fall in the same instant.
        if (i > 0) await sleep((CLIP_SECONDS * 1000) / senders / 5);
        sources.push(replayClip(clip, { maxSeconds: rounds * 2 * perSetupSeconds + 30 }));
      }
      const clipKbps = (clip.packets.reduce((sum, p) => sum + p.data.length, 0) * 8) / CLIP_SECONDS / 1000;
      const results: Measured[] = [];
      // Raw first, then Tupa, then (with more rounds) the other way round, so drift cancels.
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? [rawSetup, () => tupaSetup(ctx)] : [() => tupaSetup(ctx), rawSetup];
        for (const start of order) {
          const setup = await start();
          ctx.log(`sfu-cost round ${round + 1}: ${setup.label}, ${senders} senders x ${receivers} receivers`);
          results.push(await within(perSetupSeconds * 1000 + 30_000, `sfu-cost ${setup.label}`, measure(setup, sources, receivers, windowSeconds, ctx)));
        }
      }
      const total = (label: string) => {
        const rs = results.filter((r) => r.label === label);
        const cpu = rs.reduce((s, r) => s + r.cpuMs, 0);
        const packets = rs.reduce((s, r) => s + r.packets, 0);
        const seconds = rs.reduce((s, r) => s + r.seconds, 0);
        const bytes = rs.reduce((s, r) => s + r.bytes, 0);
        const botPackets = rs.reduce((s, r) => s + r.botPackets, 0);
        const sourcePackets = rs.reduce((s, r) => s + r.sourcePackets, 0);
        return { cpu, packets, seconds, bytes, botPackets, sourcePackets, streams: rs[0]?.streams ?? 0 };
      };
      const tupa = total('Tupa');
      const raw = total('raw mediasoup');
      const usPerPacket = (t: typeof tupa) => (t.packets > 0 ? (t.cpu * 1000) / t.packets : Number.NaN);
      const cpuPerStream = (t: typeof tupa) => (t.streams > 0 ? (100 * t.cpu) / 1000 / t.seconds / t.streams : Number.NaN);
      const ratio = usPerPacket(tupa) / usPerPacket(raw);
      const streams = senders * receivers;
      return {
        name: 'sfu-cost',
        title: `mediasoup worker CPU per forwarded video packet, ${senders} senders x ${receivers} receivers (${streams} forwarded streams)`,
        rows: [
          { measure: 'Tupa: worker CPU per forwarded packet', value: usPerPacket(tupa), unit: 'us', digits: 2 },
          { measure: 'raw mediasoup: worker CPU per forwarded packet', value: usPerPacket(raw), unit: 'us', digits: 2 },
          { measure: 'ratio Tupa / raw (per packet)', value: ratio, unit: 'x', digits: 3, budget: { op: '<=', limit: 1.1 } },
          { measure: 'ratio Tupa / raw (per stream-second, not per packet)', value: cpuPerStream(tupa) / cpuPerStream(raw), unit: 'x', digits: 3 },
          { measure: 'Tupa: worker CPU per forwarded stream', value: cpuPerStream(tupa), unit: '% of a core', digits: 3 },
          { measure: 'raw mediasoup: worker CPU per forwarded stream', value: cpuPerStream(raw), unit: '% of a core', digits: 3 },
          { measure: 'Tupa: packets forwarded per second', value: tupa.packets / tupa.seconds, unit: 'pkt/s', digits: 0 },
          { measure: 'raw mediasoup: packets forwarded per second', value: raw.packets / raw.seconds, unit: 'pkt/s', digits: 0 },
          { measure: 'Tupa: worker CPU over the windows', value: tupa.cpu, unit: 'ms', digits: 0 },
          { measure: 'raw mediasoup: worker CPU over the windows', value: raw.cpu, unit: 'ms', digits: 0 },
        ],
        notes: [
          `werift bots (msc-node) over ICE+DTLS+SRTP on 127.0.0.1; each sender replays the same ${CLIP_SECONDS} s clip that ffmpeg encoded once (libvpx realtime, testsrc 640x360, 30 fps, target 600 kbit/s, key frame every ${KEY_FRAME_INTERVAL} frames; ${clip.packets.length} packets, ${clipKbps.toFixed(0)} kbit/s of RTP), looped with continuous sequence numbers and timestamps, the senders staggered`,
          `${rounds} round(s) of a ${windowSeconds} s window per setup, after every stream had delivered a packet and 2 s of warm-up; raw first in odd rounds, Tupa first in even ones`,
          `forwarded packets = sum of consumers' outbound-rtp packetCount in the worker; in the windows the senders sent ${tupa.sourcePackets} (Tupa) and ${raw.sourcePackets} (raw) packets, x ${receivers} receivers = ${tupa.sourcePackets * receivers} and ${raw.sourcePackets * receivers} expected; the bots counted ${tupa.botPackets} and ${raw.botPackets} arriving; ${windowSeconds % CLIP_SECONDS === 0 ? 'each window holds whole passes of the clip, so both setups forward nearly the same packets' : 'the window is not a whole number of clip passes, so the setups forward somewhat different streams'}`,
          `bytes forwarded: Tupa ${(tupa.bytes / 1e6).toFixed(1)} MB, raw ${(raw.bytes / 1e6).toFixed(1)} MB; CPU time = getResourceUsage() ru_utime + ru_stime of the worker process (ms resolution)`,
          `Tupa runs in a child Node process with its one worker; raw mediasoup is a worker driven from the bench process with the same codecs, WebRtcServer and transport options`,
        ],
      };
    } finally {
      await Promise.all(sources.map((s) => s.stop()));
    }
  },
};
