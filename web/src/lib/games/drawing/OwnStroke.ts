import type { BrushColour, BrushSize } from '@tupa/signaling/protocol';
import { StrokeRecord } from './boardStrokes.ts';

/** Points sent in one startStroke or extendStroke message, and what became of them. */
export interface SentBatch {
  readonly values: readonly number[];
  /** The message said the finger lifted. */
  readonly done: boolean;
  state: 'sending' | 'accepted' | 'refused';
}

/**
 * A stroke this tab draws: shown at once, sent in batches, and brought back to what the server
 * took when part of it is refused, so every screen ends up with the same line.
 */
export class OwnStroke extends StrokeRecord {
  /** The tab's own number for it (`startStroke`'s key), known before the server's id. */
  readonly key: number;
  /** How many values of `points` have been sent (the rest wait for the next batch). */
  sent = 0;
  readonly batches: SentBatch[] = [];
  /** A message with `done` went out. */
  doneSent = false;
  /** A message with `done` was accepted: the server's copy is finished. */
  doneAccepted = false;
  /** Part of it was refused: nothing more is sent but the closing `done`. */
  failed = false;
  /** The closing `done` after a refusal went out. */
  closingSent = false;
  /** Taken off the board (refused at the start, undone, cleared): later replies change nothing. */
  dead = false;
  /** When a batch of it was last sent (ms, performance.now()), so two fingers take turns. */
  servedAt = Number.NEGATIVE_INFINITY;

  constructor(stroke: { key: number; by: string; colour: BrushColour; size: BrushSize }) {
    super({ strokeId: null, by: stroke.by, colour: stroke.colour, size: stroke.size, points: [], done: false });
    this.key = stroke.key;
  }

  /** Every message sent for it has been answered. */
  get settled(): boolean {
    return this.batches.every((batch) => batch.state !== 'sending');
  }

  /** Being drawn, or with messages still to send or to be answered. */
  get live(): boolean {
    return !this.dead && (!this.done || !this.settled || this.wantsToSend);
  }

  /** It has a message to send now: new points, the lifted finger, or the closing `done` after a refusal. */
  get wantsToSend(): boolean {
    if (this.dead) return false;
    if (this.failed) return this.settled && !this.doneAccepted && !this.closingSent;
    return this.sent < this.points.length || (this.done && !this.doneSent);
  }

  /** The points the server took: the accepted batches, in order. */
  acceptedPoints(): number[] {
    return this.batches.filter((batch) => batch.state === 'accepted').flatMap((batch) => batch.values);
  }

  /** Takes it off the board for good: finished, nothing more to send. */
  kill(): void {
    this.dead = true;
    this.done = true;
    this.failed = true;
  }
}
