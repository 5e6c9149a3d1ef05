import type { Page } from 'playwright-core';
import { launchChromium, msFromLastClickToFirstRemoteFrame, openPage, type TestPage } from '../support/browser.ts';
import { intOption, type Bench } from './context.ts';
import { percentile, sleep, within, type BenchResult } from './measure.ts';
import { startServerChild, type ServerChild } from './serverChild.ts';

// Click "Join" -> first decoded remote video frame, in Debian's Chromium with the fake camera,
// through the whole of Tupa (web app, Socket.IO, mediasoup on 127.0.0.1). One page stays in the
// room publishing its camera; a second person joins again and again, each time in a fresh browser
// context (new page, new storage, new peer connections), and the page itself measures from the
// click to the first frame its decoder produced (getStats inbound-rtp framesDecoded > 0, polled
// every 20 ms). Each joiner leaves by closing its context before the next one comes.

async function poll(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`${what} did not happen in ${timeoutMs} ms`);
}

/** Opens the room, types a name and waits until the self view shows the fake camera. */
async function prepareToJoin(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  await poll(
    'self view',
    () =>
      page.evaluate(`(() => {
        const video = document.querySelector('[data-self] video');
        return video !== null && video.srcObject !== null && video.readyState >= 2;
      })()`),
    15_000,
  );
}

async function peers(server: ServerChild): Promise<number> {
  return (await server.counts()).peers;
}

export const joinToFrame: Bench = {
  name: 'join-to-frame',
  seconds: 25,
  async run(ctx): Promise<BenchResult> {
    const joins = intOption(ctx, 'joins', 20, 1, 100);
    const server = await startServerChild({ databaseUrl: await ctx.pg.createDatabase() });
    const browser = await launchChromium();
    try {
      const [roomId] = await server.createRooms(1);
      const roomUrl = `${server.url}/r/${roomId}`;
      const publisher = await openPage(browser, { locale: 'en-US' });
      await prepareToJoin(publisher.page, roomUrl, 'Reader');
      await publisher.page.getByRole('button', { name: 'Join', exact: true }).click();
      await poll('the publisher in the room with camera and microphone', async () => (await server.counts()).media.producers >= 2, 20_000);

      const samples: number[] = [];
      const failures: string[] = [];
      const problems: string[] = [];
      for (let i = 0; i < joins; i++) {
        let joiner: TestPage | undefined;
        try {
          joiner = await openPage(browser, { locale: 'en-US' });
          await prepareToJoin(joiner.page, roomUrl, `Listener ${i + 1}`);
          await joiner.page.getByRole('button', { name: 'Join', exact: true }).click();
          const ms = await within(25_000, 'first remote frame', msFromLastClickToFirstRemoteFrame(joiner.page, 20_000));
          if (ms === null) failures.push(`join ${i + 1}: no remote frame in 20 s`);
          else samples.push(ms);
          ctx.log(`join-to-frame ${i + 1}/${joins}: ${ms === null ? 'no frame' : `${ms.toFixed(0)} ms`}`);
          problems.push(...joiner.problems.map((p) => `joiner ${i + 1}: ${p}`));
          // Leaves as a person does (a closed tab would keep its place for the reconnect grace).
          await joiner.page.getByRole('button', { name: 'Leave', exact: true }).click();
          // The next person meets a room with only the publisher in it.
          await poll('the joiner leaving', async () => (await peers(server)) === 1, 10_000);
        } catch (error) {
          failures.push(`join ${i + 1}: ${(error as Error).message.split('\n')[0]}`);
        } finally {
          await joiner?.context.close();
        }
      }
      problems.push(...publisher.problems.map((p) => `publisher: ${p}`));
      if (samples.length === 0) throw new Error(`no join produced a frame: ${failures.join('; ')}`);
      const sorted = [...samples].sort((a, b) => a - b);
      return {
        name: 'join-to-frame',
        title: `click "Join" -> first decoded remote video frame in Chromium, ${samples.length} joins`,
        rows: [
          { measure: 'p50', value: percentile(samples, 50), unit: 'ms', digits: 0, budget: { op: '<', limit: 1000 } },
          { measure: 'p95', value: percentile(samples, 95), unit: 'ms', digits: 0, budget: { op: '<', limit: 2000 } },
          { measure: 'min', value: sorted[0]!, unit: 'ms', digits: 0 },
          { measure: 'max', value: sorted.at(-1)!, unit: 'ms', digits: 0 },
          { measure: 'failed joins (no frame in 20 s, or an error)', value: failures.length, unit: '', digits: 0 },
        ],
        notes: [
          `all samples (ms, in order): ${samples.map((s) => s.toFixed(0)).join(', ')}`,
          'one page publishes the fake camera (and microphone) and stays; each join is a fresh browser context that opens /r/<room>, types a name, waits for its own camera preview, clicks Join, and after the first frame clicks Leave (the room is back to one participant before the next join)',
          'measured inside the joining page: performance.now() at the click to the first getStats() showing inbound-rtp video framesDecoded > 0 (polled every 20 ms, so up to ~20 ms coarse); includes joinRoom, both transports, ICE+DTLS, consume, resume and the key frame',
          `Debian Chromium headless, software VP8 (no GPU); Tupa in a child Node process with one mediasoup worker and default limits; ${failures.length ? `failures: ${failures.join('; ')}` : 'every join produced a frame'}`,
          ...(problems.length
            ? [`${problems.length} console error(s) or page error(s), first ones: ${[...new Set(problems.map((p) => p.split('\n')[0]))].slice(0, 3).join(' | ')}`]
            : ['no console errors on any page']),
        ],
      };
    } finally {
      await browser.close();
      await server.stop();
    }
  },
};
