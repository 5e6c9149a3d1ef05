import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, selfVideoReady } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// Real speech through the real pipeline: a reader's microphone plays a spoken recording (made
// with espeak-ng), the browser sends it with its audio-level header, mediasoup's speaker
// observer picks the reader, and the listener's page marks the reader's tile as speaking.

let t: TestServer;
let readerBrowser: Browser;
let listenerBrowser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'tupa-speech-'));

beforeAll(async () => {
  const wav = join(dir, 'reading.wav');
  const text = Array.from({ length: 6 }, () => 'Once upon a time, a little bear found a red ball in the forest.').join(' ');
  execFileSync('espeak-ng', ['-s', '150', '-a', '180', '-w', wav, text]);
  [t, readerBrowser, listenerBrowser] = await Promise.all([
    startTestServer(),
    launchChromium({ extraArgs: [`--use-file-for-fake-audio-capture=${wav}`] }),
    launchChromium(),
  ]);
});
afterAll(async () => {
  await Promise.all([readerBrowser?.close(), listenerBrowser?.close()]);
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function joinCall(page: Page, url: string, name: string, microphone: boolean): Promise<void> {
  await page.goto(url);
  await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  // The pre-join is live once its own picture shows (a click before the page's code has
  // loaded does nothing on a busy machine).
  await selfVideoReady(page, 20_000);
  if (!microphone) await page.getByRole('button', { name: 'Microphone on' }).click();
  await page.getByRole('button', { name: 'Join', exact: true }).click();
}

describe('the active speaker', () => {
  it('is detected from real speech by the server and shown on the others\' screens', async () => {
    const created = await fetch(`${t.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { roomId, path } = (await created.json()) as { roomId: string; path: string };
    const reader = await openPage(readerBrowser);
    const listener = await openPage(listenerBrowser);
    // The listener's own microphone stays off, so only the reading is heard.
    await joinCall(listener.page, `${t.url}${path}`, 'Listener', false);
    await joinCall(reader.page, `${t.url}${path}`, 'Reader', true);

    const room = () => t.server.registry.get(roomId);
    const readerId = () => room()?.peerInfos().find((p) => p.displayName === 'Reader')?.peerId;
    await expect.poll(() => readerId() !== undefined, { timeout: 10_000 }).toBe(true);
    await expect.poll(() => room()?.activeSpeaker, { timeout: 15_000 }).toBe(readerId());

    const tile = listener.page.locator(`[data-peer-id="${readerId()}"]`);
    await expect.poll(() => tile.getByText('Speaking', { exact: true }).count(), { timeout: 5_000 }).toBe(1);
    await Promise.all([reader.context.close(), listener.context.close()]);
  });
});
