import { randomBytes } from 'node:crypto';

/** Matches what newRandomId produces: 16 random bytes in base64url without padding. */
export const RANDOM_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** A new 128-bit random identifier, base64url (22 characters), safe to put in a URL. */
export function newRandomId(): string {
  return randomBytes(16).toString('base64url');
}

/** Letters and digits that cannot be mistaken for each other when read aloud or typed. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 10;

/**
 * A code a grandparent can type: 10 characters from 31 (about 50 bits), shown as XXXXX-XXXXX.
 * Guessing one is futile at the rate the server allows attempts.
 */
export function newJoinCode(): string {
  const bytes = randomBytes(CODE_LENGTH * 2);
  let code = '';
  // Rejection sampling keeps every character equally likely.
  for (let i = 0; i < bytes.length && code.length < CODE_LENGTH; i++) {
    const value = bytes[i] as number;
    if (value < 248) code += CODE_ALPHABET[value % CODE_ALPHABET.length];
  }
  if (code.length < CODE_LENGTH) return newJoinCode();
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** A typed code as stored: upper case, without spaces or dashes; null if it cannot be a code. */
export function normaliseJoinCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== CODE_LENGTH) return null;
  for (const c of code) if (!CODE_ALPHABET.includes(c)) return null;
  return code;
}
