import { describe, expect, it } from 'vitest';
import { requestSchemas } from './requests.ts';

const roomId = 'AbCdEfGhIjKlMnOpQrStUv';
const fingerprint = { algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') };
const rtp = {
  mid: '0',
  codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: 'nack', parameter: '' }] }],
  headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4, encrypt: false, parameters: {} }],
  encodings: [
    { rid: 'r0', scalabilityMode: 'L1T3', maxBitrate: 100000, scaleResolutionDownBy: 4 },
    { rid: 'r1', scalabilityMode: 'L1T3', maxBitrate: 300000, scaleResolutionDownBy: 2 },
    { rid: 'r2', scalabilityMode: 'L1T3', maxBitrate: 900000 },
  ],
  rtcp: { cname: 'abc', reducedSize: true },
};

describe('request schemas', () => {
  it('accept what mediasoup-client sends for a simulcast camera', () => {
    const parsed = requestSchemas.produce.payload.safeParse({ transportId: 't', kind: 'video', source: 'camera', rtpParameters: rtp });
    expect(parsed.success).toBe(true);
  });

  it('trim display names and refuse empty, long or control-character names', () => {
    const join = requestSchemas.joinRoom.payload;
    expect(join.parse({ roomId, displayName: '  Aino  ' }).displayName).toBe('Aino');
    expect(join.safeParse({ roomId, displayName: '   ' }).success).toBe(false);
    expect(join.safeParse({ roomId, displayName: 'x'.repeat(41) }).success).toBe(false);
    expect(join.safeParse({ roomId, displayName: 'A\u0000b' }).success).toBe(false);
    expect(join.safeParse({ roomId, displayName: 'A\u202Eb' }).success).toBe(false);
    expect(join.safeParse({ roomId: 'short', displayName: 'Aino' }).success).toBe(false);
  });

  it('accept names in every script and with emoji, exactly as typed', () => {
    const join = requestSchemas.joinRoom.payload;
    for (const displayName of [
      'Mummi 👩\u200D👧',
      'می\u200Cخواهم',
      'क\u094D\u200Dषमा',
      'Ukki 🇫🇮 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
      'Aino 👋🏽 ❤\uFE0F',
    ]) {
      expect(join.parse({ roomId, displayName }).displayName).toBe(displayName);
    }
    // Forty characters as a person counts them, though far more UTF-16 units.
    expect(join.safeParse({ roomId, displayName: `Mummi ${'👵🏽'.repeat(34)}` }).success).toBe(true);
    expect(join.safeParse({ roomId, displayName: `Mummi ${'👵🏽'.repeat(35)}` }).success).toBe(false);
  });

  it('refuse a display name that would show as a blank: zero-width space, word joiners, soft hyphen, a direction mark, the Hangul filler', () => {
    const join = requestSchemas.joinRoom.payload;
    for (const displayName of ['\u200B', '\u2060\u2060', '\u00AD', '\u200E', '\u3164', ' \u200D\uFE0F ']) {
      const parsed = join.safeParse({ roomId, displayName });
      expect(parsed.success, JSON.stringify(displayName)).toBe(false);
      expect(parsed.error?.issues[0]?.code).toBe('too_small');
    }
    // A letter under hundreds of combining marks is not one character.
    expect(join.safeParse({ roomId, displayName: `a${'\u0301'.repeat(399)}` }).success).toBe(false);
    expect(join.parse({ roomId, displayName: 'Zoë 👨🏽\u200D👩🏽\u200D👧🏽\u200D👦🏽' }).displayName).toBe('Zoë 👨🏽\u200D👩🏽\u200D👧🏽\u200D👦🏽');
    // The same marks beside something visible are part of a real name.
    expect(join.parse({ roomId, displayName: 'Ai\u00ADno \u200E' }).displayName).toBe('Ai\u00ADno \u200E');
  });

  it('refuse a display name with the bell, an isolate or a line break', () => {
    const join = requestSchemas.joinRoom.payload;
    expect(join.safeParse({ roomId, displayName: 'Ai\u0007no' }).success).toBe(false);
    expect(join.safeParse({ roomId, displayName: 'Aino\u2066' }).success).toBe(false);
    expect(join.safeParse({ roomId, displayName: 'Ai\nno' }).success).toBe(false);
  });

  it('accept chat messages with emoji and several lines, and refuse control characters in them', () => {
    const chat = requestSchemas.sendChat.payload;
    const text = 'Hyvää yötä 👨\u200D👩\u200D👧\u200D👦\nTa\u200Cck';
    expect(chat.parse({ text }).text).toBe(text);
    expect(chat.safeParse({ text: 'hei\u0000' }).success).toBe(false);
    expect(chat.safeParse({ text: 'hei\u202E' }).success).toBe(false);
    expect(chat.safeParse({ text: '😀'.repeat(500) }).success).toBe(true);
    expect(chat.safeParse({ text: '😀'.repeat(501) }).success).toBe(false);
  });

  it('refuse thousands of encodings, empty fingerprints and oversize strings', () => {
    const produce = requestSchemas.produce.payload;
    const manyEncodings = { ...rtp, encodings: Array.from({ length: 2000 }, (_, i) => ({ ssrc: i })) };
    expect(produce.safeParse({ transportId: 't', kind: 'video', source: 'camera', rtpParameters: manyEncodings }).success).toBe(false);
    const longCname = { ...rtp, rtcp: { cname: 'x'.repeat(10_000) } };
    expect(produce.safeParse({ transportId: 't', kind: 'video', source: 'camera', rtpParameters: longCname }).success).toBe(false);
    const connect = requestSchemas.connectTransport.payload;
    expect(connect.safeParse({ transportId: 't', dtlsParameters: { fingerprints: [] } }).success).toBe(false);
    expect(connect.safeParse({ transportId: 't', dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: '' }] } }).success).toBe(false);
    expect(connect.safeParse({ transportId: 't', dtlsParameters: { role: 'auto', fingerprints: [fingerprint] } }).success).toBe(true);
  });

  it('never let __proto__ keys through into codec parameters', () => {
    // zod drops a `__proto__` key from records, so the parsed object is plain and empty.
    const polluted = JSON.parse(
      '{"mimeType":"video/VP8","payloadType":96,"clockRate":90000,"parameters":{"__proto__":{"x":1}}}',
    ) as object;
    const parsed = requestSchemas.produce.payload.safeParse({
      transportId: 't',
      kind: 'video',
      source: 'camera',
      rtpParameters: { ...rtp, codecs: [polluted] },
    });
    expect(parsed.success).toBe(true);
    const parameters = parsed.data?.rtpParameters.codecs[0]?.parameters ?? {};
    expect(Object.getPrototypeOf(parameters)).toBe(Object.prototype);
    expect(Object.hasOwn(parameters, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('drop unknown keys instead of passing them on to the worker', () => {
    const parsed = requestSchemas.createTransport.payload.parse({ direction: 'send', sctpCapabilities: { huge: true } });
    expect(parsed).toEqual({ direction: 'send' });
  });

  it('refuse wrong types and strip deep nesting', () => {
    let deep: unknown = {};
    for (let i = 0; i < 1000; i++) deep = { a: deep };
    expect(requestSchemas.consume.payload.safeParse({ transportId: 't', producerId: 'p', rtpCapabilities: deep }).success).toBe(true);
    expect(requestSchemas.consume.payload.safeParse({ transportId: 1, producerId: 'p', rtpCapabilities: {} }).success).toBe(false);
    expect(requestSchemas.resumeConsumer.payload.safeParse(null).success).toBe(false);
    expect(requestSchemas.resumeConsumer.payload.safeParse([]).success).toBe(false);
  });
});
