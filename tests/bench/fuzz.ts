import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Bench } from './context.ts';
import type { BenchResult } from './measure.ts';

// The protocol fuzz test (tests/integration/fuzz.test.ts), run long: 200,000 hostile messages
// over 24 sockets against a real server. Not part of the default run.

const ROOT = path.join(import.meta.dirname, '..', '..');
const MESSAGES = 200_000;
const LIMIT_MS = 15 * 60_000;

export const fuzz: Bench = {
  name: 'fuzz',
  seconds: 120,
  async run(ctx): Promise<BenchResult> {
    const messages = Number(ctx.options.get('messages') ?? MESSAGES);
    if (!Number.isInteger(messages) || messages < 1 || messages > 2_000_000) throw new Error('--messages must be 1 to 2000000');
    ctx.log(`fuzz: ${messages} messages through vitest (tests/integration/fuzz.test.ts)`);
    const started = performance.now();
    const child = spawn('npx', ['vitest', 'run', '--project', 'node', 'tests/integration/fuzz.test.ts'], {
      cwd: ROOT,
      env: { ...process.env, TUPA_FUZZ_MESSAGES: String(messages) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGTERM'), LIMIT_MS);
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    clearTimeout(timer);
    const seconds = (performance.now() - started) / 1000;
    // eslint-disable-next-line no-control-regex
    const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
    const summary = /^.*fuzz: \d+ messages.*$/m.exec(plain)?.[0]?.trim();
    const tests = /^\s*Tests\s+.*$/m.exec(plain)?.[0]?.trim();
    if (code !== 0) throw new Error(`the fuzz test failed (exit ${code}); ${tests ?? 'no vitest summary'}`);
    if (!summary) throw new Error('the fuzz test passed but printed no summary line');
    const sent = Number(/fuzz: (\d+) messages/.exec(summary)?.[1] ?? Number.NaN);
    // vitest's own timing of the fuzzing test, without start-up and the database.
    const testMs = Number(/survives \d+ malformed messages.*?(\d+)\s*ms\s*$/m.exec(plain)?.[1] ?? Number.NaN);
    return {
      name: 'fuzz',
      title: `protocol fuzz test with TUPA_FUZZ_MESSAGES=${messages}`,
      rows: [
        { measure: 'messages sent', value: sent, unit: '', digits: 0 },
        { measure: 'vitest run, wall time (start-up included)', value: seconds, unit: 's', digits: 0 },
        { measure: 'the fuzzing test itself', value: testMs / 1000, unit: 's', digits: 1 },
        { measure: 'messages per second (the test itself)', value: sent / (testMs / 1000), unit: 'msg/s', digits: 0 },
      ],
      notes: [summary, `vitest: ${tests ?? 'summary not found'}`, 'passes only if every reply has the one reply shape, no `internal` error, the worker survives and no media object is left'],
    };
  },
};
