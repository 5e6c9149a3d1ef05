import { openDatabase, type Database } from '@tupa/db';
import pino from 'pino';
import type { NotificationPayload } from '@tupa/signaling/protocol';
import { TestClient } from '../support/signalingClient.ts';
import { intOption, type Bench, type BenchContext } from './context.ts';
import { percentile, sleep, within, type BenchResult, type ResultRow } from './measure.ts';
import { startServerChild, type ServerChild } from './serverChild.ts';

// Storytime page turns reaching everyone: R storytime rooms at once, each with a reader (a host
// invitation) and L listeners (guest invitations), all socket.io-client sockets in this process.
// Each reader opens the same book and turns a page every 200-600 ms (a random pace, so rooms
// overlap), T times, while pointing at the page P times a second. A listener's latency is from
// the reader's emit to that listener's storytimeChanged for the same version, both read from
// this process's performance.now(). The server runs alone in a child process with default limits.

const BOOK_PAGES = 24;

interface StoryRoom {
  reader: TestClient;
  listeners: TestClient[];
  /** When the turn that will produce each version was emitted. */
  sentAt: Map<number, number>;
  version: number;
}

interface Samples {
  delivery: number[];
  acks: number[];
  missing: number;
  refused: string[];
}

/** Sets up the shelf and rooms through the same database the server uses, as a coordinator would. */
async function prepare(databaseUrl: string, roomCount: number, listeners: number) {
  const db: Database = await openDatabase({ url: databaseUrl, dataDir: '/nonexistent', logger: pino({ level: 'silent' }) });
  try {
    const staff = await db.staff.create({ email: 'bench@example.org', displayName: 'Bench', role: 'coordinator', passwordHash: 'not-a-login' });
    const book = await db.books.create({
      title: 'Bench book',
      author: 'Tupa',
      illustrator: 'Tupa',
      description: 'Pages for the storytime benchmark.',
      language: 'en',
      ageMin: 3,
      ageMax: 8,
      licence: 'CC0',
      pageCount: BOOK_PAGES,
      aspectRatio: 4 / 3,
      source: 'upload',
    });
    const expiresAt = new Date(Date.now() + 3600_000);
    const invitation = async (roomId: string, role: 'host' | 'guest') =>
      (await db.invitations.create({ roomId, sessionId: null, role, simple: false, label: 'bench', expiresAt, createdBy: staff.id })).token;
    const rooms: Array<{ hostToken: string; guestTokens: string[] }> = [];
    for (let i = 0; i < roomCount; i++) {
      const room = await db.rooms.create({ name: `Storytime ${i}`, kind: 'storytime', lobbyEnabled: false, childrenPresent: true }, staff.id);
      const guestTokens: string[] = [];
      for (let k = 0; k < listeners; k++) guestTokens.push(await invitation(room.id, 'guest'));
      rooms.push({ hostToken: await invitation(room.id, 'host'), guestTokens });
    }
    return { bookId: book.id, rooms };
  } finally {
    await db.close();
  }
}

async function joinRoom(server: ServerChild, token: string, name: string): Promise<TestClient> {
  const client = await TestClient.connect(server.url);
  await client.ok('joinRoom', { invitation: { token }, displayName: name });
  return client;
}

/** One reader's session: open the book, then turn and point until all turns are done. */
async function readAloud(room: StoryRoom, bookId: string, turns: number, pointerHz: number, samples: Samples): Promise<void> {
  const opened = await room.reader.ok('openBook', { bookId });
  room.version = opened.version;
  let pointing = true;
  const pointer = (async () => {
    if (pointerHz <= 0) return;
    let t = 0;
    while (pointing) {
      t += 1;
      // Pointer moves are volatile and may be refused when over budget; neither matters here.
      void room.reader.request('pointAt', { point: { x: (Math.sin(t / 7) + 1) / 2, y: (Math.cos(t / 11) + 1) / 2 } });
      await sleep(1000 / pointerHz);
    }
  })();
  await sleep(Math.random() * 400);
  let page = 1;
  for (let i = 0; i < turns; i++) {
    page = (page % BOOK_PAGES) + 1;
    const expected = room.version + 1;
    const started = performance.now();
    room.sentAt.set(expected, started);
    const reply = await room.reader.request('turnPage', { page });
    samples.acks.push(performance.now() - started);
    if (!reply.ok) {
      samples.refused.push(`${reply.error.code} ${reply.error.message}`);
      room.sentAt.delete(expected);
    } else {
      if (reply.data.version !== expected) samples.refused.push(`version ${reply.data.version}, expected ${expected}`);
      room.version = reply.data.version;
    }
    await sleep(200 + Math.random() * 400);
  }
  pointing = false;
  await pointer;
}

