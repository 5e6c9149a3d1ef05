import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';

// Real encoded media as RTP on loopback: Debian's ffmpeg encodes a synthetic picture (VP8) or tone
// (Opus) in real time and sends RTP to a UDP socket here, which hands every packet to listeners
// (for example werift tracks, through writeRtp). Bounded: ffmpeg stops by itself after maxSeconds.
// For comparisons that need the very same stream twice, a VP8 clip can be recorded once and
// replayed packet for packet at its own pace (recordVp8Clip, replayClip).

export interface RtpSource {
  readonly kind: 'audio' | 'video';
  /** Packets received from ffmpeg so far. */
  readonly packets: number;
  /** Calls `listener` with every packet from now on; returns a function that stops it. */
  onPacket(listener: (packet: Buffer) => void): () => void;
  /** Resolves once the first packet (for video: a key frame's first packet has passed) arrived. */
  ready(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface VideoSourceOptions {
  width?: number;
  height?: number;
  fps?: number;
  /** Target bitrate in kbit/s. */
  kbps?: number;
  /** Frames between key frames. */
  keyFrameInterval?: number;
  maxSeconds: number;
}

/** VP8 from ffmpeg's test pattern, 640x360 at 30 fps and 600 kbit/s unless told otherwise. */
export function startVp8Source(options: VideoSourceOptions): Promise<RtpSource> {
  const { width = 640, height = 360, fps = 30, kbps = 600, keyFrameInterval = 60, maxSeconds } = options;
  return startSource('video', (port) => [
    '-re', '-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=${fps}`,
    '-t', String(maxSeconds),
    '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', `${kbps}k`,
    '-g', String(keyFrameInterval), '-auto-alt-ref', '0', '-lag-in-frames', '0',
    '-f', 'rtp', '-payload_type', '96', `rtp://127.0.0.1:${port}?pkt_size=1200`,
  ]);
}

/** Opus from a sine tone, 48 kHz stereo, 20 ms packets. */
export function startOpusSource(options: { maxSeconds: number; kbps?: number }): Promise<RtpSource> {
  return startSource('audio', (port) => [
    '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(options.maxSeconds),
    '-ac', '2', '-c:a', 'libopus', '-b:a', `${options.kbps ?? 32}k`, '-frame_duration', '20', '-application', 'voip',
    '-f', 'rtp', '-payload_type', '111', `rtp://127.0.0.1:${port}?pkt_size=1200`,
  ]);
}

async function startSource(kind: 'audio' | 'video', args: (port: number) => string[]): Promise<RtpSource> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const port = socket.address().port;
  const ffmpeg = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  ffmpeg.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const listeners = new Set<(packet: Buffer) => void>();
  let packets = 0;
  let firstPacket: (() => void) | undefined;
  const first = new Promise<void>((resolve) => (firstPacket = resolve));
  socket.on('message', (packet) => {
    // RTP only (version 2, payload type not in the RTCP range 200-204 once the marker bit is removed).
    if (packet.length < 12 || packet[0]! >> 6 !== 2) return;
    const pt = packet[1]! & 0x7f;
    if (pt >= 72 && pt <= 76) return;
    packets++;
    if (packets === 1) firstPacket?.();
    for (const listener of listeners) listener(packet);
  });
  const exited = new Promise<number | null>((resolve) => ffmpeg.once('exit', (code) => resolve(code)));
  return {
    kind,
    get packets() {
      return packets;
    },
    onPacket(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ready: async (timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      const failed = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`ffmpeg sent no RTP in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
        void exited.then((code) => reject(new Error(`ffmpeg exited (${code}) before sending RTP: ${stderr}`)));
      });
      try {
        await Promise.race([first, failed]);
      } finally {
        clearTimeout(timer);
      }
    },
    stop: () => stopSource(ffmpeg, socket, exited),
  };
}

async function stopSource(ffmpeg: ChildProcess, socket: Socket, exited: Promise<number | null>): Promise<void> {
  if (ffmpeg.exitCode === null && ffmpeg.signalCode === null) ffmpeg.kill('SIGTERM');
  const timer = setTimeout(() => ffmpeg.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
  await new Promise<void>((resolve) => socket.close(() => resolve()));
}

/** RTP packets recorded from ffmpeg, with when each is due (from its RTP timestamp). */
export interface RtpClip {
  packets: Array<{ atMs: number; data: Buffer }>;
  /** Length of one pass; a replay loops back to the first packet (a key frame) after it. */
  durationMs: number;
  clockRate: number;
}

/**
 * Encodes `seconds` of ffmpeg's test pattern to VP8 RTP as fast as ffmpeg can and keeps every
 * packet. With a key frame every `keyFrameInterval` frames and a length that is a multiple of it,
 * the clip loops cleanly from key frame to key frame.
 */
export async function recordVp8Clip(options: Omit<VideoSourceOptions, 'maxSeconds'> & { seconds: number }): Promise<RtpClip> {
  const { width = 640, height = 360, fps = 30, kbps = 600, keyFrameInterval = 60, seconds } = options;
  const frames = Math.round(seconds * fps);
  if (frames % keyFrameInterval !== 0) throw new Error('the clip must hold whole key-frame intervals');
  const socket = createSocket({ type: 'udp4', recvBufferSize: 32 * 2 ** 20 });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const received: Buffer[] = [];
  socket.on('message', (packet) => {
    if (packet.length >= 12 && packet[0]! >> 6 === 2 && !((packet[1]! & 0x7f) >= 72 && (packet[1]! & 0x7f) <= 76)) received.push(packet);
  });
  const ffmpeg = spawn(
    'ffmpeg',
    [
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      // Four times real time at most, so a slow reader here never loses a packet.
      '-readrate', '4', '-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=${fps}`,
      '-frames:v', String(frames),
      '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', `${kbps}k`,
      '-g', String(keyFrameInterval), '-keyint_min', String(keyFrameInterval), '-auto-alt-ref', '0', '-lag-in-frames', '0',
      '-f', 'rtp', '-payload_type', '96', `rtp://127.0.0.1:${socket.address().port}?pkt_size=1200`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  ffmpeg.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const timer = setTimeout(() => ffmpeg.kill('SIGKILL'), seconds * 1000 + 30_000);
  const code = await new Promise<number | null>((resolve) => ffmpeg.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  // The last datagrams may still be on their way through the loopback.
  await new Promise((resolve) => setTimeout(resolve, 200));
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  if (code !== 0) throw new Error(`ffmpeg could not record the clip (exit ${code}): ${stderr}`);
  if (received.length === 0) throw new Error('ffmpeg sent no RTP while recording the clip');
  for (let i = 1; i < received.length; i++) {
    if (((received[i - 1]!.readUInt16BE(2) + 1) & 0xffff) !== received[i]!.readUInt16BE(2)) {
      throw new Error(`a packet was lost or reordered while recording the clip (at packet ${i})`);
    }
  }
  const clockRate = 90_000;
  const firstTimestamp = received[0]!.readUInt32BE(4);
  return {
    packets: received.map((data) => ({ atMs: (((data.readUInt32BE(4) - firstTimestamp) >>> 0) / clockRate) * 1000, data })),
    durationMs: (frames / fps) * 1000,
    clockRate,
  };
}

/**
 * Plays a clip again and again at its own pace, as one continuous stream: sequence numbers and
 * timestamps go on across the loop. Bounded: it stops by itself after maxSeconds.
 */
export function replayClip(clip: RtpClip, options: { maxSeconds: number }): RtpSource {
  const listeners = new Set<(packet: Buffer) => void>();
  const started = performance.now();
  const stopAt = started + options.maxSeconds * 1000;
  let packets = 0;
  let index = 0;
  let pass = 0;
  let timer: NodeJS.Timeout | undefined;
  const send = () => {
    const now = performance.now();
    // Everything due by now, in order; a late timer sends what it owes at once, as a NIC would.
    for (;;) {
      const next = clip.packets[index]!;
      if (started + pass * clip.durationMs + next.atMs > now) break;
      const packet = Buffer.from(next.data);
      packet.writeUInt16BE(packets & 0xffff, 2);
      packet.writeUInt32BE((next.data.readUInt32BE(4) + Math.round((pass * clip.durationMs * clip.clockRate) / 1000)) >>> 0, 4);
      packets++;
      for (const listener of listeners) listener(packet);
      index++;
      if (index === clip.packets.length) {
        index = 0;
        pass++;
      }
    }
    timer = now < stopAt ? setTimeout(send, 2) : undefined;
  };
  send();
  return {
    kind: 'video',
    get packets() {
      return packets;
    },
    onPacket(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ready: async () => undefined,
    stop: async () => {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
