import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { types } from 'mediasoup';

// Numbers and how they are shown: percentiles, worker stats, and the result table of a bench.

export interface MemorySample {
  nodeRssMb: number;
  nodeHeapUsedMb: number;
  /** V8's whole heap as reserved (young generation included), for telling heap from other RSS. */
  nodeHeapTotalMb: number;
  /** Memory outside the V8 heap that V8 knows of (Buffers and the like). */
  nodeExternalMb: number;
  workerRssMb: number;
}

export interface ForwardingStats {
  consumers: number;
  packets: number;
  bytes: number;
}

/** A moment when a process did not run for a while: wall-clock time (ms since 1970) and length. */
export interface Stall {
  at: number;
  ms: number;
}

const STALL_SCRIPT = `
const stalls = [];
const threshold = Number(process.argv[1]);
let last = performance.now();
const tick = () => {
  const now = performance.now();
  if (now - last > threshold) stalls.push({ at: performance.timeOrigin + last, ms: now - last });
  last = now;
};
`;

/**
 * Notes every gap of more than `thresholdMs` between 5 ms timer ticks in this process. Comparing
 * such gaps across processes tells a stall of one process from a stall of the whole machine.
 */
export class StallRecorder {
  readonly #stalls: Stall[] = [];
  #timer: NodeJS.Timeout | undefined;
  #last = 0;

  constructor(private readonly thresholdMs = 50) {}

  start(): void {
    this.#last = performance.now();
    this.#timer = setInterval(() => {
      const now = performance.now();
      if (now - this.#last > this.thresholdMs) this.#stalls.push({ at: performance.timeOrigin + this.#last, ms: now - this.#last });
      this.#last = now;
    }, 5);
  }

  stop(): Stall[] {
    clearInterval(this.#timer);
    return [...this.#stalls];
  }
}

/**
 * A bystander: a separate, idle Node process that only records its own stalls for `seconds`.
 * If it stalls when the server does, the machine stalled, not the server.
 */
export function startStallWitness(seconds: number, thresholdMs = 50): { result: Promise<Stall[]>; stop(): void } {
  const script = `${STALL_SCRIPT}
const timer = setInterval(tick, 5);
setTimeout(() => { clearInterval(timer); process.stdout.write(JSON.stringify(stalls)); }, ${Math.round(seconds * 1000)});
process.on('SIGTERM', () => { clearInterval(timer); process.stdout.write(JSON.stringify(stalls)); process.exit(0); });`;
  const child = spawn(process.execPath, ['-e', script, String(thresholdMs)], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const result = new Promise<Stall[]>((resolve) => {
    child.once('exit', () => {
      try {
        resolve(JSON.parse(out) as Stall[]);
      } catch {
        resolve([]);
      }
    });
  });
  return { result, stop: () => child.kill('SIGTERM') };
}

/** "t+1.23 s: 317 ms" for each stall, relative to `startedAt` (ms since 1970). */
export function describeStalls(stalls: Stall[], startedAt: number): string {
  if (stalls.length === 0) return 'none';
  return stalls.map((s) => `t+${((s.at - startedAt) / 1000).toFixed(2)} s: ${s.ms.toFixed(0)} ms`).join(', ');
}

/** Event-loop delay in milliseconds. */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  mean: number;
  /** Garbage-collection pauses in the same time, when the server process reports them. */
  gcCount?: number;
  gcMaxMs?: number;
  gcTotalMs?: number;
  /** Gaps of more than 50 ms in the process's timers, with when they happened. */
  stalls?: Stall[];
}

/**
 * Event-loop delay from a perf_hooks histogram. Node records the whole interval between its
 * timer's wake-ups, so an idle loop sampled every `resolutionMs` reads about `resolutionMs`:
 * that interval is taken off to leave the delay itself.
 */
export function loopDelayFrom(h: { percentile(p: number): number; max: number; mean: number }, resolutionMs: number): LoopDelay {
  const ms = (ns: number) => Math.max(0, ns / 1e6 - resolutionMs);
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), mean: ms(h.mean) };
}

