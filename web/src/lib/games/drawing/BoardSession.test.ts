import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DRAWING_LIMITS, type DrawingView, type Stroke } from '@tupa/signaling/protocol';
import { RequestError } from '../../call/signalingClient.ts';
import { BATCH_INTERVAL_MS, BoardSession, type BoardNotifications, type DrawingRequestName } from './BoardSession.svelte.ts';
import { strokeOutline } from './strokeOutline.ts';

interface Sent {
  name: DrawingRequestName;
  payload: Record<string, unknown>;
  at: number;
}

type Answer = (sent: Sent) => unknown;

/**
 * A board with a server that numbers strokes like the real one; `refuse` makes the next
 * requests of a name fail with a refusal reason, as the signaling client throws them.
 */
function setUp(selfId = 'me') {
  const sent: Sent[] = [];
  const answers = new Map<DrawingRequestName, Answer[]>();
  let nextStrokeId = 1;
  const board = new BoardSession({
    selfId: () => selfId,
    request: async (name, payload) => {
      const entry: Sent = { name, payload: payload as Record<string, unknown>, at: performance.now() };
      sent.push(entry);
      const answer = answers.get(name)?.shift();
      if (answer) return answer(entry) as never;
      if (name === 'startStroke') return { strokeId: nextStrokeId++ } as never;
      return {} as never;
    },
  });
  const handlers = new Map<string, (payload: unknown) => void>();
  const notifications: BoardNotifications = {
    on: (name, handler) => {
      handlers.set(name, handler as (payload: unknown) => void);
      return () => handlers.delete(name);
    },
  };
  const stop = board.listen(notifications);
  const notify = (name: string, payload: unknown) => handlers.get(name)?.(payload);
  const refuse = (name: DrawingRequestName, reason: string, times = 1) => {
    const list = answers.get(name) ?? [];
    for (let index = 0; index < times; index++) {
      list.push(() => {
        throw new RequestError(name, 'invalid-state', 'refused', reason as never);
      });
    }
    answers.set(name, list);
  };
  const answerNext = (name: DrawingRequestName, answer: Answer) => answers.set(name, [...(answers.get(name) ?? []), answer]);
  const setStrokeIds = (from: number) => (nextStrokeId = from);
  return { board, sent, notify, refuse, answerNext, handlers, stop, setStrokeIds };
}

