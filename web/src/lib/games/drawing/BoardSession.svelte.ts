import {
  DRAWING_LIMITS,
  type BrushColour,
  type BrushSize,
  type DrawingView,
  type NotificationName,
  type NotificationPayload,
  type ReplyData,
  type RequestPayload,
} from '@tupa/signaling/protocol';
import type { MessageKey } from '#lib/i18n/en.ts';
import { BoardStrokes, StrokeRecord, type BoardStroke } from './boardStrokes.ts';
import { OwnStroke, type SentBatch } from './OwnStroke.ts';
import { appendPoints, type BoardPoint } from './points.ts';
import { failureMessage, failureOf } from './refusals.ts';

/** Points after a stroke's first go out at most this often (ms), for the whole tab. */
export const BATCH_INTERVAL_MS = 50;
/** How long a message stays on the board (ms), unless tapped away sooner. */
export const NOTICE_MS = 6000;

export type DrawingRequestName = 'startStroke' | 'extendStroke' | 'undoStroke' | 'clearBoard';

export interface BoardSessionOptions {
  request<K extends DrawingRequestName>(name: K, payload: RequestPayload<K>): Promise<ReplyData<K>>;
  /** This tab's own peer id, once joined. */
  selfId(): string | null;
}

/** The notifications the board follows; `on` returns the function that stops listening. */
export interface BoardNotifications {
  on<K extends NotificationName>(name: K, handler: (payload: NotificationPayload<K>) => void): () => void;
}

/** A message shown on the board; `id` tells two equal messages apart. */
export interface BoardNotice {
  id: number;
  key: MessageKey;
  /** Something done (a picture saved), not a problem: shown with a tick, not a "!". */
  done?: boolean;
}

const KEY_LIMIT = 2 ** 31 - 1;
// Per tab, not per board: rising across boards, and starting at a random place so that a tab
// reloaded under the same peer id does not reuse the key of a stroke the server still holds.
let nextKey = Math.floor(Math.random() * 2 ** 30);

function takeKey(): number {
  const key = nextKey;
  nextKey = nextKey >= KEY_LIMIT ? 0 : nextKey + 1;
  return key;
}

/**
 * The room's drawing board as this tab sees it: everyone's strokes in the server's order, this
 * tab's own strokes drawn at once and sent in batches (the first points with `startStroke`,
 * then at most one `extendStroke` per BATCH_INTERVAL_MS for the whole tab, each with at most
 * DRAWING_LIMITS.pointsPerBatch points), undo and clear, and the message to show when the
 * server refuses something. A refused stroke is taken back to what the server kept, so every
 * screen shows the same picture.
 */
export class BoardSession {
  /** The paint for the next stroke. */
  colour = $state<BrushColour>('black');
  /** The brush width for the next stroke. */
  size = $state<BrushSize>('medium');
  /** Rises with every change to the strokes: the canvas repaints when it does. */
  revision = $state(0);
  /** The message shown on the board, if any. */
  notice = $state.raw<BoardNotice | null>(null);
  #gameId = $state<string | null>(null);

  readonly #options: BoardSessionOptions;
  readonly #strokes = new BoardStrokes<StrokeRecord>();
  /** Own strokes that may still send or be answered, by key. */
  readonly #own = new Map<number, OwnStroke>();
  /** Which stroke each finger (pointer id) draws. */
  readonly #pointers = new Map<number, OwnStroke>();
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #noticeTimer: ReturnType<typeof setTimeout> | null = null;
  #noticeIds = 0;

  constructor(options: BoardSessionOptions) {
    this.#options = options;
  }

  /** The board shown, or null when none is open. */
  get gameId(): string | null {
    return this.#gameId;
  }

  /** Every stroke in painting order; read `revision` to follow changes. */
  get strokes(): readonly BoardStroke[] {
    return this.#strokes.ordered();
  }

  /** Whether this tab has a stroke on the board to take back. */
  get canUndo(): boolean {
    void this.revision;
    const self = this.#options.selfId();
    return this.#strokes.ordered().some((stroke) => (stroke instanceof OwnStroke ? !stroke.dead : self !== null && stroke.by === self));
  }

