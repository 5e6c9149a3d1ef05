import { restApi } from '@tupa/signaling/protocol';
import { parseInvitation, type InvitationInfo } from './invitation.ts';

/** What the server said about a typed code. */
export type CodeLookup =
  | { outcome: 'found'; invitation: InvitationInfo }
  /** No valid invitation has this code (never was, expired or cancelled). */
  | { outcome: 'not-found' }
  /** Too many wrong codes from here (or from everyone): nothing was looked up; wait this long. */
  | { outcome: 'wait'; seconds: number }
  /** The server could not be reached or gave an answer that is not an invitation. */
  | { outcome: 'failed' };

/** When the server asks to wait but does not say how long (it always should), in seconds. */
const DEFAULT_WAIT_SECONDS = 60;

/**
 * Asks the server where a normalised code (`XXXXX-XXXXX`) leads: `POST /api/invitations/by-code`,
 * which answers 404 for an unknown code and 429 with `Retry-After` (seconds) while this address
 * or everyone waits after too many wrong codes (server/src/codeGuessingGuard.ts). Never throws.
 */
export async function lookUpCode(code: string, fetchFn: typeof fetch = fetch): Promise<CodeLookup> {
  try {
    const response = await fetchFn(restApi.lookUpCode.path, {
      method: restApi.lookUpCode.method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ code }),
    });
    if (response.status === 404) return { outcome: 'not-found' };
    if (response.status === 429) {
      const seconds = Number(response.headers.get('retry-after'));
      return { outcome: 'wait', seconds: Number.isFinite(seconds) && seconds >= 1 ? Math.ceil(seconds) : DEFAULT_WAIT_SECONDS };
    }
    if (!response.ok) return { outcome: 'failed' };
    const invitation = parseInvitation(await response.json());
    return invitation ? { outcome: 'found', invitation } : { outcome: 'failed' };
  } catch (error) {
    console.error('checking the code failed', error);
    return { outcome: 'failed' };
  }
}
