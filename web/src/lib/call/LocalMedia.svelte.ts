// This person's own camera and microphone: acquiring them, explaining failures, turning them
// on and off. The tracks belong here for the whole visit; the call session only sends them.

import { usableDevice, type DeviceChoice } from './deviceMemory.ts';

/** Why the camera or microphone is not available; each has its own explanation in the UI. */
export type MediaProblem =
  | 'denied'
  | 'no-device'
  | 'no-camera'
  | 'no-microphone'
  | 'in-use'
  | 'insecure'
  | 'unsupported'
  | 'failed';

const AUDIO_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

const VIDEO_CONSTRAINTS: MediaTrackConstraints = {
  facingMode: 'user',
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30, max: 30 },
};

type Acquired = { audio: MediaStreamTrack | null; video: MediaStreamTrack | null; problem: MediaProblem | null };

export class LocalMedia {
  /** The microphone track while one is open (it stays open while muted, for a quick unmute). */
  audioTrack = $state.raw<MediaStreamTrack | null>(null);
  /** The camera track while the camera is on; stopped and dropped when it is turned off. */
  videoTrack = $state.raw<MediaStreamTrack | null>(null);
  /** Whether the person wants to be heard. */
  micWanted = $state(true);
  /** Whether the person wants to be seen. */
  cameraWanted = $state(true);
  /** True while a getUserMedia call is in flight. */
  starting = $state(false);
  /** The latest failure to explain, if any. */
  problem = $state<MediaProblem | null>(null);

  /** The cameras and microphones of this device (known once access was given). */
  cameras = $state.raw<{ deviceId: string; label: string }[]>([]);
  microphones = $state.raw<{ deviceId: string; label: string }[]>([]);

  readonly micOn = $derived(this.micWanted && this.audioTrack !== null);
  readonly cameraOn = $derived(this.videoTrack !== null);
  /** The devices in use now. */
  readonly cameraId = $derived(this.videoTrack?.getSettings().deviceId);
  readonly microphoneId = $derived(this.audioTrack?.getSettings().deviceId);

  /** The devices asked for first; a remembered one that is gone falls back to the default. */
  #preferred: DeviceChoice;
  #stopped = false;

  constructor(preferred: DeviceChoice = {}) {
    this.#preferred = { ...preferred };
  }

  /** Switches to another camera (before the call: the picture changes at once). */
  async useCamera(deviceId: string): Promise<void> {
    this.#preferred.cameraId = deviceId;
    if (!this.cameraWanted || this.cameraId === deviceId) return;
    this.videoTrack?.stop();
    this.videoTrack = null;
    await this.#open(false, true);
  }

  /** Switches to another microphone (before the call). */
  async useMicrophone(deviceId: string): Promise<void> {
    this.#preferred.microphoneId = deviceId;
    if (this.microphoneId === deviceId) return;
    this.audioTrack?.stop();
    this.audioTrack = null;
    await this.#open(true, false);
  }

