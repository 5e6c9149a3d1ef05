import { SafeEmitter, type RoomMedia } from '@tupa/media-server';
import type { Logger } from 'pino';
import { callEntry } from './callEntry.ts';
import { forbiddenError, invalidStateError, SignalingError } from './errors.ts';
import { Peer, type NotifyOptions, type PeerChannel, type ProduceRequest } from './Peer.ts';
import {
  mayAdmitFromLobby,
  type IceServer,
  type NotificationName,
  type NotificationPayload,
  type PeerInfo,
  type ProducerInfo,
  type Role,
  type RoomInfo,
  type RtpCapabilities,
} from './protocol/index.ts';
import { RoomLobby } from './RoomLobby.ts';
import { RoomPeers } from './RoomPeers.ts';
import { RoomRouter } from './RoomRouter.ts';
import { OPEN_ROOM_RULES, roomInfo, type RoomOptions, type RoomRules } from './roomConfig.ts';
import type { JoinRequest, JoinResult } from './RoomJoin.ts';
import { Storytime } from './storytime/Storytime.ts';
import { RoomGames } from './games/RoomGames.ts';

export { OPEN_ROOM_RULES, type RoomOptions, type RoomRules } from './roomConfig.ts';
export type { JoinRequest, JoinResult, ResumeCredential } from './RoomJoin.ts';

type RoomEvents = { close: [] };
type LeaveReason = 'left' | 'disconnected' | 'replaced' | 'room-closed' | 'removed-by-host';

/**
 * A live room: its participants, its lobby, its router, and the notifications between them.
 * The room is the single owner of its peers; one comes in only through `join` (or `admit` from
 * the lobby) and leaves only through `leave`. If the router's worker dies, the room moves to a
 * new router and everyone rebuilds their media there.
 */
