import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, PROTOCOL_VERSION_REFUSED } from '@tupa/signaling/protocol/version';
import type {
  ClientToServerEvents,
  ErrorCode,
  ErrorReason,
  HandshakeAuth,
  NotificationName,
  NotificationPayload,
  Reply,
  ReplyData,
  RequestName,
  RequestPayload,
  ServerToClientEvents,
} from '@tupa/signaling/protocol';

// The browser's one Socket.IO connection to the signaling server, and the one typed request
// wrapper. Only ever constructed in the browser (from a component's mount or an event handler).
// The server's side of the same connection is signaling's `SignalingConnection`.

/** The socket as the browser sees it: server notifications in, requests out. */
type SocketToServer = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long a request may wait for its acknowledgement. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** How long one attempt to (re)open the connection may take before the next one starts. */
const CONNECT_ATTEMPT_TIMEOUT_MS = 6_000;

/** Why a request failed: a server error code, or no answer / no connection. */
export type RequestFailure = ErrorCode | 'timeout' | 'disconnected';

/** A request the server refused or did not answer. */
export class RequestError extends Error {
  override readonly name = 'RequestError';

  constructor(
    readonly request: RequestName,
    readonly code: RequestFailure,
    message: string,
    /** The server's finer reason (room full, server restarting), when it gave one. */
    readonly reason?: ErrorReason,
    /** With 'session-not-started': when the session starts (ISO 8601). */
    readonly startsAt?: string,
  ) {
    super(`${request}: ${code}: ${message}`);
  }
}

type EmitWithAck = <K extends RequestName>(
  name: K,
  payload: RequestPayload<K>,
) => Promise<Reply<ReplyData<K>>>;

/**
 * The wait before the `attempt`th new try after the server refused a connection (1, 2, 4, 8 s,
 * at most 10 s), spread by ±50 % so that a household or venue behind one address, cut off at
 * the same moment, does not come back in one burst. The same shape as Socket.IO's own
 * reconnection delay, which covers drops the server did not refuse.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.5 + random()));
}

/** Lifecycle events of the connection itself (not room notifications). */
export interface SignalingClientHandlers {
  connected(): void;
  disconnected(reason: string): void;
  /** The server refused this tab's protocol version: the page must be reloaded. */
  outdated(): void;
  /** A connection attempt failed for another reason; it is tried again by itself. */
  connectFailed(error: Error): void;
  /**
   * This tab's place in the room, if it has one: sent with every (re)connection, so the
   * server can let a returning tab in past the per-address limit on new connections.
   */
  resumeCredential?(): { peerId: string; secret: string } | undefined;
}

/**
 * The browser's end of the signaling connection: opens and reopens the socket (with this tab's
 * protocol version and resume credential), sends typed requests and follows notifications.
 */
export class SignalingClient {
  readonly #socket: SocketToServer;
  readonly #unlisteners: (() => void)[] = [];
  readonly #pending = new Set<(code: RequestFailure) => void>();
  readonly #connectWaiters = new Set<{ resolve: () => void; reject: (error: Error) => void }>();
  #closed = false;
  /** Tries since the server last refused or dropped this connection itself. */
  #refusals = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Attempts in a row that did not connect, and whether a WebSocket ever worked in this tab. */
  #failedAttempts = 0;
  #webSocketWorked = false;

