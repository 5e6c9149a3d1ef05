import { describe, expect, it } from 'vitest';
import { cameraEncodings } from './sendOptions.ts';

describe('camera encodings', () => {
  it('send three simulcast layers at quarter, half and full size from a 720p capture', () => {
    const encodings = cameraEncodings(720);
    expect(encodings.map((e) => e.scaleResolutionDownBy)).toEqual([4, 2, 1]);
    expect(encodings.map((e) => e.maxBitrate)).toEqual([100_000, 300_000, 900_000]);
    expect(encodings.every((e) => e.scalabilityMode === 'L1T3')).toBe(true);
  });

  it('send fewer layers from a small capture instead of layers the browser would drop', () => {
    expect(cameraEncodings(360).map((e) => e.scaleResolutionDownBy)).toEqual([2, 1]);
    expect(cameraEncodings(240)).toHaveLength(1);
    expect(cameraEncodings(undefined)).toHaveLength(1);
  });

  it('give every layer a rising bitrate ceiling', () => {
    for (const side of [720, 360]) {
      const rates = cameraEncodings(side).map((e) => e.maxBitrate ?? 0);
      expect([...rates].sort((a, b) => a - b)).toEqual(rates);
    }
  });
});
