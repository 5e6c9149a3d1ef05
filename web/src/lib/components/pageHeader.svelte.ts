import { getContext, setContext } from 'svelte';

/**
 * What the page header at the top of every page offers. During a call it offers less: the
 * top of a phone or tablet is where a hand holding it rests, and a touch there mid-call must
 * not change the language or lead away from the call (see the root layout). One per page load,
 * created by the root layout and handed down through context.
 */
export class PageHeader {
  /** A call is on the screen (not its pre-join, lobby or goodbye). */
  inCall = $state(false);
}

const PAGE_HEADER_CONTEXT = Symbol('tupa.pageHeader');

/** Hands `header` to every component below the root layout; returns it. */
export function setPageHeader(header: PageHeader): PageHeader {
  return setContext(PAGE_HEADER_CONTEXT, header);
}

/** The page's header state, set by the root layout. */
export function getPageHeader(): PageHeader {
  const header = getContext<PageHeader | undefined>(PAGE_HEADER_CONTEXT);
  if (!header) throw new Error('getPageHeader() called outside the root layout');
  return header;
}
