import { Device } from 'mediasoup-client';
import { SvelteMap } from 'svelte/reactivity';
import type { MediaSource, PeerInfo, ProducerInfo, ReplyData } from '@tupa/signaling/protocol';
import { CallMedia, type ReceivedMedia } from './CallMedia.ts';
import type { LocalMedia } from './LocalMedia.svelte.ts';
import { RemotePeer } from './RemotePeer.svelte.ts';
import { clearResume, loadResume, saveResume } from './resume.ts';
import { RequestError, SignalingConnection } from './signaling.ts';

/**
 * Where this tab is in the call:
 * idle (before Join) → joining → joined ⇄ reconnecting → left (by choice) or ended (by the
 * server); failed when joining did not work (see `problem`).
 */
export type CallPhase = 'idle' | 'joining' | 'joined' | 'reconnecting' | 'left' | 'ended' | 'failed';

/** What to explain to the person when the call is not (or no longer) running. */
export type CallProblem =
  | 'outdated'
  | 'room-not-found'
  | 'join-failed'
  | 'replaced'
  | 'room-closed'
  | 'server-shutdown';

/** Someone arriving or leaving, for the screen-reader announcement. */
export interface CallEvent {
  id: number;
  kind: 'joined' | 'left';
  name: string;
}

/** How long to wait for the signaling connection before joining gives up. */
const CONNECT_TIMEOUT_MS = 15_000;
const MAX_REJOIN_ATTEMPTS = 5;

/** Thrown inside work that belongs to an earlier join attempt, so that it stops quietly. */
class StaleWork extends Error {}

/**
 * One visit to one room: the signaling connection, where the visit stands (phase), the other
 * participants, and the CallMedia of the current join (transports, producers, consumers). Every
 * async step is tagged with the join attempt (`generation`) it belongs to; a reconnect or a leave
 * starts a new generation and the older work drops its results.
 */
export class CallSession {
  phase = $state<CallPhase>('idle');
  problem = $state<CallProblem | null>(null);
  /** Other participants by peer id, in joining order. */
  readonly peers = new SvelteMap<string, RemotePeer>();
  lastEvent = $state.raw<CallEvent | null>(null);

  readonly roomId: string;
  readonly #local: LocalMedia;
  #connection: SignalingConnection | null = null;
  #connectWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  #displayName = '';
  #generation = 0;
  #eventCounter = 0;

  #media: CallMedia | null = null;
  #producerWork: Promise<void> = Promise.resolve();

  constructor(roomId: string, local: LocalMedia) {
    this.roomId = roomId;
    this.#local = local;
  }

