import { siteSettings } from '#lib/server/siteSettings.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, platform }) => {
  const site = siteSettings(platform?.req);
  return { lang: locals.lang, openRooms: site.openRooms, timeZone: site.timeZone };
};
