import { z } from 'zod';

// Schemas for the WebRTC parameter objects that mediasoup-client sends. They list the fields
// mediasoup understands and cap every array and string, so a hostile client cannot hand the
// worker thousands of encodings or megabyte strings. Unknown keys are dropped.

/** Parameter names such as `profile-level-id`; no underscores, so `__proto__` cannot pass. */
const paramKey = z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]{0,63}$/);
const paramValue = z.union([z.string().max(256), z.number().finite()]);
const codecParameters = z.record(paramKey, paramValue).refine((r) => Object.keys(r).length <= 32, {
  message: 'too many codec parameters',
});

const mimeType = z.string().regex(/^(audio|video)\/[a-zA-Z0-9.+-]{1,32}$/);
const uint32 = z.number().int().min(0).max(0xffffffff);
const payloadType = z.number().int().min(0).max(127);

const rtcpFeedback = z.object({
  type: z.string().min(1).max(32),
  parameter: z.string().max(32).optional(),
});

export const mediaKindSchema = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof mediaKindSchema>;

export const dtlsParametersSchema = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(
      z.object({
        algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
        value: z.string().regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){15,63}$/),
      }),
    )
    .min(1)
    .max(5),
});
export type DtlsParameters = z.infer<typeof dtlsParametersSchema>;

export const rtpParametersSchema = z.object({
  mid: z.string().max(32).optional(),
  codecs: z
    .array(
      z.object({
        mimeType,
        payloadType,
        clockRate: z.number().int().min(1).max(200_000),
        channels: z.number().int().min(1).max(8).optional(),
        parameters: codecParameters.optional(),
        rtcpFeedback: z.array(rtcpFeedback).max(16).optional(),
      }),
    )
    .min(1)
    .max(8),
  headerExtensions: z
    .array(
      z.object({
        uri: z.string().min(1).max(256),
        id: z.number().int().min(1).max(255),
        encrypt: z.boolean().optional(),
        parameters: codecParameters.optional(),
      }),
    )
    .max(16)
    .optional(),
  encodings: z
    .array(
      z.object({
        ssrc: uint32.optional(),
        rid: z.string().regex(/^[a-zA-Z0-9]{1,16}$/).optional(),
        codecPayloadType: payloadType.optional(),
        rtx: z.object({ ssrc: uint32 }).optional(),
        dtx: z.boolean().optional(),
        scalabilityMode: z.string().regex(/^[A-Z0-9_]{1,16}$/).optional(),
        scaleResolutionDownBy: z.number().min(1).max(64).optional(),
        maxBitrate: z.number().int().min(0).max(100_000_000).optional(),
        maxFramerate: z.number().min(0).max(120).optional(),
        adaptivePtime: z.boolean().optional(),
        priority: z.enum(['very-low', 'low', 'medium', 'high']).optional(),
        networkPriority: z.enum(['very-low', 'low', 'medium', 'high']).optional(),
      }),
    )
    .min(1)
    .max(4),
  rtcp: z
    .object({
      cname: z.string().max(256).optional(),
      reducedSize: z.boolean().optional(),
      mux: z.boolean().optional(),
    })
    .optional(),
});
export type RtpParameters = z.infer<typeof rtpParametersSchema>;

export const rtpCapabilitiesSchema = z.object({
  codecs: z
    .array(
      z.object({
        kind: mediaKindSchema,
        mimeType,
        preferredPayloadType: payloadType.optional(),
        clockRate: z.number().int().min(1).max(200_000),
        channels: z.number().int().min(1).max(8).optional(),
        parameters: codecParameters.optional(),
        rtcpFeedback: z.array(rtcpFeedback).max(16).optional(),
      }),
    )
    .max(64)
    .optional(),
  headerExtensions: z
    .array(
      z.object({
        kind: mediaKindSchema,
        uri: z.string().min(1).max(256),
        preferredId: z.number().int().min(1).max(255),
        preferredEncrypt: z.boolean().optional(),
        direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
      }),
    )
    .max(64)
    .optional(),
});
export type RtpCapabilities = z.infer<typeof rtpCapabilitiesSchema>;
