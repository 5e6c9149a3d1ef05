import { availableParallelism, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);

/** Every setting Tupa reads from the environment, with defaults that work on a laptop. */
const envSchema = z.object({
  // 0 asks the OS for a free port (tests use it).
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  MEDIA_LISTEN_IP: z.string().refine((s) => isIP(s) !== 0, 'must be an IP address').default('0.0.0.0'),
  MEDIA_ANNOUNCED_IP: z.string().refine((s) => isIP(s) !== 0, 'must be an IP address').optional(),
  RTC_PORT: port.default(40000),
  MEDIA_WORKERS: z.coerce.number().int().min(1).max(64).default(availableParallelism()),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  TUPA_DATA_DIR: z.string().min(1).default('.tupa-data'),
  EMBEDDED_PG_PORT: port.default(54329),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  EMPTY_ROOM_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  ROOM_CAPACITY: z.coerce.number().int().min(2).max(100).default(12),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(3600).default(10),
  RECONNECT_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(20),
  DRAIN_TIMEOUT_SECONDS: z.coerce.number().min(0).max(86_400).default(300),
  TURN_URLS: z
    .string()
    .transform((s) => s.split(',').map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^turns?:[^\s]+$/, 'must be turn: or turns: URLs')))
    .optional(),
  TURN_SECRET: z.string().min(16, 'use at least 16 characters').optional(),
  TURN_CREDENTIAL_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(6 * 3600),
  /** Behind a reverse proxy, take the client address from X-Forwarded-For. */
  TRUST_PROXY: z.enum(['true', 'false', '1', '0']).default('false'),
  /** Largest book upload (a PDF or all page images together), in MiB. */
  BOOK_MAX_UPLOAD_MB: z.coerce.number().min(1).max(2048).default(100),
  BOOK_MAX_PAGES: z.coerce.number().int().min(1).max(500).default(60),
  /** Put the books that come with Tupa on the shelf at start. */
  SHIPPED_BOOKS: z.enum(['on', 'off']).default('on'),
  /**
   * Whether anyone may create an open room from the start page, without signing in. Off unless
   * the organisation turns it on: its calls are meant to go through rooms its staff run.
   */
  TUPA_OPEN_ROOMS: z.enum(['true', 'false', '1', '0', 'on', 'off']).default('false'),
  /**
   * The organisation's time zone (an IANA name): session times are typed, kept and shown on its
   * clock, whatever the zone of the computer or tablet. Checked with Intl and written the way
   * Intl spells it ("europe/helsinki" becomes "Europe/Helsinki").
   */
  TUPA_TIME_ZONE: z
    .string()
    .transform((name, ctx) => {
      const canonical = canonicalTimeZone(name);
      if (canonical === null) ctx.addIssue({ code: 'custom', message: 'must be a time zone such as Europe/Helsinki' });
      return canonical ?? name;
    })
    .default('Europe/Helsinki'),
});

/** The zone's name as Intl writes it, or null when Intl does not know the zone. */
function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export interface Config {
  port: number;
  host: string;
  /** The address people open; links are built from it. */
  publicUrl: string;
  media: {
    listenIp: string;
    announcedIp: string;
    rtcPort: number;
    workers: number;
  };
  /** External PostgreSQL; when absent an embedded one runs in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPostgresPort: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  emptyRoomGraceMs: number;
  roomCapacity: number;
  shutdownTimeoutMs: number;
  reconnectGraceMs: number;
  /** How long running calls may go on after SIGTERM before the process stops anyway. */
  drainTimeoutMs: number;
  /** coturn with its REST API secret; credentials are minted per participant. */
  turn: { urls: string[]; secret: string; ttlSeconds: number } | undefined;
  trustProxy: boolean;
  /** Where the built web app lives; tests may point elsewhere. */
  webBuildDir: string;
  books: { maxUploadBytes: number; maxPages: number; seedShipped: boolean };
  /** Anyone may create an open room from the start page (`POST /api/rooms`) without signing in. */
  openRooms: boolean;
  /** The organisation's time zone (IANA name): the clock sessions are planned, kept and shown by. */
  timeZone: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment once, at start; nothing else reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (Boolean(e.TURN_URLS?.length) !== Boolean(e.TURN_SECRET)) {
    throw new ConfigError('Invalid configuration:\n  TURN_URLS and TURN_SECRET must be set together');
  }
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    media: {
      listenIp: e.MEDIA_LISTEN_IP,
      announcedIp: e.MEDIA_ANNOUNCED_IP ?? defaultAnnouncedIp(e.MEDIA_LISTEN_IP, publicUrl),
      rtcPort: e.RTC_PORT,
      workers: e.MEDIA_WORKERS,
    },
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.TUPA_DATA_DIR),
    embeddedPostgresPort: e.EMBEDDED_PG_PORT,
    logLevel: e.LOG_LEVEL,
    emptyRoomGraceMs: e.EMPTY_ROOM_GRACE_SECONDS * 1000,
    roomCapacity: e.ROOM_CAPACITY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    reconnectGraceMs: e.RECONNECT_GRACE_SECONDS * 1000,
    drainTimeoutMs: e.DRAIN_TIMEOUT_SECONDS * 1000,
    turn:
      e.TURN_URLS?.length && e.TURN_SECRET
        ? { urls: e.TURN_URLS, secret: e.TURN_SECRET, ttlSeconds: e.TURN_CREDENTIAL_TTL_SECONDS }
        : undefined,
    trustProxy: e.TRUST_PROXY === 'true' || e.TRUST_PROXY === '1',
    webBuildDir: resolve(import.meta.dirname, '../../web/build'),
    books: {
      maxUploadBytes: Math.floor(e.BOOK_MAX_UPLOAD_MB * 1024 * 1024),
      maxPages: e.BOOK_MAX_PAGES,
      seedShipped: e.SHIPPED_BOOKS === 'on',
    },
    openRooms: ['true', '1', 'on'].includes(e.TUPA_OPEN_ROOMS),
    timeZone: e.TUPA_TIME_ZONE,
  };
}

/**
 * The address browsers should send media to when the operator has not said: the listen address
 * if it is specific, the public URL's host if it is an IP, loopback for localhost, and otherwise
 * the machine's first public-facing IPv4 address.
 */
function defaultAnnouncedIp(listenIp: string, publicUrl: string): string {
  if (listenIp !== '0.0.0.0' && listenIp !== '::') return listenIp;
  const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return host;
  if (host === 'localhost') return '127.0.0.1';
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