  /** Opens the signaling connection (early, so Join is quick and an outdated tab is told at once). */
  connect(): void {
    if (this.#connection) return;
    const connection = new SignalingConnection({
      connected: () => this.#onConnected(),
      disconnected: (reason) => this.#onDisconnected(reason),
      outdated: () => this.#onOutdated(),
      connectFailed: (error) => console.debug('signaling connection attempt failed', error.message),
    });
    this.#connection = connection;
    this.#listen(connection);
    connection.connect();
  }

  /** Enters the room under `displayName`, sending whatever LocalMedia has open. */
  async join(displayName: string): Promise<void> {
    if (this.phase !== 'idle' && this.phase !== 'failed') return;
    if (this.problem === 'outdated') return;
    this.#displayName = displayName;
    this.problem = null;
    this.phase = 'joining';
    const generation = ++this.#generation;
    try {
      this.connect();
      await this.#whenConnected();
      await this.#enterRoom(generation);
    } catch (error) {
      if (error instanceof StaleWork || generation !== this.#generation) return;
      console.error('joining the room failed', { roomId: this.roomId, error });
      this.#closeMedia();
      this.problem = this.problem ?? (isRoomNotFound(error) ? 'room-not-found' : 'join-failed');
      this.phase = 'failed';
    }
  }

  /** Leaves the room on purpose; idempotent. */
  async leave(): Promise<void> {
    if (this.phase === 'left' || this.phase === 'ended') return;
    const wasInRoom = this.phase === 'joined' || this.phase === 'reconnecting' || this.phase === 'joining';
    this.#generation++;
    this.phase = 'left';
    const connection = this.#connection;
    this.#connection = null;
    if (wasInRoom && connection?.connected) {
      try {
        await connection.request('leaveRoom', {});
      } catch (error) {
        console.warn('leaveRoom was not acknowledged; disconnecting anyway', error);
      }
    }
    this.#closeMedia();
    clearResume(this.roomId);
    connection?.close();
  }

  /** Turns this person's microphone on or off, for the others too. */
  async setMicrophone(on: boolean): Promise<void> {
    await this.#local.setMicrophone(on);
    await this.#syncProducer('microphone');
  }

  /** Turns this person's camera on or off, for the others too. */
  async setCamera(on: boolean): Promise<void> {
    await this.#local.setCamera(on);
    await this.#syncProducer('camera');
  }

  /** Tries again to open what the person wants after a camera or microphone failure. */
  async retryMedia(): Promise<void> {
    this.#local.problem = null;
    await this.#local.start();
    await Promise.all([this.#syncProducer('microphone'), this.#syncProducer('camera')]);
  }

  // --- joining -----------------------------------------------------------------------------

  async #enterRoom(generation: number): Promise<void> {
    const connection = this.#requireConnection();
    const [reply, device] = await Promise.all([this.#joinRequest(connection), Device.factory()]);
    this.#check(generation);
    saveResume(this.roomId, { peerId: reply.peerId, secret: reply.resumeSecret });

    const media = await CallMedia.open({
      connection,
      device,
      routerRtpCapabilities: reply.routerRtpCapabilities,
      onTransportFailed: (direction) => this.#onTransportFailed(direction, generation),
      // The device went away (unplugged, permission withdrawn): tell the others it is off.
      onTrackEnded: (source) => void this.#syncProducer(source),
    });
    if (generation !== this.#generation) {
      media.close();
      throw new StaleWork();
    }
    this.#media = media;
    for (const info of reply.peers) this.#upsertPeer(info, generation);
    this.phase = 'joined';

    // Everything known so far, including what notifications brought in meanwhile.
    for (const peer of this.peers.values()) {
      for (const producer of peer.producers.values()) void this.#receive(peer, producer, generation);
    }
    void this.#syncProducer('microphone');
    void this.#syncProducer('camera');
  }

  /** joinRoom, taking this tab's earlier place when it has one; a stale place is dropped. */
  async #joinRequest(connection: SignalingConnection): Promise<ReplyData<'joinRoom'>> {
    const payload = { roomId: this.roomId, displayName: this.#displayName };
    const resume = loadResume(this.roomId);
    if (resume) {
      try {
        return await connection.request('joinRoom', { ...payload, resume });
      } catch (error) {
        const retryable =
          error instanceof RequestError && !['timeout', 'disconnected', 'rate-limited'].includes(error.code);
        if (!retryable) throw error;
        clearResume(this.roomId);
      }
    }
    return connection.request('joinRoom', payload);
  }

  // --- sending -----------------------------------------------------------------------------

  /** Brings the producer for `source` in line with LocalMedia; calls run one after another. */
  #syncProducer(source: MediaSource): Promise<void> {
    const run = () =>
      this.#applyProducerState(source).catch((error: unknown) => {
        if (!(error instanceof StaleWork)) console.error('updating the producer failed', { source, error });
      });
    this.#producerWork = this.#producerWork.then(run, run);
    return this.#producerWork;
  }

  async #applyProducerState(source: MediaSource): Promise<void> {
    const media = this.#media;
    if (this.phase !== 'joined' || !media || media.closed) return;
    const local = this.#local;
    const track = source === 'microphone' ? (local.micWanted ? local.audioTrack : null) : local.videoTrack;
    await media.send(source, track);
  }

  // --- receiving ---------------------------------------------------------------------------

  #upsertPeer(info: PeerInfo, generation: number): RemotePeer {
    const peer = this.#ensurePeer(info.peerId, info.displayName);
    peer.displayName = info.displayName;
    for (const producer of info.producers) this.#addProducer(peer, producer, generation);
    return peer;
  }

