import { setOrganisationTimeZone } from '#lib/organisationTimeZone.ts';
import type { LayoutLoad } from './$types';

/**
 * Every page writes times on the organisation's clock: the zone comes with the server's site
 * settings and is handed to the one place the time formatting reads it, before any page draws.
 */
export const load: LayoutLoad = ({ data }) => {
  setOrganisationTimeZone(data.timeZone);
  return data;
};