  constructor(handlers: SignalingClientHandlers) {
    // Read at every (re)connection: the place may have been given since the last one.
    const auth = (send: (auth: object) => void) => {
      const resume = handlers.resumeCredential?.();
      const value: HandshakeAuth = resume ? { protocolVersion: PROTOCOL_VERSION, resume } : { protocolVersion: PROTOCOL_VERSION };
      send(value);
    };
    // A connection attempt that hangs (a dead mobile link swallows packets) is abandoned after
    // CONNECT_ATTEMPT_TIMEOUT_MS and tried again, instead of Socket.IO's default 20 s.
    //
    // WebSocket first: a long-polling session that the server closed while the link was cut
    // answers its stale polls with 400 "Session ID unknown" when the link returns; a WebSocket
    // makes no such requests. Long-polling stays the way in where a WebSocket cannot be opened:
    // at once when it fails (tryAllTransports), and first from the third attempt when a
    // WebSocket never worked in this tab (a proxy that silently holds the upgrade).
    this.#socket = io({
      auth,
      autoConnect: false,
      reconnectionDelayMax: 4000,
      timeout: CONNECT_ATTEMPT_TIMEOUT_MS,
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
    });

    this.#socket.on('connect', () => {
      this.#refusals = 0;
      this.#failedAttempts = 0;
      const engine = this.#socket.io.engine;
      if (engine.transport.name === 'websocket') this.#webSocketWorks();
      else engine.once('upgrade', () => this.#webSocketWorks());
      for (const waiter of [...this.#connectWaiters]) waiter.resolve();
      handlers.connected();
    });
    this.#socket.on('disconnect', (reason) => {
      this.#failPending('disconnected');
      handlers.disconnected(reason);
      // Socket.IO does not try again after the server closed the connection itself.
      if (reason === 'io server disconnect') this.#retryLater();
    });
    this.#socket.on('connect_error', (error) => {
      if (error.message === PROTOCOL_VERSION_REFUSED) {
        handlers.outdated();
        return;
      }
      handlers.connectFailed(error);
      if (!this.#webSocketWorked && ++this.#failedAttempts >= 2) this.#socket.io.opts.transports = ['polling', 'websocket'];
      // Refused by the server (too many connections from this address, say): Socket.IO stops
      // there, so this connection keeps trying by itself, with growing, spread-out waits.
      if (!this.#socket.active) this.#retryLater();
    });
  }

  get connected(): boolean {
    return this.#socket.connected;
  }

  /** Whether Socket.IO will keep trying to reconnect by itself after a failure. */
  get reconnecting(): boolean {
    return this.#socket.active;
  }

  connect(): void {
    if (!this.#closed) this.#socket.connect();
  }

  #webSocketWorks(): void {
    this.#webSocketWorked = true;
    this.#socket.io.opts.transports = ['websocket', 'polling'];
  }

  #retryLater(): void {
    if (this.#closed || this.#retryTimer !== undefined) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (!this.#socket.connected && !this.#socket.active) this.connect();
    }, retryDelayMs(++this.#refusals));
  }

  /** Resolves once the connection is open (at once if it is); rejects after `timeoutMs` or on close. */
  whenConnected(timeoutMs: number): Promise<void> {
    if (this.#socket.connected) return Promise.resolve();
    if (this.#closed) return Promise.reject(new Error('the connection is closed'));
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          this.#connectWaiters.delete(waiter);
          resolve();
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          this.#connectWaiters.delete(waiter);
          reject(error);
        },
      };
      const timer = setTimeout(() => waiter.reject(new Error('no connection to the server')), timeoutMs);
      this.#connectWaiters.add(waiter);
    });
  }

  /**
   * Sends one request and resolves with its reply data; throws a RequestError when the server
   * answers `ok: false`, does not answer within REQUEST_TIMEOUT_MS, or the connection drops.
   * Requests are never queued while disconnected: after a reconnect the session re-joins anyway.
   */
  async request<K extends RequestName>(name: K, payload: RequestPayload<K>): Promise<ReplyData<K>> {
    if (!this.#socket.connected) throw new RequestError(name, 'disconnected', 'not connected');
    // Socket.IO's typed emitWithAck cannot follow a generic event name; EmitWithAck restates it.
    const timed = this.#socket.timeout(REQUEST_TIMEOUT_MS) as unknown as { emitWithAck: EmitWithAck };

    let failNow!: (code: RequestFailure) => void;
    const interrupted = new Promise<never>((_, reject) => {
      failNow = (code) => reject(new RequestError(name, code, 'connection closed'));
    });
    this.#pending.add(failNow);
    try {
      const reply = await Promise.race([
        timed.emitWithAck(name, payload).catch((error: unknown) => {
          throw new RequestError(name, 'timeout', error instanceof Error ? error.message : String(error));
        }),
        interrupted,
      ]);
      if (!reply.ok) throw new RequestError(name, reply.error.code, reply.error.message, reply.error.reason, reply.error.startsAt);
      return reply.data;
    } finally {
      this.#pending.delete(failNow);
    }
  }

  /** Listens to one server notification; returns the function that removes the listener. */
  on<K extends NotificationName>(name: K, handler: (payload: NotificationPayload<K>) => void): () => void {
    // Socket.IO's typed `on` cannot relate a generic K to its listener type; the map guarantees it.
    const socket = this.#socket as unknown as {
      on(name: string, handler: (payload: unknown) => void): void;
      off(name: string, handler: (payload: unknown) => void): void;
    };
    const listener = handler as (payload: unknown) => void;
    socket.on(name, listener);
    const unlisten = () => socket.off(name, listener);
    this.#unlisteners.push(unlisten);
    return unlisten;
  }

  /** Removes every listener and closes the socket; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    for (const waiter of [...this.#connectWaiters]) waiter.reject(new Error('the connection is closed'));
    for (const unlisten of this.#unlisteners.splice(0)) unlisten();
    this.#failPending('disconnected');
    this.#socket.removeAllListeners();
    this.#socket.disconnect();
  }

  #failPending(code: RequestFailure): void {
    for (const fail of [...this.#pending]) fail(code);
    this.#pending.clear();
  }
}
