import type { MediaSource, ProducerInfo } from '@tupa/signaling/protocol';
import { levelFromScore, type LinkLevel } from './quality.ts';

/** Another participant as this browser sees them: name, received tracks, what is paused, link. */
export class RemotePeer {
  readonly peerId: string;
  displayName = $state('');
  videoTrack = $state.raw<MediaStreamTrack | null>(null);
  audioTrack = $state.raw<MediaStreamTrack | null>(null);
  videoPaused = $state(false);
  audioPaused = $state(false);
  /** Their signaling dropped and the server keeps their place while they may come back. */
  reconnecting = $state(false);
  /** The server's 0-10 score for how well their media reaches it, once known. */
  score = $state<number | undefined>(undefined);

  /** The peer's producers by id, so pause and close notifications find their source. */
  readonly producers = new Map<string, ProducerInfo>();

  readonly cameraOn = $derived(this.videoTrack !== null && !this.videoPaused);
  readonly micOn = $derived(this.audioTrack !== null && !this.audioPaused);
  readonly link = $derived<LinkLevel | undefined>(this.score === undefined ? undefined : levelFromScore(this.score));

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

  /** Forgets every received track (the consumers are gone). */
  dropTracks(): void {
    this.videoTrack = null;
    this.audioTrack = null;
  }
}
