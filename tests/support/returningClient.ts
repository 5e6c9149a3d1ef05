import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type Reply,
  type ReplyData,
  type RequestPayload,
  type ServerToClientEvents,
} from '@tupa/signaling/protocol';
import { io, type Socket } from 'socket.io-client';

type JoinPayload = RequestPayload<'joinRoom'>;
type JoinReply = ReplyData<'joinRoom'>;

/**
 * A test participant that behaves like the web app after a drop: Socket.IO reconnects by
 * itself (its own backoff with jitter), the handshake carries the place it holds, and every
 * reconnection takes the place back with `joinRoom` + `resume`. A refusal of the handshake is
 * tried again after a short spread-out wait, as the app does.
 */
export class ReturningClient {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  /** The place this client holds: from the join reply, or from `admitted`. */
  place: { peerId: string; secret: string } | undefined;
  /** Admission of the latest join or resume. */
  admission: 'in' | 'lobby' | undefined;
  /** Successful resumes after reconnections. */
  resumes = 0;
  /** Errors of resumes and handshakes, by code or message. */
  readonly failures: string[] = [];
  readonly removed: string[] = [];
  #connections = 0;
  #closed = false;

  private constructor(
    url: string,
    private readonly join: Omit<JoinPayload, 'resume'>,
    headers: Record<string, string>,
  ) {
    this.socket = io(url, {
      transports: ['websocket'],
      forceNew: true,
      extraHeaders: headers,
      reconnectionDelay: 500,
      reconnectionDelayMax: 2000,
      auth: (send) => send(this.place ? { protocolVersion: PROTOCOL_VERSION, resume: this.place } : { protocolVersion: PROTOCOL_VERSION }),
    });
    this.socket.on('connect', () => {
      if (++this.#connections > 1 && this.place) void this.#resume();
    });
    this.socket.on('connect_error', (error) => {
      this.failures.push(`handshake: ${error.message}`);
      if (!this.socket.active && !this.#closed) setTimeout(() => this.socket.connect(), 200 + Math.random() * 300);
    });
    this.socket.on('admitted', ({ peerId, resumeSecret }) => {
      this.place = { peerId, secret: resumeSecret };
      this.admission = 'in';
    });
    this.socket.on('removed', ({ reason }) => this.removed.push(reason));
  }

  /** Connects and joins; `cookie` makes it a signed-in staff member. */
  static async join(url: string, join: Omit<JoinPayload, 'resume'>, cookie?: string): Promise<ReturningClient> {
    const client = new ReturningClient(url, join, cookie ? { cookie } : {});
    await new Promise<void>((resolve, reject) => {
      client.socket.once('connect', () => resolve());
      client.socket.once('connect_error', reject);
    });
    const reply = await client.#request(join);
    if (!reply.ok) throw new Error(`join failed: ${reply.error.code} ${reply.error.message}`);
    client.#accept(reply.data);
    return client;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Leaves the room on purpose (so its place is not kept), then closes the connection. */
  async leave(): Promise<void> {
    if (this.socket.connected) {
      await (this.socket.timeout(5000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<unknown> })
        .emitWithAck('leaveRoom', {})
        .catch(() => undefined);
    }
    this.close();
  }

  close(): void {
    this.#closed = true;
    this.socket.disconnect();
  }

  async #resume(): Promise<void> {
    const reply = await this.#request({ ...this.join, resume: { ...this.place!, keepMedia: true } }).catch((error: unknown) => ({
      ok: false as const,
      error: { code: 'timeout', message: String(error) },
    }));
    if (!reply.ok) {
      this.failures.push(`resume: ${reply.error.code}`);
      return;
    }
    this.#accept(reply.data);
    this.resumes++;
  }

  #accept(reply: JoinReply): void {
    this.place = { peerId: reply.peerId, secret: reply.resumeSecret };
    this.admission = reply.admission;
  }

  #request(payload: JoinPayload): Promise<Reply<JoinReply>> {
    const timed = this.socket.timeout(10_000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<unknown> };
    return timed.emitWithAck('joinRoom', payload) as Promise<Reply<JoinReply>>;
  }
}
