import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A new resume secret: 128 random bits, base64url (22 characters). */
export function newResumeSecret(): string {
  return randomBytes(16).toString('base64url');
}

/** Constant-time comparison of a stored secret with one a client sent (any length). */
export function sameSecret(stored: string, given: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}
