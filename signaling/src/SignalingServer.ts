import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { SignalingDeps } from './handlers/index.ts';
import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type HandshakeRefusal,
  type RequestName,
  type ServerToClientEvents,
} from './protocol/index.ts';
import { FixedWindowCounter } from './FixedWindowCounter.ts';
import { defaultConnectionLimits, SignalingConnection, type ConnectionLimits } from './SignalingConnection.ts';

export interface SignalingOptions {
  /** Largest message accepted; well under 1 MB so a client cannot make the server buffer much. */
  maxHttpBufferSize: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  limits: ConnectionLimits;
  /**
   * Origins whose pages may connect (the public URL's); the server's own host is always allowed.
   * A page of another site must not ride on a staff member's cookie.
   */
  allowedOrigins?: string[];
  /** Called after each request, for latency metrics. */
  onRequestDone?: (name: RequestName, ms: number, ok: boolean) => void;
}

export const defaultSignalingOptions: SignalingOptions = {
  maxHttpBufferSize: 64 * 1024,
  // A dropped connection is noticed within 10 s, so the others soon see "reconnecting".
  pingIntervalMs: 5_000,
  pingTimeoutMs: 5_000,
  limits: defaultConnectionLimits,
};

/** The Socket.IO server: protocol version check at connect, then one connection object per socket. */
export class SignalingServer {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  readonly #connections = new Set<SignalingConnection>();

  constructor(httpServer: HttpServer, deps: SignalingDeps, options: SignalingOptions = defaultSignalingOptions) {
    this.io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
      serveClient: false,
      maxHttpBufferSize: options.maxHttpBufferSize,
      pingInterval: options.pingIntervalMs,
      pingTimeout: options.pingTimeoutMs,
    });
    const connectionsPerAddress = new FixedWindowCounter(options.limits.connectionsPerAddressPerMinute, 60_000);
    this.io.use((socket, next) => {
      const origin = socket.handshake.headers.origin;
      const host = socket.handshake.headers.host;
      const sameHost = origin !== undefined && host !== undefined && new URL(origin).host === host;
      if (origin !== undefined && !sameHost && !options.allowedOrigins?.includes(origin)) {
        next(Object.assign(new Error('forbidden-origin'), { data: { code: 'forbidden' } }));
        return;
      }
      // Refuse floods of new connections from one address before any work is done for them.
      if (!connectionsPerAddress.hit(socket.handshake.address)) {
        next(Object.assign(new Error('rate-limited'), { data: { code: 'rate-limited' } }));
        return;
      }
      const auth: unknown = socket.handshake.auth;
      const version = typeof auth === 'object' && auth !== null ? (auth as Record<string, unknown>).protocolVersion : undefined;
      if (version !== PROTOCOL_VERSION) {
        const refusal: HandshakeRefusal = { code: 'protocol-version', serverVersion: PROTOCOL_VERSION };
        next(Object.assign(new Error('protocol-version'), { data: refusal }));
        return;
      }
      next();
    });
    this.io.on('connection', (socket) => {
      const connection = new SignalingConnection(socket, deps, options.limits, options.onRequestDone);
      this.#connections.add(connection);
      socket.once('disconnect', () => this.#connections.delete(connection));
    });
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Disconnects every socket and stops accepting new ones. */
  async close(): Promise<void> {
    this.io.disconnectSockets(true);
    await new Promise<void>((resolve) => {
      this.io.close(() => resolve());
    });
  }
}
