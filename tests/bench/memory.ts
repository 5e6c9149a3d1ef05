import { startOpusSource, type RtpSource } from '../support/rtpSource.ts';
import { TestClient } from '../support/signalingClient.ts';
import { tupaBotSignaling, WeriftBot, type ReceivedTrack } from '../support/weriftBot.ts';
import { intOption, type Bench, type BenchContext } from './context.ts';
import { sleep, within, type BenchResult, type LoopDelay, type MemorySample } from './measure.ts';
import { startServerChild, type ServerChild } from './serverChild.ts';

// Server memory per participant, and whether it grows over repeated calls. The server runs alone
// in a child Node process; its RSS (process.memoryUsage) and its worker's (VmRSS in
// /proc/<pid>/status) are read after a forced GC. Participants are werift bots that join over
// Socket.IO, open a send and a receive WebRTC transport (ICE + DTLS + SRTP on 127.0.0.1), send
// real Opus from ffmpeg and receive the audio of everyone else in their room: rooms of 10, so
// 50 participants are 5 rooms of 10 (50 producers, 450 consumers), not a mesh of 50.

const ROOM_SIZE = 10;

interface Participant {
  client: TestClient;
  bot: WeriftBot;
  producerId: string;
  detach: () => void;
}

async function join(server: ServerChild, roomId: string, name: string, audio: RtpSource): Promise<Participant> {
  const client = await TestClient.connect(server.url);
  const joined = await client.joinCall({ roomId, displayName: name });
  const bot = await WeriftBot.create(tupaBotSignaling(client), joined.routerRtpCapabilities as never);
  await bot.openTransports();
  const track = await bot.send('audio');
  const detach = audio.onPacket((packet) => track.writeRtp(packet));
  return { client, bot, producerId: track.producerId, detach };
}

/** Every newcomer receives everyone already in the room, and everyone there receives the newcomer. */
async function consumeWithin(room: Participant[], newcomers: Participant[]): Promise<ReceivedTrack[]> {
  const received: ReceivedTrack[] = [];
  for (const a of room) {
    for (const b of room) {
      if (a === b || (!newcomers.includes(a) && !newcomers.includes(b))) continue;
      received.push(await a.bot.receive(b.producerId));
    }
  }
  return received;
}

async function leave(participants: Participant[]): Promise<void> {
  for (const p of participants) {
    p.detach();
    // An explicit leave: a dropped socket would keep its place for the reconnect grace period.
    await p.client.request('leaveRoom', {}).catch(() => undefined);
    p.bot.close();
    p.client.close();
  }
}

async function settledMemory(server: ServerChild): Promise<MemorySample> {
  await sleep(1000);
  return server.memory(true);
}

async function waitForEmpty(server: ServerChild): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const counts = await server.counts();
    if (counts.peers === 0 && counts.media.transports === 0 && counts.media.routers === 0) return;
    await sleep(100);
  }
  throw new Error(`the server still holds media after everyone left: ${JSON.stringify(await server.counts())}`);
}

interface LevelLoopDelay {
  /** Participants before and after this stretch of joins. */
  from: number;
  to: number;
  delay: LoopDelay;
}

interface Level {
  participants: number;
  rooms: number;
  consumers: number;
  memory: MemorySample;
}

