import { REQUEST_NAMES } from '@tupa/signaling/protocol';

/** A small seeded PRNG (mulberry32) so a failing fuzz run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzContext {
  roomId: string;
  transportIds: string[];
  producerIds: string[];
}

/** Makes malformed or hostile messages: random JSON, and targeted attacks on each request. */
export class MessageFactory {
  constructor(
    private readonly random: () => number,
    private readonly context: FuzzContext,
  ) {}

  next(): { event: string; payload: unknown } {
    const r = this.random();
    if (r < 0.35) return { event: this.eventName(), payload: this.value(0) };
    return this.targeted();
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  private eventName(): string {
    const odd = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'x'.repeat(300), 'connect', 'disconnect'];
    return this.random() < 0.7 ? this.pick(REQUEST_NAMES) : this.pick(odd);
  }

  private value(depth: number): unknown {
    const r = this.random();
    if (depth > 6 || r < 0.15) return this.pick([null, true, false, 0, -1, 1e308, Number.MIN_SAFE_INTEGER, '', 'x']);
    if (r < 0.3) return 'ž'.repeat(Math.floor(this.random() * 500));
    if (r < 0.45) return Math.floor(this.random() * 2 ** 32) - 2 ** 31;
    if (r < 0.65) return Array.from({ length: Math.floor(this.random() * 6) }, () => this.value(depth + 1));
    if (r < 0.7) return this.deep(200 + Math.floor(this.random() * 300));
    const keys = ['__proto__', 'constructor', 'prototype', 'roomId', 'transportId', 'rtpParameters', 'codecs', 'a'];
    const obj: Record<string, unknown> = {};
    for (let i = 0; i < 1 + Math.floor(this.random() * 5); i++) {
      Object.defineProperty(obj, this.pick(keys), { value: this.value(depth + 1), enumerable: true, configurable: true, writable: true });
    }
    return obj;
  }

  private deep(levels: number): unknown {
    let v: unknown = {};
    for (let i = 0; i < levels; i++) v = { codecs: [v] };
    return v;
  }

  private fingerprint(): unknown {
    return this.pick([
      { algorithm: 'sha-256', value: '' },
      { algorithm: 'md5', value: 'AB:CD' },
      { algorithm: 'sha-256', value: 'Z'.repeat(5000) },
      { algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') },
    ]);
  }

  private targeted(): { event: string; payload: unknown } {
    const transportId = this.pick([...this.context.transportIds, 'nope', '']);
    const producerId = this.pick([...this.context.producerIds, 'nope']);
    const attacks: Array<() => { event: string; payload: unknown }> = [
      () => ({ event: 'connectTransport', payload: { transportId, dtlsParameters: { fingerprints: [] } } }),
      () => ({
        event: 'connectTransport',
        payload: { transportId, dtlsParameters: { role: this.pick(['auto', 'boss', 'client']), fingerprints: [this.fingerprint()] } },
      }),
      () => ({
        event: 'produce',
        payload: {
          transportId,
          kind: 'video',
          source: 'camera',
          rtpParameters: {
            codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }],
            encodings: Array.from({ length: 2000 }, (_, i) => ({ ssrc: i })),
          },
        },
      }),
      () => ({
        event: 'produce',
        payload: {
          transportId,
          kind: this.pick(['audio', 'video', 'data']),
          source: this.pick(['camera', 'microphone', 'screen']),
          rtpParameters: {
            mid: this.pick(['0', 'x'.repeat(40)]),
            codecs: [
              {
                mimeType: this.pick(['video/VP8', 'audio/opus', 'video/H264', 'video/../etc', 'audio/opus']),
                payloadType: this.pick([96, 0, 127, -1, 128, 96.5]),
                clockRate: this.pick([90000, 48000, 1, 0]),
                channels: this.pick([undefined, 2, 9]),
                parameters: JSON.parse('{"__proto__": {"polluted": 1}, "apt": 96}'),
              },
            ],
            headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: this.pick([0, 1, 15, 256]) }],
            encodings: [{ ssrc: this.pick([1, 2 ** 33, -5]), rid: this.pick([undefined, 'r0', 'r 0']) }],
            rtcp: { cname: 'c' },
          },
        },
      }),
      () => ({
        event: 'consume',
        payload: {
          transportId,
          producerId,
          rtpCapabilities: {
            codecs: [
              { kind: 'audio', mimeType: 'audio/opus', clockRate: this.pick([48000, 1]), channels: this.pick([2, 1, 8]) },
              { kind: 'video', mimeType: 'video/rtx', clockRate: 90000, parameters: { apt: this.pick([96, 'x', 300]) } },
            ],
            headerExtensions: [{ kind: 'video', uri: 'x', preferredId: this.pick([1, 255, 999]) }],
          },
        },
      }),
      () => ({ event: 'consume', payload: { transportId, producerId, rtpCapabilities: this.value(0) } }),
      () => ({ event: 'resumeConsumer', payload: { consumerId: this.pick(['nope', '', 'x'.repeat(100)]) } }),
      () => ({ event: 'setProducerPaused', payload: { producerId, paused: this.pick([true, 'yes', null]) } }),
      () => ({ event: 'closeProducer', payload: { producerId: this.pick(['nope', '__proto__']) } }),
      () => ({
        event: 'joinRoom',
        payload: {
          roomId: this.pick([this.context.roomId, 'x', '../../etc/passwd']),
          displayName: this.pick(['\u202Eevil', 'A\u0000', ' '.repeat(30), 'x'.repeat(41), '😀'.repeat(20)]),
          resume: this.pick([undefined, { peerId: 'nope', secret: 'x' }, { peerId: '', secret: '' }]),
        },
      }),
      () => ({ event: 'createTransport', payload: { direction: this.pick(['send', 'recv', 'both', 1]) } }),
      () => ({ event: 'leaveRoom', payload: this.pick([{}, [], 'x', null]) }),
    ];
    return this.pick(attacks)();
  }
}
