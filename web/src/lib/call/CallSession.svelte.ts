import type { CallEntry, InvitationCredential, RoomInfo } from '@tupa/signaling/protocol';
import { problemForRemoval, type CallProblem } from './callProblems.ts';
import { ChatSession } from './ChatSession.svelte.ts';
import { Entrance, type Arrival } from './Entrance.ts';
import { LinkMonitor } from './LinkMonitor.svelte.ts';
import type { LocalMedia } from './LocalMedia.svelte.ts';
import { MediaResetRecovery } from './MediaResetRecovery.svelte.ts';
import { Participants } from './Participants.svelte.ts';
import { RoomModeration } from './RoomModeration.svelte.ts';
import { RoomPlace, type PlaceUse } from './RoomPlace.svelte.ts';
import { SessionMedia, StaleWork } from './SessionMedia.svelte.ts';
import { SignalingClient } from './signalingClient.ts';
import type { TilePlacement } from './tilePreferences.ts';
import { StorytimeSession } from '../storytime/StorytimeSession.svelte.ts';
import { GameSession } from '../games/GameSession.svelte.ts';

export type { CallEvent } from './Participants.svelte.ts';
export type { CallProblem } from './callProblems.ts';

/**
 * Where this tab is in the call:
 * idle (before Join) → joining → joined ⇄ reconnecting → left (by choice) or ended (by the
 * server); failed when joining did not work (see `problem`).
 */
export type CallPhase = 'idle' | 'joining' | 'waiting' | 'joined' | 'reconnecting' | 'left' | 'ended' | 'failed';

/**
 * One visit to one room: the signaling connection, where the visit stands (phase), this tab's
 * place (RoomPlace), the other participants (Participants) and this tab's media (SessionMedia).
 * The way in (a join, `admitted`, a resume) is Entrance's; each of its steps ends in an Arrival,
 * which only this class turns into the phase.
 *
 * Every join attempt (join, admission, each resume) has a `generation`; leaving or being ended
 * starts a new one, and work of an older generation stops quietly. A dropped signaling connection
 * keeps the media: when the server kept this tab's media too, the resume only reconciles who is
 * there, so a picture that kept flowing never stops.
 */
