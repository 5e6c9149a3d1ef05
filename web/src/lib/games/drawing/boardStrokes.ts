import type { BrushColour, BrushSize, Stroke } from '@tupa/signaling/protocol';

// The strokes one screen shows, in the order every screen paints them: the server's order
// (strokeId), then this tab's own new strokes still waiting for their id, in the order they
// were begun. The eraser paints white, so order is part of the picture.

/** One stroke as the board paints it. */
export interface BoardStroke {
  /** The server's id; null while this tab's own new stroke waits for it. */
  readonly strokeId: number | null;
  readonly by: string;
  readonly colour: BrushColour;
  readonly size: BrushSize;
  /** x and y in turn, whole board units. */
  readonly points: readonly number[];
  /** The finger is lifted: the line gets its finished end. */
  readonly done: boolean;
  /** Rises with every change to this stroke, so a picture of it cached earlier is known stale. */
  readonly revision: number;
}

/** A stroke the board holds; changed in place (a moving finger adds points 60+ times a second). */
export class StrokeRecord implements BoardStroke {
  strokeId: number | null;
  readonly by: string;
  readonly colour: BrushColour;
  readonly size: BrushSize;
  points: number[];
  done: boolean;
  revision = 0;

  constructor(stroke: Omit<Stroke, 'strokeId'> & { strokeId: number | null }) {
    this.strokeId = stroke.strokeId;
    this.by = stroke.by;
    this.colour = stroke.colour;
    this.size = stroke.size;
    this.points = [...stroke.points];
    this.done = stroke.done;
  }

  /** Marks a change, for whoever caches a picture of this stroke. */
  touch(): void {
    this.revision++;
  }
}

/** The board's strokes: by server id, plus own strokes waiting for theirs. */
export class BoardStrokes<R extends StrokeRecord = StrokeRecord> {
  readonly #byId = new Map<number, R>();
  readonly #waiting: R[] = [];
  #ordered: R[] | null = null;

  /** Every stroke in painting order (cached until the set or an id changes). */
  ordered(): readonly R[] {
    if (!this.#ordered) {
      const known = [...this.#byId.values()].sort((a, b) => a.strokeId! - b.strokeId!);
      this.#ordered = [...known, ...this.#waiting];
    }
    return this.#ordered;
  }

  get size(): number {
    return this.#byId.size + this.#waiting.length;
  }

  byId(strokeId: number): R | undefined {
    return this.#byId.get(strokeId);
  }

  has(record: R): boolean {
    return record.strokeId === null ? this.#waiting.includes(record) : this.#byId.get(record.strokeId) === record;
  }

  /** Adds a stroke (one without an id goes after all the others); a stroke with the same id is replaced. */
  add(record: R): void {
    if (record.strokeId === null) this.#waiting.push(record);
    else this.#byId.set(record.strokeId, record);
    this.#ordered = null;
  }

  /** Gives a waiting stroke its server id; returns the stroke it displaces (an echo of it), if any. */
  assignId(record: R, strokeId: number): R | undefined {
    const index = this.#waiting.indexOf(record);
    if (index >= 0) this.#waiting.splice(index, 1);
    const displaced = this.#byId.get(strokeId);
    record.strokeId = strokeId;
    this.#byId.set(strokeId, record);
    this.#ordered = null;
    return displaced === record ? undefined : displaced;
  }

  remove(record: R): void {
    if (record.strokeId === null) {
      const index = this.#waiting.indexOf(record);
      if (index >= 0) this.#waiting.splice(index, 1);
    } else if (this.#byId.get(record.strokeId) === record) {
      this.#byId.delete(record.strokeId);
    }
    this.#ordered = null;
  }

  /** Forgets every stroke that `keep` does not keep. */
  retain(keep: (record: R) => boolean): void {
    for (const [id, record] of this.#byId) if (!keep(record)) this.#byId.delete(id);
    for (let index = this.#waiting.length - 1; index >= 0; index--) if (!keep(this.#waiting[index]!)) this.#waiting.splice(index, 1);
    this.#ordered = null;
  }
}