/** The p-th percentile (0-100) by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Sums what the given consumers have sent (their outbound-rtp stats, as the worker counts them). */
export async function forwardingStats(list: types.Consumer[]): Promise<ForwardingStats> {
  let packets = 0;
  let bytes = 0;
  let counted = 0;
  for (const consumer of list) {
    if (consumer.closed) continue;
    const stats = await consumer.getStats().catch(() => []);
    for (const s of stats) {
      if (s.type === 'outbound-rtp') {
        packets += s.packetCount;
        bytes += s.byteCount;
      }
    }
    counted++;
  }
  return { consumers: counted, packets, bytes };
}

/** Resident memory of a process in MiB, from /proc/<pid>/status. */
export function vmRssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/**
 * Microseconds that some runnable task on the machine has waited for a CPU (Linux pressure stall
 * information), or undefined where the kernel does not report it. Over a window, it says how
 * much other work competed with the benchmark.
 */
export function cpuWaitMicros(): number | undefined {
  try {
    const match = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves with `work`, or rejects after `ms` with a message naming what did not finish. */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One line of a result table; with a budget it gets a ratio and PASS/OVER. */
export interface ResultRow {
  measure: string;
  value: number;
  unit: string;
  /** Digits after the point when printed. */
  digits?: number;
  /** The value must be below (`<`) or at most (`<=`) the limit. */
  budget?: { op: '<' | '<='; limit: number };
}

export interface BenchResult {
  name: string;
  title: string;
  rows: ResultRow[];
  /** How it was measured, what the shape was, anything a reader needs to trust the numbers. */
  notes: string[];
}

export function verdict(row: ResultRow): 'PASS' | 'OVER' | 'N/A' | '' {
  if (!row.budget) return '';
  if (!Number.isFinite(row.value)) return 'N/A';
  const { op, limit } = row.budget;
  return (op === '<' ? row.value < limit : row.value <= limit) ? 'PASS' : 'OVER';
}

function formatValue(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'not measured';
}

/** The result as a fixed-width text table followed by its notes. */
export function formatResult(result: BenchResult): string {
  const header = ['measure', 'value', 'budget', 'ratio', 'verdict'];
  const lines = result.rows.map((row) => {
    const digits = row.digits ?? 1;
    const value = `${formatValue(row.value, digits)} ${Number.isFinite(row.value) ? row.unit : ''}`.trim();
    const budget = row.budget ? `${row.budget.op} ${row.budget.limit} ${row.unit}` : '';
    const ratio = row.budget && Number.isFinite(row.value) ? (row.value / row.budget.limit).toFixed(2) : '';
    return [row.measure, value, budget, ratio, verdict(row)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const render = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const out = [`== ${result.name}: ${result.title} ==`, render(header), render(widths.map((w) => '-'.repeat(w)))];
  for (const l of lines) out.push(render(l));
  for (const note of result.notes) out.push(`  * ${note}`);
  return out.join('\n');
}

/** Text safe inside Markdown (a `<room>` would otherwise vanish as an HTML tag, a `|` split a cell). */
function escapeMarkdown(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');
}

/** The same result as a Markdown table, for RESULTS.md. */
export function markdownResult(result: BenchResult): string {
  const out = [`### ${result.name}: ${escapeMarkdown(result.title)}`, '', '| measure | value | budget | ratio | verdict |', '|---|---:|---:|---:|---|'];
  for (const row of result.rows) {
    const digits = row.digits ?? 1;
    const value = Number.isFinite(row.value) ? `${row.value.toFixed(digits)} ${row.unit}` : 'not measured';
    const budget = row.budget ? `${row.budget.op} ${row.budget.limit} ${row.unit}` : '';
    const ratio = row.budget && Number.isFinite(row.value) ? (row.value / row.budget.limit).toFixed(2) : '';
    out.push(`| ${escapeMarkdown(row.measure)} | ${escapeMarkdown(value)} | ${escapeMarkdown(budget)} | ${ratio} | ${verdict(row)} |`);
  }
  if (result.notes.length) out.push('');
  for (const note of result.notes) out.push(`- ${escapeMarkdown(note)}`);
  return out.join('\n');
}
