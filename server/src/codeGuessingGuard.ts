import { isIPv6 } from 'node:net';
import type { Logger } from 'pino';

/**
 * How many wrong codes cost nothing, how fast they are forgotten, and how long the waits after
 * them grow. Times in milliseconds.
 */
export interface FailureAllowance {
  /** Wrong codes that cost nothing. */
  free: number;
  /**
   * The time in which `free` wrong codes are forgotten, one at a time and evenly (a leaky
   * bucket): with 10 an hour, one is forgotten every 6 minutes.
   */
  forgetMs: number;
  /** The wait after the first wrong code beyond `free`; it doubles with each further one. */
  firstWaitMs: number;
  /** The longest wait. Keep it at least `forgetMs / free`, or the waits, not forgetting, set the pace. */
  maxWaitMs: number;
}

export interface CodeGuessingLimits {
  /** For one address (an IPv4 address, or the /64 network of an IPv6 one). */
  perAddress: FailureAllowance;
  /** For all addresses together: what a guesser spread over many addresses gets. */
  overall: FailureAllowance;
}

/**
 * The numbers, and why. A code is 10 characters from 31 (about 2^49.5, 8.2e14 codes). Because
 * wrong codes are forgotten at a steady rate and the longest wait is longer than that rate, a
 * guesser who keeps trying gets about `free` codes up front and then `free` per `forgetMs`:
 * here 100 an hour in all, however many addresses they use, about 876,000 a year. With 1,000
 * invitations valid at once, a 1% chance of hitting any one takes 8.2e9 guesses: about 9,400
 * years (10,000 live codes: 940 years). Against that, people at one address (a family centre
 * on one Wi-Fi) may make 10 typos an hour without ever waiting, and right codes never count. A
 * wait after a burst of typos stays short at first (1, 2, 4 ... seconds); for a guesser who
 * keeps going the waits settle where they meet the pace of forgetting (an address: 4 to 9
 * minutes, never past 10; everyone: 32 s to a minute). The overall waits fall on everyone's
 * typed codes, so they stop at one minute; links with tokens are never held back.
 */
export const DEFAULT_CODE_GUESSING_LIMITS: CodeGuessingLimits = {
  perAddress: { free: 10, forgetMs: 60 * 60_000, firstWaitMs: 1_000, maxWaitMs: 10 * 60_000 },
  overall: { free: 100, forgetMs: 60 * 60_000, firstWaitMs: 1_000, maxWaitMs: 60_000 },
};

/** What a guarded look-up came to: the thing found, no such thing (counted), or a wait (nothing looked up). */
export type GuardedLookUp<T> =
  | { outcome: 'found'; value: T }
  | { outcome: 'not-found' }
  | { outcome: 'wait'; retryAfterSeconds: number };

/** Failures of one address, or of all together. */
interface Bucket {
  /** Wrong codes not yet forgotten (fractional while forgetting), as of `at`. */
  level: number;
  at: number;
  /** Look-ups under way: counted as if they will fail until they are known, so a burst cannot slip past. */
  pending: number;
  /** No look-up before this time (ms); 0 when there is no wait. */
  waitUntil: number;
  /** Look-ups queued behind the pending ones at the edge of the allowance, woken when one settles. */
  waiters: Array<() => void>;
}

interface Reservation {
  bucket: Bucket;
  allowance: FailureAllowance;
}

