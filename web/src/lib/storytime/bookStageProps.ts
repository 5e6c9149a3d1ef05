import type { Snippet } from 'svelte';
import type { StorytimeSession } from './StorytimeSession.svelte.ts';

/** What the open book (BookStage) and its bar (BookBar) are given by the storytime layout. */
export interface BookStageProps {
  storytime: StorytimeSession;
  /** This screen's participant, once in the call. */
  selfId: string | null;
  /** A participant's name for the badges and rings. */
  nameOf: (peerId: string) => string;
  /** The others, for handing over the pages. */
  people: { peerId: string; name: string }[];
  /** More buttons beside the book's menu (the game picker's). */
  tools?: Snippet;
}