  /**
   * A board opened, was cleared, or came back after a reconnect: shows `view`'s strokes instead
   * of everything before. On the same board, own strokes still being drawn stay as this screen
   * has them (the server may not have their last points yet) if the server still has them, or
   * has not yet answered their start (it will take them after whatever `view` shows).
   */
  reset(gameId: string, view: DrawingView): void {
    const sameBoard = gameId === this.#gameId;
    this.#gameId = gameId;
    const incoming = new Set(view.strokes.map((stroke) => stroke.strokeId));
    const keep = (record: StrokeRecord) =>
      sameBoard && record instanceof OwnStroke && record.live && (record.strokeId === null || incoming.has(record.strokeId));
    for (const own of this.#own.values()) {
      if (!keep(own)) this.#forgetOwn(own);
    }
    this.#strokes.retain(keep);
    for (const stroke of view.strokes) {
      if (!this.#strokes.byId(stroke.strokeId)) this.#strokes.add(new StrokeRecord(stroke));
    }
    this.#changed();
  }

  /** Follows other people's strokes; returns the function that stops following. */
  listen(notifications: BoardNotifications): () => void {
    const stops = [
      notifications.on('strokeStarted', ({ gameId, stroke }) => {
        if (gameId !== this.#gameId || this.#strokes.byId(stroke.strokeId)) return;
        this.#strokes.add(new StrokeRecord(stroke));
        this.#changed();
      }),
      notifications.on('strokeExtended', ({ gameId, strokeId, points, done }) => {
        if (gameId !== this.#gameId) return;
        const stroke = this.#strokes.byId(strokeId);
        // Own strokes are drawn from this tab's own points, never from an echo.
        if (!stroke || stroke instanceof OwnStroke) return;
        for (const value of points) stroke.points.push(value);
        stroke.done ||= done;
        stroke.touch();
        this.#changed();
      }),
      notifications.on('strokeRemoved', ({ gameId, strokeId }) => {
        if (gameId !== this.#gameId) return;
        this.#removeId(strokeId);
      }),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }

  /** The board closed: forgets everything and stops its timers. */
  clear(): void {
    this.#gameId = null;
    for (const own of this.#own.values()) own.kill();
    this.#own.clear();
    this.#pointers.clear();
    this.#strokes.retain(() => false);
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.dismissNotice();
    this.#changed();
  }

  // --- drawing ----------------------------------------------------------------------------------

  /** A finger (`pointerId`) touched the board at `point` (board units): a new stroke, sent at once. */
  beginStroke(pointerId: number, point: BoardPoint): void {
    if (this.#gameId === null) return;
    this.endStroke(pointerId);
    const stroke = new OwnStroke({ key: takeKey(), by: this.#options.selfId() ?? '', colour: this.colour, size: this.size });
    appendPoints(stroke.points, [point]);
    this.#strokes.add(stroke);
    this.#own.set(stroke.key, stroke);
    this.#pointers.set(pointerId, stroke);
    this.#sendStart(stroke);
    this.#changed();
  }

  /** The finger moved through `points` (board units, oldest first). */
  continueStroke(pointerId: number, points: readonly BoardPoint[]): void {
    const stroke = this.#pointers.get(pointerId);
    if (!stroke || stroke.done) return;
    if (appendPoints(stroke.points, points) === 0) return;
    stroke.touch();
    this.#schedule();
    this.#changed();
  }

  /** The finger lifted (or the browser took the pointer away): the stroke is finished. */
  endStroke(pointerId: number): void {
    const stroke = this.#pointers.get(pointerId);
    this.#pointers.delete(pointerId);
    if (!stroke || stroke.done) return;
    stroke.done = true;
    stroke.touch();
    this.#schedule();
    this.#changed();
  }

  /** Takes back this person's last stroke, for everyone. */
  async undo(): Promise<void> {
    const gameId = this.#gameId;
    if (gameId === null) return;
    try {
      const { strokeId } = await this.#options.request('undoStroke', { gameId });
      if (this.#gameId === gameId) this.#removeId(strokeId);
    } catch (error) {
      this.#show(failureMessage(failureOf(error)));
    }
  }

  /** Empties the board for everyone (offered to whoever may clear it). */
  async clearBoard(): Promise<void> {
    const gameId = this.#gameId;
    if (gameId === null) return;
    try {
      await this.#options.request('clearBoard', { gameId });
    } catch (error) {
      this.#show(failureMessage(failureOf(error)));
      return;
    }
    if (this.#gameId !== gameId) return;
    // Strokes whose start is still unanswered reach the server after the clear, so they stay.
    const keep = (record: StrokeRecord) => record instanceof OwnStroke && record.strokeId === null && !record.dead;
    for (const own of this.#own.values()) if (!keep(own)) this.#forgetOwn(own);
    this.#strokes.retain(keep);
    this.#changed();
  }

  dismissNotice(): void {
    if (this.#noticeTimer !== null) clearTimeout(this.#noticeTimer);
    this.#noticeTimer = null;
    this.notice = null;
  }

  // --- sending ----------------------------------------------------------------------------------

  #sendStart(stroke: OwnStroke): void {
    // Strokes are drawn only on an open board; each request names it, so none lands on the next.
    const gameId = this.#gameId;
    if (gameId === null) return;
    const values = [...stroke.points];
    stroke.sent = values.length;
    const batch = this.#batch(stroke, values, false);
    this.#options
      .request('startStroke', { gameId, key: stroke.key, colour: stroke.colour, size: stroke.size, points: values })
      .then(
        ({ strokeId }) => {
          batch.state = 'accepted';
          if (stroke.dead) return;
          this.#strokes.assignId(stroke, strokeId);
          this.#settle(stroke);
          this.#changed();
        },
        (error: unknown) => {
          batch.state = 'refused';
          this.#refused(stroke, error, true);
        },
      );
  }

  #sendNext(stroke: OwnStroke): void {
    const gameId = this.#gameId;
    if (gameId === null) return;
    let values: number[];
    let done: boolean;
    if (stroke.failed) {
      // The closing message after a refusal: the server's copy is finished as it is.
      stroke.closingSent = true;
      values = [];
      done = true;
    } else {
      const end = Math.min(stroke.points.length, stroke.sent + DRAWING_LIMITS.pointsPerBatch * 2);
      values = stroke.points.slice(stroke.sent, end);
      stroke.sent = end;
      done = stroke.done && end === stroke.points.length;
      if (done) stroke.doneSent = true;
    }
    const batch = this.#batch(stroke, values, done);
    this.#options.request('extendStroke', { gameId, key: stroke.key, points: values, done }).then(
      () => {
        batch.state = 'accepted';
        if (done) stroke.doneAccepted = true;
        this.#settle(stroke);
      },
      (error: unknown) => {
        batch.state = 'refused';
        this.#refused(stroke, error, false);
      },
    );
  }

  #batch(stroke: OwnStroke, values: readonly number[], done: boolean): SentBatch {
    const batch: SentBatch = { values, done, state: 'sending' };
    stroke.batches.push(batch);
    // The monotonic clock: a jump of the wall clock (a corrected time, a time zone) must not
    // hold the next batch back for the length of the jump.
    this.#lastSentAt = performance.now();
    stroke.servedAt = this.#lastSentAt;
    return batch;
  }

  /** Sets the timer for the next batch, BATCH_INTERVAL_MS after the last message, if anything waits. */
  #schedule(): void {
    if (this.#timer !== null) return;
    let waiting = false;
    for (const stroke of this.#own.values()) waiting ||= stroke.wantsToSend;
    if (!waiting) return;
    const delay = Math.max(0, this.#lastSentAt + BATCH_INTERVAL_MS - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#flush();
    }, delay);
  }

  /** Sends one batch: of the stroke served longest ago, so two fingers take turns. */
  #flush(): void {
    let next: OwnStroke | null = null;
    for (const stroke of this.#own.values()) {
      if (stroke.wantsToSend && (!next || stroke.servedAt < next.servedAt)) next = stroke;
    }
    if (next) this.#sendNext(next);
    this.#schedule();
  }

  /** A reply came: once a stroke has nothing left to send or hear, it is no longer tracked. */
  #settle(stroke: OwnStroke): void {
    if (stroke.dead || !stroke.settled) return;
    if (stroke.failed) {
      const accepted = stroke.acceptedPoints();
      if (accepted.length !== stroke.points.length || accepted.some((value, index) => value !== stroke.points[index])) {
        stroke.points = accepted;
        stroke.touch();
        this.#changed();
      }
    }
    if (stroke.wantsToSend) this.#schedule();
    else if (stroke.done && (stroke.doneAccepted || stroke.closingSent)) this.#own.delete(stroke.key);
  }

  #refused(stroke: OwnStroke, error: unknown, atStart: boolean): void {
    if (stroke.dead) return;
    const failure = failureOf(error);
    const firstFailure = !stroke.failed;
    if (atStart || failure.reason === 'stroke-not-found') {
      // The server has no such stroke: take it off this screen too.
      this.#forgetOwn(stroke);
      this.#strokes.remove(stroke);
      this.#changed();
    } else {
      if (firstFailure) {
        stroke.failed = true;
        // Points not yet sent never will be; the finger's further moves are not drawn.
        stroke.points.length = stroke.sent;
        stroke.done = true;
        stroke.touch();
        this.#changed();
      }
      this.#settle(stroke);
    }
    if (firstFailure) this.#show(failureMessage(failure));
  }

  #removeId(strokeId: number): void {
    const record = this.#strokes.byId(strokeId);
    if (!record) return;
    if (record instanceof OwnStroke) this.#forgetOwn(record);
    this.#strokes.remove(record);
    this.#changed();
  }

  #forgetOwn(stroke: OwnStroke): void {
    stroke.kill();
    this.#own.delete(stroke.key);
    for (const [pointerId, drawn] of this.#pointers) if (drawn === stroke) this.#pointers.delete(pointerId);
  }

  /** Says on the board, for a few seconds, that something was done (the picture saved). */
  tellDone(key: MessageKey): void {
    this.#show(key, true);
  }

  #show(key: MessageKey | null, done = false): void {
    if (!key) return;
    if (this.#noticeTimer !== null) clearTimeout(this.#noticeTimer);
    const id = ++this.#noticeIds;
    this.notice = done ? { id, key, done } : { id, key };
    this.#noticeTimer = setTimeout(() => {
      this.#noticeTimer = null;
      if (this.notice?.id === id) this.notice = null;
    }, NOTICE_MS);
  }

  #changed(): void {
    this.revision++;
  }
}
