import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IceRecovery } from './iceRecovery.ts';

describe('ICE recovery', () => {
  let restarts: number;
  let fail: boolean;
  let recovery: IceRecovery;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    restarts = 0;
    fail = false;
    recovery = new IceRecovery({
      restart: async () => {
        restarts++;
        if (fail) throw new Error('disconnected');
      },
      graceMs: 2_000,
      retryMs: 5_000,
    });
  });
  afterEach(() => {
    recovery.close();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('lets a short blip mend by itself', async () => {
    recovery.update('connected');
    recovery.update('disconnected');
    await vi.advanceTimersByTimeAsync(1_500);
    recovery.update('connected');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(restarts).toBe(0);
  });

  it('restarts after two seconds disconnected, and again while it stays broken', async () => {
    recovery.update('connected');
    recovery.update('disconnected');
    await vi.advanceTimersByTimeAsync(1_999);
    expect(restarts).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(restarts).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(restarts).toBe(2);
    recovery.update('connected');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(restarts).toBe(2);
  });

  it('restarts at once on failure, and at once when signaling is back after a failed request', async () => {
    fail = true;
    recovery.update('failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(restarts).toBe(1);
    fail = false;
    recovery.retryNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(restarts).toBe(2);
  });

  it('does nothing once closed', async () => {
    recovery.update('disconnected');
    recovery.close();
    await vi.advanceTimersByTimeAsync(10_000);
    recovery.retryNow();
    expect(restarts).toBe(0);
  });
});