  #ensurePeer(peerId: string, displayName = ''): RemotePeer {
    let peer = this.peers.get(peerId);
    if (!peer) {
      peer = new RemotePeer(peerId, displayName);
      this.peers.set(peerId, peer);
    }
    return peer;
  }

  #addProducer(peer: RemotePeer, producer: ProducerInfo, generation: number): void {
    peer.producers.set(producer.producerId, { ...producer });
    peer.setPaused(producer.source, producer.paused);
    void this.#receive(peer, producer, generation);
  }

  /** Receives one producer of `peer`: consume, attach the track, then let media flow. */
  async #receive(peer: RemotePeer, producer: ProducerInfo, generation: number): Promise<void> {
    const media = this.#media;
    // Before the transports exist, #enterRoom receives everything known once they do.
    if (!media || generation !== this.#generation) return;
    try {
      const received = await media.receive(peer.peerId, producer);
      if (!received) return;
      const stillWanted =
        generation === this.#generation &&
        this.peers.get(peer.peerId) === peer &&
        peer.producers.has(producer.producerId);
      if (!stillWanted) {
        media.closeConsumer(received.consumerId);
        return;
      }
      peer.setTrack(received.source, received.track);
      // The server creates consumers paused, so nothing is lost before the track is attached.
      await media.resume(received.consumerId);
    } catch (error) {
      if (generation !== this.#generation) return;
      if (error instanceof RequestError && error.code === 'not-found') return; // it closed meanwhile
      console.error('receiving a producer failed', { producerId: producer.producerId, error });
    }
  }

  /** Drops the track a closed consumer carried from its peer's tile. */
  #dropTrack(received: ReceivedMedia | undefined): void {
    if (!received) return;
    const peer = this.peers.get(received.peerId);
    if (!peer) return;
    const current = received.source === 'camera' ? peer.videoTrack : peer.audioTrack;
    if (current === received.track) peer.setTrack(received.source, null);
  }

  #removePeer(peerId: string): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    this.#media?.closeConsumersOfPeer(peerId);
    this.peers.delete(peerId);
    this.#announce('left', peer.displayName);
  }

  // --- notifications -----------------------------------------------------------------------

  #listen(connection: SignalingConnection): void {
    const active = () => this.phase === 'joining' || this.phase === 'joined' || this.phase === 'reconnecting';

    connection.on('peerJoined', ({ peer }) => {
      if (!active()) return;
      const isNew = !this.peers.has(peer.peerId);
      this.#upsertPeer(peer, this.#generation);
      if (isNew) this.#announce('joined', peer.displayName);
    });
    connection.on('peerLeft', ({ peerId }) => {
      if (active()) this.#removePeer(peerId);
    });
    connection.on('producerAdded', ({ peerId, producer }) => {
      if (active()) this.#addProducer(this.#ensurePeer(peerId), producer, this.#generation);
    });
    connection.on('producerClosed', ({ peerId, producerId }) => {
      this.peers.get(peerId)?.producers.delete(producerId);
      this.#dropTrack(this.#media?.closeConsumerOf(producerId));
    });
    connection.on('producerPaused', ({ peerId, producerId, paused }) => {
      const peer = this.peers.get(peerId);
      const info = peer?.producers.get(producerId);
      if (!peer || !info) return;
      info.paused = paused;
      peer.setPaused(info.source, paused);
    });
    connection.on('consumerClosed', ({ consumerId }) => this.#dropTrack(this.#media?.closeConsumer(consumerId)));
    connection.on('removed', ({ reason }) => {
      const problems = {
        replaced: 'replaced',
        'room-closed': 'room-closed',
        'server-shutdown': 'server-shutdown',
      } as const satisfies Record<typeof reason, CallProblem>;
      this.#end(problems[reason]);
    });
  }

  #announce(kind: CallEvent['kind'], name: string): void {
    this.lastEvent = { id: ++this.#eventCounter, kind, name };
  }

  // --- connection lifecycle ------------------------------------------------------------------

  #onConnected(): void {
    for (const waiter of this.#connectWaiters.splice(0)) waiter.resolve();
    if (this.phase === 'joined' || this.phase === 'reconnecting') void this.#rejoin();
  }

  #onDisconnected(reason: string): void {
    if (this.phase === 'joined') this.phase = 'reconnecting';
    // A server-side disconnect is not retried by Socket.IO itself.
    if (reason === 'io server disconnect' && this.phase === 'reconnecting') {
      setTimeout(() => this.#connection?.connect(), 1000);
    }
  }

  #onOutdated(): void {
    this.problem = 'outdated';
    for (const waiter of this.#connectWaiters.splice(0)) waiter.reject(new Error('protocol version mismatch'));
    this.#generation++;
    this.#closeMedia();
    this.#connection?.close();
    this.#connection = null;
    if (this.phase !== 'idle') this.phase = 'failed';
  }

  #onTransportFailed(direction: 'send' | 'recv', generation: number): void {
    if (generation !== this.#generation || this.phase !== 'joined') return;
    console.warn(`${direction} transport failed; re-joining`, { roomId: this.roomId });
    // With the socket down, the reconnect handler re-joins once it is back.
    if (this.#connection?.connected) void this.#rejoin();
  }

  /** Rebuilds everything after a lost connection, taking this tab's old place in the room. */
  async #rejoin(): Promise<void> {
    const generation = ++this.#generation;
    this.phase = 'reconnecting';
    this.#closeMedia();
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#enterRoom(generation);
        return;
      } catch (error) {
        if (error instanceof StaleWork || generation !== this.#generation) return;
        console.warn('re-joining failed', { roomId: this.roomId, attempt, error });
        this.#closeMedia();
        if (isRoomNotFound(error)) return this.#end('room-closed');
        // Without a connection, the next 'connect' starts a fresh attempt.
        if (!this.#connection?.connected) return;
        if (attempt >= MAX_REJOIN_ATTEMPTS) {
          this.problem = 'join-failed';
          this.phase = 'failed';
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
        if (generation !== this.#generation) return;
      }
    }
  }

  /** The server ended this tab's place in the room. */
  #end(problem: CallProblem): void {
    this.#generation++;
    this.problem = problem;
    this.phase = 'ended';
    this.#closeMedia();
    clearResume(this.roomId);
    this.#connection?.close();
    this.#connection = null;
  }

  #whenConnected(): Promise<void> {
    const connection = this.#requireConnection();
    if (connection.connected) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#connectWaiters = this.#connectWaiters.filter((w) => w !== waiter);
        reject(new RequestError('joinRoom', 'timeout', 'no connection to the server'));
      }, CONNECT_TIMEOUT_MS);
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#connectWaiters.push(waiter);
    });
  }

  /** Closes transports (and with them producers and consumers) and forgets all peers. */
  #closeMedia(): void {
    this.#media?.close();
    this.#media = null;
    this.peers.clear();
  }

  #requireConnection(): SignalingConnection {
    if (!this.#connection) throw new StaleWork('no signaling connection');
    return this.#connection;
  }

  #check(generation: number): void {
    if (generation !== this.#generation) throw new StaleWork();
  }
}

function isRoomNotFound(error: unknown): boolean {
  return error instanceof RequestError && error.request === 'joinRoom' && error.code === 'not-found';
}