const view = (strokes: Stroke[] = []): DrawingView => ({ kind: 'drawing', strokes });
const extends_ = (sent: Sent[]) => sent.filter((entry) => entry.name === 'extendStroke');
const pointsOf = (entries: Sent[]) => entries.flatMap((entry) => entry.payload.points as number[]);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('drawing board: sending a stroke', () => {
  it('sends the first point at once, then batches no more often than every 50 ms, in order, done once', async () => {
    const { board, sent } = setUp();
    board.reset('g1', view());
    board.beginStroke(1, { x: 10.4, y: 20.6 });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ name: 'startStroke', payload: { colour: 'black', size: 'medium', points: [10, 21] } });

    const drawn: number[] = [10, 21];
    // A finger moving for 600 ms, a point every 4 ms.
    for (let step = 1; step <= 150; step++) {
      await vi.advanceTimersByTimeAsync(4);
      board.continueStroke(1, [{ x: 10 + step, y: 21 + (step % 7) }]);
      drawn.push(10 + step, 21 + (step % 7));
    }
    board.endStroke(1);
    await vi.advanceTimersByTimeAsync(500);

    const batches = extends_(sent);
    expect(batches.length).toBeGreaterThan(5);
    const times = sent.map((entry) => entry.at);
    for (let index = 1; index < times.length; index++) expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(BATCH_INTERVAL_MS);
    // Batched, not held back: a message went out in every 50 ms window while the finger moved.
    for (let index = 2; index < times.length - 1; index++) expect(times[index]! - times[index - 1]!).toBeLessThanOrEqual(BATCH_INTERVAL_MS + 4);
    expect([...(sent[0]!.payload.points as number[]), ...pointsOf(batches)]).toEqual(drawn);
    expect(batches.filter((entry) => entry.payload.done)).toHaveLength(1);
    expect(batches.at(-1)!.payload.done).toBe(true);
    expect(new Set(sent.map((entry) => entry.payload.key)).size).toBe(1);
    expect(board.strokes).toHaveLength(1);
    expect(board.strokes[0]).toMatchObject({ strokeId: 1, done: true, points: drawn });
  });

  it('keeps sending when the wall clock jumps back an hour mid-stroke (batches are spaced on the monotonic clock)', async () => {
    const { board, sent } = setUp();
    board.reset('g1', view());
    board.beginStroke(1, { x: 10, y: 10 });
    board.continueStroke(1, [{ x: 11, y: 10 }]);
    await vi.advanceTimersByTimeAsync(BATCH_INTERVAL_MS);
    expect(extends_(sent)).toHaveLength(1);
    // The computer's time is corrected backwards: Date.now() jumps, performance.now() does not.
    vi.setSystemTime(Date.now() - 3_600_000);
    board.continueStroke(1, [{ x: 12, y: 10 }]);
    board.endStroke(1);
    await vi.advanceTimersByTimeAsync(2 * BATCH_INTERVAL_MS);
    expect(pointsOf(extends_(sent))).toEqual([11, 10, 12, 10]);
    expect(extends_(sent).at(-1)!.payload.done).toBe(true);
  });

  it('splits a long run of points into messages of at most pointsPerBatch points, 50 ms apart', async () => {
    const { board, sent } = setUp();
    board.reset('g1', view());
    board.beginStroke(7, { x: 0, y: 0 });
    const many = Array.from({ length: 600 }, (_, index) => ({ x: (index % 900) + 1, y: Math.floor(index / 3) }));
    board.continueStroke(7, many);
    board.endStroke(7);
    await vi.advanceTimersByTimeAsync(1000);

    const batches = extends_(sent);
    expect(batches.map((entry) => (entry.payload.points as number[]).length / 2)).toEqual([
      DRAWING_LIMITS.pointsPerBatch,
      DRAWING_LIMITS.pointsPerBatch,
      600 - 2 * DRAWING_LIMITS.pointsPerBatch,
    ]);
    expect(batches.map((entry) => entry.payload.done)).toEqual([false, false, true]);
    expect(pointsOf(batches)).toEqual(many.flatMap((point) => [point.x, point.y]));
    for (let index = 1; index < sent.length; index++) expect(sent[index]!.at - sent[index - 1]!.at).toBeGreaterThanOrEqual(BATCH_INTERVAL_MS);
  });

  it('rounds points to whole board units on the board and drops repeats before sending', async () => {
    const { board, sent } = setUp();
    board.reset('g1', view());
    board.beginStroke(1, { x: -20, y: 1004.7 });
    board.continueStroke(1, [
      { x: 0.3, y: 999.6 },
      { x: 5.5, y: 5.49 },
      { x: 5.6, y: 4.6 },
      { x: 1200, y: 5 },
    ]);
    board.endStroke(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(sent[0]!.payload.points).toEqual([0, 1000]);
    expect(pointsOf(extends_(sent))).toEqual([6, 5, 1000, 5]);
    expect(board.strokes[0]!.points).toEqual([0, 1000, 6, 5, 1000, 5]);
  });

  it('draws two fingers as two strokes, and the tab still sends no more than one batch per 50 ms', async () => {
    const { board, sent } = setUp();
    board.reset('g1', view());
    board.beginStroke(1, { x: 100, y: 100 });
    board.beginStroke(2, { x: 800, y: 800 });
    for (let step = 1; step <= 40; step++) {
      await vi.advanceTimersByTimeAsync(8);
      board.continueStroke(1, [{ x: 100 + step, y: 100 }]);
      board.continueStroke(2, [{ x: 800 - step, y: 800 }]);
    }
    board.endStroke(1);
    board.endStroke(2);
    await vi.advanceTimersByTimeAsync(1000);

    const starts = sent.filter((entry) => entry.name === 'startStroke');
    expect(starts).toHaveLength(2);
    const [first, second] = starts.map((entry) => entry.payload.key as number);
    expect(second).toBeGreaterThan(first!);
    const batches = extends_(sent);
    for (let index = 1; index < batches.length; index++) expect(batches[index]!.at - batches[index - 1]!.at).toBeGreaterThanOrEqual(BATCH_INTERVAL_MS);
    expect(pointsOf(batches.filter((entry) => entry.payload.key === first))).toEqual(Array.from({ length: 40 }, (_, i) => [101 + i, 100]).flat());
    expect(pointsOf(batches.filter((entry) => entry.payload.key === second))).toEqual(Array.from({ length: 40 }, (_, i) => [799 - i, 800]).flat());
    expect(board.strokes.map((stroke) => stroke.strokeId)).toEqual([1, 2]);
  });
});

