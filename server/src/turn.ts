import { createHmac } from 'node:crypto';
import type { IceServer } from '@tupa/signaling/protocol';

/**
 * TURN credentials in coturn's REST scheme (`use-auth-secret`): the username is the expiry
 * time and the participant's id, the password an HMAC of it with the shared secret. They stop
 * working by themselves at expiry, so nothing has to be revoked.
 */
export function turnCredentials(
  turn: { urls: string[]; secret: string; ttlSeconds: number } | undefined,
  peerId: string,
  now: number = Date.now(),
): IceServer[] {
  if (!turn) return [];
  const expiry = Math.floor(now / 1000) + turn.ttlSeconds;
  const username = `${expiry}:${peerId}`;
  const credential = createHmac('sha1', turn.secret).update(username).digest('base64');
  return [{ urls: turn.urls, username, credential }];
}
