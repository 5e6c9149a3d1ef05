import { Device } from 'mediasoup-client';
import type { IceServer, MediaSource, RtpCapabilities } from '@tupa/signaling/protocol';
import { CallMedia } from './CallMedia.ts';
import type { LocalMedia } from './LocalMedia.svelte.ts';
import type { Participants } from './Participants.svelte.ts';
import type { SignalingClient } from './signalingClient.ts';
import { fromWireRtpCapabilities } from './wire.ts';

/** A media interruption shorter than this mends unnoticed; a longer one is shown. */
const INTERRUPTION_NOTICE_MS = 2_000;

/** Thrown inside work that a newer join attempt or media build made pointless; it stops quietly. */
export class StaleWork extends Error {}

export interface SessionMediaOptions {
  connection: () => SignalingClient | null;
  local: LocalMedia;
  /** The others, whose tracks and tile sizes follow this media. */
  participants: Participants;
  /** Whether this tab is in the call (nothing is sent otherwise). */
  inCall: () => boolean;
  /** The person switched sound only on or off (any suggestion to do so has then been answered). */
  onSoundOnlyChosen?: () => void;
}

/**
 * This tab's media over one visit: the CallMedia on the room's current router, the Device loaded
 * for it, the producers kept in line with LocalMedia, sound only, and whether the media
 * connection is broken just now. A build replaces everything (join, a resume without kept media,
 * a `mediaReset`); each build has an epoch, and a build that a newer one overtook gives up with
 * StaleWork.
 */
export class SessionMedia {
  /** The media connection has been broken for a moment and is being restored. */
  interrupted = $state(false);
  /** Sound only: no video is received (and the camera was turned off when it was switched on). */
  soundOnly = $state(false);