/** Idle address entries are swept out at most this often; entries in use are never dropped. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Limits guessing of typed invitation codes while letting everyone who holds a right one in.
 * Only wrong codes count, per address and for all addresses together. After the free allowance,
 * each further wrong code makes its address (or, overall, everyone) wait before the next code
 * is looked up: 1 s, then 2 s, 4 s ... up to the allowance's longest wait. During a wait every
 * code is refused, right or wrong, so the answer tells a guesser nothing; refused tries are not
 * counted. Wrong codes are forgotten at a steady rate, so a few typos an hour never cause a wait.
 *
 * One guard serves every place a code is typed (the web page's check and joining a call), so a
 * guesser gets no second allowance from the other door, and a waiting address waits at both.
 *
 * A look-up is counted as wrong from the moment it begins until its answer is known; at the
 * edge of the allowance further look-ups queue behind those under way instead of starting, and
 * go on (or meet the wait a wrong one started) once those are known: otherwise a burst of
 * parallel guesses would all pass the check while the database answers. So right codes typed at
 * the same moment by a whole room of people are only answered one after another there, never
 * refused. This is why it is written here rather than with
 * rate-limiter-flexible: that library's counters are asynchronous (every call returns a
 * Promise), so "refuse if waiting, else count this try" cannot happen in one step, and
 * Socket.IO runs the handlers of messages that arrive together interleaved, one await at a
 * time. Its memory store also counts in fixed windows, which hand a guesser a fresh allowance
 * each window, where forgetting one wrong code at a time gives an exact long-run rate. The
 * growing waits and the reservation would be ours either way; the library would only have kept
 * the counters.
 *
 * Errors: none of its own; what `find` throws passes through and is not counted.
 *
 * Memory: an address has an entry only while a look-up of its is under way, its wrong codes are
 * not yet forgotten, or it waits; right codes leave none, and idle entries are swept out. Lasting
 * entries come only from looked-up wrong codes, which the overall allowance keeps to about 100
 * an hour, so a flood of distinct addresses cannot grow the map: it is refused by the overall
 * wait before any entry is made (10,000 addresses in a minute leave about 106 entries).
 */
export class CodeGuessingGuard {
  readonly #limits: CodeGuessingLimits;
  readonly #now: () => number;
  readonly #logger: Logger | undefined;
  readonly #addresses = new Map<string, Bucket>();
  readonly #overall: Bucket;
  #lastSweep: number;

  /** `now` (ms since the epoch) is injectable for tests; `logger` hears when everyone's codes are held back. */
  constructor(
    options: { limits?: CodeGuessingLimits; now?: () => number; logger?: Logger } = {},
  ) {
    this.#limits = options.limits ?? DEFAULT_CODE_GUESSING_LIMITS;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
    const now = this.#now();
    this.#overall = { level: 0, at: now, pending: 0, waitUntil: 0, waiters: [] };
    this.#lastSweep = now;
  }

  /**
   * Looks a typed code up through `find` (which resolves to null when no valid invitation has
   * it) unless `address` or everyone is waiting. A null answer counts as a wrong code; a thrown
   * error (the database is down) counts as nothing and is rethrown.
   */
  async lookUp<T>(address: string, find: () => Promise<T | null>): Promise<GuardedLookUp<T>> {
    const key = addressKey(address);
    let begun = this.#begin(key);
    while ('queued' in begun) {
      await begun.queued;
      begun = this.#begin(key);
    }
    if ('waitMs' in begun) return { outcome: 'wait', retryAfterSeconds: Math.ceil(begun.waitMs / 1000) };
    let found: T | null;
    try {
      found = await find();
    } catch (error) {
      this.#settle(begun.key, begun.reservations, false);
      throw error;
    }
    this.#settle(begun.key, begun.reservations, found === null);
    return found === null ? { outcome: 'not-found' } : { outcome: 'found', value: found };
  }

  /** Addresses with an entry (for tests and the memory bound). */
  get trackedAddresses(): number {
    return this.#addresses.size;
  }

