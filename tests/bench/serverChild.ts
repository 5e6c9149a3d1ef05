import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { types } from 'mediasoup';
import type { ForwardingStats, LoopDelay, MemorySample } from './measure.ts';

// Starts serverProcess.ts as a child Node process and talks to it over IPC.

export interface ServerProcessOptions {
  databaseUrl: string;
  env?: Record<string, string>;
  /** Raise the per-socket and per-address limits (hundreds of sockets from 127.0.0.1). */
  unlimitedSignaling?: boolean;
}

export type ServerCommand =
  | { cmd: 'createRooms'; count: number }
  | { cmd: 'memory'; gc?: boolean }
  | { cmd: 'workerUsage' }
  | { cmd: 'consumerStats' }
  | { cmd: 'counts' }
  | { cmd: 'loopDelayStart' }
  | { cmd: 'loopDelayStop' }
  | { cmd: 'requestTimesStart' }
  | { cmd: 'requestTimesStop' }
  | { cmd: 'stop' };

export interface ServerCounts {
  media: { routers: number; transports: number; producers: number; consumers: number };
  rooms: number;
  peers: number;
}

/** A Tupa running in a child process. */
export interface ServerChild {
  url: string;
  workerPid: number;
  nodePid: number;
  createRooms(count: number): Promise<string[]>;
  memory(gc?: boolean): Promise<MemorySample>;
  workerUsage(): Promise<types.WorkerResourceUsage & { at: number }>;
  consumerStats(): Promise<ForwardingStats>;
  counts(): Promise<ServerCounts>;
  loopDelayStart(): Promise<void>;
  loopDelayStop(): Promise<LoopDelay>;
  requestTimesStart(): Promise<void>;
  requestTimesStop(): Promise<number[]>;
  stop(): Promise<void>;
}

const ENTRY = path.join(import.meta.dirname, 'serverProcess.ts');

/** Forks the server process and waits until it listens (at most 60 s). */
export async function startServerChild(options: ServerProcessOptions): Promise<ServerChild> {
  const child = fork(ENTRY, [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, TUPA_BENCH_SERVER: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ url: string; workerPid: number; nodePid: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bench server did not start in 60 s')), 60_000);
    child.once('message', (message: { ready?: boolean; url: string; workerPid: number; nodePid: number }) => {
      clearTimeout(timer);
      if (message.ready) resolve(message);
      else reject(new Error('unexpected first message from the bench server'));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench server exited with ${code} while starting`));
    });
  });

  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (message: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(message.result);
    else waiter?.reject(new Error(`bench server: ${message.error}`));
  });
  child.on('exit', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('bench server exited'));
    pending.clear();
  });
  const call = <T>(command: ServerCommand, timeoutMs = 60_000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`bench server did not answer ${command.cmd} in ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      child.send({ id, ...command });
    });

  let stopping: Promise<void> | undefined;
  return {
    ...ready,
    createRooms: (count) => call({ cmd: 'createRooms', count }),
    memory: (gc) => call({ cmd: 'memory', ...(gc ? { gc } : {}) }),
    workerUsage: () => call({ cmd: 'workerUsage' }),
    consumerStats: () => call({ cmd: 'consumerStats' }),
    counts: () => call({ cmd: 'counts' }),
    loopDelayStart: () => call({ cmd: 'loopDelayStart' }),
    loopDelayStop: () => call({ cmd: 'loopDelayStop' }),
    requestTimesStart: () => call({ cmd: 'requestTimesStart' }),
    requestTimesStop: () => call({ cmd: 'requestTimesStop' }),
    stop: () => (stopping ??= stopChild(child, call)),
  };
}

async function stopChild(child: ChildProcess, call: (command: ServerCommand, timeoutMs?: number) => Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await call({ cmd: 'stop' }, 20_000).catch(() => child.kill('SIGTERM'));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
