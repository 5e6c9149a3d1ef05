import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PROTOCOL_VERSION } from '@tupa/signaling/protocol';
import { io, type Socket } from 'socket.io-client';
import { opusParameters } from '../support/rtpFixtures.ts';
import { intOption, type Bench, type BenchContext } from './context.ts';
import {
  describeStalls,
  loopDelayFrom,
  percentile,
  sleep,
  StallRecorder,
  startStallWitness,
  within,
  type BenchResult,
  type LoopDelay,
  type ResultRow,
  type Stall,
} from './measure.ts';
import { startServerChild, type ServerChild } from './serverChild.ts';

// Signaling acknowledgement latency with hundreds of live sockets: S Socket.IO clients
// (websocket transport) spread over R rooms, each joined with a send transport and an audio
// producer. Then, at a fixed total rate for a fixed time, sockets toggle their producer's pause
// state (setProducerPaused: schema check, room lookup, a worker round trip, a notification to
// the other people in the room) and the bench times request -> acknowledgement. Two rates by
// default: an ordinary one and a heavy one. The server runs alone in a child process, where its
// event-loop delay is recorded; an idle bystander process tells machine stalls from Tupa's.

type Reply = { ok: boolean; error?: { code: string; message: string } };

interface Participant {
  socket: Socket;
  producerId: string;
  paused: boolean;
  busy: boolean;
}

interface Window {
  rate: number;
  seconds: number;
  samples: number[];
  handlerTimes: number[];
  sent: number;
  skipped: number;
  serverLoop: LoopDelay;
  clientLoop: LoopDelay;
  stalls: { server: Stall[]; load: Stall[]; bystander: Stall[]; start: number };
}

function request(socket: Socket, event: string, payload: unknown): Promise<Reply> {
  return socket.timeout(10_000).emitWithAck(event, payload) as Promise<Reply>;
}

async function ok<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const reply = (await request(socket, event, payload)) as Reply & { data: T };
  if (!reply.ok) throw new Error(`${event} failed: ${reply.error?.code} ${reply.error?.message}`);
  return reply.data;
}

function connect(url: string): Promise<Socket> {
  const socket = io(url, {
    transports: ['websocket'],
    auth: { protocolVersion: PROTOCOL_VERSION },
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(error));
  });
}

/** Connects and joins in batches, as a crowd arriving would, not all in one instant. */
async function joinEveryone(server: ServerChild, roomIds: string[], socketCount: number): Promise<Participant[]> {
  const participants: Participant[] = [];
  const BATCH = 50;
  try {
    for (let first = 0; first < socketCount; first += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, socketCount - first) }, (_, k) => first + k);
      const joined = await within(
        60_000,
        'connecting and joining a batch of sockets',
        Promise.all(
          batch.map(async (i) => {
            const socket = await connect(server.url);
            await ok(socket, 'joinRoom', { roomId: roomIds[i % roomIds.length], displayName: `Bench ${i}` });
            const transport = await ok<{ transportId: string }>(socket, 'createTransport', { direction: 'send' });
            const producer = await ok<{ producerId: string }>(socket, 'produce', {
              transportId: transport.transportId,
              kind: 'audio',
              source: 'microphone',
              rtpParameters: opusParameters(10_000 + i),
            });
            return { socket, producerId: producer.producerId, paused: false, busy: false };
          }),
        ),
      );
      participants.push(...joined);
    }
    return participants;
  } catch (error) {
    for (const p of participants) p.socket.disconnect();
    throw error;
  }
}

/** Toggles one producer; resolves with the round trip in ms, or rejects on a bad reply. */
async function toggle(p: Participant): Promise<number> {
  p.busy = true;
  p.paused = !p.paused;
  const started = performance.now();
  const reply = await request(p.socket, 'setProducerPaused', { producerId: p.producerId, paused: p.paused });
  const ms = performance.now() - started;
  p.busy = false;
  if (!reply.ok) throw new Error(`setProducerPaused failed: ${reply.error?.code} ${reply.error?.message}`);
  return ms;
}

