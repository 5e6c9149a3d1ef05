import { EventEmitter } from 'node:events';
import type { ProducerView, RoomMedia } from '@tupa/media-server';
import type { Logger } from 'pino';
import { forbiddenError, invalidStateError, SignalingError } from './errors.ts';
import { Peer, type NotifyOptions, type PeerChannel } from './Peer.ts';
import type {
  IceServer,
  MediaSource,
  NotificationName,
  NotificationPayload,
  PeerInfo,
  Role,
  RoomInfo,
  RtpCapabilities,
} from './protocol/index.ts';
import { QualityTracker } from './QualityTracker.ts';
import { LOBBY_CAPACITY, RoomLobby, type WaitingGuest } from './RoomLobby.ts';
import { Storytime } from './storytime/Storytime.ts';
import type { PlaceEnding } from './EndedPlaces.ts';

/** The room's own settings, from the database, as signaling needs them. */
export interface RoomSettings {
  name: string;
  kind: RoomInfo['kind'];
  groundRules: string;
  childrenPresent: boolean;
  chatEnabled: boolean;
  lobbyEnabled: boolean;
  capacity: number;
}

export const OPEN_ROOM_SETTINGS: RoomSettings = {
  name: '',
  kind: 'open',
  groundRules: '',
  childrenPresent: false,
  chatEnabled: true,
  lobbyEnabled: false,
  capacity: 12,
};

export type JoinResult =
  | { admission: 'in'; peer: Peer; mediaKept: boolean }
  | { admission: 'lobby'; guest: WaitingGuest };

export interface RoomOptions {
  /** How long an empty room keeps its router, so a quick reload does not rebuild it. */
  emptyRoomGraceMs: number;
  /** How long a participant whose signaling dropped keeps their place and media. */
  reconnectGraceMs: number;
  /** Most participants at once. */
  capacity: number;
  /**
   * A place ended in a way its tab must hear about even if it was away at that moment (see
   * EndedPlaces): the registry remembers it for the reconnect grace period.
   */
  placeEnded?: (peerId: string, secret: string, ending: PlaceEnding) => void;
}

type RoomEvents = { close: [] };
type LeaveReason = 'left' | 'disconnected' | 'replaced' | 'room-closed' | 'removed-by-host';

/**
 * A live room: its participants, its router, and the notifications between them. The room is
 * the single owner of its peers; a peer leaves only through `leave`. If the router's worker
 * dies, the room moves to a new router and everyone rebuilds their media there.
 */
export class Room extends EventEmitter<RoomEvents> {
  readonly id: string;
  readonly #peers = new Map<string, Peer>();
  readonly #options: RoomOptions;
  readonly #logger: Logger;
  readonly #createMedia: () => Promise<RoomMedia>;
  readonly #quality: QualityTracker;
  #media: RoomMedia;
  #mediaReady: Promise<void> = Promise.resolve();
  #activeSpeaker: string | null = null;
  #settings: RoomSettings = OPEN_ROOM_SETTINGS;
  #locked = false;
  readonly #lobby = new RoomLobby();
  /** The shared picture book; its rules live in Storytime, the room only tells everyone. */
  readonly storytime: Storytime;
  #emptyTimer: NodeJS.Timeout | undefined;
  #closed = false;
  /** What the lobby was last told about hosts, so it hears only of a change. */
  #lobbyToldHostPresent = false;

