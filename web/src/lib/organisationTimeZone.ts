// Session times are planned, kept and shown on the organisation's clock (the server's
// TUPA_TIME_ZONE), never on the clock of the tablet or computer that shows them: a grandparent
// on holiday abroad and a coordinator whose laptop is set to another zone see the same "18.00"
// as everyone at home. The server says the zone in the site settings every page gets from the
// root layout, which hands it here; every time on the pages is written with this one zone.

/** Tupa's default zone, used until the server has said (and by tests that do not set one). */
export const DEFAULT_TIME_ZONE = 'Europe/Helsinki';

let current = DEFAULT_TIME_ZONE;

/** The organisation's time zone, an IANA name such as "Europe/Helsinki". */
export function organisationTimeZone(): string {
  return current;
}

/**
 * Takes the zone the server names. A name this browser's Intl does not know is ignored (the zone
 * stays as it was), so an old browser shows the default rather than no times at all.
 */
export function setOrganisationTimeZone(name: unknown): void {
  if (typeof name !== 'string' || name === '') return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    current = name;
  } catch {
    // Unknown to this browser: keep the zone there is.
  }
}
