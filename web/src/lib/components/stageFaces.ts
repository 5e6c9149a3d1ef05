import type { Snippet } from 'svelte';
import type { CallSession } from '#lib/call/CallSession.svelte.ts';
import type { LocalMedia } from '#lib/call/LocalMedia.svelte.ts';
import type { RemotePeer } from '#lib/call/RemotePeer.svelte.ts';

/**
 * What every arrangement of something shared beside the faces takes from the call screen
 * (SharedStageLayout, and the book's and the games' layouts that wrap it).
 */
export interface StageFacesProps {
  session: CallSession;
  media: LocalMedia;
  displayName: string;
  /** A remote tile whose sound the browser would not play until a tap. */
  onAudioBlocked: (resume: () => Promise<void>) => void;
  /** Hosts' options for one participant's tile. */
  hostMenu?: Snippet<[RemotePeer]>;
  /** The host tools as one small button (a host on a phone), placed clear of the stage and the faces. */
  hostTools?: Snippet;
}