/** A fixed total rate for a fixed time, spread over every socket in turn; a socket still waiting is skipped. */
async function drive(
  participants: Participant[],
  rate: number,
  seconds: number,
  samples: number[] | undefined,
): Promise<{ sent: number; skipped: number }> {
  const TICK_MS = 10;
  const perTick = rate / (1000 / TICK_MS);
  let next = 0;
  let credit = 0;
  let sent = 0;
  let skipped = 0;
  const failures: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const end = performance.now() + seconds * 1000;
  let tickAt = performance.now();
  while (performance.now() < end) {
    credit += perTick;
    while (credit >= 1) {
      credit -= 1;
      const p = participants[next++ % participants.length]!;
      if (p.busy) {
        skipped++;
        continue;
      }
      sent++;
      const work = toggle(p).then(
        (ms) => {
          samples?.push(ms);
        },
        (error: unknown) => {
          failures.push(String(error));
        },
      );
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    }
    tickAt += TICK_MS;
    await sleep(Math.max(0, tickAt - performance.now()));
  }
  await within(15_000, 'outstanding signaling requests', Promise.all(inFlight));
  if (failures.length > 0) throw new Error(`${failures.length} requests failed, first: ${failures[0]}`);
  return { sent, skipped };
}

async function measureWindow(ctx: BenchContext, server: ServerChild, participants: Participant[], rate: number, seconds: number): Promise<Window> {
  // Started before the warm-up: a Node process starting up takes CPU the window should not see.
  const bystander = startStallWitness(seconds + 10);
  try {
    ctx.log(`signaling: warm-up 2 s at ${rate} req/s`);
    await drive(participants, rate, 2, undefined);
    const samples: number[] = [];
    const clientLoop = monitorEventLoopDelay({ resolution: 1 });
    const clientStalls = new StallRecorder();
    await server.loopDelayStart();
    await server.requestTimesStart();
    const start = Date.now();
    clientLoop.enable();
    clientStalls.start();
    ctx.log(`signaling: measuring ${seconds} s at ${rate} req/s`);
    const { sent, skipped } = await drive(participants, rate, seconds, samples);
    clientLoop.disable();
    const load = clientStalls.stop();
    const serverLoop = await server.loopDelayStop();
    const handlerTimes = await server.requestTimesStop();
    bystander.stop();
    return {
      rate,
      seconds,
      samples,
      handlerTimes,
      sent,
      skipped,
      serverLoop,
      clientLoop: loopDelayFrom(clientLoop, 1),
      stalls: { server: serverLoop.stalls ?? [], load, bystander: await bystander.result, start },
    };
  } finally {
    bystander.stop();
  }
}

function rowsOf(w: Window): ResultRow[] {
  const at = `${w.rate} req/s`;
  return [
    { measure: `${at}: ack latency p50 (client round trip)`, value: percentile(w.samples, 50), unit: 'ms', digits: 2, budget: { op: '<', limit: 2 } },
    { measure: `${at}: ack latency p99 (client round trip)`, value: percentile(w.samples, 99), unit: 'ms', digits: 2, budget: { op: '<', limit: 20 } },
    { measure: `${at}: ack latency max`, value: Math.max(...w.samples), unit: 'ms', digits: 2 },
    { measure: `${at}: handler time p50 (server)`, value: percentile(w.handlerTimes, 50), unit: 'ms', digits: 3 },
    { measure: `${at}: handler time p99 (server)`, value: percentile(w.handlerTimes, 99), unit: 'ms', digits: 3 },
    { measure: `${at}: server event-loop delay p99`, value: w.serverLoop.p99, unit: 'ms', digits: 2, budget: { op: '<', limit: 10 } },
    { measure: `${at}: server event-loop delay max`, value: w.serverLoop.max, unit: 'ms', digits: 2 },
  ];
}