/**
 * Bytes per page image at both sizes, for every page of every shipped book, through the books
 * HTTP routes (GET /api/books, GET /api/books/:id/pages/:page/small|large). Undefined when the
 * server has no such routes.
 */
export async function pageImageBytes(url: string): Promise<{ small: number[]; large: number[]; books: number } | undefined> {
  const shelf = await fetch(`${url}/api/books`);
  if (shelf.status === 404) return undefined;
  if (!shelf.ok) throw new Error(`GET /api/books answered ${shelf.status}`);
  const body = (await shelf.json()) as { books?: Array<{ id?: string; bookId?: string; pageCount: number; source?: string }> };
  const books = (body.books ?? []).filter((b) => b.source === undefined || b.source === 'shipped');
  const sizes = { small: [] as number[], large: [] as number[] };
  for (const book of books) {
    const id = book.id ?? book.bookId;
    for (let page = 1; page <= book.pageCount; page++) {
      for (const size of ['small', 'large'] as const) {
        const response = await fetch(`${url}/api/books/${id}/pages/${page}/${size}`);
        if (!response.ok) throw new Error(`page ${page} (${size}) of book ${id} answered ${response.status}`);
        sizes[size].push((await response.arrayBuffer()).byteLength);
      }
    }
  }
  return { ...sizes, books: books.length };
}

function kib(bytes: number): number {
  return bytes / 1024;
}

