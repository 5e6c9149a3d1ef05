import type { Attachment } from 'svelte/attachments';

// Attachments that connect MediaStreamTracks to <video> and <audio> elements. Svelte re-runs
// them when the track changes and calls the returned cleanup when the element goes away.

/** Shows `track` in a (muted) video element. */
export function showVideo(track: MediaStreamTrack | null): Attachment<HTMLVideoElement> {
  return (video) => {
    if (!track) return;
    video.srcObject = new MediaStream([track]);
    // Muted video may always autoplay; a rejection only means the element went away.
    video.play().catch(() => {});
    return () => {
      video.srcObject = null;
    };
  };
}

/**
 * Plays `track` in an audio element. Browsers may refuse to start sound before the person has
 * touched the page; `onBlocked` then gets a function that starts it from a tap.
 */
export function playAudio(
  track: MediaStreamTrack | null,
  onBlocked: (resume: () => Promise<void>) => void,
): Attachment<HTMLAudioElement> {
  return (audio) => {
    if (!track) return;
    audio.srcObject = new MediaStream([track]);
    audio.play().catch((error: unknown) => {
      if (error instanceof Error && error.name === 'NotAllowedError') onBlocked(() => audio.play());
    });
    return () => {
      audio.srcObject = null;
    };
  };
}