  #begin(
    key: string,
  ): { waitMs: number } | { queued: Promise<void> } | { key: string; reservations: Reservation[] } {
    const now = this.#now();
    this.#sweep(now);
    const own = this.#addresses.get(key);
    const waitMs = Math.max(this.#overall.waitUntil - now, own ? own.waitUntil - now : 0, 0);
    if (waitMs > 0) return { waitMs };
    const bucket = own ?? { level: 0, at: now, pending: 0, waitUntil: 0, waiters: [] };
    if (!own) this.#addresses.set(key, bucket);
    // At the edge of an allowance only one look-up at a time: the rest wait for its answer.
    for (const [edge, allowance] of [
      [bucket, this.#limits.perAddress],
      [this.#overall, this.#limits.overall],
    ] as const) {
      forget(edge, allowance, now);
      if (edge.pending > 0 && edge.level + edge.pending >= allowance.free) {
        return { queued: new Promise<void>((resolve) => edge.waiters.push(resolve)) };
      }
    }
    return {
      key,
      reservations: [reserve(bucket, this.#limits.perAddress, now), reserve(this.#overall, this.#limits.overall, now)],
    };
  }

  #settle(key: string, reservations: Reservation[], failed: boolean): void {
    const now = this.#now();
    for (const { bucket, allowance } of reservations) {
      bucket.pending -= 1;
      for (const wake of bucket.waiters.splice(0)) wake();
      if (!failed) continue;
      forget(bucket, allowance, now);
      bucket.level += 1;
      const beyond = bucket.level - allowance.free;
      if (beyond <= 0) continue;
      const wasWaiting = bucket.waitUntil > now;
      bucket.waitUntil = Math.max(bucket.waitUntil, now + waitFor(beyond, allowance));
      if (bucket === this.#overall && !wasWaiting) {
        this.#logger?.warn(
          { wrongCodes: Math.round(bucket.level), waitSeconds: Math.ceil((bucket.waitUntil - now) / 1000) },
          'many wrong invitation codes from many addresses: typed codes are held back for everyone',
        );
      }
    }
    const own = this.#addresses.get(key);
    if (own && idle(own, this.#limits.perAddress, now)) this.#addresses.delete(key);
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < SWEEP_EVERY_MS) return;
    this.#lastSweep = now;
    for (const [key, bucket] of this.#addresses) {
      if (idle(bucket, this.#limits.perAddress, now)) this.#addresses.delete(key);
    }
  }
}

/** Counts a look-up as failing until it is known. */
function reserve(bucket: Bucket, allowance: FailureAllowance, now: number): Reservation {
  forget(bucket, allowance, now);
  bucket.pending += 1;
  return { bucket, allowance };
}

/** Forgets wrong codes at `free` per `forgetMs`, up to `now`. */
function forget(bucket: Bucket, allowance: FailureAllowance, now: number): void {
  const elapsed = Math.max(0, now - bucket.at);
  bucket.level = Math.max(0, bucket.level - (elapsed * allowance.free) / allowance.forgetMs);
  bucket.at = now;
}

/** The wait after the n-th wrong code beyond the allowance (n may be fractional while forgetting). */
function waitFor(beyond: number, allowance: FailureAllowance): number {
  const doublings = Math.min(Math.ceil(beyond) - 1, 40);
  return Math.min(allowance.maxWaitMs, allowance.firstWaitMs * 2 ** doublings);
}

function idle(bucket: Bucket, allowance: FailureAllowance, now: number): boolean {
  if (bucket.pending > 0 || bucket.waiters.length > 0 || bucket.waitUntil > now) return false;
  forget(bucket, allowance, now);
  return bucket.level === 0;
}

/**
 * The key an address is counted under: an IPv4 address as it is (also when written as an
 * IPv4-mapped IPv6 address), an IPv6 address by its /64 network, since one household or one
 * attacker's server gets a whole /64 and could otherwise use a new address for every try.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  const bare = address.split('%')[0] ?? '';
  if (!isIPv6(bare)) return address;
  const [head = '', tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 address (the last 32 bits) fills two groups.
  const rightGroups = right.length + (right.at(-1)?.includes('.') ? 1 : 0);
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - rightGroups).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** What a person is told while their typed codes wait, in words: "try again in 8 seconds". */
export function codeWaitMessage(retryAfterSeconds: number): string {
  if (retryAfterSeconds < 60) {
    return `too many wrong codes, try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`;
  }
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `too many wrong codes, try again in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}
