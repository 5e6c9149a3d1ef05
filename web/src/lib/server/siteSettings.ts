import { DEFAULT_TIME_ZONE } from '#lib/organisationTimeZone.ts';

// The server's settings that decide what the pages offer. The Tupa server (server/src/http/
// webHandler.ts, `withSiteSettings`) puts them on every request it hands to SvelteKit, which
// passes the request on as `platform.req`. The web app may not import the server, so the shape
// is read here again, and anything missing or odd counts as the safe default.

/** What the pages need to know of the server's settings. */
export interface SiteSettings {
  /** The start page offers creating an open room (TUPA_OPEN_ROOMS); off by default. */
  openRooms: boolean;
  /** The organisation's time zone (TUPA_TIME_ZONE), an IANA name; Europe/Helsinki by default. */
  timeZone: string;
}

/** The request property the server uses (`SITE_SETTINGS_KEY` there). */
const KEY = 'tupaSite';

/**
 * The settings the server attached to `request` (SvelteKit's `platform.req`). Without them (the
 * Vite dev server, a request that did not come through Tupa) open rooms are off.
 */
export function siteSettings(request: unknown): SiteSettings {
  const attached = typeof request === 'object' && request !== null ? (request as Record<string, unknown>)[KEY] : undefined;
  const openRooms = typeof attached === 'object' && attached !== null && (attached as Record<string, unknown>)['openRooms'] === true;
  const zone = typeof attached === 'object' && attached !== null ? (attached as Record<string, unknown>)['timeZone'] : undefined;
  return { openRooms, timeZone: typeof zone === 'string' && zone !== '' ? zone : DEFAULT_TIME_ZONE };
}