  readonly #options: SessionMediaOptions;
  /** Whether the camera was wanted when sound only was switched on, to restore it after. */
  #cameraBeforeSoundOnly: boolean | null = null;
  #media: CallMedia | null = null;
  #device: { device: Device; capabilities: string } | null = null;
  #iceServers: IceServer[] = [];
  #epoch = 0;
  #producerWork: Promise<void> = Promise.resolve();
  #interruptionTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: SessionMediaOptions) {
    this.#options = options;
  }

  /** The CallMedia in use, or null before joining and while a build is under way. */
  get current(): CallMedia | null {
    return this.#media;
  }

  /** STUN/TURN servers from the latest joinRoom reply, for the next build. */
  set iceServers(servers: IceServer[]) {
    this.#iceServers = servers;
  }

  /**
   * Builds this tab's media on the room's router from nothing: transports, producers for the
   * camera and microphone as they are now, and consumers for everything the others send.
   * `stillWanted` is asked after every wait; when it says no, the build gives up.
   */
  async build(capabilities: RtpCapabilities, stillWanted: () => boolean): Promise<void> {
    const epoch = ++this.#epoch;
    const stale = () => epoch !== this.#epoch || !stillWanted();
    this.drop();
    const connection = this.#options.connection();
    if (!connection) throw new StaleWork('no signaling connection');
    const device = await this.#deviceFor(capabilities);
    if (stale()) throw new StaleWork();
    const media = await CallMedia.open({
      connection,
      device,
      iceServers: this.#iceServers,
      handlers: {
        onConnectionChange: () => this.#onConnectionChange(),
        // The device went away (unplugged, permission withdrawn): tell the others it is off.
        onTrackEnded: (source) => void this.syncProducer(source),
      },
    });
    if (stale()) {
      media.close();
      throw new StaleWork();
    }
    this.#media = media;
    // Before any consumer exists, so that sound only never lets a burst of video through.
    if (this.soundOnly) await this.applyReceiveVideo();
    this.#options.participants.receiveEverything();
    void this.syncProducer('microphone');
    void this.syncProducer('camera');
  }

  /**
   * Signaling is back and the server kept this tab's media: does what could not be done while
   * signaling was away (ICE restarts, tile sizes, the sound-only setting, camera and microphone
   * changes).
   */
  catchUp(): void {
    this.#media?.retryIce();
    this.#options.participants.tiles.flushAll();
    void this.applyReceiveVideo();
    void this.syncProducer('microphone');
    void this.syncProducer('camera');
  }

  /** Closes the CallMedia; the participants stay, without tracks. */
  drop(): void {
    this.#media?.close();
    this.#media = null;
    this.#options.participants.tiles.forgetSent();
    this.#clearInterruption();
    this.#options.participants.dropTracks();
  }

  /** Closes the media for good and stops any build under way. */
  close(): void {
    this.#epoch++;
    this.drop();
  }

  /** Brings the producer for `source` in line with LocalMedia; calls run one after another. */
  syncProducer(source: MediaSource): Promise<void> {
    const run = () =>
      this.#applyProducerState(source).catch((error: unknown) => {
        if (!(error instanceof StaleWork)) console.error('updating the producer failed', { source, error });
      });
    this.#producerWork = this.#producerWork.then(run, run);
    return this.#producerWork;
  }

  /** Turns this person's microphone on or off, for the others too. */
  async setMicrophone(on: boolean): Promise<void> {
    await this.#options.local.setMicrophone(on);
    await this.syncProducer('microphone');
  }

  /** Turns this person's camera on or off, for the others too. */
  async setCamera(on: boolean): Promise<void> {
    await this.#options.local.setCamera(on);
    await this.syncProducer('camera');
  }

  /** A host muted this person or stopped their camera: really turn it off. */
  async turnOffByHost(source: MediaSource): Promise<void> {
    if (source === 'microphone') return this.setMicrophone(false);
    // The server already closed the camera producer; a new one is made when it is turned on.
    this.#media?.forgetProducer('camera');
    await this.setCamera(false);
  }

  /** Tries again to open what the person wants after a camera or microphone failure. */
  async retryLocal(): Promise<void> {
    this.#options.local.problem = null;
    await this.#options.local.start();
    await Promise.all([this.syncProducer('microphone'), this.syncProducer('camera')]);
  }

  /**
   * Sound only (data saver): stops receiving everyone's video and turns this person's camera off;
   * switching it off again brings both back as they were. Only ever switched by the person.
   */
  async setSoundOnly(on: boolean): Promise<void> {
    if (this.soundOnly === on) return;
    this.#options.onSoundOnlyChosen?.();
    this.soundOnly = on;
    const applied = this.applyReceiveVideo();
    const { local } = this.#options;
    if (on) {
      this.#cameraBeforeSoundOnly = local.cameraWanted;
      if (local.cameraWanted) await this.setCamera(false);
    } else {
      const restore = this.#cameraBeforeSoundOnly;
      this.#cameraBeforeSoundOnly = null;
      if (restore) await this.setCamera(true);
    }
    await applied;
  }

  /** Tells the server whether this tab receives video (sound only off) or not. */
  async applyReceiveVideo(): Promise<void> {
    const connection = this.#options.connection();
    if (!connection?.connected || !this.#options.inCall() || !this.#media) return;
    try {
      await connection.request('setReceiveVideo', { enabled: !this.soundOnly });
    } catch (error) {
      console.warn('sound-only setting not applied now; applied again after reconnecting', error);
    }
  }

  async #applyProducerState(source: MediaSource): Promise<void> {
    const media = this.#media;
    if (!this.#options.inCall() || !media || media.closed || !this.#options.connection()?.connected) return;
    const { local } = this.#options;
    const track = source === 'microphone' ? (local.micWanted ? local.audioTrack : null) : local.videoTrack;
    try {
      await media.send(source, track);
    } catch (error) {
      // The call ended or the media was rebuilt while the change was under way (mediasoup's
      // queue answers AwaitQueueStoppedError then): nothing is left to bring in line.
      if (media.closed || this.#media !== media) throw new StaleWork('the media closed meanwhile', { cause: error });
      throw error;
    }
  }

  /** A Device loaded with the router's capabilities; the loaded one is reused when they match. */
  async #deviceFor(capabilities: RtpCapabilities): Promise<Device> {
    const key = JSON.stringify(capabilities);
    if (this.#device?.capabilities === key) return this.#device.device;
    const device = await Device.factory();
    await device.load({ routerRtpCapabilities: fromWireRtpCapabilities(capabilities) });
    this.#device = { device, capabilities: key };
    return device;
  }

  #onConnectionChange(): void {
    if (!this.#media?.interrupted) {
      this.#clearInterruption();
      return;
    }
    this.#interruptionTimer ??= setTimeout(() => {
      this.#interruptionTimer = undefined;
      this.interrupted = this.#media?.interrupted ?? false;
    }, INTERRUPTION_NOTICE_MS);
  }

  #clearInterruption(): void {
    clearTimeout(this.#interruptionTimer);
    this.#interruptionTimer = undefined;
    this.interrupted = false;
  }
}
