import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import { toReplyError } from './errors.ts';
import { handlers, MEDIA_REQUESTS, type SignalingDeps } from './handlers/index.ts';
import type { Handler } from './handlers/context.ts';
import type { NotifyOptions, Peer, PeerChannel, ReleaseReason } from './Peer.ts';
import {
  describeForbiddenText,
  errorReply,
  findForbiddenText,
  okReply,
  requestSchemas,
  STAFF_SESSION_COOKIE,
  type ClientToServerEvents,
  type NotificationName,
  type NotificationPayload,
  type Reply,
  type RequestName,
  type ServerToClientEvents,
} from './protocol/index.ts';
import type { JoinResult, Room } from './Room.ts';
import { TokenBucket } from './TokenBucket.ts';

export type TupaSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface ConnectionLimits {
  /** Requests a socket may make in a burst, and per second after that. */
  requestBurst: number;
  requestsPerSecond: number;
  /** Malformed or unknown messages tolerated before the socket is dropped. */
  maxViolations: number;
  /** New Socket.IO connections accepted from one address in a minute. */
  connectionsPerAddressPerMinute: number;
  /**
   * Connections a minute that one held place (a tab coming back after a blip) may open without
   * counting against its address; beyond it they count like any other.
   */
  connectionsPerPlacePerMinute: number;
}

export const defaultConnectionLimits: ConnectionLimits = {
  requestBurst: 60,
  requestsPerSecond: 30,
  maxViolations: 100,
  connectionsPerAddressPerMinute: 120,
  connectionsPerPlacePerMinute: 20,
};

/**
 * Requests with a budget of their own instead of the general one: the reader's pointer moves up
 * to 30 times a second, and a drawer sends a batch of points every 50 ms (20 a second, more
 * while a throttled tab catches up) and a new stroke at every touch; neither may use up the
 * budget that moves, page turns and media requests need. The drawn points themselves are held
 * to DRAWING_LIMITS by the board (games/DrawingBoard.ts).
 */
export const separateRequestBudgets: Partial<Record<RequestName, { burst: number; perSecond: number }>> = {
  pointAt: { burst: 60, perSecond: 40 },
  lookHere: { burst: 4, perSecond: 2 },
  extendStroke: { burst: 60, perSecond: 30 },
  startStroke: { burst: 20, perSecond: 10 },
};

type Ack = (reply: Reply<unknown>) => void;

/** Where a connection's person is: in a room's call, or waiting in its lobby. */
type Place = { room: Room; peer: Peer; guestId?: undefined } | { room: Room; guestId: string; peer?: undefined };

/**
 * One Socket.IO connection: validates every incoming message against its schema before any
 * handler sees it, answers every request with one reply shape, and owns the single path by
 * which a disconnect removes the peer from its room.
 */
export class SignalingConnection implements PeerChannel {
  /**
   * The place this connection speaks for: a participant in a room's call, or a guest waiting in
   * its lobby. Only this object writes it (see takePlace, enterCall, leave, release).
   */
  #place: Place | undefined;
  /** The staff session cookie sent with the handshake, if any; never logged. */
  readonly staffSessionId: string | undefined;
  /** The client's address, for rate limits only; never logged. */
  readonly address: string;
  readonly logger: Logger;
  readonly #socket: TupaSocket;
  readonly #deps: SignalingDeps;
  readonly #bucket: TokenBucket;
  readonly #separateBuckets = new Map<string, TokenBucket>();
  readonly #maxViolations: number;
  readonly #onRequestDone: ((name: RequestName, ms: number, ok: boolean) => void) | undefined;
  #violations = 0;
  #closed = false;
  #returning: { peerId: string; countAsNew: () => boolean } | undefined;