function notesOf(w: Window): string {
  const slowest = [...w.samples].sort((a, b) => b - a).slice(0, 3).map((ms) => ms.toFixed(1)).join(', ');
  return (
    `at ${w.rate} req/s: ${w.samples.length} round trips timed in ${w.seconds} s (${w.sent} sent, ${w.skipped} skipped because that socket was still waiting); ` +
    `slowest ${slowest} ms, ${w.samples.filter((ms) => ms > 20).length} over 20 ms; server GC: ${w.serverLoop.gcCount} pauses, longest ${w.serverLoop.gcMaxMs?.toFixed(1)} ms; ` +
    `load generator's own loop delay p99 ${w.clientLoop.p99.toFixed(2)} ms, max ${w.clientLoop.max.toFixed(1)} ms; ` +
    `stalls over 50 ms from the window's start: server ${describeStalls(w.stalls.server, w.stalls.start)}, load generator ${describeStalls(w.stalls.load, w.stalls.start)}, idle bystander ${describeStalls(w.stalls.bystander, w.stalls.start)}`
  );
}

function ratesOption(ctx: BenchContext): number[] {
  const raw = ctx.options.get('rates') ?? ctx.options.get('rate') ?? '100,500';
  const rates = raw.split(',').map((r) => Number(r.trim()));
  if (rates.some((r) => !Number.isInteger(r) || r < 10 || r > 5000)) throw new Error(`--rates must be whole numbers from 10 to 5000, not ${raw}`);
  return rates;
}

export const signalingLatency: Bench = {
  name: 'signaling-latency',
  seconds: 40,
  async run(ctx): Promise<BenchResult> {
    const socketCount = intOption(ctx, 'sockets', 500, 10, 2000);
    const roomCount = intOption(ctx, 'rooms', 50, 1, 500);
    const seconds = intOption(ctx, 'seconds', 15, 2, 120);
    const rates = ratesOption(ctx);
    const perRoom = Math.ceil(socketCount / roomCount);
    if (perRoom > 100) throw new Error('more than 100 sockets per room (ROOM_CAPACITY is at most 100)');

    const server = await startServerChild({
      databaseUrl: await ctx.pg.createDatabase(),
      unlimitedSignaling: true,
      env: { ROOM_CAPACITY: String(Math.max(12, perRoom)) },
    });
    let participants: Participant[] = [];
    try {
      const roomIds = await server.createRooms(roomCount);
      const setupStarted = performance.now();
      participants = await joinEveryone(server, roomIds, socketCount);
      const setupSeconds = (performance.now() - setupStarted) / 1000;
      const counts = await server.counts();
      ctx.log(`signaling: ${participants.length} sockets in ${counts.rooms} rooms (${counts.peers} peers, ${counts.media.producers} producers) after ${setupSeconds.toFixed(1)} s`);
      const windows: Window[] = [];
      for (const rate of rates) windows.push(await measureWindow(ctx, server, participants, rate, seconds));

      return {
        name: 'signaling-latency',
        title: `request -> acknowledgement with ${participants.length} sockets in ${roomCount} rooms, ${rates.join(' and ')} req/s for ${seconds} s each`,
        rows: windows.flatMap(rowsOf),
        notes: [
          `request: setProducerPaused toggling a real audio producer (zod parse, room lookup, mediasoup worker round trip, producerPaused notification to the ${perRoom - 1} others in the room); handler time is measured in the server from after parsing to the reply`,
          `${participants.length} socket.io-client sockets (websocket transport) in the bench process, each joined with a send WebRtcTransport and an Opus producer; ${counts.media.transports} transports and ${counts.media.producers} producers in one worker; joining took ${setupSeconds.toFixed(1)} s`,
          `the rate is spread round-robin over all sockets (${rates.map((r) => (r / participants.length).toFixed(1)).join(' and ')} requests per socket per second), 2 s of warm-up before each window; round trips include the load generator's own work (it shares the 2 cores with the server and the worker)`,
          'event-loop delay by perf_hooks.monitorEventLoopDelay in the server process (1 ms resolution, the 1 ms sampling interval taken off); a stall is a 5 ms timer more than 50 ms late; one seen by the idle bystander process too is the machine\'s, not Tupa\'s',
          ...windows.map(notesOf),
          'Tupa server in a child Node process (one mediasoup worker, embedded PostgreSQL); the per-socket rate limits are raised for the bench, everything else is the default configuration',
        ],
      };
    } finally {
      for (const p of participants) p.socket.disconnect();
      await server.stop();
    }
  },
};
