import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freeUdpTcpPort } from '../support/ports.ts';

const root = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'tupa-process-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function processesMentioning(text: string): string[] {
  const out = spawnSync('pgrep', ['-af', text], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter((line) => line.trim() && !line.includes('pgrep'));
}

describe('the Tupa process', () => {
  it('starts with an embedded PostgreSQL, is ready, and stops cleanly on SIGTERM leaving no processes behind', async () => {
    const port = await freeUdpTcpPort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        TUPA_DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(await freeUdpTcpPort()),
        RTC_PORT: String(await freeUdpTcpPort()),
        MEDIA_WORKERS: '1',
        MEDIA_LISTEN_IP: '127.0.0.1',
        DATABASE_URL: '',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const deadline = Date.now() + 60_000;
    while (!output.includes('Tupa is ready') && Date.now() < deadline) {
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(output, output).toContain('Tupa is ready');
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(processesMentioning(dataDir).length).toBeGreaterThan(0); // the embedded postgres
    // Logs are JSON lines without personal data.
    for (const line of output.trim().split('\n')) expect(() => JSON.parse(line), line).not.toThrow();

    const children = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean)
      .map(Number);
    expect(children.length).toBeGreaterThanOrEqual(2); // a media worker and postgres at least

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"stopped"');
    expect(processesMentioning(dataDir)).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    const left = children.filter(isAlive);
    expect(left, spawnSync('ps', ['-o', 'pid,stat,args', '-p', left.join(',') || '1'], { encoding: 'utf8' }).stdout).toEqual([]);
  }, 90_000);
});

/** Alive and not a zombie (a container's init may be slow to reap orphans). */
function isAlive(pid: number): boolean {
  const stat = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
  return stat !== '' && !stat.startsWith('Z');
}
