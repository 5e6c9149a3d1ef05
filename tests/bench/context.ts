import type { BenchPostgres } from './harness.ts';
import type { BenchResult } from './measure.ts';

/** What run.ts hands every benchmark. */
export interface BenchContext {
  pg: BenchPostgres;
  /** `--key value` options from the command line. */
  options: Map<string, string>;
  /** Progress for the person watching (stderr, so stdout holds only the tables). */
  log(message: string): void;
}

export interface Bench {
  name: string;
  /** Roughly how long the default run takes, for the person choosing what to run. */
  seconds: number;
  run(ctx: BenchContext): Promise<BenchResult | BenchResult[]>;
}

/** A whole-number option, bounded so a typo cannot start an unbounded load. */
export function intOption(ctx: BenchContext, key: string, fallback: number, min: number, max: number): number {
  const raw = ctx.options.get(key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`--${key} must be a whole number from ${min} to ${max}, not ${raw}`);
  }
  return value;
}