async function levels(ctx: BenchContext, audio: RtpSource, targets: number[]): Promise<{ baseline: MemorySample; levels: Level[]; loopDelay: LevelLoopDelay }> {
  const server = await startServerChild({ databaseUrl: await ctx.pg.createDatabase(), unlimitedSignaling: true });
  const everyone: Participant[] = [];
  try {
    const roomIds = await server.createRooms(Math.ceil(Math.max(...targets) / ROOM_SIZE));
    const rooms: Participant[][] = roomIds.map(() => []);
    // Warm the server up with one short call so first-use costs (JIT, pools) are not counted.
    const warm = await join(server, roomIds[0]!, 'Warm-up', audio);
    await leave([warm]);
    await waitForEmpty(server);
    const baseline = await settledMemory(server);
    const results: Level[] = [];
    // The event loop while people keep joining rooms where others are already talking: the last,
    // longest stretch of joins, in one window (the forced GCs between levels would pollute more).
    let loopDelay: LevelLoopDelay | undefined;
    for (const target of targets) {
      const watchLoop = target === targets.at(-1);
      if (watchLoop) await server.loopDelayStart();
      const newcomers: Participant[] = [];
      while (everyone.length < target) {
        const index = everyone.length;
        const room = rooms[Math.floor(index / ROOM_SIZE)]!;
        const p = await join(server, roomIds[Math.floor(index / ROOM_SIZE)]!, `Bot ${index + 1}`, audio);
        room.push(p);
        everyone.push(p);
        newcomers.push(p);
      }
      const received: ReceivedTrack[] = [];
      for (const room of rooms) received.push(...(await consumeWithin(room, newcomers)));
      await within(30_000, 'audio reaching every consumer', Promise.all(received.map((r) => r.firstPacket(30_000))));
      // Up to here: people joining and talking. The forced GC below blocks the loop on purpose.
      if (watchLoop) loopDelay = { from: everyone.length - newcomers.length, to: everyone.length, delay: await server.loopDelayStop() };
      const counts = await server.counts();
      const memory = await settledMemory(server);
      ctx.log(`memory: ${target} participants, ${counts.media.consumers} consumers: node ${memory.nodeRssMb.toFixed(1)} MB, worker ${memory.workerRssMb.toFixed(1)} MB`);
      results.push({ participants: target, rooms: counts.rooms, consumers: counts.media.consumers, memory });
    }
    if (!loopDelay) throw new Error('no join stretch was watched');
    return { baseline, levels: results, loopDelay };
  } finally {
    await leave(everyone);
    await server.stop();
  }
}

interface Soak {
  cycles: number;
  before: MemorySample;
  after: MemorySample;
  /** Readings along the way (after a forced GC), for the trend. */
  series: Array<{ calls: number; memory: MemorySample }>;
  seconds: number;
}

/** Least-squares slope of y over x: the steady growth per call, undisturbed by one noisy end. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

/** Calls of ROOM_SIZE people that start, run a moment and end, again and again in the same room. */
async function soak(ctx: BenchContext, audio: RtpSource, cycles: number): Promise<Soak> {
  const server = await startServerChild({ databaseUrl: await ctx.pg.createDatabase(), unlimitedSignaling: true });
  try {
    const [roomId] = await server.createRooms(1);
    const cycle = async (n: number) => {
      const room: Participant[] = [];
      try {
        for (let i = 0; i < ROOM_SIZE; i++) room.push(await join(server, roomId!, `Soak ${n}.${i + 1}`, audio));
        const received = await consumeWithin(room, room);
        await within(30_000, 'audio reaching every consumer', Promise.all(received.map((r) => r.firstPacket(30_000))));
        await sleep(500);
      } finally {
        await leave(room);
      }
      await waitForEmpty(server);
    };
    // Two calls before the first reading, so what is allocated once (JIT, pools, caches) is in it.
    await cycle(0);
    await cycle(0);
    const before = await settledMemory(server);
    const series: Array<{ calls: number; memory: MemorySample }> = [{ calls: 0, memory: before }];
    const every = Math.max(1, Math.round(cycles / 6));
    const started = performance.now();
    for (let n = 1; n <= cycles; n++) {
      await cycle(n);
      if (n % every === 0 && n < cycles) {
        series.push({ calls: n, memory: await settledMemory(server) });
        ctx.log(`memory soak: ${n}/${cycles} calls`);
      }
    }
    const after = await settledMemory(server);
    series.push({ calls: cycles, memory: after });
    return { cycles, before, after, series, seconds: (performance.now() - started) / 1000 };
  } finally {
    await server.stop();
  }
}

