import type { CallMedia } from './CallMedia.ts';
import { LinkSampler } from './linkStats.ts';
import { WeakLinkDetector, levelFromSample, levelFromScore, worstLevel, type LinkLevel } from './quality.ts';

/** How often the browser's statistics are read. */
const SAMPLE_INTERVAL_MS = 2_000;
/** After "not now", the suggestion stays away this long. */
const SUGGESTION_QUIET_MS = 10 * 60_000;

/**
 * This tab's own link: the server's score for how well its media arrives, and the browser's
 * statistics for round trip, loss and outgoing bitrate. When it has been very weak for a while
 * it suggests sound only; it never switches anything by itself.
 */
export class LinkMonitor {
  /** How well this tab's media gets through, once anything is known. */
  level = $state<LinkLevel | undefined>(undefined);
  /** Whether to offer sound only now. */
  suggestSoundOnly = $state(false);

  readonly #media: () => CallMedia | null;
  readonly #soundOnly: () => boolean;
  readonly #sampler = new LinkSampler();
  readonly #detector = new WeakLinkDetector();
  #serverLevel: LinkLevel | undefined;
  #statsLevel: LinkLevel | undefined;
  #quietUntil = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #sampling = false;

  constructor(media: () => CallMedia | null, soundOnly: () => boolean) {
    this.#media = media;
    this.#soundOnly = soundOnly;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.#sample(), SAMPLE_INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#serverLevel = undefined;
    this.#statsLevel = undefined;
    this.level = undefined;
    this.suggestSoundOnly = false;
    this.#detector.reset();
  }

  /** The server's latest score for this tab. */
  setServerScore(score: number): void {
    this.#serverLevel = levelFromScore(score);
    this.#update();
  }

  /** "Not now", or sound only was switched on: no suggestion for a good while. */
  dismiss(): void {
    this.suggestSoundOnly = false;
    this.#quietUntil = Date.now() + SUGGESTION_QUIET_MS;
    this.#detector.reset();
  }

  async #sample(): Promise<void> {
    const media = this.#media();
    if (!media || media.closed || this.#sampling) return;
    this.#sampling = true;
    try {
      const { send, recv } = await media.stats();
      const sample = this.#sampler.sample(send?.values() ?? null, recv?.values() ?? null, media.sendingVideo);
      this.#statsLevel = levelFromSample(sample);
      this.#update();
    } finally {
      this.#sampling = false;
    }
  }

  #update(): void {
    this.level = worstLevel(this.#serverLevel, this.#statsLevel);
    const now = Date.now();
    const weakForLong = this.#detector.update(this.level, now);
    this.suggestSoundOnly = weakForLong && !this.#soundOnly() && now >= this.#quietUntil;
  }
}
