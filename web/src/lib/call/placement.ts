import type { Attachment } from 'svelte/attachments';
import type { TilePlacement } from './tilePreferences.ts';

/**
 * Reports where a remote tile is: visible (in the viewport, not scrolled away inside the call's
 * scrolling stage, and the tab itself in the foreground) and its height in device pixels. The
 * server uses this to pause pictures nobody sees and to pick the simulcast layer that fits.
 */
export function observePlacement(report: ((placement: TilePlacement) => void) | undefined): Attachment<HTMLElement> {
  return (element) => {
    if (!report) return;
    let intersecting = false;
    let height = element.getBoundingClientRect().height;
    const emit = () =>
      report({
        visible: intersecting && document.visibilityState === 'visible',
        height: Math.round(height * (window.devicePixelRatio || 1)),
      });
    const intersection = new IntersectionObserver((entries) => {
      for (const entry of entries) intersecting = entry.isIntersecting;
      emit();
    });
    const resize = new ResizeObserver((entries) => {
      for (const entry of entries) height = entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height;
      emit();
    });
    intersection.observe(element);
    resize.observe(element);
    document.addEventListener('visibilitychange', emit);
    return () => {
      intersection.disconnect();
      resize.disconnect();
      document.removeEventListener('visibilitychange', emit);
    };
  };
}