  constructor(id: string, media: RoomMedia, createMedia: () => Promise<RoomMedia>, options: RoomOptions, logger: Logger) {
    super();
    this.id = id;
    this.#media = media;
    this.#createMedia = createMedia;
    this.#options = options;
    this.#logger = logger.child({ roomId: id });
    this.#quality = new QualityTracker((peerId, score) => this.broadcast('connectionQuality', { peerId, score }));
    this.storytime = new Storytime(
      { kind: () => this.#settings.kind, has: (peerId) => this.#peers.has(peerId) },
      (state, by) => this.broadcast('storytimeChanged', { state, by }),
    );
    this.#wireRoomMedia(media);
    this.#scheduleCloseIfEmpty();
  }

  get closed(): boolean {
    return this.#closed;
  }

  get size(): number {
    return this.#peers.size;
  }

  /** How many wait in the lobby (away or not). */
  get lobbySize(): number {
    return this.#lobby.size;
  }

  get media(): RoomMedia {
    return this.#media;
  }

  get routerRtpCapabilities(): RtpCapabilities {
    return this.#media.rtpCapabilities as RtpCapabilities;
  }

  get locked(): boolean {
    return this.#locked;
  }

  /**
   * Whether a host is in the room: someone in the lobby is let in only by one. A host whose
   * connection dropped counts while their place is kept, so a laptop that sleeps for a few
   * seconds does not tell the lobby the host has gone.
   */
  get hostPresent(): boolean {
    for (const peer of this.#peers.values()) if (peer.role === 'host') return true;
    return false;
  }

  /** The latest settings from the database (a coordinator may have changed them). */
  applySettings(settings: RoomSettings): void {
    this.#settings = settings;
  }

  info(): RoomInfo {
    const s = this.#settings;
    return {
      name: s.name,
      kind: s.kind,
      groundRules: s.groundRules,
      childrenPresent: s.childrenPresent,
      chatEnabled: s.chatEnabled && !s.childrenPresent,
      locked: this.#locked,
    };
  }

  /** Resolves when the room has a working router (at once, unless one is being rebuilt). */
  whenMediaReady(): Promise<void> {
    return this.#mediaReady;
  }

  /**
   * Lets someone new in, or into the lobby. Guests wait in the lobby when the room has one;
   * hosts never do. A locked room lets no new guest in.
   */
  join(request: { displayName: string; role: Role; channel: PeerChannel }): JoinResult {
    if (this.#closed) throw invalidStateError('room closed');
    const { role } = request;
    if (role === 'guest' && this.#locked) throw forbiddenError('room is locked', 'room-locked');
    if (role === 'guest' && this.#settings.lobbyEnabled) {
      if (this.#lobby.size >= LOBBY_CAPACITY) throw forbiddenError('room is full', 'room-full');
      const guest: WaitingGuest = {
        id: Peer.newId(),
        displayName: request.displayName,
        role,
        secret: Peer.newSecret(),
        channel: request.channel,
        waitingSince: Date.now(),
      };
      this.#lobby.add(guest);
      clearTimeout(this.#emptyTimer);
      this.#notifyHostsOfLobby();
      this.#logger.info({ guestId: guest.id, waiting: this.#lobby.size }, 'guest waiting in lobby');
      return { admission: 'lobby', guest };
    }
    const peer = this.#addPeer({ id: Peer.newId(), displayName: request.displayName, role, channel: request.channel });
    this.#logger.info({ peerId: peer.id, role, peers: this.#peers.size }, 'peer joined');
    return { admission: 'in', peer, mediaKept: false };
  }

  /**
   * The same tab takes back its place after a drop or a reload: a lobby guest their place in
   * the queue; a participant their place in the call, with its media when it asks to keep it and
   * the server still has it, else with fresh media under the same id and secret. Either way
   * nobody sees a second tile or a second lobby entry, and nobody is sent to the lobby again.
   * Throws `not-found` with reason `place-gone` when the room keeps no such place.
   */
  resume(request: {
    displayName: string;
    channel: PeerChannel;
    resume: { peerId: string; secret: string; keepMedia?: boolean | undefined };
  }): JoinResult {
    if (this.#closed) throw invalidStateError('room closed');
    const { resume, channel } = request;
    const waiting = this.#lobby.find(resume.peerId, resume.secret);
    if (waiting) {
      this.#lobby.back(waiting, channel);
      this.#logger.info({ guestId: waiting.id }, 'lobby guest back in their place');
      return { admission: 'lobby', guest: waiting };
    }
    const previous = this.#peers.get(resume.peerId);
    if (!previous?.hasResumeSecret(resume.secret)) throw placeGoneError();
    // Media rebuilt on a new router while the tab was away (its `mediaReset` was lost): the
    // tab's transports are of the old router, so it must start afresh, not keep them.
    if (resume.keepMedia && !previous.media.closed && !previous.missedMediaReset) {
      clearTimeout(previous.awayTimer);
      previous.awayTimer = undefined;
      previous.attach(channel);
      this.broadcast('peerConnectionState', { peerId: previous.id, state: 'connected' }, previous);
      // Who came to the lobby meanwhile (lobbyChanged to the old connection was lost).
      if (previous.role === 'host') channel.notify('lobbyChanged', { waiting: this.#lobby.list() });
      this.#logger.info({ peerId: previous.id }, 'peer resumed with its media');
      return { admission: 'in', peer: previous, mediaKept: true };
    }
    // Fresh media under the same id, role and secret: a second drop before this reply arrives
    // must still find the place with the credential the tab holds. The place is the person's
    // own, so a room that became smaller meanwhile does not refuse it.
    this.leave(previous, 'replaced', channel);
    const peer = this.#addPeer(
      // The name the host let in stays: a resume is no way to take another name.
      { id: previous.id, displayName: previous.displayName, role: previous.role, channel, resumeSecret: previous.resumeSecret },
      { returning: true },
    );
    this.#logger.info({ peerId: peer.id, role: peer.role, peers: this.#peers.size }, 'peer resumed with new media');
    return { admission: 'in', peer, mediaKept: false };
  }

  /** Whether this room keeps a place (participant or lobby guest) for `peerId` with `secret`. */
  holdsPlace(peerId: string, secret: string): boolean {
    return this.#lobby.find(peerId, secret) !== undefined || this.#peers.get(peerId)?.hasResumeSecret(secret) === true;
  }

  /** Whether `peerId` is a participant or a waiting guest here. */
  hasPlace(peerId: string): boolean {
    return this.#peers.has(peerId) || this.#lobby.has(peerId);
  }

  /**
   * Lets waiting guests in; each learns what a direct join would have told them, and keeps the
   * id and secret they waited with, so a drop now or later resumes their place in the call.
   * A guest whose connection is away at that moment is let in as away, and comes back into the
   * call (not the lobby) when their tab reconnects within the grace period.
   */
  admit(guestId: string | 'all', iceServersFor: (peerId: string) => IceServer[]): number {
    let admitted = 0;
    // Whoever does not fit stays waiting where they were in the queue, away timer and all.
    for (const guest of this.#lobby.peek(guestId)) {
      if (this.#peers.size >= this.#capacity()) break;
      const { channel } = guest;
      const peer = this.#addPeer({
        id: guest.id,
        displayName: guest.displayName,
        role: guest.role,
        channel,
        resumeSecret: guest.secret,
      });
      this.#lobby.take(guest.id);
      channel.admit(this, peer);
      channel.notify('admitted', {
        peerId: peer.id,
        resumeSecret: peer.resumeSecret,
        routerRtpCapabilities: this.routerRtpCapabilities,
        iceServers: iceServersFor(peer.id),
        peers: this.peerInfos(peer),
        activeSpeaker: this.#activeSpeaker,
        storytime: this.storytime.snapshot(),
      });
      if (channel.closed) this.disconnected(peer, channel);
      admitted++;
    }
    if (admitted > 0) this.#notifyHostsOfLobby();
    return admitted;
  }

  /** Turns waiting guests away. */
  deny(guestId: string | 'all'): number {
    const guests = this.#lobby.take(guestId);
    for (const guest of guests) {
      this.#options.placeEnded?.(guest.id, guest.secret, 'lobby-denied');
      guest.channel.release('lobby-denied');
    }
    if (guests.length > 0) this.#notifyHostsOfLobby();
    this.#scheduleCloseIfEmpty();
    return guests.length;
  }

  /**
   * A waiting guest's connection dropped: they keep their place in the queue for the reconnect
   * grace period (hosts see them as before), then leave it.
   */
  guestAway(guestId: string, channel: PeerChannel): void {
    this.#lobby.away(guestId, channel, this.#options.reconnectGraceMs, () => this.leaveLobby(guestId));
  }

  /** A waiting guest left, or did not come back in time. */
  leaveLobby(guestId: string): void {
    if (!this.#lobby.remove(guestId)) return;
    this.#notifyHostsOfLobby();
    this.#scheduleCloseIfEmpty();
  }

  setLocked(locked: boolean): void {
    this.#locked = locked;
    this.broadcast('roomLocked', { locked });
  }

  #addPeer(
    who: { id: string; displayName: string; role: Role; channel: PeerChannel; resumeSecret?: string },
    { returning = false }: { returning?: boolean } = {},
  ): Peer {
    if (!returning && this.#peers.size >= this.#capacity()) throw forbiddenError('room is full', 'room-full');
    clearTimeout(this.#emptyTimer);
    const peer = new Peer({ ...who, media: this.#media.createPeerMedia(who.id) });
    this.#wirePeerMedia(peer);
    this.#peers.set(peer.id, peer);
    this.broadcast('peerJoined', { peer: peer.info() }, peer);
    if (peer.role === 'host') {
      peer.channel.notify('lobbyChanged', { waiting: this.#lobby.list() });
      this.#tellLobbyOfHosts();
    }
    return peer;
  }

  /** The lobby hears when the first host arrives and when the last one has gone. */
  #tellLobbyOfHosts(): void {
    const present = this.hostPresent;
    if (present === this.#lobbyToldHostPresent) return;
    this.#lobbyToldHostPresent = present;
    this.#lobby.tell('hostPresenceChanged', { present });
  }

  /** The room's own limit, never above the server's. */
  #capacity(): number {
    return Math.min(this.#options.capacity, this.#settings.capacity);
  }

  #notifyHostsOfLobby(): void {
    const waiting = this.#lobby.list();
    for (const peer of this.#peers.values()) if (peer.role === 'host') peer.channel.notify('lobbyChanged', { waiting });
  }

  /**
   * The peer's signaling dropped. Its place and media are kept for the reconnect grace period,
   * so a laptop that sleeps for a few seconds comes back to the same call.
   */
  disconnected(peer: Peer, channel: PeerChannel): void {
    if (this.#peers.get(peer.id) !== peer || peer.channel !== channel) return;
    if (this.#options.reconnectGraceMs <= 0) {
      this.leave(peer, 'disconnected');
      return;
    }
    clearTimeout(peer.awayTimer);
    peer.awayTimer = setTimeout(() => this.leave(peer, 'disconnected'), this.#options.reconnectGraceMs);
    peer.awayTimer.unref();
    this.broadcast('peerConnectionState', { peerId: peer.id, state: 'reconnecting' }, peer);
    this.#logger.info({ peerId: peer.id }, 'peer away, keeping its place');
  }

  /**
   * Removes a participant and closes all of its media. Idempotent. `successor`: the channel
   * taking the place over (a resume), which is not told that it was replaced.
   */
  leave(peer: Peer, reason: LeaveReason, successor?: PeerChannel): void {
    if (this.#peers.get(peer.id) !== peer) return;
    this.#peers.delete(peer.id);
    clearTimeout(peer.awayTimer);
    peer.awayTimer = undefined;
    peer.media.close();
    this.#quality.forget(peer.id);
    if (reason === 'removed-by-host') this.#options.placeEnded?.(peer.id, peer.resumeSecret, reason);
    if ((reason === 'replaced' && peer.channel !== successor) || reason === 'removed-by-host') peer.channel.release(reason);
    this.broadcast('peerLeft', { peerId: peer.id });
    if (this.#activeSpeaker === peer.id) {
      this.#activeSpeaker = null;
      this.broadcast('activeSpeaker', { peerId: null });
    }
    // A replaced peer comes straight back under the same id (a resume), keeping its storytime role.
    if (reason !== 'replaced') this.storytime.peerLeft(peer.id);
    // A host resuming with new media is back in the same breath: the lobby hears nothing.
    if (peer.role === 'host' && reason !== 'replaced') this.#tellLobbyOfHosts();
    this.#logger.info({ peerId: peer.id, reason, peers: this.#peers.size }, 'peer left');
    this.#scheduleCloseIfEmpty();
  }

  /** A participant by id, if present. */
  peer(peerId: string): Peer | undefined {
    return this.#peers.get(peerId);
  }

  /** Everyone else, as the joining peer should first see them. */
  peerInfos(except?: Peer): PeerInfo[] {
    return [...this.#peers.values()].filter((p) => p !== except).map((p) => p.info(this.#quality.score(p.id) ?? null));
  }

  get activeSpeaker(): string | null {
    return this.#activeSpeaker;
  }

  async produce(
    peer: Peer,
    request: Parameters<Peer['media']['produce']>[0] & { source: MediaSource },
  ): Promise<ProducerView> {
    const producer = await peer.media.produce(request);
    this.broadcast('producerAdded', { peerId: peer.id, producer: toProducerInfo(producer) }, peer);
    return producer;
  }

  closeProducer(peer: Peer, producerId: string): void {
    peer.media.closeProducer(producerId);
    this.#quality.removeProducer(peer.id, producerId);
    this.broadcast('producerClosed', { peerId: peer.id, producerId }, peer);
  }

  async setProducerPaused(peer: Peer, producerId: string, paused: boolean): Promise<void> {
    await peer.media.setProducerPaused(producerId, paused);
    this.broadcast('producerPaused', { peerId: peer.id, producerId, paused }, peer);
  }

  broadcast<K extends NotificationName>(name: K, payload: NotificationPayload<K>, except?: Peer): void {
    for (const peer of this.#peers.values()) {
      if (peer !== except) peer.channel.notify(name, payload);
    }
  }

  /** Tells the participants `to` picks; volatile notices may be dropped on a congested link. */
  notifyWhere<K extends NotificationName>(
    name: K,
    payload: NotificationPayload<K>,
    to: (peer: Peer) => boolean,
    options?: NotifyOptions,
  ): void {
    for (const peer of this.#peers.values()) {
      if (to(peer)) peer.channel.notify(name, payload, options);
    }
  }

  /** Tells everyone the room is closing, closes their media and the router. Idempotent. */
  close(reason: 'room-closed' | 'server-shutdown' | 'session-ended' = 'room-closed'): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#emptyTimer);
    this.#quality.close();
    for (const guest of this.#lobby.clear()) {
      if (reason === 'session-ended') this.#options.placeEnded?.(guest.id, guest.secret, reason);
      guest.channel.release(reason);
    }
    for (const peer of [...this.#peers.values()]) {
      if (reason === 'session-ended') this.#options.placeEnded?.(peer.id, peer.resumeSecret, reason);
      clearTimeout(peer.awayTimer);
      peer.channel.release(reason);
      this.#peers.delete(peer.id);
      peer.media.close();
    }
    this.#media.close();
    this.#logger.info({ reason }, 'room closed');
    this.emit('close');
  }

  #wireRoomMedia(media: RoomMedia): void {
    media.once('close', (reason) => {
      if (this.#closed || media !== this.#media) return;
      if (reason === 'worker-died') this.#rebuildMedia();
      else this.close();
    });
    media.on('activespeaker', (peerId) => {
      if (peerId === this.#activeSpeaker || !this.#peers.has(peerId)) return;
      this.#activeSpeaker = peerId;
      this.broadcast('activeSpeaker', { peerId });
    });
  }

  #wirePeerMedia(peer: Peer): void {
    const media = peer.media;
    media.on('consumerclosed', ({ consumerId, kind }) => {
      if (peer.media === media) peer.channel.notify('consumerClosed', { consumerId, kind });
    });
    media.on('producerscore', (producerId, score) => {
      if (peer.media === media) this.#quality.update(peer.id, producerId, score);
    });
  }

  /** The worker died: a new router elsewhere, new empty media for everyone, and a reset notice. */
  #rebuildMedia(): void {
    this.#logger.warn('room media lost with its worker, moving to a new router');
    this.#activeSpeaker = null;
    this.#mediaReady = (async () => {
      const media = await this.#createMedia();
      if (this.#closed) {
        media.close();
        return;
      }
      this.#media = media;
      this.#wireRoomMedia(media);
      for (const peer of this.#peers.values()) {
        this.#quality.forget(peer.id);
        peer.replaceMedia(media.createPeerMedia(peer.id));
        this.#wirePeerMedia(peer);
        if (peer.away) peer.missedMediaReset = true;
        peer.channel.notify('mediaReset', { routerRtpCapabilities: this.routerRtpCapabilities });
      }
      this.#logger.info({ peers: this.#peers.size }, 'room media rebuilt');
    })().catch((error: unknown) => {
      this.#logger.error({ err: error }, 'room media could not be rebuilt');
      this.close();
    });
  }

  #scheduleCloseIfEmpty(): void {
    if (this.#peers.size > 0 || this.#lobby.size > 0 || this.#closed) return;
    clearTimeout(this.#emptyTimer);
    this.#emptyTimer = setTimeout(() => {
      if (this.#peers.size === 0 && this.#lobby.size === 0) this.close();
    }, this.#options.emptyRoomGraceMs);
    this.#emptyTimer.unref();
  }
}

/** A resume that names no place this room keeps. */
function placeGoneError(): SignalingError {
  return new SignalingError('not-found', 'this place in the call is no longer kept', 'place-gone');
}

function toProducerInfo(view: ProducerView) {
  return { producerId: view.producerId, kind: view.kind, source: view.source as MediaSource, paused: view.paused };
}
