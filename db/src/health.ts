import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize';
import type { Logger } from 'pino';

export interface HealthMonitor {
  /** True while the most recent probe succeeded. */
  isAvailable(): boolean;
  /** Runs a probe now and returns its result. */
  probe(): Promise<boolean>;
  /** Stops the periodic probe; later probes report false without touching the database. */
  stop(): void;
}

export interface HealthMonitorOptions {
  sequelize: Sequelize;
  logger: Logger;
  intervalMs?: number;
  timeoutMs?: number;
}

/** Probes the database with SELECT 1 every intervalMs and logs each change between up and down once. */
export function startHealthMonitor({
  sequelize,
  logger,
  intervalMs = 5_000,
  timeoutMs = 3_000,
}: HealthMonitorOptions): HealthMonitor {
  // The caller has just migrated, so the database starts out known to be reachable.
  let available = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let probesStarted = 0;
  let newestApplied = 0;

  const record = (ok: boolean, failure: unknown): void => {
    if (ok === available) return;
    available = ok;
    if (ok) {
      logger.info('database available again');
    } else {
      logger.warn({ err: describeFailure(failure) }, 'database unavailable');
    }
  };

  const probe = async (): Promise<boolean> => {
    if (stopped) return false;
    const sequence = ++probesStarted;
    let ok = true;
    let failure: unknown;
    try {
      await withTimeout(sequelize.query('SELECT 1', { type: QueryTypes.SELECT }), timeoutMs);
    } catch (error) {
      ok = false;
      failure = error;
    }
    // A slow probe that started earlier must not overwrite the verdict of a newer one, and a probe
    // still in flight when close() ran must not announce an outage that is only the pool closing.
    if (!stopped && sequence > newestApplied) {
      newestApplied = sequence;
      record(ok, failure);
    }
    return ok;
  };

  const scheduleNext = (): void => {
    if (stopped) return;
    // A chain of timeouts rather than an interval, so a hung probe never piles up behind itself.
    timer = setTimeout(() => {
      void probe().then(scheduleNext);
    }, intervalMs);
    timer.unref();
  };
  scheduleNext();

  return {
    isAvailable: () => available && !stopped,
    probe,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Only the error's kind and message: the stack and original query add noise and nothing useful. */
function describeFailure(failure: unknown): { name: string; message: string; code?: string } {
  if (!(failure instanceof Error)) return { name: 'Error', message: String(failure) };
  const original = (failure as { original?: { code?: unknown } }).original;
  const code = typeof original?.code === 'string' ? original.code : undefined;
  return code === undefined
    ? { name: failure.name, message: failure.message }
    : { name: failure.name, message: failure.message, code };
}
