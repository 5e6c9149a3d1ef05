import { describe, expect, it } from 'vitest';
import { LinkSampler } from './linkStats.ts';
import { WeakLinkDetector, levelFromSample, levelFromScore, worstLevel } from './quality.ts';

describe('link levels', () => {
  it('put the server score into three words', () => {
    expect([10, 7, 6, 4, 3, 0].map(levelFromScore)).toEqual(['good', 'good', 'weak', 'weak', 'very-weak', 'very-weak']);
  });

  it('take the worse of two levels and ignore an unknown one', () => {
    expect(worstLevel('good', 'weak')).toBe('weak');
    expect(worstLevel('very-weak', 'weak')).toBe('very-weak');
    expect(worstLevel(undefined, 'good')).toBe('good');
    expect(worstLevel(undefined, undefined)).toBeUndefined();
  });

  it('judge round-trip time, loss and outgoing bitrate from browser statistics', () => {
    expect(levelFromSample({})).toBeUndefined();
    expect(levelFromSample({ rttMs: 40, lossFraction: 0 })).toBe('good');
    expect(levelFromSample({ rttMs: 400 })).toBe('weak');
    expect(levelFromSample({ lossFraction: 0.08 })).toBe('weak');
    expect(levelFromSample({ lossFraction: 0.2 })).toBe('very-weak');
    expect(levelFromSample({ rttMs: 900 })).toBe('very-weak');
    expect(levelFromSample({ rttMs: 20, availableOutgoingBitrate: 60_000 })).toBe('very-weak');
  });
});

describe('weak link detector', () => {
  it('suggests only after ten seconds of very weak without a break', () => {
    const detector = new WeakLinkDetector(10_000);
    expect(detector.update('very-weak', 0)).toBe(false);
    expect(detector.update('very-weak', 9_000)).toBe(false);
    expect(detector.update('weak', 9_500)).toBe(false);
    expect(detector.update('very-weak', 10_000)).toBe(false);
    expect(detector.update('very-weak', 19_999)).toBe(false);
    expect(detector.update('very-weak', 20_000)).toBe(true);
    expect(detector.update(undefined, 21_000)).toBe(false);
  });
});

describe('link sampler', () => {
  const pair = (rtt: number, bitrate?: number) => [
    { type: 'transport', id: 'T', selectedCandidatePairId: 'P' },
    { type: 'candidate-pair', id: 'P', currentRoundTripTime: rtt, availableOutgoingBitrate: bitrate },
  ];

  it('reads round-trip time, the outgoing estimate and the loss reported back for what is sent', () => {
    const sampler = new LinkSampler();
    const send = [...pair(0.12, 500_000), { type: 'remote-inbound-rtp', fractionLost: 0.02 }, { type: 'remote-inbound-rtp', fractionLost: 0.1 }];
    expect(sampler.sample(send, null, true)).toEqual({ rttMs: 120, availableOutgoingBitrate: 500_000, lossFraction: 0.1 });
    expect(sampler.sample(send, null, false)).toEqual({ rttMs: 120, lossFraction: 0.1 });
  });

  it('counts receive loss between samples, ignores the bandwidth probe and restarts after a rebuild', () => {
    const sampler = new LinkSampler();
    const recv = (received: number, lost: number) => [
      ...pair(0.05),
      { type: 'inbound-rtp', packetsReceived: received, packetsLost: lost },
      { type: 'inbound-rtp', mid: 'probator', packetsReceived: 999_999, packetsLost: 999_999 },
    ];
    expect(sampler.sample(null, recv(100, 0), false).lossFraction).toBe(0);
    expect(sampler.sample(null, recv(190, 10), false).lossFraction).toBeCloseTo(0.1);
    // New transports: counters start again from zero, so no loss figure for this one sample.
    expect(sampler.sample(null, recv(5, 0), false).lossFraction).toBeUndefined();
    expect(sampler.sample(null, recv(105, 0), false).lossFraction).toBe(0);
  });
});
