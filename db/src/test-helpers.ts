import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import pino from 'pino';
import type { Logger } from 'pino';

// Helpers for this package's tests only; not exported from index.ts.

export { freeTcpPort as freePort } from '../../tests/support/ports.ts';

/** A fresh temporary directory the `postgres` user can enter (tests may run as root), and its removal. */
export async function makeTempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tupa-db-test-'));
  await chmod(dir, 0o755);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface LogEntry {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

/** A debug-level pino logger whose entries are kept, parsed, for assertions. */
export function captureLogger(): { logger: Logger; entries: LogEntry[]; messages(): string[] } {
  const entries: LogEntry[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') entries.push(JSON.parse(line) as LogEntry);
      }
      done();
    },
  });
  const logger = pino({ level: 'debug' }, destination);
  return { logger, entries, messages: () => entries.map((entry) => entry.msg ?? '') };
}

/** A logger that drops everything. */
export const silentLogger: Logger = pino({ level: 'silent' });

/** Command lines of running processes that mention dataDir (a postmaster runs as `postgres -D <dataDir>`). */
export async function postgresProcessesOf(dataDir: string): Promise<string[]> {
  try {
    const { stdout } = await promisify(execFile)('pgrep', ['-a', '-f', dataDir]);
    return stdout.split('\n').filter((line) => line.trim() !== '');
  } catch (error) {
    if ((error as { code?: number }).code === 1) return []; // pgrep's "nothing matched"
    throw error;
  }
}
