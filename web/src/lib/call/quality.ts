// How well a participant's connection works, in the three words people are shown: good, weak,
// very weak. Two sources feed it: the server's score (0-10) for how well someone's media reaches
// it, and, for this tab itself, the browser's own statistics (round-trip time, packet loss,
// the bitrate the sender may use).

export type LinkLevel = 'good' | 'weak' | 'very-weak';

const ORDER: Record<LinkLevel, number> = { good: 2, weak: 1, 'very-weak': 0 };

/** The server's 0-10 score in words: 7 and above is good, 4-6 weak, 3 and below very weak. */
export function levelFromScore(score: number): LinkLevel {
  if (score >= 7) return 'good';
  if (score >= 4) return 'weak';
  return 'very-weak';
}

/** The worse of two levels; an unknown level does not count. */
export function worstLevel(a: LinkLevel | undefined, b: LinkLevel | undefined): LinkLevel | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return ORDER[a] <= ORDER[b] ? a : b;
}

/** What the browser's statistics say about this tab's link, over the last sampling interval. */
export interface LinkSample {
  /** Round-trip time to the media server in milliseconds. */
  rttMs?: number;
  /** Share of packets lost, 0 to 1, the worse of sending and receiving. */
  lossFraction?: number;
  /** Bits per second the browser estimates it may send; only meaningful while sending video. */
  availableOutgoingBitrate?: number;
}

/**
 * The level the browser's statistics show. Very weak is what makes video fall apart (a sixth of
 * packets lost, most of a second round trip, or less than a thin video stream's bitrate).
 */
export function levelFromSample(sample: LinkSample): LinkLevel | undefined {
  const { rttMs, lossFraction, availableOutgoingBitrate } = sample;
  if (rttMs === undefined && lossFraction === undefined && availableOutgoingBitrate === undefined) return undefined;
  const rtt = rttMs ?? 0;
  const loss = lossFraction ?? 0;
  const bitrate = availableOutgoingBitrate ?? Infinity;
  if (rtt > 700 || loss > 0.15 || bitrate < 80_000) return 'very-weak';
  if (rtt > 300 || loss > 0.05 || bitrate < 250_000) return 'weak';
  return 'good';
}

/**
 * Decides when to suggest sound only: once the link has been very weak for `holdMs` without a
 * break. It only ever suggests; switching is the person's choice.
 */
export class WeakLinkDetector {
  readonly #holdMs: number;
  #since: number | null = null;

  constructor(holdMs = 10_000) {
    this.#holdMs = holdMs;
  }

  /** Feeds the latest level; returns true while it has been very weak for long enough. */
  update(level: LinkLevel | undefined, now: number): boolean {
    if (level !== 'very-weak') {
      this.#since = null;
      return false;
    }
    this.#since ??= now;
    return now - this.#since >= this.#holdMs;
  }

  reset(): void {
    this.#since = null;
  }
}