  constructor(
    socket: TupaSocket,
    deps: SignalingDeps,
    limits: ConnectionLimits = defaultConnectionLimits,
    onRequestDone?: (name: RequestName, ms: number, ok: boolean) => void,
    admission: {
      /** The client's address as the server decided it (see clientAddress). */
      address?: string;
      /**
       * Let in without counting against its address, to take back this place; `countAsNew`
       * counts it after all (false when the address is over its limit).
       */
      returning?: { peerId: string; countAsNew: () => boolean };
    } = {},
  ) {
    this.#socket = socket;
    this.#bucket = new TokenBucket(limits.requestBurst, limits.requestsPerSecond);
    for (const [name, budget] of Object.entries(separateRequestBudgets)) {
      this.#separateBuckets.set(name, new TokenBucket(budget.burst, budget.perSecond));
    }
    this.#maxViolations = limits.maxViolations;
    this.#deps = deps;
    this.#onRequestDone = onRequestDone;
    this.logger = deps.logger.child({ socketId: socket.id });
    this.staffSessionId = sessionCookie(socket.handshake.headers.cookie);
    this.address = admission.address ?? socket.handshake.address;
    this.#returning = admission.returning;
    socket.onAny((event: unknown, ...args: unknown[]) => void this.#dispatch(event, args));
    socket.on('disconnect', (reason) => this.#onDisconnect(reason));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The room and participant this connection speaks for in the call, if any. */
  get membership(): { readonly room: Room; readonly peer: Peer } | undefined {
    const place = this.#livePlace();
    return place?.peer ? { room: place.room, peer: place.peer } : undefined;
  }

  /** The room and guest id while this connection's person waits in a lobby. */
  get waiting(): { readonly room: Room; readonly guestId: string } | undefined {
    const place = this.#livePlace();
    return place?.guestId !== undefined ? { room: place.room, guestId: place.guestId } : undefined;
  }

  /** Whether this connection speaks for a place (in a call or a lobby). */
  get hasPlace(): boolean {
    return this.#livePlace() !== undefined;
  }

  /** Whether this connection speaks for the place `peerId` already (a participant or a waiting guest). */
  holdsPlace(peerId: string): boolean {
    const place = this.#livePlace();
    return place !== undefined && (place.peer?.id ?? place.guestId) === peerId;
  }

  /** The connection speaks for where `room.join` put its person: in the call or in the lobby. */
  takePlace(room: Room, result: JoinResult): void {
    if (result.admission === 'in') this.enterCall(room, result.peer);
    else this.#place = { room, guestId: result.guest.id };
  }

  /**
   * It now speaks for `peer` in `room`'s call. A connection that closed already does not: its
   * person was let in while away, and the tab that comes back takes the place by its secret.
   */
  enterCall(room: Room, peer: Peer): void {
    this.#place = this.#closed ? undefined : { room, peer };
  }

  /**
   * Its person leaves the call or the lobby on purpose (Room.leave, or Room.leaveLobby).
   * False when it spoke for no place.
   */
  leave(): boolean {
    // A place whose peer has closed meanwhile is no place to leave.
    const place = this.#livePlace();
    this.#place = undefined;
    if (place?.peer) place.room.leave(place.peer, 'left');
    else if (place) place.room.leaveLobby(place.guestId);
    return place !== undefined;
  }

  /**
   * Whether this connection may be used to join as `resumePeerId` (undefined: a new place). A
   * connection let in uncounted to take back one place is counted on its first other use.
   */
  mayJoinAs(resumePeerId: string | undefined): boolean {
    const returning = this.#returning;
    if (!returning || returning.peerId === resumePeerId) return true;
    // Still uncounted until the address has room for it: every try is counted again.
    if (!returning.countAsNew()) return false;
    this.#returning = undefined;
    return true;
  }

  notify<K extends NotificationName>(name: K, payload: NotificationPayload<K>, options?: NotifyOptions): void {
    const emitter = options?.volatile ? this.#socket.volatile : this.#socket;
    (emitter.emit as (event: string, payload: unknown) => boolean).call(emitter, name, payload);
  }

  release(reason: ReleaseReason): void {
    this.#place = undefined;
    this.notify('removed', { reason });
  }

  async #dispatch(event: unknown, args: unknown[]): Promise<void> {
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as Ack) : undefined;
    if (typeof event !== 'string' || !Object.hasOwn(requestSchemas, event)) {
      this.#violation('unknown event', typeof event === 'string' ? event.slice(0, 40) : typeof event);
      ack?.(errorReply('validation', 'unknown request'));
      return;
    }
    if (!ack) {
      this.#violation('request without acknowledgement', event);
      return;
    }
    if (!(this.#separateBuckets.get(event) ?? this.#bucket).take()) {
      ack(errorReply('rate-limited', 'too many requests, slow down'));
      return;
    }
    const name = event as RequestName;
    // The one text rule (protocol/text.ts) over the whole payload, before its schema: every
    // string of every request is held to it, and the reply names the field.
    const forbiddenText = args.length === 2 ? findForbiddenText(args[0]) : null;
    if (forbiddenText) {
      this.#violation('forbidden character', name);
      ack(errorReply('validation', `invalid ${name} request at ${describeForbiddenText(forbiddenText)}`));
      return;
    }
    const parsed = args.length === 2 ? requestSchemas[name].payload.safeParse(args[0]) : undefined;
    if (!parsed?.success) {
      this.#violation('invalid payload', name);
      const issue = parsed?.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.').slice(0, 80)}` : '';
      ack(errorReply('validation', `invalid ${name} request${where}`));
      return;
    }
    const started = performance.now();
    let ok = false;
    try {
      const handler = handlers[name] as Handler<RequestName>;
      const data = await handler({ connection: this, deps: this.#deps }, parsed.data as never);
      ok = true;
      ack(okReply(data));
    } catch (error) {
      ack({ ok: false, error: toReplyError(error, this.logger, { request: name }, MEDIA_REQUESTS.has(name)) });
    } finally {
      this.#onRequestDone?.(name, performance.now() - started, ok);
    }
  }

  /**
   * The place, unless its peer closed without this connection being released: a resume that
   * gave up the old peer and then failed (say, its router died that moment) leaves no place.
   */
  #livePlace(): Place | undefined {
    return this.#place?.peer?.closed ? undefined : this.#place;
  }

  #violation(kind: string, event: string): void {
    this.#violations++;
    this.logger.debug({ kind, event, violations: this.#violations }, 'rejected message');
    if (this.#violations === this.#maxViolations) {
      this.logger.warn({ violations: this.#violations }, 'dropping socket after repeated bad messages');
      this.#socket.disconnect(true);
    }
  }

  #onDisconnect(reason: string): void {
    this.#closed = true;
    const place = this.#place;
    this.#place = undefined;
    if (place?.peer) place.room.disconnected(place.peer, this);
    else if (place) place.room.guestAway(place.guestId, this);
    this.logger.debug({ reason }, 'socket disconnected');
  }
}

const STAFF_SESSION_IN_COOKIES = new RegExp(`(?:^|;\\s*)${STAFF_SESSION_COOKIE}=([A-Za-z0-9_-]{22})(?:;|$)`);

/** The staff session id from a Cookie header, if it has one of the right shape. */
function sessionCookie(header: string | undefined): string | undefined {
  const match = STAFF_SESSION_IN_COOKIES.exec(header ?? '');
  return match?.[1];
}
