import type { CallEntry, JoinReply } from '@tupa/signaling/protocol';
import { isFinal, problemForJoinError, type CallProblem } from './callProblems.ts';
import type { Participants } from './Participants.svelte.ts';
import type { PlaceUse, RoomPlace } from './RoomPlace.svelte.ts';
import { StaleWork, type SessionMedia } from './SessionMedia.svelte.ts';
import { RequestError, retryDelayMs, type SignalingClient } from './signalingClient.ts';

/** How long to wait for the signaling connection before joining gives up. */
const CONNECT_TIMEOUT_MS = 15_000;

/**
 * How this tab comes into the call: its first join, let in from the lobby, or taking its place
 * back after a drop, with its media built afresh or with the media the server kept.
 */
export type EntryWay = 'joined' | 'admitted' | 'resumed' | 'resumed-media-kept';

/** Where a step of the way in ended; the session turns it into its phase. */
export type Arrival =
  /** In the call: the media is built (or kept). */
  | { at: 'call' }
  /** In the lobby's queue (or still there). */
  | { at: 'lobby' }
  /** Let in from the lobby while the connection was down: continue as after `admitted`. */
  | { at: 'admitted'; entry: CallEntry }
  /** The place is too old to take back after a reload: the pre-join, as for anyone arriving. */
  | { at: 'pre-join' }
  /** The connection dropped on the way; the place is this tab's already, so it is taken back. */
  | { at: 'dropped' }
  | { at: 'failed'; problem: CallProblem; startsAt: string | null }
  /** The server said no for good: the visit ends with these words. */
  | { at: 'ended'; problem: CallProblem }
  /** Overtaken (a newer attempt, leaving) or without a connection (its return starts afresh). */
  | { at: 'nowhere' };

const NOWHERE: Arrival = { at: 'nowhere' };

export interface EntranceOptions {
  roomId: string;
  place: RoomPlace;
  media: SessionMedia;
  participants: Participants;
  /** The signaling connection, or null once the visit is over. */
  connection: () => SignalingClient | null;
  /** What every joinRoom answer says: this person's role, the room, whether a host is there. */
  onAnswer: (reply: JoinReply) => void;
  /** An entry's raised hands and book, for the session's parts that show them. */
  onEntry: (entry: CallEntry) => void;
}

/**
 * The one way into a call: asks for a place (or takes this tab's back), takes the answer, and
 * enters the call by `enterCall` whichever way the entry came (a joinRoom 'in', `admitted`, a
 * resume). Each step ends in an Arrival; the session alone turns it into its phase. Every step
 * is given `stillWanted`, and one that a newer attempt overtook ends 'nowhere'.
 */
export class Entrance {
  readonly #options: EntranceOptions;

  constructor(options: EntranceOptions) {
    this.#options = options;
  }

  /** Join or reload: asks for a place (taking this tab's back per `placeUse`), then the lobby or the call. */
  async join(placeUse: PlaceUse, stillWanted: () => boolean): Promise<Arrival> {
    try {
      const connection = this.#connection();
      await connection.whenConnected(CONNECT_TIMEOUT_MS);
      const reply = await this.#options.place.request(connection, false, placeUse);
      if (!stillWanted()) return NOWHERE;
      return await this.#answered(reply, 'joined', stillWanted);
    } catch (error) {
      return this.#failed(error, stillWanted, placeUse);
    }
  }

  /** A host let this waiting person in. */
  async admit(entry: CallEntry, stillWanted: () => boolean): Promise<Arrival> {
    try {
      await this.enterCall(entry, 'admitted', stillWanted);
      return { at: 'call' };
    } catch (error) {
      return this.#failed(error, stillWanted);
    }
  }

