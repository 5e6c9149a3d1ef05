import type { SvelteMap } from 'svelte/reactivity';
import type { InvitationCredential, ReplyData, RoomInfo, RtpCapabilities } from '@tupa/signaling/protocol';
import { isFinal, problemForJoinError, problemForRemoval, type CallProblem } from './callProblems.ts';
import { ChatSession } from './ChatSession.svelte.ts';
import { LinkMonitor } from './LinkMonitor.svelte.ts';
import type { LocalMedia } from './LocalMedia.svelte.ts';
import { Participants, type CallEvent } from './Participants.svelte.ts';
import type { RemotePeer } from './RemotePeer.svelte.ts';
import { HeldPlace } from './resume.ts';
import { SessionMedia, StaleWork } from './SessionMedia.svelte.ts';
import { StorytimeSession } from '../storytime/StorytimeSession.svelte.ts';
import { RoomModeration } from './RoomModeration.svelte.ts';
import { RequestError, retryDelayMs, SignalingConnection } from './signaling.ts';
import type { NotificationPayload } from '@tupa/signaling/protocol';
import { TilePreferences, type TilePlacement } from './tilePreferences.ts';

export type { CallEvent } from './Participants.svelte.ts';

/**
 * Where this tab is in the call:
 * idle (before Join) → joining → joined ⇄ reconnecting → left (by choice) or ended (by the
 * server); failed when joining did not work (see `problem`).
 */
export type CallPhase = 'idle' | 'joining' | 'waiting' | 'joined' | 'reconnecting' | 'left' | 'ended' | 'failed';


export type { CallProblem } from './callProblems.ts';

/** How long to wait for the signaling connection before joining gives up. */
const CONNECT_TIMEOUT_MS = 15_000;
const MAX_MEDIA_REBUILD_ATTEMPTS = 3;

/** How a join uses this tab's earlier place (kept in session storage). */
type PlaceUse =
  /** Take it back if the server still keeps it, else join afresh (the Join button). */
  | 'resume-or-new'
  /** Take it back or fail with `place-gone` (after a drop, after a reload). */
  | 'resume-only';

/**
 * One visit to one room: the signaling connection, where the visit stands (phase), the other
 * participants (Participants) and this tab's media (SessionMedia).
 *
 * Every join attempt (join, each resume) has a `generation`; leaving or being ended starts a new
 * one, and work of an older generation stops quietly. A dropped signaling connection keeps the
 * media: when the server kept this tab's media too, the resume only reconciles who is there, so
 * a picture that kept flowing never stops.
 */
export class CallSession {
  phase = $state<CallPhase>('idle');
  problem = $state<CallProblem | null>(null);
  /** With the problem 'session-not-started': when the session starts (ISO 8601). */
  sessionStartsAt = $state<string | null>(null);
  /** This tab's own id in the room, once joined. */
  selfId = $state<string | null>(null);
  /** Sound only: no video is received (and the camera was turned off when it was switched on). */
  soundOnly = $state(false);
  /** Waiting in the lobby while the connection is down (the place in the queue is kept a while). */
  waitingOffline = $state(false);
  /** The media is being rebuilt after the server's media restarted. */
  mediaRecovering = $state(false);
  /** This tab's own link quality and the sound-only suggestion. */
  readonly link: LinkMonitor;
  /** The room's chat, in this tab's memory only. */
  readonly chat: ChatSession;
  /** The room's picture book: page, reader, pointer. */
  readonly storytime: StorytimeSession;
  /** 'host' or 'guest', once the server has said. */
  role = $state<'host' | 'guest' | null>(null);
  /** What this person may know about the room, once joined (or waiting). */
  room = $state.raw<RoomInfo | null>(null);
  /**
   * Whether a host is in the room, as the server last said (null before it has): the lobby
   * says whether anyone is there yet to let the person in.
   */
  hostPresent = $state<boolean | null>(null);
  /** This tab ended the meeting for everyone (its own goodbye says so, not "the host ended it"). */
  endedHere = $state(false);
  /** Raised hands, the lobby, hosts' requests, and the note after a host acted on this person. */
  readonly moderation: RoomModeration;

