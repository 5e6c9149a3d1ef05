import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { observer as mediasoupObserver, type types } from 'mediasoup';
import { startBenchTupa, UNLIMITED_SIGNALING } from './harness.ts';
import { forwardingStats, loopDelayFrom, StallRecorder, vmRssMb, type LoopDelay, type MemorySample } from './measure.ts';
import type { ServerCommand, ServerProcessOptions } from './serverChild.ts';

// The Tupa under measurement, alone in its own Node process (started by serverChild.ts), so its
// RSS and event loop carry nothing of the load generators. The parent asks for numbers over IPC.

const options = JSON.parse(process.env.TUPA_BENCH_SERVER ?? '{}') as ServerProcessOptions;
let requestTimes: number[] | undefined;
// The worker and every consumer it holds, found through mediasoup's own observer events (no Tupa
// hook), subscribed before the server starts its one worker.
const started: { worker?: types.Worker } = {};
const consumers = new Set<types.Consumer>();
mediasoupObserver.once('newworker', (worker) => {
  started.worker = worker;
  worker.observer.on('newrouter', (router) => {
    router.observer.on('newtransport', (transport) => {
      transport.observer.on('newconsumer', (consumer) => {
        consumers.add(consumer);
        consumer.observer.once('close', () => consumers.delete(consumer));
      });
    });
  });
});
const server = await startBenchTupa({
  databaseUrl: options.databaseUrl,
  ...(options.env ? { env: options.env } : {}),
  signaling: {
    ...(options.unlimitedSignaling ? UNLIMITED_SIGNALING : {}),
    // Time spent in the handler (after parsing, until the reply is handed to Socket.IO).
    onRequestDone: (_name, ms) => requestTimes?.push(ms),
  },
});
if (!started.worker) throw new Error('no media worker');
const worker: types.Worker = started.worker;

let loopDelay: ReturnType<typeof monitorEventLoopDelay> | undefined;
// Garbage-collection pauses while the loop is watched, to tell them from other stalls.
let gcPauses: number[] = [];
let stallRecorder: StallRecorder | undefined;
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push(entry.duration);
});
const LOOP_RESOLUTION_MS = 1;

async function handle(command: ServerCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'createRooms': {
      const ids: string[] = [];
      for (let i = 0; i < command.count; i++) ids.push((await server.db.rooms.create()).id);
      return ids;
    }
    case 'memory': {
      if (command.gc) collectGarbage();
      const usage = process.memoryUsage();
      return {
        nodeRssMb: usage.rss / 2 ** 20,
        nodeHeapUsedMb: usage.heapUsed / 2 ** 20,
        nodeHeapTotalMb: usage.heapTotal / 2 ** 20,
        nodeExternalMb: usage.external / 2 ** 20,
        workerRssMb: vmRssMb(worker.pid),
      } satisfies MemorySample;
    }
    case 'workerUsage':
      return { ...(await worker.getResourceUsage()), at: performance.now() };
    case 'consumerStats':
      return forwardingStats([...consumers]);
    case 'counts':
      return { media: server.mediaCounts(), rooms: server.registry.size, peers: server.registry.peerCount() };
    case 'loopDelayStart':
      loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
      loopDelay.enable();
      gcPauses = [];
      gcObserver.observe({ entryTypes: ['gc'] });
      stallRecorder = new StallRecorder();
      stallRecorder.start();
      return null;
    case 'loopDelayStop': {
      if (!loopDelay) throw new Error('loop delay monitor not started');
      loopDelay.disable();
      gcObserver.disconnect();
      const h = loopDelay;
      loopDelay = undefined;
      return {
        ...loopDelayFrom(h, LOOP_RESOLUTION_MS),
        gcCount: gcPauses.length,
        gcMaxMs: Math.max(0, ...gcPauses),
        gcTotalMs: gcPauses.reduce((sum, ms) => sum + ms, 0),
        stalls: stallRecorder?.stop() ?? [],
      } satisfies LoopDelay;
    }
    case 'requestTimesStart':
      requestTimes = [];
      return null;
    case 'requestTimesStop': {
      const times = requestTimes ?? [];
      requestTimes = undefined;
      return times;
    }
    case 'stop':
      await server.stop();
      setImmediate(() => process.exit(0));
      return null;
  }
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

process.on('message', (message: { id: number } & ServerCommand) => {
  handle(message).then(
    (result) => process.send?.({ id: message.id, ok: true, result }),
    (error: unknown) => process.send?.({ id: message.id, ok: false, error: String((error as Error)?.stack ?? error) }),
  );
});
process.on('disconnect', () => {
  void server.stop().finally(() => process.exit(0));
});
process.send?.({ ready: true, url: server.url, workerPid: worker.pid, nodePid: process.pid });
