import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QualityTracker } from './QualityTracker.ts';

describe('QualityTracker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports the weakest producer of a participant, once per interval, and only on change', () => {
    const sent: Array<[string, number]> = [];
    const tracker = new QualityTracker((peerId, score) => sent.push([peerId, score]), 1000);
    tracker.update('a', 'mic', 10);
    tracker.update('a', 'cam', 7);
    vi.advanceTimersByTime(0);
    expect(sent).toEqual([['a', 7]]);
    // A burst of updates within the interval gives one message with the latest value.
    tracker.update('a', 'cam', 3);
    tracker.update('a', 'cam', 5);
    vi.advanceTimersByTime(999);
    expect(sent).toEqual([['a', 7]]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([['a', 7], ['a', 5]]);
    // The same score again is not repeated.
    tracker.update('a', 'cam', 5);
    vi.advanceTimersByTime(2000);
    expect(sent).toHaveLength(2);
    // A closed producer no longer counts.
    tracker.removeProducer('a', 'cam');
    tracker.update('a', 'mic', 9);
    vi.advanceTimersByTime(2000);
    expect(sent.at(-1)).toEqual(['a', 9]);
  });

  it('forgets a participant who left, including a pending report', () => {
    const sent: Array<[string, number]> = [];
    const tracker = new QualityTracker((peerId, score) => sent.push([peerId, score]), 1000);
    tracker.update('a', 'mic', 10);
    vi.advanceTimersByTime(0);
    tracker.update('a', 'mic', 2);
    tracker.forget('a');
    vi.advanceTimersByTime(5000);
    expect(sent).toEqual([['a', 10]]);
    expect(tracker.score('a')).toBeUndefined();
  });
});
