import { lookUpCode, type CodeLookup } from './codeLookup.ts';
import { normaliseCode, type InvitationInfo } from './invitation.ts';

// A visit by typed code has its own address, `/j`, beside the link's `/j/<token>`. The code is
// never put in the address: it would stay in the browser's history and on screen for anyone
// looking over a shoulder. The tab keeps it in session storage instead, so a reload at `/j` finds
// it, looks it up again and goes on as a link visit does: the time of a session not yet open,
// the pre-join, or straight back to the place this tab holds. (Why not `/j/<token>` itself: the
// server keeps only hashes of tokens and codes, so a code cannot be turned into its link.)

/** The address of a visit by typed code. */
export const CODE_VISIT_PATH = '/j';

/** The session storage key of the code this tab is visiting by. */
export const CODE_STORAGE_KEY = 'tupa.code';

/**
 * The key under which a typed code's visit keeps its place (`Room`'s roomId): one per code, so
 * a tab that goes on to another code never resumes the first one's place, but not the code
 * itself, because the call's console messages name this key. FNV-1a (32 bits) of the code.
 */
export function codeVisitRoomId(code: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < code.length; i++) hash = Math.imul(hash ^ code.charCodeAt(i), 0x01000193) >>> 0;
  return `code-${hash.toString(16).padStart(8, '0')}`;
}

/** Where a code is kept: session storage, or nothing when the browser refuses it. */
export type CodeStorage = Pick<Storage, 'getItem' | 'setItem'> | null;

/** The page's code visit: the code being visited by, and what the server said of it (null: no code). */
export interface CodeVisit {
  code: string | null;
  lookup: CodeLookup | null;
}

function sessionStore(): CodeStorage {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * This tab's visit by code: remembers the code (session storage, and this page's memory where
 * storage is refused) and the last description the server gave of it. Only the browser uses it;
 * the pages that call it do not render on the server.
 */
export class CodeVisits {
  readonly #storage: () => CodeStorage;
  readonly #lookUp: (code: string, fetchFn: typeof fetch) => Promise<CodeLookup>;
  /**
   * The last description of the code, from the form's own check or a later look-up. `unused`:
   * the form's check has not been shown yet, so the code's page need not ask the server again.
   */
  #known: { code: string; invitation: InvitationInfo; unused: boolean } | null = null;

  constructor(
    options: { storage?: () => CodeStorage; lookUp?: (code: string, fetchFn: typeof fetch) => Promise<CodeLookup> } = {},
  ) {
    this.#storage = options.storage ?? sessionStore;
    this.#lookUp = options.lookUp ?? lookUpCode;
  }

  /** Starts a visit by a code the server has just described (`code` normalised, XXXXX-XXXXX). */
  start(code: string, invitation: InvitationInfo): void {
    try {
      this.#storage()?.setItem(CODE_STORAGE_KEY, code);
    } catch {
      // Storage refused: the page's memory keeps the code until a reload.
    }
    this.#known = { code, invitation, unused: true };
  }

  /** The code this tab is visiting by, if any. */
  get code(): string | null {
    let stored: string | null = null;
    try {
      stored = this.#storage()?.getItem(CODE_STORAGE_KEY) ?? null;
    } catch {
      // Unreadable: fall back to the page's memory.
    }
    return (stored ? normaliseCode(stored) : null) ?? this.#known?.code ?? null;
  }

  /**
   * Where the visit stands, for the code's page: no code (the page asks for one), or the code
   * and the server's answer. Right after the form's check its answer is used as it is; later
   * (a reload, a "not started yet" page looking again) the server is asked again, which costs
   * nothing for a right code. When the server cannot answer for a moment (too many wrong codes
   * from others at this address, or a lost connection), what it said before stands, so a
   * person waiting for a session to open is not thrown back to the code field.
   */
  async current(fetchFn: typeof fetch): Promise<CodeVisit> {
    const code = this.code;
    if (!code) return { code: null, lookup: null };
    const known = this.#known?.code === code ? this.#known : null;
    if (known?.unused) {
      known.unused = false;
      return { code, lookup: { outcome: 'found', invitation: known.invitation } };
    }
    const lookup = await this.#lookUp(code, fetchFn);
    if (lookup.outcome === 'found') this.#known = { code, invitation: lookup.invitation, unused: false };
    else if (lookup.outcome === 'not-found') this.#known = null;
    else if (known) return { code, lookup: { outcome: 'found', invitation: known.invitation } };
    return { code, lookup };
  }
}

/** The one visit by code of this tab. */
export const codeVisits = new CodeVisits();