export const storytime: Bench = {
  name: 'storytime',
  seconds: 45,
  async run(ctx: BenchContext): Promise<BenchResult> {
    const roomCount = intOption(ctx, 'rooms', 20, 1, 100);
    const listenerCount = intOption(ctx, 'listeners', 2, 2, 20);
    const turns = intOption(ctx, 'turns', 50, 1, 1000);
    const pointerHz = intOption(ctx, 'pointer-hz', 15, 0, 30);

    const databaseUrl = await ctx.pg.createDatabase();
    // SHIPPED_BOOKS on: the page-size part reads the books Tupa ships with.
    const server = await startServerChild({ databaseUrl, env: { SHIPPED_BOOKS: 'on' } });
    const clients: TestClient[] = [];
    try {
      const { bookId, rooms: plans } = await prepare(databaseUrl, roomCount, listenerCount);
      const samples: Samples = { delivery: [], acks: [], missing: 0, refused: [] };
      const rooms: StoryRoom[] = [];
      await within(
        60_000,
        'joining readers and listeners',
        Promise.all(
          plans.map(async (plan, r) => {
            const reader = await joinRoom(server, plan.hostToken, `Reader ${r}`);
            const listeners = await Promise.all(plan.guestTokens.map((token, k) => joinRoom(server, token, `Listener ${r}.${k}`)));
            clients.push(reader, ...listeners);
            rooms[r] = { reader, listeners, sentAt: new Map(), version: 0 };
          }),
        ),
      );
      const received = new Map<StoryRoom, Array<Map<number, number>>>();
      for (const room of rooms) {
        const perListener = room.listeners.map((listener) => {
          const seen = new Map<number, number>();
          listener.socket.on('storytimeChanged', (change: NotificationPayload<'storytimeChanged'>) => {
            seen.set(change.state.version, performance.now());
          });
          return seen;
        });
        received.set(room, perListener);
      }
      ctx.log(`storytime: ${rooms.length} rooms with a reader and ${listenerCount} listeners each; turning ${turns} pages per room`);
      const started = performance.now();
      await within(turns * 2000 + 60_000, 'reading aloud', Promise.all(rooms.map((room) => readAloud(room, bookId, turns, pointerHz, samples))));
      const seconds = (performance.now() - started) / 1000;
      await sleep(500); // the last turns' notices
      for (const room of rooms) {
        for (const seen of received.get(room) ?? []) {
          for (const [version, sent] of room.sentAt) {
            const at = seen.get(version);
            if (at === undefined) samples.missing++;
            else samples.delivery.push(at - sent);
          }
        }
      }

      const d = samples.delivery;
      const p95 = percentile(d, 95);
      const rows: ResultRow[] = [
        { measure: 'page turns delivered (listener x turn)', value: d.length, unit: '', digits: 0 },
        { measure: 'turn -> listener storytimeChanged p50', value: percentile(d, 50), unit: 'ms', digits: 2 },
        { measure: 'turn -> listener storytimeChanged p95', value: p95, unit: 'ms', digits: 2, budget: { op: '<', limit: 100 } },
        { measure: 'turn -> listener storytimeChanged p99', value: percentile(d, 99), unit: 'ms', digits: 2 },
        { measure: 'turn -> listener storytimeChanged max', value: d.length ? Math.max(...d) : Number.NaN, unit: 'ms', digits: 2 },
        { measure: 'turns never seen by a listener', value: samples.missing, unit: '', digits: 0 },
        { measure: 'turnPage acknowledgement p50 (reader)', value: percentile(samples.acks, 50), unit: 'ms', digits: 2 },
        { measure: 'turnPage acknowledgement p99 (reader)', value: percentile(samples.acks, 99), unit: 'ms', digits: 2 },
      ];
      const notes = [
        `${rooms.length} storytime rooms (staff rooms, no lobby), each a reader with a host invitation and ${listenerCount} listeners with guest invitations: ${clients.length} socket.io-client sockets (websocket transport) in the bench process, the server alone in a child Node process with default limits`,
        `each reader opens a ${BOOK_PAGES}-page book and turns ${turns} times, one turn every 200-600 ms at random (rooms start up to 400 ms apart, so turns overlap across rooms), waiting for each acknowledgement; ${pointerHz ? `meanwhile it points at the page ${pointerHz} times a second (volatile storytimePointer to the others)` : 'no pointer traffic'}; ${samples.acks.length} turns in ${seconds.toFixed(1)} s, ${(samples.acks.length / seconds).toFixed(0)} turns/s over all rooms`,
        'latency: performance.now() in this process just before the reader emits turnPage, to the listener socket\'s storytimeChanged event with the version that turn made; ratio = p95 / 100 ms budget',
        `budget ratio (p95 / 100 ms): ${(p95 / 100).toFixed(3)}`,
        ...(samples.refused.length ? [`refused or unexpected turns: ${samples.refused.length}, first: ${samples.refused.slice(0, 3).join('; ')}`] : ['every turn was accepted with the expected version']),
      ];

      const images = await pageImageBytes(server.url);
      if (!images) {
        notes.push('page image sizes: not measured, this server has no GET /api/books route yet (pageImageBytes in tests/bench/storytime.ts is ready for it)');
      } else if (images.books === 0) {
        notes.push('page image sizes: not measured, no shipped books on the shelf');
      } else {
        for (const size of ['small', 'large'] as const) {
          const bytes = images[size];
          rows.push(
            { measure: `page image (${size}) min`, value: kib(Math.min(...bytes)), unit: 'KiB', digits: 1 },
            { measure: `page image (${size}) median`, value: kib(percentile(bytes, 50)), unit: 'KiB', digits: 1 },
            { measure: `page image (${size}) max`, value: kib(Math.max(...bytes)), unit: 'KiB', digits: 1 },
          );
        }
        notes.push(`page images: every page of the ${images.books} shipped books (SHIPPED_BOOKS=on), ${images.small.length} pages, fetched over HTTP from the same server`);
      }
      return {
        name: 'storytime',
        title: `page turn -> every listener, ${rooms.length} rooms x (1 reader + ${listenerCount} listeners), ${turns} turns per room`,
        rows,
        notes,
      };
    } finally {
      for (const c of clients) c.close();
      await server.stop();
    }
  },
};
