import { codeVisits, type CodeVisit } from '#lib/invitation/codeVisit.ts';
import type { PageLoad } from './$types';

// The code is kept in the tab's session storage and the call needs the browser, so this page
// renders only there.
export const ssr = false;

/** The tab's visit by code: the code and where it leads, or no code yet (the page asks for one). */
export const load: PageLoad = ({ fetch }): Promise<CodeVisit> => codeVisits.current(fetch);