  /** Lists the cameras and microphones again (after access was given, or a device was plugged). */
  async refreshDevices(): Promise<void> {
    if (!navigator.mediaDevices?.enumerateDevices) return;
    try {
      const devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.deviceId !== '');
      const ofKind = (kind: MediaDeviceKind) =>
        devices
          // Windows lists its communications device twice; 'default' stays, as the browser's own choice.
          .filter((d) => d.kind === kind && d.deviceId !== 'communications')
          .map(({ deviceId, label }) => ({ deviceId, label }));
      this.cameras = ofKind('videoinput');
      this.microphones = ofKind('audioinput');
    } catch (error) {
      console.warn('listing cameras and microphones failed', error);
    }
  }

  #opening: Promise<void> = Promise.resolve();

  /** Opens what the person wants (both, at first); retrying after a failure calls this again. */
  async start(): Promise<void> {
    this.#stopped = false;
    // Where access was given before, the list is known at once and a remembered device that is
    // still there can be asked for exactly.
    if (this.#preferred.cameraId || this.#preferred.microphoneId) await this.refreshDevices();
    await this.#open(this.micWanted && !this.audioTrack, this.cameraWanted && !this.videoTrack);
  }

  /** Turns the microphone on or off; turning it on opens it if needed. */
  async setMicrophone(on: boolean): Promise<void> {
    this.micWanted = on;
    if (on && !this.audioTrack) await this.#open(true, false);
    if (this.audioTrack) this.audioTrack.enabled = on;
  }

  /** Turns the camera on (opening it) or off (closing it, so its light goes out). */
  async setCamera(on: boolean): Promise<void> {
    this.cameraWanted = on;
    if (on) {
      if (!this.videoTrack) await this.#open(false, true);
    } else {
      this.videoTrack?.stop();
      this.videoTrack = null;
    }
  }

  /** Closes camera and microphone; the wishes are kept for the next start(). */
  stop(): void {
    this.#stopped = true;
    this.audioTrack?.stop();
    this.videoTrack?.stop();
    this.audioTrack = null;
    this.videoTrack = null;
  }

  /** Resolves once no camera or microphone is being opened. */
  async settled(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.#opening;
      await current;
    } while (current !== this.#opening);
  }

  #open(audio: boolean, video: boolean): Promise<void> {
    if (!audio && !video) return this.#opening;
    const opening = this.#opening
      .then(() => this.#openNow(audio, video))
      .catch((error: unknown) => {
        console.error('opening the camera or microphone failed', error);
        this.problem = 'failed';
      });
    this.#opening = opening;
    return opening;
  }

  async #openNow(audio: boolean, video: boolean): Promise<void> {
    // Something may have arrived while this waited behind an earlier request.
    audio &&= !this.audioTrack;
    video &&= !this.videoTrack && this.cameraWanted;
    if (!audio && !video) return;
    this.starting = true;
    try {
      const acquired = await acquire(audio, video, this.#requested());
      if (this.#stopped) {
        acquired.audio?.stop();
        acquired.video?.stop();
        return;
      }
      this.problem = acquired.problem;
      if (acquired.audio) this.#adoptAudio(acquired.audio);
      if (acquired.video) this.#adoptVideo(acquired.video);
      if (acquired.audio || acquired.video) void this.refreshDevices();
    } finally {
      this.starting = false;
    }
  }

  /**
   * The devices to ask for: a preferred device this page has seen listed is asked for exactly
   * (the person just chose it); one only remembered from an earlier visit is asked for as
   * 'ideal', so that if it was unplugged another one is used instead of nothing.
   */
  #requested(): Requested {
    const listed = (list: { deviceId: string }[], id: string | undefined) =>
      id ? { id, exact: usableDevice(list, id) !== undefined } : undefined;
    return { microphone: listed(this.microphones, this.#preferred.microphoneId), camera: listed(this.cameras, this.#preferred.cameraId) };
  }

  #adoptAudio(track: MediaStreamTrack): void {
    this.audioTrack?.stop();
    track.enabled = this.micWanted;
    track.addEventListener('ended', () => {
      // Unplugged or permission withdrawn: show the microphone as off.
      if (this.audioTrack === track) this.audioTrack = null;
    });
    this.audioTrack = track;
  }

  #adoptVideo(track: MediaStreamTrack): void {
    this.videoTrack?.stop();
    if (!this.cameraWanted) {
      track.stop();
      return;
    }
    track.addEventListener('ended', () => {
      if (this.videoTrack === track) this.videoTrack = null;
    });
    this.videoTrack = track;
  }
}

/** Asks for the devices; when both were asked for and one is missing, gets the other alone. */
type Requested = { microphone: { id: string; exact: boolean } | undefined; camera: { id: string; exact: boolean } | undefined };

async function acquire(audio: boolean, video: boolean, preferred: Requested): Promise<Acquired> {
  if (typeof window !== 'undefined' && !window.isSecureContext) return none('insecure');
  if (!navigator.mediaDevices?.getUserMedia) return none('unsupported');
  try {
    return { ...(await getTracks(audio, video, preferred)), problem: null };
  } catch (error) {
    const problem = classify(error);
    if (problem !== 'no-device' || !(audio && video)) {
      return none(problem === 'no-device' && !video ? 'no-microphone' : problem === 'no-device' && !audio ? 'no-camera' : problem);
    }
    // One of the two may still exist: a laptop without a camera, a tablet whose mic is busy.
    const [soundOnly, pictureOnly] = await Promise.allSettled([getTracks(true, false, preferred), getTracks(false, true, preferred)]);
    const got: Acquired = {
      audio: soundOnly.status === 'fulfilled' ? soundOnly.value.audio : null,
      video: pictureOnly.status === 'fulfilled' ? pictureOnly.value.video : null,
      problem: null,
    };
    got.problem = got.audio && !got.video ? 'no-camera' : !got.audio && got.video ? 'no-microphone' : got.audio ? null : 'no-device';
    return got;
  }
}

async function getTracks(audio: boolean, video: boolean, preferred: Requested): Promise<Omit<Acquired, 'problem'>> {
  const device = (wanted: Requested['camera']) =>
    wanted ? { deviceId: wanted.exact ? { exact: wanted.id } : { ideal: wanted.id } } : {};
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: audio ? { ...AUDIO_CONSTRAINTS, ...device(preferred.microphone) } : false,
    video: video ? { ...VIDEO_CONSTRAINTS, ...device(preferred.camera) } : false,
  });
  return { audio: stream.getAudioTracks()[0] ?? null, video: stream.getVideoTracks()[0] ?? null };
}

function none(problem: MediaProblem): Acquired {
  return { audio: null, video: null, problem };
}

/** Maps getUserMedia's DOMException names (which differ a little between browsers) to problems. */
function classify(error: unknown): MediaProblem {
  const name = error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'no-device';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'in-use';
    default:
      console.warn('getUserMedia failed', error);
      return 'failed';
  }
}
