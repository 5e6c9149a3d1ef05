import { sameSecret } from './secrets.ts';

/** Why a place ended that a returning tab should hear about (not "away too long"). */
export type PlaceEnding = 'removed-by-host' | 'lobby-denied' | 'session-ended';

/** Most endings remembered at once; the oldest give way (a tab then hears only "place gone"). */
const MAX_REMEMBERED = 10_000;

/**
 * Places that ended while their tab may have been away: a host removed the person or turned
 * them away from the lobby, or the session ended. The tab's own connection was told, but if it
 * was down at that moment, its resume would otherwise hear only "place gone, join again", and
 * "Join again" would lead the person back to a door that is closed to them. Each ending is kept
 * for the reconnect grace period (after it the place would be gone anyway), and told only to
 * the holder of the place's resume secret.
 */
export class EndedPlaces {
  readonly #ended = new Map<string, { secret: string; ending: PlaceEnding; until: number }>();
  readonly #keepMs: number;
  readonly #now: () => number;

  constructor(keepMs: number, now: () => number = Date.now) {
    this.#keepMs = keepMs;
    this.#now = now;
  }

  get size(): number {
    return this.#ended.size;
  }

  remember(peerId: string, secret: string, ending: PlaceEnding): void {
    if (this.#keepMs <= 0) return;
    this.#forgetExpired();
    this.#ended.delete(peerId);
    this.#ended.set(peerId, { secret, ending, until: this.#now() + this.#keepMs });
    // A Map iterates in insertion order: the first key is the oldest.
    if (this.#ended.size > MAX_REMEMBERED) this.#ended.delete(this.#ended.keys().next().value!);
  }

  /** How the place `peerId` ended, for the holder of its secret; undefined when unknown or expired. */
  endingOf(peerId: string, secret: string): PlaceEnding | undefined {
    const entry = this.#ended.get(peerId);
    if (!entry || entry.until < this.#now() || !sameSecret(entry.secret, secret)) return undefined;
    return entry.ending;
  }

  #forgetExpired(): void {
    const now = this.#now();
    for (const [peerId, entry] of this.#ended) {
      if (entry.until >= now) break; // later entries expire later
      this.#ended.delete(peerId);
    }
  }
}
