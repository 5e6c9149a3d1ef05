import type { types as ms } from 'mediasoup-client';

// How this tab sends its camera and microphone. The camera goes out as up to three simulcast
// layers (quarter, half and full resolution), so the server can give each receiver the layer that
// fits its tile and its connection; the microphone uses Opus with in-band FEC (a lost packet is
// rebuilt from the next one) and DTX (almost nothing is sent during silence).

/** One simulcast layer: how much smaller than the capture, and its bitrate ceiling. */
interface Layer {
  scaleResolutionDownBy: number;
  maxBitrate: number;
}

/** Quarter (180p of 720p), half (360p) and full (720p) resolution. */
const THREE_LAYERS: Layer[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 100_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 300_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 900_000 },
];

/** For a capture of about 360p: 180p and 360p. */
const TWO_LAYERS: Layer[] = [
  { scaleResolutionDownBy: 2, maxBitrate: 150_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 500_000 },
];

/**
 * The camera's encodings for a capture whose shorter side is `shortSide` pixels. Browsers drop
 * layers smaller than they can encode well, so a small capture gets fewer layers instead of
 * layers that are never sent. Every layer carries three temporal layers (L1T3), so the server can
 * also halve or quarter the frame rate for a receiver whose link is weak.
 */
export function cameraEncodings(shortSide: number | undefined): ms.RtpEncodingParameters[] {
  const side = shortSide ?? 0;
  if (side >= 540) return THREE_LAYERS.map((layer) => ({ ...layer, scalabilityMode: 'L1T3' }));
  if (side >= 270) return TWO_LAYERS.map((layer) => ({ ...layer, scalabilityMode: 'L1T3' }));
  return [{ maxBitrate: 300_000, scalabilityMode: 'L1T3' }];
}

/** The shorter side of a video track's picture (a tablet held upright is taller than wide). */
export function shortSideOf(track: MediaStreamTrack): number | undefined {
  const { width, height } = track.getSettings();
  if (width === undefined || height === undefined) return height ?? width;
  return Math.min(width, height);
}

/** Start the camera near its target bitrate instead of ramping up from the browser's default. */
export const CAMERA_CODEC_OPTIONS: ms.ProducerCodecOptions = { videoGoogleStartBitrate: 1000 };

/** Opus with forward error correction and discontinuous transmission. */
export const MICROPHONE_CODEC_OPTIONS: ms.ProducerCodecOptions = { opusFec: true, opusDtx: true };
