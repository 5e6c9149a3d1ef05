import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { markdownResult, type BenchResult } from './measure.ts';

// tests/bench/RESULTS.md: one section per benchmark, each replaced only when that benchmark ran
// again, so `npm run bench -- memory` updates the memory numbers and keeps the rest.

const FILE = path.join(import.meta.dirname, 'RESULTS.md');
/** Benchmarks in the order the file lists them. */
const ORDER = ['join-to-frame', 'signaling-latency', 'storytime', 'games', 'sfu-cost', 'memory', 'memory-soak', 'fuzz'];

const HEADER = `# Benchmark results

Measured by \`npm run bench\` (tests/bench/run.ts) on the machine named in each section, with
real parts only: Tupa's server with one real mediasoup worker, Debian's Chromium with a fake
camera, werift WebRTC bots (msc-node) fed with real VP8/Opus RTP from ffmpeg, and an embedded
PostgreSQL. All traffic stays on 127.0.0.1. A budget line says PASS or OVER; the run fails
only when a benchmark cannot run at all. Each section is rewritten when its benchmark runs again.

## Reproduce

\`\`\`sh
npm run bench                          # join-to-frame, signaling-latency, storytime, games, sfu-cost, memory (about 6 minutes on 2 cores)
npm run bench -- join-to-frame         # one benchmark; options below
npm run bench -- join-to-frame --joins 20
npm run bench -- signaling-latency --sockets 500 --rooms 50 --rates 100,500 --seconds 15
npm run bench -- storytime --rooms 20 --listeners 2 --turns 50 --pointer-hz 15
npm run bench -- games --rooms 20 --games 4 --draw-seconds 10
npm run bench -- sfu-cost --senders 2 --receivers 4 --window 20 --rounds 2
npm run bench -- memory --cycles 60 --participants 50
npm run bench -- fuzz                  # the protocol fuzz test with TUPA_FUZZ_MESSAGES=200000 (not in the default run)
\`\`\`

\`npm run bench\` installs what is missing first (deploy/bootstrap.sh: Debian's chromium and
ffmpeg, Node 24, the mediasoup worker, npm packages). To run the script directly:
\`node --import tsx tests/bench/run.ts [names] [--options]\` with Node 24 first on PATH.
`;

function sectionPattern(name: string): RegExp {
  return new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`);
}

/** Writes this run's results into RESULTS.md, keeping other benchmarks' sections; returns the path. */
export function writeResults(results: BenchResult[], machine: string[], argv: string[]): string {
  const previous = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '';
  const sections = new Map<string, string>();
  for (const name of ORDER) {
    const match = sectionPattern(name).exec(previous);
    if (match) sections.set(name, match[0]);
  }
  const when = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  for (const result of results) {
    const body = [
      `<!-- bench:${result.name} -->`,
      markdownResult(result),
      '',
      `Measured ${when} with \`${command}\` on: ${machine.join('; ')}.`,
      `<!-- /bench:${result.name} -->`,
    ].join('\n');
    sections.set(result.name, body);
  }
  const names = [...ORDER.filter((n) => sections.has(n)), ...[...sections.keys()].filter((n) => !ORDER.includes(n))];
  const text = `${HEADER}\n## Results\n\n${names.map((n) => sections.get(n)).join('\n\n')}\n`;
  writeFileSync(FILE, text);
  return FILE;
}
