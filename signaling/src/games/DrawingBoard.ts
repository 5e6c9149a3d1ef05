import { gameRefusal } from '../errors.ts';
import { DRAWING_LIMITS, type BrushColour, type BrushSize, type DrawingView, type Stroke } from '../protocol/index.ts';
import { TokenBucket } from '../TokenBucket.ts';

/** What one board and one person may hold: the protocol's DRAWING_LIMITS unless a test lowers them. */
export type DrawingLimits = { readonly [K in keyof typeof DRAWING_LIMITS]: number };

/** A stroke's start as the drawer's tab sends it; `points` flat (x, y, x, y, ...) in board units. */
export interface StrokeStart {
  key: number;
  colour: BrushColour;
  size: BrushSize;
  points: readonly number[];
}

/** More points of a stroke being drawn, as the others get them. */
export interface StrokeExtension {
  strokeId: number;
  points: number[];
  done: boolean;
}

/**
 * One shared drawing board: its strokes in the order the server took them, each with an id the
 * server gives (rising integers from 1 on this board), and which stroke each person's key names
 * while it is being drawn. Everything a person sends is held to `limits` (see DRAWING_LIMITS):
 * strokes and points on the board (`board-full`), strokes per person (`strokes-per-person`),
 * points per stroke (`stroke-too-long`) and points per second per person, a token bucket twice
 * the steady rate deep (`drawing-too-fast`). A refused request changes nothing and takes no
 * points from the person's budget. It sends nothing itself: RoomGames tells the room.
 */
export class DrawingBoard {
  readonly #limits: DrawingLimits;
  readonly #now: () => number;
  /** Every stroke on the board, in order. */
  #strokes: Stroke[] = [];
  /** "peerId key" -> the stroke that person is drawing under that key. */
  readonly #drawing = new Map<string, Stroke>();
  readonly #buckets = new Map<string, TokenBucket>();
  #points = 0;
  #lastId = 0;

  /** `now`: milliseconds, monotonic (performance.now), for the points-per-second budget. */
  constructor(limits: DrawingLimits = DRAWING_LIMITS, now: () => number = () => performance.now()) {
    this.#limits = limits;
    this.#now = now;
  }

  /** The board as everyone may see it (strokes being drawn too, with their points so far); copies. */
  view(): DrawingView {
    return { kind: 'drawing', strokes: this.#strokes.map((stroke) => ({ ...stroke, points: [...stroke.points] })) };
  }

  /** How many points (x, y pairs) the board holds. */
  get points(): number {
    return this.#points;
  }

  /**
   * `peerId` begins a stroke with its first points; returns it with its new id (a copy). A key
   * still drawing from before (a lost lift) is finished first: `finished` names it.
   */
  start(peerId: string, start: StrokeStart): { stroke: Stroke; finished: StrokeExtension | null } {
    const count = start.points.length / 2;
    if (this.#strokes.length >= this.#limits.strokesPerBoard || this.#points + count > this.#limits.pointsPerBoard) {
      throw gameRefusal('board-full', `the board holds ${this.#limits.strokesPerBoard} strokes and ${this.#limits.pointsPerBoard} points: a host or whoever opened it may clear it`);
    }
    if (this.#strokes.filter((stroke) => stroke.by === peerId).length >= this.#limits.strokesPerPerson) {
      throw gameRefusal('strokes-per-person', `one person may draw ${this.#limits.strokesPerPerson} strokes on one board`);
    }
    if (count > this.#limits.pointsPerStroke) throw tooLong(this.#limits);
    this.#spend(peerId, count);
    const key = drawingKey(peerId, start.key);
    const previous = this.#drawing.get(key);
    const finished = previous ? this.#finish(key, previous) : null;
    const stroke: Stroke = { strokeId: ++this.#lastId, by: peerId, colour: start.colour, size: start.size, points: [...start.points], done: false };
    this.#strokes.push(stroke);
    this.#drawing.set(key, stroke);
    this.#points += count;
    return { stroke: { ...stroke, points: [...stroke.points] }, finished };
  }

  /** More points of `peerId`'s stroke `key`; `done` when the finger lifts. A batch without points always fits. */
  extend(peerId: string, key: number, points: readonly number[], done: boolean): StrokeExtension {
    const stroke = this.#drawing.get(drawingKey(peerId, key));
    if (!stroke) throw gameRefusal('stroke-not-found');
    const count = points.length / 2;
    if (count > 0) {
      if (this.#points + count > this.#limits.pointsPerBoard) throw gameRefusal('board-full', `the board holds ${this.#limits.pointsPerBoard} points: a host or whoever opened it may clear it`);
      if (stroke.points.length / 2 + count > this.#limits.pointsPerStroke) throw tooLong(this.#limits);
      this.#spend(peerId, count);
      stroke.points.push(...points);
      this.#points += count;
    }
    if (done) this.#finish(drawingKey(peerId, key), stroke);
    return { strokeId: stroke.strokeId, points: [...points], done };
  }

  /** Takes back `peerId`'s last stroke on the board (finished or still being drawn); returns its id. */
  undo(peerId: string): number {
    const index = this.#strokes.findLastIndex((stroke) => stroke.by === peerId);
    const stroke = this.#strokes[index];
    if (!stroke) throw gameRefusal('nothing-to-undo');
    this.#strokes.splice(index, 1);
    this.#points -= stroke.points.length / 2;
    for (const [key, drawing] of this.#drawing) if (drawing === stroke) this.#drawing.delete(key);
    return stroke.strokeId;
  }

  /** Empties the board; strokes being drawn end with it (their next points are `stroke-not-found`). Ids go on rising. */
  clear(): void {
    this.#strokes = [];
    this.#drawing.clear();
    this.#points = 0;
  }

  /** `peerId` left for good: their strokes stay, and any they were drawing are finished (returned, for the others). */
  peerLeft(peerId: string): StrokeExtension[] {
    const finished: StrokeExtension[] = [];
    for (const [key, stroke] of this.#drawing) if (stroke.by === peerId) finished.push(this.#finish(key, stroke));
    this.#buckets.delete(peerId);
    return finished;
  }

  #finish(key: string, stroke: Stroke): StrokeExtension {
    stroke.done = true;
    this.#drawing.delete(key);
    return { strokeId: stroke.strokeId, points: [], done: true };
  }

  /** Takes `count` points from `peerId`'s budget, or refuses (nothing taken). */
  #spend(peerId: string, count: number): void {
    let bucket = this.#buckets.get(peerId);
    if (!bucket) {
      bucket = new TokenBucket(this.#limits.pointsPerSecond * 2, this.#limits.pointsPerSecond, this.#now);
      this.#buckets.set(peerId, bucket);
    }
    if (!bucket.take(count)) throw gameRefusal('drawing-too-fast', `at most ${this.#limits.pointsPerSecond} points a second: slow down`);
  }
}

function drawingKey(peerId: string, key: number): string {
  return `${peerId} ${key}`;
}

function tooLong(limits: DrawingLimits) {
  return gameRefusal('stroke-too-long', `a stroke holds at most ${limits.pointsPerStroke} points: lift the finger and draw on`);
}