export const memory: Bench = {
  name: 'memory',
  seconds: 110,
  async run(ctx): Promise<BenchResult[]> {
    const cycles = intOption(ctx, 'cycles', 60, 1, 500);
    const top = intOption(ctx, 'participants', 50, 10, 100);
    const targets = [1, 10, top];
    const audio = await startOpusSource({ maxSeconds: 600 });
    try {
      await audio.ready(10_000);
      const measured = await levels(ctx, audio, targets);
      const soaked = await soak(ctx, audio, cycles);
      const b = measured.baseline;
      const rows = measured.levels.flatMap((level) => {
        const node = level.memory.nodeRssMb - b.nodeRssMb;
        const worker = level.memory.workerRssMb - b.workerRssMb;
        const n = level.participants;
        return [
          { measure: `${n} participants (${level.rooms} room(s), ${level.consumers} consumers): Node RSS`, value: level.memory.nodeRssMb, unit: 'MB' },
          { measure: `${n} participants: worker RSS`, value: level.memory.workerRssMb, unit: 'MB' },
          { measure: `${n} participants: Node + worker per participant`, value: (node + worker) / n, unit: 'MB', digits: 2 },
          { measure: `${n} participants: Node per participant (heap ${((level.memory.nodeHeapUsedMb - b.nodeHeapUsedMb) / n).toFixed(2)} MB)`, value: node / n, unit: 'MB', digits: 2 },
          { measure: `${n} participants: worker per participant`, value: worker / n, unit: 'MB', digits: 2 },
        ];
      });
      const levelResult: BenchResult = {
        name: 'memory',
        title: 'server memory per participant (Node + mediasoup worker)',
        rows: [
          { measure: 'no participants: Node RSS', value: b.nodeRssMb, unit: 'MB' },
          { measure: 'no participants: Node heap used', value: b.nodeHeapUsedMb, unit: 'MB' },
          { measure: 'no participants: worker RSS', value: b.workerRssMb, unit: 'MB' },
          ...rows,
          {
            measure: `server event-loop delay p99 while participants ${measured.loopDelay.from + 1}-${measured.loopDelay.to} joined`,
            value: measured.loopDelay.delay.p99,
            unit: 'ms',
            digits: 2,
            budget: { op: '<', limit: 10 },
          },
          { measure: 'server event-loop delay max in that time', value: measured.loopDelay.delay.max, unit: 'ms', digits: 1 },
        ],
        notes: [
          'per participant = (reading - reading with no participants) / participants; readings after a forced GC in the server process and 1 s of rest',
          `each participant: a Socket.IO socket joined to a room, a send and a receive WebRTC transport connected over ICE+DTLS, one Opus producer fed with real Opus (ffmpeg libopus, 20 ms packets) and a consumer of every other participant's audio in its room; rooms of ${ROOM_SIZE}, so ${top} participants are ${Math.ceil(top / ROOM_SIZE)} rooms of ${ROOM_SIZE}, no video`,
          'levels are cumulative (the 10 include the first one); the server warmed up with one participant joining and leaving before the baseline',
          `event-loop delay (perf_hooks.monitorEventLoopDelay, 1 ms resolution, the interval taken off) in the server process from the first of the last stretch of joins until their audio reached every consumer (no forced GC in that time): newcomers join one after another, each creating both transports, producing and being consumed, into rooms where the others are already talking (the budget's "room plus joins"; rooms of ${ROOM_SIZE} here, capacity 12)`,
          'Tupa runs in a child Node process (started with --expose-gc), so its RSS holds nothing of the bots; Node RSS includes the web app handler, the database pool and Socket.IO',
        ],
      };
      const growth = (a: number, z: number) => z - a;
      const trend = (pick: (m: MemorySample) => number) => slope(soaked.series.map((r) => [r.calls, pick(r.memory)]));
      const seriesText = soaked.series
        .map((r) => {
          const m = r.memory;
          return `${r.calls}: ${[m.nodeRssMb, m.nodeHeapUsedMb, m.nodeHeapTotalMb, m.nodeExternalMb, m.workerRssMb].map((v) => v.toFixed(1)).join('/')}`;
        })
        .join(', ');
      // The second half shows whether growth goes on or was the first calls' warming up.
      const middle = soaked.series[Math.floor((soaked.series.length - 1) / 2)]!;
      const lateCalls = soaked.cycles - middle.calls;
      const soakResult: BenchResult = {
        name: 'memory-soak',
        title: `memory after ${soaked.cycles} calls of ${ROOM_SIZE} participants that join, talk and leave`,
        rows: [
          { measure: 'Node RSS growth', value: growth(soaked.before.nodeRssMb, soaked.after.nodeRssMb), unit: 'MB', digits: 2 },
          { measure: 'Node heap used growth', value: growth(soaked.before.nodeHeapUsedMb, soaked.after.nodeHeapUsedMb), unit: 'MB', digits: 2 },
          { measure: 'worker RSS growth', value: growth(soaked.before.workerRssMb, soaked.after.workerRssMb), unit: 'MB', digits: 2 },
          { measure: `Node heap used (live objects) growth over the last ${lateCalls} calls`, value: growth(middle.memory.nodeHeapUsedMb, soaked.after.nodeHeapUsedMb), unit: 'MB', digits: 2, budget: { op: '<' as const, limit: 1 } },
          { measure: `worker RSS growth over the last ${lateCalls} calls`, value: growth(middle.memory.workerRssMb, soaked.after.workerRssMb), unit: 'MB', digits: 2, budget: { op: '<' as const, limit: 1 } },
          { measure: `Node RSS growth over the last ${lateCalls} calls`, value: growth(middle.memory.nodeRssMb, soaked.after.nodeRssMb), unit: 'MB', digits: 2 },
          { measure: `Node heap total (reserved by V8) growth over the last ${lateCalls} calls`, value: growth(middle.memory.nodeHeapTotalMb, soaked.after.nodeHeapTotalMb), unit: 'MB', digits: 2 },
          { measure: 'trend: Node RSS per call (least squares)', value: trend((m) => m.nodeRssMb) * 1024, unit: 'KB', digits: 1 },
          { measure: 'trend: Node heap used per call (least squares)', value: trend((m) => m.nodeHeapUsedMb) * 1024, unit: 'KB', digits: 1 },
          { measure: 'trend: worker RSS per call (least squares)', value: trend((m) => m.workerRssMb) * 1024, unit: 'KB', digits: 1 },
        ],
        notes: [
          `before: Node RSS ${soaked.before.nodeRssMb.toFixed(1)} MB (heap ${soaked.before.nodeHeapUsedMb.toFixed(1)} MB), worker ${soaked.before.workerRssMb.toFixed(1)} MB; after: Node RSS ${soaked.after.nodeRssMb.toFixed(1)} MB (heap ${soaked.after.nodeHeapUsedMb.toFixed(1)} MB), worker ${soaked.after.workerRssMb.toFixed(1)} MB`,
          `each call: ${ROOM_SIZE} werift bots join one room, connect both transports, send Opus and receive each other (${ROOM_SIZE * (ROOM_SIZE - 1)} consumers), run 0.5 s after audio reached every consumer, leave with leaveRoom; the server is checked empty (no peer, transport or router) before the next call; ${soaked.seconds.toFixed(0)} s in all`,
          `readings (calls: Node RSS / heap used / heap total / external / worker RSS, MB): ${seriesText}`,
          'two calls ran before the first reading; every reading after a forced GC and 1 s of rest',
          `"no growth" is checked where a leak would show: live heap objects and the worker's RSS over the second half of the calls (${lateCalls} calls = ${lateCalls * ROOM_SIZE} participant sessions; a leak of 4 KB per session would pass 1 MB). Node's RSS is reported but not judged: it follows the heap V8 reserves (heap total, in the readings), which grows in steps and is not handed back after a GC`,
        ],
      };
      return [levelResult, soakResult];
    } finally {
      await audio.stop();
    }
  },
};