export class Room extends SafeEmitter<RoomEvents> {
  readonly id: string;
  readonly #peers = new RoomPeers();
  readonly #lobby = new RoomLobby(this.#peers);
  readonly #options: RoomOptions;
  readonly #logger: Logger;
  readonly #router: RoomRouter;
  #settings: RoomRules = OPEN_ROOM_RULES;
  #locked = false;
  /** The shared picture book; its rules live in Storytime, the room only tells everyone. */
  readonly storytime: Storytime;
  /** The game being played (or the drawing board); its rules live in RoomGames. */
  readonly games: RoomGames;
  #emptyTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(id: string, media: RoomMedia, createMedia: () => Promise<RoomMedia>, options: RoomOptions, logger: Logger) {
    const roomLogger = logger.child({ roomId: id });
    super(roomLogger);
    this.id = id;
    this.#options = options;
    this.#logger = roomLogger;
    this.storytime = new Storytime(
      {
        rules: () => ({ kind: this.#settings.kind, madeFromStartPage: this.#settings.madeFromStartPage }),
        has: (peerId) => this.#peers.has(peerId),
      },
      (state, by) => this.broadcast('storytimeChanged', { state, by }),
    );
    this.games = new RoomGames(
      {
        rules: () => ({ kind: this.#settings.kind, madeFromStartPage: this.#settings.madeFromStartPage }),
        readerId: () => this.storytime.readerId,
        has: (peerId) => this.#peers.has(peerId),
        tellEach: (name, payloadFor) => this.#peers.notifyEach(name, (peer) => payloadFor(peer.id)),
        tell: (name, payload, exceptId) => this.#peers.notifyWhere(name, payload, (peer) => peer.id !== exceptId),
      },
      this.#logger,
      options.games,
    );
    this.#router = new RoomRouter(
      media,
      createMedia,
      {
        activeSpeaker: (peerId) => this.#peers.speakerChanged(peerId),
        moved: (next) => {
          this.#peers.moveTo(next);
          this.#logger.info({ peers: this.#peers.size }, 'room media rebuilt');
        },
        gone: () => this.close(),
      },
      this.#logger,
    );
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
    return this.#router.media;
  }

  get routerRtpCapabilities(): RtpCapabilities {
    return this.#router.rtpCapabilities;
  }

  get locked(): boolean {
    return this.#locked;
  }

  /** Whether a host is in the room (one whose connection dropped a moment ago counts). */
  get hostPresent(): boolean {
    return this.#peers.hostPresent;
  }

  get activeSpeaker(): string | null {
    return this.#peers.activeSpeaker;
  }

  /** The latest settings from the database (a coordinator may have changed them). */
  applySettings(settings: RoomRules): void {
    this.#settings = settings;
    this.games.roomRulesChanged();
  }

  info(): RoomInfo {
    return roomInfo(this.#settings, this.#locked);
  }

  /** Resolves when the room has a working router (at once, unless one is being rebuilt). */
  whenMediaReady(): Promise<void> {
    return this.#router.whenReady();
  }

  /**
   * The one decision of where a person goes. A returning tab (`resume`) takes back its own
   * place: a lobby guest their place in the queue; a participant their place in the call, with
   * the media it holds when it asks to keep it and the server still has it, else with fresh
   * media under the same id and secret. A resume never goes to the lobby again, is never
   * refused for capacity (the place is the person's), and nobody sees a second tile or lobby
   * entry. Someone new waits in the lobby when they are a guest and the room has one, and is in
   * the call otherwise. Throws `not-found` (`place-gone`) for a resume of a place not kept here,
   * `forbidden` (`room-locked`, `room-full`) for a newcomer, `invalid-state` once closed.
   */
  join(request: JoinRequest): JoinResult {
    if (this.#closed) throw invalidStateError('room closed');
    const { displayName, channel, resume } = request;
    if (resume) {
      const waiting = this.#lobby.find(resume.peerId, resume.secret);
      if (waiting) {
        this.#lobby.back(waiting, channel);
        this.#logger.info({ guestId: waiting.id }, 'lobby guest back in their place');
        return { admission: 'lobby', guest: waiting };
      }
      const previous = this.#peers.get(resume.peerId);
      if (!previous?.hasResumeSecret(resume.secret)) throw placeGoneError();
      if (resume.keepMedia && previous.mediaKeepable) {
        previous.comeBack(channel);
        this.broadcast('peerConnectionState', { peerId: previous.id, state: 'connected' }, previous);
        if (mayAdmitFromLobby({ actor: previous }).allowed) this.#lobby.hostArrived(previous);
        this.#logger.info({ peerId: previous.id }, 'peer resumed with its media');
        return { admission: 'in', peer: previous, mediaKept: true };
      }
      // Fresh media under the same id, role and secret: a second drop before this reply arrives
      // must still find the place with the credential the tab holds.
      this.leave(previous, 'replaced', channel);
      const peer = this.#addPeer(
        // The name the host let in stays: a resume is no way to take another name.
        { id: previous.id, displayName: previous.displayName, role: previous.role, channel, resumeSecret: previous.resumeSecret },
        { returning: true },
      );
      this.#logger.info({ peerId: peer.id, role: peer.role, peers: this.#peers.size }, 'peer resumed with new media');
      return { admission: 'in', peer, mediaKept: false };
    }
    const { role } = request;
    if (role === 'guest' && this.#locked) throw forbiddenError('room is locked', 'room-locked');
    if (role === 'guest' && this.#settings.lobbyEnabled) {
      const guest = this.#lobby.enter({ displayName, role, channel });
      clearTimeout(this.#emptyTimer);
      this.#logger.info({ guestId: guest.id, waiting: this.#lobby.size }, 'guest waiting in lobby');
      return { admission: 'lobby', guest };
    }
    const peer = this.#addPeer({ id: Peer.newId(), displayName, role, channel });
    this.#logger.info({ peerId: peer.id, role, peers: this.#peers.size }, 'peer joined');
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
   * Lets waiting guests in; each channel takes the place and hears the same CallEntry a direct
   * join answers with, under the id and secret they waited with, so a drop now or later resumes
   * their place in the call. A guest whose connection is away at that moment is let in as away,
   * and comes back into the call (not the lobby) when their tab reconnects within the grace
   * period. Whoever does not fit stays waiting where they were in the queue, away timer and all.
   */
  admit(guestId: string | 'all', iceServersFor: (peerId: string) => IceServer[]): number {
    let admitted = 0;
    for (const guest of this.#lobby.peek(guestId)) {
      if (this.#peers.size >= this.#capacity()) break;
      const { channel } = guest;
      const peer = this.#addPeer({ id: guest.id, displayName: guest.displayName, role: guest.role, channel, resumeSecret: guest.secret });
      this.#lobby.take(guest.id);
      channel.enterCall(this, peer);
      channel.notify('admitted', callEntry(this, peer, iceServersFor(peer.id)));
      if (channel.closed) this.disconnected(peer, channel);
      admitted++;
    }
    if (admitted > 0) this.#lobby.tellHosts();
    return admitted;
  }

  /** Turns waiting guests away. */
  deny(guestId: string | 'all'): number {
    const guests = this.#lobby.take(guestId);
    for (const guest of guests) {
      this.#options.placeEnded?.(guest.id, guest.secret, 'lobby-denied');
      guest.channel.release('lobby-denied');
    }
    if (guests.length > 0) this.#lobby.tellHosts();
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
    if (this.#lobby.remove(guestId)) this.#scheduleCloseIfEmpty();
  }

  setLocked(locked: boolean): void {
    this.#locked = locked;
    this.broadcast('roomLocked', { locked });
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
    peer.goAway(this.#options.reconnectGraceMs, () => this.leave(peer, 'disconnected'));
    this.broadcast('peerConnectionState', { peerId: peer.id, state: 'reconnecting' }, peer);
    this.#logger.info({ peerId: peer.id }, 'peer away, keeping its place');
  }

  /**
   * Removes a participant and closes it (its media, its away timer). Idempotent. `successor`:
   * the channel taking the place over (a resume), which is not told that it was replaced.
   */
  leave(peer: Peer, reason: LeaveReason, successor?: PeerChannel): void {
    if (!this.#peers.remove(peer)) return;
    peer.close();
    if (reason === 'removed-by-host') this.#options.placeEnded?.(peer.id, peer.resumeSecret, reason);
    if ((reason === 'replaced' && peer.channel !== successor) || reason === 'removed-by-host') peer.channel.release(reason);
    this.broadcast('peerLeft', { peerId: peer.id });
    if (this.activeSpeaker === peer.id) this.#peers.speakerChanged(null);
    // A replaced peer comes straight back under the same id (a resume), keeping its storytime
    // role; a host resuming with new media is back in the same breath, so the lobby hears nothing.
    if (reason !== 'replaced') {
      this.storytime.peerLeft(peer.id);
      this.games.peerLeft(peer.id);
      if (mayAdmitFromLobby({ actor: peer }).allowed) this.#lobby.hostsChanged();
    } else {
      this.games.peerReplaced(peer.id);
    }
    this.#logger.info({ peerId: peer.id, reason, peers: this.#peers.size }, 'peer left');
    this.#scheduleCloseIfEmpty();
  }

  /** A participant by id, if present. */
  peer(peerId: string): Peer | undefined {
    return this.#peers.get(peerId);
  }

  /** Everyone else, as the joining peer should first see them. */
  peerInfos(except?: Peer): PeerInfo[] {
    return this.#peers.infos(except);
  }

  /** Starts one of `peer`'s sources and tells the others. */
  async produce(peer: Peer, request: ProduceRequest): Promise<ProducerInfo> {
    const producer = await peer.produce(request);
    this.broadcast('producerAdded', { peerId: peer.id, producer }, peer);
    return producer;
  }

  closeProducer(peer: Peer, producerId: string): void {
    peer.closeProducer(producerId);
    this.#peers.producerClosed(peer.id, producerId);
    this.broadcast('producerClosed', { peerId: peer.id, producerId }, peer);
  }

  async setProducerPaused(peer: Peer, producerId: string, paused: boolean): Promise<void> {
    await peer.setProducerPaused(producerId, paused);
    this.broadcast('producerPaused', { peerId: peer.id, producerId, paused }, peer);
  }

  broadcast<K extends NotificationName>(name: K, payload: NotificationPayload<K>, except?: Peer): void {
    this.#peers.broadcast(name, payload, except);
  }

  /** Tells the participants `to` picks; volatile notices may be dropped on a congested link. */
  notifyWhere<K extends NotificationName>(
    name: K,
    payload: NotificationPayload<K>,
    to: (peer: Peer) => boolean,
    options?: NotifyOptions,
  ): void {
    this.#peers.notifyWhere(name, payload, to, options);
  }

  /** Tells everyone the room is closing, closes their media and the router. Idempotent. */
  close(reason: 'room-closed' | 'server-shutdown' | 'session-ended' = 'room-closed'): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#emptyTimer);
    this.games.close();
    for (const guest of this.#lobby.clear()) {
      if (reason === 'session-ended') this.#options.placeEnded?.(guest.id, guest.secret, reason);
      guest.channel.release(reason);
    }
    for (const peer of this.#peers.clear()) {
      if (reason === 'session-ended') this.#options.placeEnded?.(peer.id, peer.resumeSecret, reason);
      peer.channel.release(reason);
      peer.close();
    }
    this.#router.close();
    this.#logger.info({ reason }, 'room closed');
    this.safeEmit('close');
  }

  #addPeer(
    who: { id: string; displayName: string; role: Role; channel: PeerChannel; resumeSecret?: string },
    { returning = false }: { returning?: boolean } = {},
  ): Peer {
    if (!returning && this.#peers.size >= this.#capacity()) throw forbiddenError('room is full', 'room-full');
    clearTimeout(this.#emptyTimer);
    const peer = new Peer({
      ...who,
      media: this.media.createPeerMedia(who.id),
      onProducerScore: (producerId, score) => this.#peers.producerScore(who.id, producerId, score),
    });
    this.#peers.add(peer);
    this.broadcast('peerJoined', { peer: peer.info() }, peer);
    if (mayAdmitFromLobby({ actor: peer }).allowed) this.#lobby.hostArrived(peer);
    return peer;
  }

  /** The room's own limit, never above the server's. */
  #capacity(): number {
    return Math.min(this.#options.capacity, this.#settings.capacity);
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
