import type { MediaSource, ProducerInfo } from '@tupa/signaling/protocol';

/** Another participant as this browser sees them: name, received tracks and what is paused. */
export class RemotePeer {
  readonly peerId: string;
  displayName = $state('');
  videoTrack = $state.raw<MediaStreamTrack | null>(null);
  audioTrack = $state.raw<MediaStreamTrack | null>(null);
  videoPaused = $state(false);
  audioPaused = $state(false);

  /** The peer's producers by id, so pause and close notifications find their source. */
  readonly producers = new Map<string, ProducerInfo>();

  readonly cameraOn = $derived(this.videoTrack !== null && !this.videoPaused);
  readonly micOn = $derived(this.audioTrack !== null && !this.audioPaused);

  constructor(peerId: string, displayName: string) {
    this.peerId = peerId;
    this.displayName = displayName;
  }

  setTrack(source: MediaSource, track: MediaStreamTrack | null): void {
    if (source === 'camera') this.videoTrack = track;
    else this.audioTrack = track;
  }

  setPaused(source: MediaSource, paused: boolean): void {
    if (source === 'camera') this.videoPaused = paused;
    else this.audioPaused = paused;
  }
}
