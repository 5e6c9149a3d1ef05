import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TilePreferences, type TilePlacement } from './tilePreferences.ts';

describe('tile preferences', () => {
  let sent: { consumerId: string; placement: TilePlacement }[];
  let consumers: Map<string, string>;
  let failNext: boolean;
  let prefs: TilePreferences;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    sent = [];
    consumers = new Map([['alice', 'c1']]);
    failNext = false;
    prefs = new TilePreferences({
      send: async (consumerId, placement) => {
        if (failNext) {
          failNext = false;
          throw new Error('disconnected');
        }
        sent.push({ consumerId, placement: { ...placement } });
      },
      consumerOf: (peerId) => consumers.get(peerId),
      debounceMs: 300,
    });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('sends once per burst of resizes, after the debounce', async () => {
    prefs.place('alice', { visible: true, height: 700 });
    prefs.place('alice', { visible: true, height: 500 });
    prefs.place('alice', { visible: true, height: 180.4 });
    await vi.advanceTimersByTimeAsync(299);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([{ consumerId: 'c1', placement: { visible: true, height: 180 } }]);
  });

  it('sends nothing when nothing changed, and ignores height while hidden', async () => {
    prefs.place('alice', { visible: true, height: 400 });
    await vi.advanceTimersByTimeAsync(300);
    prefs.place('alice', { visible: true, height: 400 });
    await vi.advanceTimersByTimeAsync(300);
    prefs.place('alice', { visible: false, height: 400 });
    await vi.advanceTimersByTimeAsync(300);
    prefs.place('alice', { visible: false, height: 10 });
    await vi.advanceTimersByTimeAsync(300);
    expect(sent.map((s) => s.placement)).toEqual([
      { visible: true, height: 400 },
      { visible: false, height: 400 },
    ]);
  });

  it('waits for a consumer and for a laid-out tile, then applies at once for a new consumer', async () => {
    prefs.place('bob', { visible: true, height: 300 });
    prefs.place('alice', { visible: true, height: 0 });
    await vi.advanceTimersByTimeAsync(300);
    expect(sent).toEqual([]);
    consumers.set('bob', 'c2');
    await prefs.applyNow('bob');
    expect(sent).toEqual([{ consumerId: 'c2', placement: { visible: true, height: 300 } }]);
  });

  it('sends again for a new consumer of the same tile, and after a failed send', async () => {
    prefs.place('alice', { visible: true, height: 300 });
    await vi.advanceTimersByTimeAsync(300);
    consumers.set('alice', 'c9');
    await prefs.applyNow('alice');
    failNext = true;
    prefs.place('alice', { visible: true, height: 600 });
    await vi.advanceTimersByTimeAsync(300);
    prefs.flushAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => [s.consumerId, s.placement.height])).toEqual([
      ['c1', 300],
      ['c9', 300],
      ['c9', 600],
    ]);
  });
});
