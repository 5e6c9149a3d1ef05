import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '@tupa/signaling/protocol/version';
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

export type TupaSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

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

/** `connect_error` message the server uses when this tab's protocol is out of date. */
export const PROTOCOL_VERSION_REFUSAL = 'protocol-version';

type EmitWithAck = <K extends RequestName>(
  name: K,
  payload: RequestPayload<K>,
) => Promise<Reply<ReplyData<K>>>;

/** Lifecycle events of the connection itself (not room notifications). */
export interface ConnectionHandlers {
  connected(): void;
  disconnected(reason: string): void;
  /** The server refused this tab's protocol version: the page must be reloaded. */
  outdated(): void;
  /** A connection attempt failed for another reason; Socket.IO keeps retrying. */
  connectFailed(error: Error): void;
}

export class SignalingConnection {
  readonly #socket: TupaSocket;
  readonly #unlisteners: (() => void)[] = [];
  readonly #pending = new Set<(code: RequestFailure) => void>();
  readonly #connectWaiters = new Set<{ resolve: () => void; reject: (error: Error) => void }>();
  #closed = false;

  constructor(handlers: ConnectionHandlers) {
    const auth: HandshakeAuth = { protocolVersion: PROTOCOL_VERSION };
    // A connection attempt that hangs (a dead mobile link swallows packets) is abandoned after
    // CONNECT_ATTEMPT_TIMEOUT_MS and tried again, instead of Socket.IO's default 20 s.
    this.#socket = io({ auth, autoConnect: false, reconnectionDelayMax: 4000, timeout: CONNECT_ATTEMPT_TIMEOUT_MS });

    this.#socket.on('connect', () => {
      for (const waiter of [...this.#connectWaiters]) waiter.resolve();
      handlers.connected();
    });
    this.#socket.on('disconnect', (reason) => {
      this.#failPending('disconnected');
      handlers.disconnected(reason);
    });
    this.#socket.on('connect_error', (error) => {
      if (error.message === PROTOCOL_VERSION_REFUSAL) handlers.outdated();
      else handlers.connectFailed(error);
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