describe('drawing board: refusals', () => {
  it('takes a refused stroke off the board, says why, and sends nothing more for that finger', async () => {
    const { board, sent, refuse } = setUp();
    board.reset('g1', view());
    refuse('startStroke', 'board-full');
    refuse('extendStroke', 'stroke-not-found', 5);
    board.beginStroke(1, { x: 10, y: 10 });
    expect(board.strokes).toHaveLength(1);
    board.continueStroke(1, [{ x: 20, y: 20 }]);
    await vi.advanceTimersByTimeAsync(0);
    expect(board.strokes).toHaveLength(0);
    expect(board.notice?.key).toBe('drawing.boardFull');
    const shown = board.notice!.id;

    const before = sent.length;
    board.continueStroke(1, [{ x: 30, y: 30 }]);
    board.endStroke(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(sent.length).toBe(before);
    // The one message stays; no second one for the same stroke.
    expect(board.notice?.id).toBe(shown);
  });

  it('brings a stroke refused part-way back to the points the server took, and finishes it there', async () => {
    const { board, sent, refuse } = setUp();
    board.reset('g1', view());
    board.beginStroke(1, { x: 10, y: 10 });
    board.continueStroke(1, [{ x: 11, y: 10 }]);
    await vi.advanceTimersByTimeAsync(60);
    refuse('extendStroke', 'drawing-too-fast');
    board.continueStroke(1, [{ x: 12, y: 10 }]);
    await vi.advanceTimersByTimeAsync(60);
    board.continueStroke(1, [{ x: 13, y: 10 }]);
    await vi.advanceTimersByTimeAsync(500);

    expect(board.notice?.key).toBe('drawing.tooFast');
    expect(board.strokes[0]).toMatchObject({ points: [10, 10, 11, 10], done: true });
    const batches = extends_(sent);
    expect(batches.map((entry) => [entry.payload.points, entry.payload.done])).toEqual([
      [[11, 10], false],
      [[12, 10], false],
      [[], true],
    ]);
  });

  it('shows the stroke-too-long message in the person’s words', async () => {
    const { board, refuse } = setUp();
    board.reset('g1', view());
    refuse('extendStroke', 'stroke-too-long');
    board.beginStroke(1, { x: 10, y: 10 });
    board.continueStroke(1, [{ x: 50, y: 50 }]);
    await vi.advanceTimersByTimeAsync(100);
    expect(board.notice?.key).toBe('drawing.lineTooLong');
  });

  it('stays quiet when the connection dropped (the call shows that), and says "too fast" for a storm of taps', async () => {
    const { board, answerNext } = setUp();
    board.reset('g1', view());
    answerNext('startStroke', () => {
      throw new RequestError('startStroke', 'disconnected', 'not connected');
    });
    board.beginStroke(1, { x: 10, y: 10 });
    await vi.advanceTimersByTimeAsync(0);
    expect(board.strokes).toHaveLength(0);
    expect(board.notice).toBeNull();
    answerNext('startStroke', () => {
      throw new RequestError('startStroke', 'rate-limited', 'slow down');
    });
    board.beginStroke(2, { x: 10, y: 10 });
    await vi.advanceTimersByTimeAsync(0);
    expect(board.notice?.key).toBe('drawing.tooFast');
  });

  it('takes the message away by itself after a while', async () => {
    const { board, refuse } = setUp();
    board.reset('g1', view());
    refuse('startStroke', 'strokes-per-person');
    board.beginStroke(1, { x: 10, y: 10 });
    await vi.advanceTimersByTimeAsync(0);
    expect(board.notice?.key).toBe('drawing.tooManyLines');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(board.notice).toBeNull();
  });
});

describe('drawing board: undo, clear and the server’s state', () => {
  it('undoes this person’s last stroke when the server says which', async () => {
    const { board, sent, answerNext, setStrokeIds } = setUp();
    setStrokeIds(2);
    board.reset('g1', view([{ strokeId: 1, by: 'other', colour: 'red', size: 'large', points: [1, 1], done: true }]));
    expect(board.canUndo).toBe(false);
    board.beginStroke(1, { x: 5, y: 5 });
    board.endStroke(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(board.canUndo).toBe(true);
    const ownId = board.strokes.find((stroke) => stroke.by === 'me')!.strokeId!;
    answerNext('undoStroke', () => ({ strokeId: ownId }));
    await board.undo();
    expect(sent.at(-1)).toMatchObject({ name: 'undoStroke', payload: {} });
    expect(board.strokes.map((stroke) => stroke.by)).toEqual(['other']);
    expect(board.canUndo).toBe(false);
  });

  it('replaces everything with a new board, and no longer draws the finger that was drawing on the old one', async () => {
    const { board, sent } = setUp();
    board.reset('g1', view([{ strokeId: 4, by: 'other', colour: 'red', size: 'large', points: [1, 1], done: true }]));
    board.beginStroke(1, { x: 5, y: 5 });
    await vi.advanceTimersByTimeAsync(10);
    board.reset('g2', view([{ strokeId: 1, by: 'other', colour: 'blue', size: 'medium', points: [9, 9], done: true }]));
    expect(board.strokes.map((stroke) => [stroke.strokeId, stroke.colour])).toEqual([[1, 'blue']]);
    const before = sent.length;
    board.continueStroke(1, [{ x: 50, y: 50 }]);
    board.endStroke(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(sent.length).toBe(before);
    expect(board.strokes).toHaveLength(1);
  });

  it('keeps its own stroke being drawn when the same board comes back (cleared, or after a blip)', async () => {
    const { board } = setUp();
    board.reset('g1', view());
    board.beginStroke(1, { x: 5, y: 5 });
    await vi.advanceTimersByTimeAsync(0);
    board.continueStroke(1, [{ x: 6, y: 6 }]);
    board.reset('g1', view([{ strokeId: 1, by: 'me', colour: 'black', size: 'medium', points: [5, 5], done: false }]));
    expect(board.strokes).toHaveLength(1);
    expect(board.strokes[0]!.points).toEqual([5, 5, 6, 6]);
    board.reset('g1', view());
    expect(board.strokes).toHaveLength(0);
  });

  it('empties the board after the server cleared it', async () => {
    const { board, sent } = setUp();
    board.reset('g1', view([{ strokeId: 1, by: 'other', colour: 'red', size: 'large', points: [1, 1], done: true }]));
    await board.clearBoard();
    expect(sent.map((entry) => entry.name)).toEqual(['clearBoard']);
    expect(board.strokes).toHaveLength(0);
  });
});

describe('drawing board: other people’s strokes', () => {
  it('shows strokes as they are drawn, in the server’s order, and removes an undone one', () => {
    const { board, notify } = setUp();
    board.reset('g1', view());
    notify('strokeStarted', { gameId: 'g1', stroke: { strokeId: 3, by: 'b', colour: 'green', size: 'large', points: [1, 2], done: false } });
    notify('strokeStarted', { gameId: 'g1', stroke: { strokeId: 2, by: 'a', colour: 'red', size: 'large', points: [5, 5], done: false } });
    notify('strokeExtended', { gameId: 'g1', strokeId: 3, points: [3, 4, 5, 6], done: true });
    expect(board.strokes.map((stroke) => stroke.strokeId)).toEqual([2, 3]);
    expect(board.strokes[1]).toMatchObject({ points: [1, 2, 3, 4, 5, 6], done: true });
    notify('strokeRemoved', { gameId: 'g1', strokeId: 2 });
    expect(board.strokes.map((stroke) => stroke.strokeId)).toEqual([3]);
  });

  it('ignores strokes of another board (one that has ended or been replaced)', () => {
    const { board, notify } = setUp();
    board.reset('g1', view([{ strokeId: 1, by: 'a', colour: 'red', size: 'large', points: [5, 5], done: false }]));
    const revision = board.revision;
    notify('strokeStarted', { gameId: 'old', stroke: { strokeId: 9, by: 'b', colour: 'green', size: 'large', points: [1, 2], done: false } });
    notify('strokeExtended', { gameId: 'old', strokeId: 1, points: [7, 7], done: true });
    notify('strokeRemoved', { gameId: 'old', strokeId: 1 });
    expect(board.strokes).toHaveLength(1);
    expect(board.strokes[0]).toMatchObject({ strokeId: 1, points: [5, 5], done: false });
    expect(board.revision).toBe(revision);
  });

  it('sends nothing more once the board closes mid-stroke (leaving the call): the batch timer stops', async () => {
    const { board, sent } = setUp();
    board.reset('g1', view());
    board.beginStroke(1, { x: 10, y: 10 });
    board.continueStroke(1, [{ x: 11, y: 10 }]);
    expect(sent.map((entry) => entry.name)).toEqual(['startStroke']);
    expect(vi.getTimerCount()).toBe(1);
    board.clear();
    expect(vi.getTimerCount()).toBe(0);
    board.continueStroke(1, [{ x: 12, y: 10 }]);
    board.endStroke(1);
    await vi.advanceTimersByTimeAsync(10 * BATCH_INTERVAL_MS);
    expect(sent.map((entry) => entry.name)).toEqual(['startStroke']);
  });

  it('stops following when told to, and forgets everything when the board closes', () => {
    const { board, notify, stop } = setUp();
    board.reset('g1', view());
    board.clear();
    expect(board.gameId).toBeNull();
    notify('strokeStarted', { gameId: 'g1', stroke: { strokeId: 1, by: 'b', colour: 'green', size: 'large', points: [1, 2], done: false } });
    expect(board.strokes).toHaveLength(0);
    stop();
    board.reset('g1', view());
    notify('strokeStarted', { gameId: 'g1', stroke: { strokeId: 1, by: 'b', colour: 'green', size: 'large', points: [1, 2], done: false } });
    expect(board.strokes).toHaveLength(0);
  });

  it('paints the drawer’s stroke and the same stroke received on another screen with the same outline', async () => {
    const drawer = setUp('me');
    const watcher = setUp('you');
    drawer.board.reset('g1', view());
    watcher.board.reset('g1', view());
    drawer.board.size = 'large';
    drawer.board.colour = 'purple';
    drawer.board.beginStroke(1, { x: 100.2, y: 100.7 });
    for (let step = 1; step <= 60; step++) {
      await vi.advanceTimersByTimeAsync(7);
      drawer.board.continueStroke(1, [{ x: 100 + step * 9.3, y: 100 + 300 * Math.sin(step / 8) ** 2 }]);
    }
    drawer.board.endStroke(1);
    await vi.advanceTimersByTimeAsync(500);

    // What the server would pass on: the start, then each batch as it came.
    const [start, ...rest] = drawer.sent;
    const { key: _key, ...startPayload } = start!.payload as { key: number; colour: 'purple'; size: 'large'; points: number[] };
    watcher.notify('strokeStarted', { gameId: 'g1', stroke: { strokeId: 1, by: 'me', ...startPayload, done: false } });
    for (const batch of rest) watcher.notify('strokeExtended', { gameId: 'g1', strokeId: 1, points: batch.payload.points, done: batch.payload.done });

    const mine = drawer.board.strokes[0]!;
    const theirs = watcher.board.strokes[0]!;
    expect(theirs.points).toEqual(mine.points);
    expect(theirs.done).toBe(true);
    expect(strokeOutline(theirs.points, theirs.size, theirs.done)).toEqual(strokeOutline(mine.points, mine.size, mine.done));
  });
});
