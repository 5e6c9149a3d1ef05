import { beforeEach, describe, expect, it } from 'vitest';
import type { PagePoint } from '@tupa/signaling/protocol';
import { PointerThrottle } from './pointerThrottle.ts';

describe('pointer throttle', () => {
  let now: number;
  let frames: Map<number, () => void>;
  let nextHandle: number;
  let sent: (PagePoint | null)[];
  let throttle: PointerThrottle;

  /** Advances time by one 60 Hz frame and runs the callbacks waiting for it. */
  function frame(): void {
    now += 1000 / 60;
    const due = [...frames.values()];
    frames.clear();
    for (const callback of due) callback();
  }

  beforeEach(() => {
    now = 1000;
    frames = new Map();
    nextHandle = 1;
    sent = [];
    throttle = new PointerThrottle({
      send: (point) => sent.push(point),
      intervalMs: 33,
      now: () => now,
      requestFrame: (callback) => {
        const handle = nextHandle++;
        frames.set(handle, callback);
        return handle;
      },
      cancelFrame: (handle) => frames.delete(handle),
    });
  });

  it('sends only the latest position of each frame', () => {
    throttle.move({ x: 0.1, y: 0.1 });
    throttle.move({ x: 0.2, y: 0.2 });
    throttle.move({ x: 0.3, y: 0.3 });
    expect(sent).toEqual([]);
    frame();
    expect(sent).toEqual([{ x: 0.3, y: 0.3 }]);
  });

  it('sends at most about 30 positions a second however fast the pointer moves', () => {
    for (let i = 0; i < 120; i++) {
      throttle.move({ x: (i % 100) / 100, y: 0.5 });
      throttle.move({ x: ((i + 1) % 100) / 100, y: 0.5 });
      frame();
    }
    // 120 frames at 60 Hz are two seconds.
    expect(sent.length).toBeGreaterThanOrEqual(55);
    expect(sent.length).toBeLessThanOrEqual(61);
  });

  it('sends nothing when the pointer stays still', () => {
    throttle.move({ x: 0.5, y: 0.5 });
    frame();
    for (let i = 0; i < 30; i++) frame();
    expect(sent).toHaveLength(1);
  });

  it('sends null at once on leaving, drops a waiting position, and only once', () => {
    throttle.move({ x: 0.5, y: 0.5 });
    frame();
    throttle.move({ x: 0.6, y: 0.6 });
    throttle.leave();
    throttle.leave();
    frame();
    frame();
    expect(sent).toEqual([{ x: 0.5, y: 0.5 }, null]);
  });

  it('sends no null when nothing was shown', () => {
    throttle.move({ x: 0.5, y: 0.5 });
    throttle.leave();
    frame();
    expect(sent).toEqual([]);
  });
});