  readonly roomId: string;
  readonly #credential: InvitationCredential | null;
  readonly #local: LocalMedia;
  readonly #tiles: TilePreferences;
  readonly #participants: Participants;
  readonly #media: SessionMedia;
  #connection: SignalingConnection | null = null;
  /** This tab's place (peer id and resume secret), the same in the lobby and in the call. */
  readonly #place: HeldPlace;
  #displayName = '';
  #generation = 0;
  /** Whether the camera was wanted when sound only was switched on, to restore it after. */
  #cameraBeforeSoundOnly: boolean | null = null;
  /** A mediaReset that came while joining or resuming, handled once that is done. */
  #pendingReset: RtpCapabilities | null = null;

  constructor(roomId: string, local: LocalMedia, credential: InvitationCredential | null = null) {
    this.roomId = roomId;
    this.#place = new HeldPlace(roomId);
    this.#credential = credential;
    this.#local = local;
    const currentMedia = () => this.#media.current;
    this.link = new LinkMonitor(currentMedia, () => this.soundOnly);
    this.chat = new ChatSession({
      send: async (text) => void (await this.#requireConnection().request('sendChat', { text })),
      selfId: () => this.selfId,
      room: () => this.room,
    });
    this.moderation = new RoomModeration({
      connection: () => this.#requireConnection(),
      selfId: () => this.selfId,
      onLocked: (locked) => {
        if (this.room) this.room = { ...this.room, locked };
      },
    });
    this.storytime = new StorytimeSession({
      request: (name, payload) => this.#requireConnection().request(name, payload),
      selfId: () => this.selfId,
      isHost: () => this.role === 'host',
    });
    this.#tiles = new TilePreferences({
      consumerOf: (peerId) => currentMedia()?.consumerIdOf(peerId, 'camera'),
      send: async (consumerId, { visible, height }) => {
        await this.#requireConnection().request('setConsumerPreferences', {
          consumerId,
          visible,
          ...(visible ? { height: Math.min(height, 4320) } : {}),
        });
      },
    });
    this.#participants = new Participants({
      media: currentMedia,
      tiles: this.#tiles,
      inCall: () => this.#inCall(),
      selfId: () => this.selfId,
      onOwnScore: (score) => this.link.setServerScore(score),
    });
    this.#media = new SessionMedia({
      connection: () => this.#connection,
      local,
      participants: this.#participants,
      tiles: this.#tiles,
      inCall: () => this.#inCall(),
      soundOnly: () => this.soundOnly,
    });
  }

  /** Other participants by peer id, in joining order. */
  get peers(): SvelteMap<string, RemotePeer> {
    return this.#participants.peers;
  }

  /** The latest arrival or departure, for the screen-reader announcement. */
  get lastEvent(): CallEvent | null {
    return this.#participants.lastEvent;
  }

  /** Who is speaking now (possibly this tab itself), or null. */
  get activeSpeakerId(): string | null {
    return this.#participants.activeSpeakerId;
  }

  /** The media connection has been broken for a moment and is being restored. */
  get mediaInterrupted(): boolean {
    return this.#media.interrupted;
  }

  /** Opens the signaling connection (early, so Join is quick and an outdated tab is told at once). */
  connect(): void {
    if (this.#connection) return;
    const connection = new SignalingConnection({
      connected: () => this.#onConnected(),
      disconnected: () => this.#onDisconnected(),
      outdated: () => this.#onOutdated(),
      connectFailed: (error) => console.debug('signaling connection attempt failed', error.message),
      resumeCredential: () => this.#place.current,
    });
    this.#connection = connection;
    this.#listen(connection);
    connection.connect();
  }

  /** Enters the room under `displayName`, sending whatever LocalMedia has open. */
  async join(displayName: string): Promise<void> {
    await this.#enter(displayName, 'resume-or-new');
  }

  /**
   * Whether this tab held a place in this room before the page was reloaded (the credential
   * lives in the tab's session storage until the person leaves or the place is gone).
   */
  get heldPlaceBeforeReload(): boolean {
    return this.#place.current !== undefined;
  }

  /**
   * After a reload: takes back this tab's place (in the call, or in the lobby queue) without
   * the pre-join and without waiting for a host again. When the server no longer keeps the
   * place, the tab quietly returns to the pre-join.
   */
  async returnAfterReload(displayName: string): Promise<void> {
    await this.#enter(displayName, 'resume-only');
  }

  async #enter(displayName: string, placeUse: PlaceUse): Promise<void> {
    if (this.phase !== 'idle' && this.phase !== 'failed') return;
    if (this.problem === 'outdated') return;
    this.#displayName = displayName;
    this.problem = null;
    this.phase = 'joining';
    const generation = ++this.#generation;
    try {
      this.connect();
      const connection = this.#requireConnection();
      await connection.whenConnected(CONNECT_TIMEOUT_MS);
      let reply: ReplyData<'joinRoom'>;
      try {
        reply = await this.#joinRequest(connection, false, placeUse);
      } catch (error) {
        const problem = problemForJoinError(error);
        if (generation === this.#generation && isFinal(problem)) {
          // The place ended while this tab was away (a host removed or turned the person away,
          // the session ended): the same words as if the tab had been there.
          this.#end(problem);
          return;
        }
        if (placeUse === 'resume-only' && problem === 'place-gone' && generation === this.#generation) {
          // Too late to take the place back: the pre-join, as for anyone arriving.
          this.#place.forget();
          this.phase = 'idle';
          return;
        }
        throw error;
      }
      this.#check(generation);
      this.#accept(reply);
      if (reply.admission === 'lobby') {
        this.phase = 'waiting';
        return;
      }
      this.#participants.reconcile(reply.peers, { announce: false, mediaKept: false, activeSpeaker: reply.activeSpeaker });
      this.moderation.setHands(reply.peers);
      await this.#media.build(reply.routerRtpCapabilities, () => generation === this.#generation);
      this.phase = 'joined';
      this.link.start();
      this.#runPendingReset();
    } catch (error) {
      if (error instanceof StaleWork || generation !== this.#generation) return;
      if (this.#droppedOnTheWay(error)) return;
      console.error('joining the room failed', { roomId: this.roomId, error });
      this.#closeMedia();
      this.problem = this.problem ?? problemForJoinError(error);
      this.sessionStartsAt = error instanceof RequestError ? (error.startsAt ?? null) : null;
      this.phase = 'failed';
    }
  }

  /** Leaves the room on purpose; idempotent. */
  async leave(): Promise<void> {
    if (this.phase === 'left' || this.phase === 'ended') return;
    const wasInRoom = this.#inCall() || this.phase === 'waiting';
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
    this.#place.forget();
    connection?.close();
  }

  /**
   * Hosts: ends the meeting for everyone, this tab included; resolves once it has ended. The
   * server tells every participant, this host too, before it answers, and the tab then closes
   * its connection, so the answer itself never arrives: that is the ending asked for, not a
   * failure. Throws (RequestError) only when the meeting did not end.
   */
  async endForEveryone(): Promise<void> {
    this.endedHere = true;
    try {
      await this.moderation.host('endSession', {});
    } catch (error) {
      if (this.phase !== 'ended' || this.problem !== 'session-ended') {
        this.endedHere = false;
        throw error;
      }
    }
    console.info('the meeting was ended for everyone', { roomId: this.roomId });
  }

  /** Turns this person's microphone on or off, for the others too. */
  async setMicrophone(on: boolean): Promise<void> {
    await this.#local.setMicrophone(on);
    await this.#media.syncProducer('microphone');
  }

  /** Turns this person's camera on or off, for the others too. */
  async setCamera(on: boolean): Promise<void> {
    await this.#local.setCamera(on);
    await this.#media.syncProducer('camera');
  }

  /**
   * Sound only (data saver): stops receiving everyone's video and turns this person's camera off;
   * switching it off again brings both back as they were. Only ever switched by the person.
   */
  async setSoundOnly(on: boolean): Promise<void> {
    if (this.soundOnly === on) return;
    this.soundOnly = on;
    this.link.dismiss();
    const applied = this.#media.applyReceiveVideo();
    if (on) {
      this.#cameraBeforeSoundOnly = this.#local.cameraWanted;
      if (this.#local.cameraWanted) await this.setCamera(false);
    } else {
      const restore = this.#cameraBeforeSoundOnly;
      this.#cameraBeforeSoundOnly = null;
      if (restore) await this.setCamera(true);
    }
    await applied;
  }

  /** "Not now" on the sound-only suggestion. */
  dismissSoundOnlySuggestion(): void {
    this.link.dismiss();
  }

  /** Where a remote participant's tile is and how big, so the server sends what fits. */
  placeTile(peerId: string, placement: TilePlacement): void {
    this.#tiles.place(peerId, placement);
  }

  /** Tries again to open what the person wants after a camera or microphone failure. */
  async retryMedia(): Promise<void> {
    this.#local.problem = null;
    await this.#local.start();
    await Promise.all([this.#media.syncProducer('microphone'), this.#media.syncProducer('camera')]);
  }

  // --- joining -------------------------------------------------------------------------------

  /**
   * joinRoom, taking this tab's earlier place when it has one (with its media when `keepMedia`).
   * A place the server no longer keeps fails the request (`place-gone`) unless `placeUse` is
   * 'resume-or-new': then the place is forgotten and the tab joins afresh.
   */
  async #joinRequest(
    connection: SignalingConnection,
    keepMedia: boolean,
    placeUse: PlaceUse = 'resume-only',
  ): Promise<ReplyData<'joinRoom'>> {
    this.#participants.markRequest();
    const payload = this.#credential
      ? { invitation: this.#credential, displayName: this.#displayName }
      : { roomId: this.roomId, displayName: this.#displayName };
    const resume = this.#place.current;
    if (resume) {
      try {
        return await connection.request('joinRoom', { ...payload, resume: { ...resume, keepMedia } });
      } catch (error) {
        if (placeUse === 'resume-only' || !(error instanceof RequestError) || error.reason !== 'place-gone') throw error;
        this.#place.forget();
      }
    } else if (placeUse === 'resume-only') {
      throw new RequestError('joinRoom', 'not-found', 'this tab holds no place', 'place-gone');
    }
    return connection.request('joinRoom', payload);
  }

  /** Keeps this tab's place for a drop or a reload. */
  #holdPlace(peerId: string, secret: string): void {
    this.#place.hold({ peerId, secret });
    this.selfId = peerId;
  }

  #accept(reply: ReplyData<'joinRoom'>): void {
    this.#holdPlace(reply.peerId, reply.resumeSecret);
    this.role = reply.role;
    this.room = reply.room;
    this.hostPresent = reply.hostPresent;
    if (reply.admission === 'in') {
      this.#media.iceServers = reply.iceServers;
      this.storytime.apply(reply.storytime, true);
    }
  }

  /** A host let this waiting person in: continue exactly as after a normal join. */
  async #onAdmitted(admitted: NotificationPayload<'admitted'>): Promise<void> {
    if (this.phase !== 'waiting') return;
    this.waitingOffline = false;
    // Anything still under way for the lobby (taking the queue place back) is over.
    const generation = ++this.#generation;
    this.phase = 'joining';
    try {
      this.#holdPlace(admitted.peerId, admitted.resumeSecret);
      this.#media.iceServers = admitted.iceServers;
      this.#participants.reconcile(admitted.peers, { announce: false, mediaKept: false, activeSpeaker: admitted.activeSpeaker });
      this.moderation.setHands(admitted.peers);
      await this.#media.build(admitted.routerRtpCapabilities, () => generation === this.#generation);
      this.phase = 'joined';
      this.link.start();
      this.#runPendingReset();
    } catch (error) {
      if (error instanceof StaleWork || generation !== this.#generation) return;
      if (this.#droppedOnTheWay(error)) return;
      console.error('starting the call after the lobby failed', { roomId: this.roomId, error });
      this.#closeMedia();
      this.problem = 'join-failed';
      this.phase = 'failed';
    }
  }

  /**
   * Whether a join or an admission that failed half-way did so because the connection dropped
   * while the media was being built; the place is the tab's already, so it is taken back like
   * after any drop (media afresh), never answered with "joining failed". True when handled.
   */
  #droppedOnTheWay(error: unknown): boolean {
    const connectionLost =
      !this.#connection?.connected || (error instanceof RequestError && (error.code === 'disconnected' || error.code === 'timeout'));
    if (!this.#place.givenThisVisit || !connectionLost) return false;
    console.warn('the connection dropped while joining; taking the place back', { roomId: this.roomId, error });
    this.#media.drop();
    this.phase = 'reconnecting';
    if (this.#connection?.connected) void this.#resume();
    return true;
  }

  /** A host muted this person or stopped their camera: really turn it off, and say so calmly. */
  async #onModerated(action: 'muted' | 'video-stopped'): Promise<void> {
    this.moderation.noteAction(action);
    if (action === 'muted') await this.setMicrophone(false);
    else {
      // The server already closed the camera producer; a new one is made when it is turned on.
      this.#media.current?.forgetProducer('camera');
      await this.setCamera(false);
    }
  }

  /**
   * Takes this tab's place back after the signaling connection returned. If the server still has
   * this tab's media, nothing is rebuilt (the picture never stopped if only signaling dropped);
   * otherwise the media starts afresh under the same participant.
   */
  async #resume(): Promise<void> {
    const generation = ++this.#generation;
    this.phase = 'reconnecting';
    for (let attempt = 1; ; attempt++) {
      try {
        const connection = this.#requireConnection();
        const media = this.#media.current && !this.#media.current.closed ? this.#media.current : null;
        const reply = await this.#joinRequest(connection, media !== null);
        this.#check(generation);
        this.#accept(reply);
        if (reply.admission === 'lobby') {
          // Only a place still waiting resumes into the lobby.
          this.#closeMedia();
          this.phase = 'waiting';
          return;
        }
        if (reply.mediaKept && media && this.#media.current === media) {
          this.#participants.reconcile(reply.peers, { announce: true, mediaKept: true, activeSpeaker: reply.activeSpeaker });
          this.moderation.setHands(reply.peers);
          this.phase = 'joined';
          // What could not be done while signaling was away: ICE restarts, tile sizes, the
          // sound-only setting, camera and microphone changes.
          media.retryIce();
          this.#tiles.flushAll();
          void this.#media.applyReceiveVideo();
          void this.#media.syncProducer('microphone');
          void this.#media.syncProducer('camera');
        } else {
          // The server starts this tab's media afresh: nothing of the old CallMedia is valid.
          this.#media.drop();
          this.#participants.reconcile(reply.peers, { announce: true, mediaKept: false, activeSpeaker: reply.activeSpeaker });
          this.moderation.setHands(reply.peers);
          await this.#media.build(reply.routerRtpCapabilities, () => generation === this.#generation);
          this.phase = 'joined';
        }
        this.link.start();
        this.#runPendingReset();
        return;
      } catch (error) {
        if (error instanceof StaleWork || generation !== this.#generation) return;
        console.warn('re-joining failed', { roomId: this.roomId, attempt, error });
        if (!(await this.#tryAgainAfter(error, attempt, generation))) return;
      }
    }
  }

  /** The server's media for this room restarted on a new router: build everything again. */
  async #onMediaReset(capabilities: RtpCapabilities): Promise<void> {
    if (!this.#inCall()) return;
    // In the middle of joining or resuming: rebuild once that is done, or its work gets lost.
    if (this.phase !== 'joined') {
      this.#pendingReset = capabilities;
      return;
    }
    const generation = this.#generation;
    console.warn('the room media restarted; rebuilding', { roomId: this.roomId });
    this.mediaRecovering = true;
    this.#participants.forgetProducers();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.#media.build(capabilities, () => generation === this.#generation);
          return;
        } catch (error) {
          if (error instanceof StaleWork || generation !== this.#generation) return;
          console.warn('rebuilding media failed', { attempt, error });
          // Without signaling, the resume after reconnecting rebuilds the media instead.
          if (attempt >= MAX_MEDIA_REBUILD_ATTEMPTS || !this.#connection?.connected) return;
          await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
          if (generation !== this.#generation) return;
        }
      }
    } finally {
      if (generation === this.#generation) this.mediaRecovering = false;
    }
  }

  #runPendingReset(): void {
    const capabilities = this.#pendingReset;
    this.#pendingReset = null;
    if (capabilities) void this.#onMediaReset(capabilities);
  }

  /** Closes transports (and with them producers and consumers) and forgets all peers. */
  #closeMedia(): void {
    this.#media.close();
    this.#participants.clear();
    this.#tiles.clear();
    this.link.stop();
    this.mediaRecovering = false;
    this.#pendingReset = null;
  }

  // --- connection lifecycle ------------------------------------------------------------------

  #listen(connection: SignalingConnection): void {
    this.#participants.listen(connection);
    connection.on('admitted', (admitted) => void this.#onAdmitted(admitted));
    connection.on('hostPresenceChanged', ({ present }) => (this.hostPresent = present));
    this.moderation.listen(connection);
    connection.on('chatMessage', (message) => this.chat.receive(message));
    this.storytime.listen(connection);
    connection.on('moderated', ({ action }) => {
      if (this.#inCall()) void this.#onModerated(action);
    });
    connection.on('mediaReset', ({ routerRtpCapabilities }) => void this.#onMediaReset(routerRtpCapabilities));
    connection.on('removed', ({ reason }) => {
      this.#end(problemForRemoval(reason));
    });
  }

  #onConnected(): void {
    if (this.phase === 'joined' || this.phase === 'reconnecting') void this.#resume();
    else if (this.phase === 'waiting') void this.#waitAgain();
  }

  /**
   * The connection came back while waiting in the lobby: take back the same place in the queue
   * (or in the call, if a host let this person in meanwhile).
   */
  async #waitAgain(): Promise<void> {
    const generation = ++this.#generation;
    for (let attempt = 1; ; attempt++) {
      try {
        const reply = await this.#joinRequest(this.#requireConnection(), false);
        this.#check(generation);
        this.#accept(reply);
        this.waitingOffline = false;
        if (reply.admission === 'in') {
          // Let in meanwhile: continue as after an `admitted`.
          await this.#onAdmitted({
            peerId: reply.peerId,
            resumeSecret: reply.resumeSecret,
            routerRtpCapabilities: reply.routerRtpCapabilities,
            iceServers: reply.iceServers,
            peers: reply.peers,
            activeSpeaker: reply.activeSpeaker,
            storytime: reply.storytime,
          });
        }
        return;
      } catch (error) {
        if (error instanceof StaleWork || generation !== this.#generation) return;
        console.warn('waiting again after reconnecting failed', { roomId: this.roomId, attempt, error });
        if (!(await this.#tryAgainAfter(error, attempt, generation))) return;
      }
    }
  }

  /**
   * After a failed attempt to take this tab's place back: when the server said no for good (the
   * place is gone, the room closed, the person may not come in) the visit ends with words and a
   * way on; anything else passes (a busy server, a slow answer), so after a spread-out wait the
   * caller tries again (true). Without a connection the next 'connect' starts afresh (false).
   */
  async #tryAgainAfter(error: unknown, attempt: number, generation: number): Promise<boolean> {
    const problem = problemForJoinError(error);
    if (problem !== 'join-failed' && problem !== 'too-many-tries') {
      const waiting = this.phase === 'waiting';
      this.#end(problem === 'room-not-found' ? 'room-closed' : problem === 'place-gone' && waiting ? 'queue-place-gone' : problem);
      return false;
    }
    if (!this.#connection?.connected) return false;
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
    return generation === this.#generation;
  }

  #onDisconnected(): void {
    if (this.phase === 'joined') this.phase = 'reconnecting';
    if (this.phase === 'waiting') this.waitingOffline = true;
  }

  #onOutdated(): void {
    this.problem = 'outdated';
    this.#generation++;
    this.#closeMedia();
    this.#connection?.close();
    this.#connection = null;
    if (this.phase !== 'idle') this.phase = 'failed';
  }

  /** The server ended this tab's place in the room. */
  #end(problem: CallProblem): void {
    this.#generation++;
    this.problem = problem;
    this.phase = 'ended';
    this.#closeMedia();
    this.#place.forget();
    this.#connection?.close();
    this.#connection = null;
  }

  #inCall(): boolean {
    return this.phase === 'joining' || this.phase === 'joined' || this.phase === 'reconnecting';
  }

  #requireConnection(): SignalingConnection {
    if (!this.#connection) throw new StaleWork('no signaling connection');
    return this.#connection;
  }

  #check(generation: number): void {
    if (generation !== this.#generation) throw new StaleWork();
  }
}