  /**
   * Takes this tab's place back after the signaling connection returned, attempt after attempt.
   * In the call: if the server still has this tab's media, nothing is rebuilt (the picture never
   * stopped if only signaling dropped); otherwise the media starts afresh under the same
   * participant. `waiting`: the same place in the lobby's queue (or the call's, if a host let
   * this person in meanwhile). A busy server or a slow answer is tried again after a
   * spread-out wait (`retryDelayMs`); a refusal for good ends the visit.
   */
  async takeBack(waiting: boolean, stillWanted: () => boolean): Promise<Arrival> {
    const { media, place } = this.#options;
    for (let attempt = 1; ; attempt++) {
      try {
        const connection = this.#connection();
        const kept = !waiting && media.current && !media.current.closed ? media.current : null;
        const reply = await place.request(connection, kept !== null);
        if (!stillWanted()) return NOWHERE;
        if (waiting && reply.admission === 'in') {
          this.#options.onAnswer(reply);
          return { at: 'admitted', entry: reply };
        }
        const mediaKept = reply.admission === 'in' && reply.mediaKept && kept !== null && media.current === kept;
        return await this.#answered(reply, mediaKept ? 'resumed-media-kept' : 'resumed', stillWanted);
      } catch (error) {
        if (error instanceof StaleWork || !stillWanted()) return NOWHERE;
        const failure = waiting ? 'waiting again after reconnecting failed' : 're-joining failed';
        console.warn(failure, { roomId: this.#options.roomId, attempt, error });
        const problem = problemForJoinError(error);
        if (problem === 'room-not-found') return { at: 'ended', problem: 'room-closed' };
        if (problem === 'place-gone' && waiting) return { at: 'ended', problem: 'queue-place-gone' };
        if (problem !== 'join-failed' && problem !== 'too-many-tries') return { at: 'ended', problem };
        if (!this.#options.connection()?.connected) return NOWHERE;
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
        if (!stillWanted()) return NOWHERE;
      }
    }
  }

  /**
   * Enters the call, whichever way this tab came: holds the place, takes the ICE servers, the
   * raised hands and the book, brings the participants in line with `entry`, and builds the
   * media (or, when the server kept it, only catches up). Throws StaleWork once overtaken.
   */
  async enterCall(entry: CallEntry, way: EntryWay, stillWanted: () => boolean): Promise<void> {
    const { media, participants } = this.#options;
    this.#options.place.hold(entry.peerId, entry.resumeSecret);
    media.iceServers = entry.iceServers;
    this.#options.onEntry(entry);
    const mediaKept = way === 'resumed-media-kept';
    // Media built afresh: nothing of an older CallMedia is valid.
    if (!mediaKept) media.drop();
    const announce = way === 'resumed' || mediaKept;
    participants.reconcile(entry.peers, { announce, mediaKept, activeSpeaker: entry.activeSpeaker });
    if (mediaKept) media.catchUp();
    else await media.build(entry.routerRtpCapabilities, stillWanted);
  }

  /** A joinRoom answer: into the call by `way`, or into the lobby. */
  async #answered(reply: JoinReply, way: EntryWay, stillWanted: () => boolean): Promise<Arrival> {
    this.#options.onAnswer(reply);
    if (reply.admission === 'lobby') {
      this.#options.place.hold(reply.peerId, reply.resumeSecret);
      return { at: 'lobby' };
    }
    await this.enterCall(reply, way, stillWanted);
    return { at: 'call' };
  }

  /** Where a join (`placeUse` given) or an admission that failed ends. */
  #failed(error: unknown, stillWanted: () => boolean, placeUse?: PlaceUse): Arrival {
    if (error instanceof StaleWork || !stillWanted()) return NOWHERE;
    const problem = problemForJoinError(error);
    // The place ended while this tab was away (a host removed or turned the person away, the
    // session ended): the same words as if the tab had been there.
    if (isFinal(problem)) return { at: 'ended', problem };
    if (placeUse === 'resume-only' && problem === 'place-gone') {
      this.#options.place.forget();
      return { at: 'pre-join' };
    }
    // Dropped while the media was being built: taken back like after any drop, never answered
    // with "joining failed".
    const connectionLost =
      !this.#options.connection()?.connected ||
      (error instanceof RequestError && (error.code === 'disconnected' || error.code === 'timeout'));
    if (this.#options.place.givenThisVisit && connectionLost) {
      console.warn('the connection dropped while joining; taking the place back', { roomId: this.#options.roomId, error });
      this.#options.media.drop();
      return { at: 'dropped' };
    }
    const what = placeUse ? 'joining the room failed' : 'starting the call after the lobby failed';
    console.error(what, { roomId: this.#options.roomId, error });
    return { at: 'failed', problem, startsAt: error instanceof RequestError ? (error.startsAt ?? null) : null };
  }

  #connection(): SignalingClient {
    const connection = this.#options.connection();
    if (!connection) throw new StaleWork('no signaling connection');
    return connection;
  }
}
