import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { SignalingDeps } from './handlers/index.ts';
import {
  PROTOCOL_VERSION,
  PROTOCOL_VERSION_REFUSED,
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
  /**
   * Behind a reverse proxy (TRUST_PROXY): a client's address is the last `X-Forwarded-For`
   * entry, the one the proxy itself added; otherwise every client would share the proxy's
   * address, and with it one per-address limit.
   */
  trustProxy?: boolean;
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
    // One stolen or looping place must not become a way around the per-address limit.
    const connectionsPerPlace = new FixedWindowCounter(options.limits.connectionsPerPlacePerMinute, 60_000);
    /** Uncounted connections open now, per place. */
    const openUncounted = new Map<string, number>();
    this.io.use((socket, next) => {
      const origin = socket.handshake.headers.origin;
      const host = socket.handshake.headers.host;
      const sameHost = origin !== undefined && host !== undefined && new URL(origin).host === host;
      if (origin !== undefined && !sameHost && !options.allowedOrigins?.includes(origin)) {
        next(Object.assign(new Error('forbidden-origin'), { data: { code: 'forbidden' } }));
        return;
      }
      const auth: unknown = socket.handshake.auth;
      // Refuse floods of new connections from one address before any work is done for them; a
      // tab that holds a live place (a household or venue behind one address, back after a
      // blip) is not counted, so the limit never locks out people who are already in.
      const address = clientAddress(socket.handshake, options.trustProxy ?? false);
      const place = placeHeld(deps, auth);
      // A place needs one connection, two while a replaced one is still closing; more uncounted
      // ones would let a place hold idle sockets past the address's limit.
      const returning =
        place !== undefined && (openUncounted.get(place) ?? 0) < MAX_OPEN_UNCOUNTED_PER_PLACE && connectionsPerPlace.hit(place);
      if (!returning && !connectionsPerAddress.hit(address)) {
        next(Object.assign(new Error('rate-limited'), { data: { code: 'rate-limited' } }));
        return;
      }
      socket.data = { address, returningTo: returning ? place : undefined } satisfies ConnectionData;
      const version = typeof auth === 'object' && auth !== null ? (auth as Record<string, unknown>).protocolVersion : undefined;
      if (version !== PROTOCOL_VERSION) {
        const refusal: HandshakeRefusal = { code: PROTOCOL_VERSION_REFUSED, serverVersion: PROTOCOL_VERSION };
        next(Object.assign(new Error(PROTOCOL_VERSION_REFUSED), { data: refusal }));
        return;
      }
      if (returning) openUncounted.set(place, (openUncounted.get(place) ?? 0) + 1);
      next();
    });
    this.io.on('connection', (socket) => {
      const data = socket.data as ConnectionData;
      const connection = new SignalingConnection(socket, deps, options.limits, options.onRequestDone, {
        address: data.address,
        ...(data.returningTo !== undefined
          ? { returning: { peerId: data.returningTo, countAsNew: () => connectionsPerAddress.hit(data.address) } }
          : {}),
      });
      this.#connections.add(connection);
      socket.once('disconnect', () => {
        this.#connections.delete(connection);
        const place = data.returningTo;
        if (place === undefined) return;
        const open = (openUncounted.get(place) ?? 1) - 1;
        if (open > 0) openUncounted.set(place, open);
        else openUncounted.delete(place);
      });
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

/** The place (peer id) a handshake's `auth.resume` names, when a live room keeps it for that secret. */
function placeHeld(deps: SignalingDeps, auth: unknown): string | undefined {
  if (typeof auth !== 'object' || auth === null) return undefined;
  const resume = (auth as Record<string, unknown>).resume;
  if (typeof resume !== 'object' || resume === null) return undefined;
  const { peerId, secret } = resume as Record<string, unknown>;
  if (typeof peerId !== 'string' || typeof secret !== 'string' || peerId.length > 64 || secret.length > 64) return undefined;
  return deps.registry.roomHoldingPlace(peerId, secret) ? peerId : undefined;
}

/** The client's address: the handshake's peer, or behind a trusted proxy the entry it added. */
export function clientAddress(
  handshake: { address: string; headers: Record<string, string | string[] | undefined> },
  trustProxy: boolean,
): string {
  if (!trustProxy) return handshake.address;
  const header = handshake.headers['x-forwarded-for'];
  const last = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').at(-1)?.trim();
  return last || handshake.address;
}

/** Uncounted connections one place may hold open at once (see the handshake). */
const MAX_OPEN_UNCOUNTED_PER_PLACE = 2;

/** What the handshake decided about a connection, for the connection object. */
interface ConnectionData {
  address: string;
  /** Let in uncounted to take back this place (a peer or lobby guest id). */
  returningTo: string | undefined;
}