export class CallSession {
  phase = $state<CallPhase>('idle');
  problem = $state<CallProblem | null>(null);
  /** With the problem 'session-not-started': when the session starts (ISO 8601). */
  sessionStartsAt = $state<string | null>(null);
  /** Waiting in the lobby while the connection is down (the place in the queue is kept a while). */
  waitingOffline = $state(false);
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
  /** This tab's own link quality and the sound-only suggestion. */
  readonly link: LinkMonitor;
  /** The room's chat, in this tab's memory only. */
  readonly chat: ChatSession;
  /** The room's picture book: page, reader, pointer. */
  readonly storytime: StorytimeSession;
  /** The room's game (or drawing board): its state, the picker, what this person may do. */
  readonly games: GameSession;
  /** Raised hands, the lobby, hosts' requests, and the note after a host acted on this person. */
  readonly moderation: RoomModeration;
  /**
   * The other participants: `peers` by id in joining order, `lastEvent` (an arrival or departure,
   * for the screen reader), `activeSpeakerId`, and `placeTile` for where each one's tile is.
   */
  readonly participants: Participants;
  /**
   * This tab's media: `soundOnly`, `interrupted` (the media connection is broken for a moment),
   * and the person's controls (microphone, camera, sound only, retry after a device failure).
   */
  readonly media: SessionMedia;
  /** This tab's own id in the room, once it has a place (in the call or in the lobby). */
  readonly selfId = $derived.by(() => this.#place.selfId);
  /** The media is being rebuilt after the server's media restarted. */
  readonly mediaRecovering = $derived.by(() => this.#reset.recovering);

  readonly roomId: string;
  readonly #place: RoomPlace;
  readonly #reset: MediaResetRecovery;
  readonly #entrance: Entrance;
  #connection: SignalingClient | null = null;
  #generation = 0;

  constructor(roomId: string, local: LocalMedia, credential: InvitationCredential | null = null) {
    this.roomId = roomId;
    this.#place = new RoomPlace(roomId, credential, () => this.participants.markRequest());
    const request = this.#request;
    const currentMedia = () => this.media.current;
    const inCall = () => this.#inCall();
    const selfId = () => this.selfId;
    this.link = new LinkMonitor(currentMedia, () => this.media.soundOnly);
    const send = async (text: string) => void (await request('sendChat', { text }));
    this.chat = new ChatSession({ send, selfId, room: () => this.room });
    this.moderation = new RoomModeration({
      connection: () => this.#requireConnection(),
      selfId,
      onLocked: (locked) => {
        if (this.room) this.room = { ...this.room, locked };
      },
    });
    this.storytime = new StorytimeSession({ request, selfId, role: () => this.role, room: () => this.room });
    this.games = new GameSession({ request, selfId, role: () => this.role, room: () => this.room, storytime: () => this.storytime.state });
    const sendTile = async (consumerId: string, { visible, height }: TilePlacement) => {
      await request('setConsumerPreferences', { consumerId, visible, ...(visible ? { height: Math.min(height, 4320) } : {}) });
    };
    const onOwnScore = (score: number) => this.link.setServerScore(score);
    this.participants = new Participants({ media: currentMedia, sendTile, inCall, selfId, onOwnScore });
    const connection = () => this.#connection;
    const onSoundOnlyChosen = () => this.link.dismiss();
    this.media = new SessionMedia({ connection, local, participants: this.participants, inCall, onSoundOnlyChosen });
    this.#reset = new MediaResetRecovery({
      roomId,
      media: this.media,
      participants: this.participants,
      inCall,
      joined: () => this.phase === 'joined',
      generation: () => this.#generation,
      connected: () => this.#connection?.connected ?? false,
    });
    this.#entrance = new Entrance({
      roomId,
      place: this.#place,
      media: this.media,
      participants: this.participants,
      connection,
      onAnswer: (reply) => {
        this.role = reply.role;
        this.room = reply.room;
        this.hostPresent = reply.hostPresent;
      },
      onEntry: (entry) => {
        this.storytime.apply(entry.storytime, true);
        this.games.apply(entry.game, true);
        this.moderation.setHands(entry.peers);
      },
    });
  }

  /**
   * Whether this tab held a place in this room before the page was reloaded (the credential
   * lives in the tab's session storage until the person leaves or the place is gone).
   */
  get heldPlaceBeforeReload(): boolean {
    return this.#place.current !== undefined;
  }

  /** Opens the signaling connection (early, so Join is quick and an outdated tab is told at once). */
  connect(): void {
    if (this.#connection) return;
    const connection = new SignalingClient({
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
   * After a reload: takes back this tab's place (in the call, or in the lobby queue) without
   * the pre-join and without waiting for a host again. When the server no longer keeps the
   * place, the tab quietly returns to the pre-join.
   */
  async returnAfterReload(displayName: string): Promise<void> {
    await this.#enter(displayName, 'resume-only');
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
    this.games.dispose();
    this.storytime.dispose();
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

  // --- the way in (Entrance), and the phase it leads to ------------------------------------------

  /** Join or reload: a place asked for (or taken back), then the lobby or the call. */
  async #enter(displayName: string, placeUse: PlaceUse): Promise<void> {
    if ((this.phase !== 'idle' && this.phase !== 'failed') || this.problem === 'outdated') return;
    this.#place.displayName = displayName;
    this.problem = null;
    const generation = this.#attempt('joining');
    this.connect();
    this.#arrive(await this.#entrance.join(placeUse, () => generation === this.#generation), generation);
  }

  /** A host let this waiting person in (or did so while the connection was down). */
  async #onAdmitted(entry: CallEntry): Promise<void> {
    if (this.phase !== 'waiting') return;
    this.waitingOffline = false;
    // A new attempt: anything still under way for the lobby (taking the queue place back) is over.
    const generation = this.#attempt('joining');
    this.#arrive(await this.#entrance.admit(entry, () => generation === this.#generation), generation);
  }

  /** The signaling connection returned: take this tab's place back, in the call or in the lobby. */
  async #resume(): Promise<void> {
    const waiting = this.phase === 'waiting';
    const generation = this.#attempt(waiting ? 'waiting' : 'reconnecting');
    this.#arrive(await this.#entrance.takeBack(waiting, () => generation === this.#generation), generation);
  }

  /** Starts a new attempt at getting in (overtaking every earlier one) in `phase`. */
  #attempt(phase: CallPhase): number {
    const generation = ++this.#generation;
    this.phase = phase;
    return generation;
  }

  /** Where a step of the way in ended, as this visit's phase; an overtaken step changes nothing. */
  #arrive(arrival: Arrival, generation: number): void {
    if (generation !== this.#generation) return;
    switch (arrival.at) {
      case 'call':
        this.phase = 'joined';
        this.link.start();
        this.#reset.runPending();
        return;
      case 'lobby':
        this.#closeMedia();
        this.waitingOffline = false;
        this.phase = 'waiting';
        return;
      case 'admitted':
        void this.#onAdmitted(arrival.entry);
        return;
      case 'pre-join':
        this.phase = 'idle';
        return;
      case 'dropped':
        this.phase = 'reconnecting';
        if (this.#connection?.connected) void this.#resume();
        return;
      case 'failed':
        this.#closeMedia();
        this.problem = this.problem ?? arrival.problem;
        this.sessionStartsAt = arrival.startsAt;
        this.phase = 'failed';
        return;
      case 'ended':
        this.#end(arrival.problem);
        return;
      case 'nowhere':
        return;
    }
  }

  /** Closes transports (and with them producers and consumers) and forgets all peers. */
  #closeMedia(): void {
    this.media.close();
    this.participants.clear();
    this.link.stop();
    this.#reset.clear();
  }

  // --- connection lifecycle ------------------------------------------------------------------

  #listen(connection: SignalingClient): void {
    this.participants.listen(connection);
    connection.on('admitted', (entry) => void this.#onAdmitted(entry));
    connection.on('hostPresenceChanged', ({ present }) => (this.hostPresent = present));
    this.moderation.listen(connection);
    connection.on('chatMessage', (message) => this.chat.receive(message));
    this.storytime.listen(connection);
    this.games.listen(connection);
    connection.on('moderated', ({ action }) => {
      if (!this.#inCall()) return;
      this.moderation.noteAction(action);
      void this.media.turnOffByHost(action === 'muted' ? 'microphone' : 'camera');
    });
    connection.on('mediaReset', ({ routerRtpCapabilities }) => void this.#reset.reset(routerRtpCapabilities));
    connection.on('removed', ({ reason }) => this.#end(problemForRemoval(reason)));
  }

  #onConnected(): void {
    if (this.phase === 'joined' || this.phase === 'reconnecting' || this.phase === 'waiting') void this.#resume();
  }

  #onDisconnected(): void {
    if (this.phase === 'joined') this.phase = 'reconnecting';
    if (this.phase === 'waiting') this.waitingOffline = true;
  }

  #onOutdated(): void {
    this.problem = 'outdated';
    if (this.phase !== 'idle') this.phase = 'failed';
    this.#shutDown();
  }

  /** The server ended this tab's place in the room. */
  #end(problem: CallProblem): void {
    this.problem = problem;
    this.phase = 'ended';
    this.#shutDown();
    this.#place.forget();
  }

  /** Stops every attempt under way and closes the media and the connection. */
  #shutDown(): void {
    this.#generation++;
    this.#closeMedia();
    // The game and the book go with the visit: their listeners and timers (the board's batches,
    // the pointer's last send, the look-here rings).
    this.games.dispose();
    this.storytime.dispose();
    this.#connection?.close();
    this.#connection = null;
  }

  #inCall(): boolean {
    return this.phase === 'joining' || this.phase === 'joined' || this.phase === 'reconnecting';
  }

  /** One request over the signaling connection; StaleWork when there is none. */
  readonly #request: SignalingClient['request'] = (name, payload) => this.#requireConnection().request(name, payload);

  #requireConnection(): SignalingClient {
    if (!this.#connection) throw new StaleWork('no signaling connection');
    return this.#connection;
  }
}
