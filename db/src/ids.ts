import { randomBytes } from 'node:crypto';

/** Matches what newRandomId produces: 16 random bytes in base64url without padding. */
export const RANDOM_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** A new 128-bit random identifier, base64url (22 characters), safe to put in a URL. */
export function newRandomId(): string {
  return randomBytes(16).toString('base64url');
}
