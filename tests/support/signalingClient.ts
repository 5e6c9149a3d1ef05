import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type JoinReply,
  type NotificationName,
  type NotificationPayload,
  type Reply,
  type ReplyData,
  type RequestName,
  type RequestPayload,
  type ServerToClientEvents,
} from '@tupa/signaling/protocol';
import { io, type Socket } from 'socket.io-client';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A typed protocol client for tests: requests return the whole reply, notifications are recorded. */
export class TestClient {
  readonly socket: ClientSocket;
  readonly received: Array<{ name: string; payload: unknown }> = [];

  constructor(
    url: string,
    auth: Record<string, unknown> = { protocolVersion: PROTOCOL_VERSION },
    headers: Record<string, string> = {},
  ) {
    this.socket = io(url, { transports: ['websocket'], auth, reconnection: false, forceNew: true, extraHeaders: headers });
    this.socket.onAny((name: string, payload: unknown) => this.received.push({ name, payload }));
  }

  /** Connects; `cookie` makes it a signed-in staff member's tab. */
  static async connect(url: string, cookie?: string): Promise<TestClient> {
    const client = new TestClient(url, undefined, cookie ? { cookie } : {});
    await new Promise<void>((resolve, reject) => {
      client.socket.once('connect', () => resolve());
      client.socket.once('connect_error', reject);
    });
    return client;
  }

  request<K extends RequestName>(name: K, payload: RequestPayload<K>): Promise<Reply<ReplyData<K>>> {
    return (this.socket.timeout(10_000) as unknown as RawEmitter).emitWithAck(name, payload) as Promise<
      Reply<ReplyData<K>>
    >;
  }

  /** Sends anything at all, as a hostile client would. */
  raw(event: string, ...args: unknown[]): Promise<unknown> {
    return (this.socket.timeout(10_000) as unknown as RawEmitter).emitWithAck(event, ...args);
  }

  /** Requests that must succeed; returns their data. */
  async ok<K extends RequestName>(name: K, payload: RequestPayload<K>): Promise<ReplyData<K>> {
    const reply = await this.request(name, payload);
    if (!reply.ok) throw new Error(`${name} failed: ${reply.error.code} ${reply.error.message}`);
    return reply.data;
  }

  /** A `joinRoom` that must put this client into the call (not the lobby); returns the entry. */
  async joinCall(payload: RequestPayload<'joinRoom'>): Promise<Extract<JoinReply, { admission: 'in' }>> {
    const reply = await this.ok('joinRoom', payload);
    if (reply.admission !== 'in') throw new Error(`joinRoom put ${payload.displayName} in the lobby`);
    return reply;
  }

  notifications<K extends NotificationName>(name: K): NotificationPayload<K>[] {
    return this.received.filter((n) => n.name === name).map((n) => n.payload as NotificationPayload<K>);
  }

  close(): void {
    this.socket.disconnect();
  }
}

interface RawEmitter {
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown>;
}
