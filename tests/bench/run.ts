// `npm run bench [-- <name>... [--option value]...]`: Tupa's performance budget, measured on this
// machine with real parts (mediasoup workers, Chromium, werift bots fed by ffmpeg, PostgreSQL).
// Prints one table per benchmark with PASS/OVER per budget line and records the numbers in
// tests/bench/RESULTS.md. Exits non-zero only when a benchmark could not run, never for a
// missed budget.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import type { Bench, BenchContext } from './context.ts';
import { fuzz } from './fuzz.ts';
import { games } from './games.ts';
import { startBenchPostgres, type BenchPostgres } from './harness.ts';
import { joinToFrame } from './join-to-frame.ts';
import { cpuWaitMicros, formatResult, type BenchResult } from './measure.ts';
import { memory } from './memory.ts';
import { writeResults } from './results.ts';
import { sfuCost } from './sfu-cost.ts';
import { signalingLatency } from './signaling-latency.ts';
import { storytime } from './storytime.ts';

const DEFAULT_BENCHES: Bench[] = [joinToFrame, signalingLatency, storytime, games, sfuCost, memory];
const EXTRA_BENCHES: Bench[] = [fuzz];
const ALL = [...DEFAULT_BENCHES, ...EXTRA_BENCHES];

function parseArgs(argv: string[]): { names: string[]; options: Map<string, string> } {
  const names: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith('--')) {
      const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`option --${key} needs a value`);
      options.set(key, value);
    } else {
      names.push(arg);
    }
  }
  return { names, options };
}

function version(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')[0]!
      .trim();
  } catch {
    return 'not found';
  }
}

export function machineInfo(): string[] {
  const require = createRequire(import.meta.url);
  const mediasoupVersion = (JSON.parse(readFileSync(require.resolve('mediasoup/package.json'), 'utf8')) as { version: string }).version;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return [
    `machine: ${os.availableParallelism()} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    `Node ${process.version}, mediasoup ${mediasoupVersion} (worker ${process.env.MEDIASOUP_WORKER_BIN ?? 'node_modules/mediasoup/worker/out/Release/mediasoup-worker'})`,
    `${version(process.env.TUPA_CHROMIUM ?? '/usr/bin/chromium', ['--version'])}; ${version('ffmpeg', ['-version']).replace(/ Copyright.*/, '')}`,
  ];
}

async function main(): Promise<number> {
  const { names, options } = parseArgs(process.argv.slice(2));
  const unknown = names.filter((n) => !ALL.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`unknown benchmark ${unknown.join(', ')}; known: ${ALL.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const selected = names.length > 0 ? ALL.filter((b) => names.includes(b.name)) : DEFAULT_BENCHES;
  const info = machineInfo();
  console.log(info.join('\n'));
  console.log(`benchmarks: ${selected.map((b) => `${b.name} (~${b.seconds} s)`).join(', ')}\n`);

  const needsDatabase = selected.some((b) => b.name !== 'fuzz');
  let pg: BenchPostgres | undefined;
  const results: BenchResult[] = [];
  const failures: string[] = [];
  try {
    if (needsDatabase) pg = await startBenchPostgres();
    const ctx: BenchContext = {
      pg: pg as BenchPostgres,
      options,
      log: (message) => console.error(`[bench ${((performance.now()) / 1000).toFixed(0)} s] ${message}`),
    };
    for (const bench of selected) {
      const started = performance.now();
      const loadBefore = os.loadavg()[0]!;
      const waitBefore = cpuWaitMicros();
      try {
        const produced = await bench.run(ctx);
        const waitAfter = cpuWaitMicros();
        const elapsedMicros = (performance.now() - started) * 1000;
        const pressure =
          waitBefore !== undefined && waitAfter !== undefined
            ? `, some task (this benchmark's own included) waited for a CPU ${((100 * (waitAfter - waitBefore)) / elapsedMicros).toFixed(0)}% of the time`
            : '';
        const load = `machine: 1-minute load average ${loadBefore.toFixed(2)} before, ${os.loadavg()[0]!.toFixed(2)} after${pressure} (${os.availableParallelism()} cores; other work on the machine disturbs these numbers)`;
        for (const result of Array.isArray(produced) ? produced : [produced]) {
          result.notes.push(load);
          results.push(result);
          console.log(`${formatResult(result)}\n  (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
        }
      } catch (error) {
        failures.push(bench.name);
        console.error(`\n${bench.name} could not run: ${(error as Error)?.stack ?? String(error)}\n`);
      }
    }
  } finally {
    await pg?.stop();
  }
  if (results.length > 0) {
    const file = writeResults(results, info, process.argv.slice(2));
    console.log(`results written to ${file}`);
  }
  console.log(`total ${(performance.now() / 1000).toFixed(0)} s`);
  if (failures.length > 0) {
    console.error(`could not run: ${failures.join(', ')}`);
    return 1;
  }
  return 0;
}

// Bots and browsers can leave sockets and timers behind; the run is over when main says so.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
