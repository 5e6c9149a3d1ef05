import { z } from 'zod';

// Storytime: one shared picture book per room. The server holds the one true state (which book,
// which page, who reads, who turns); clients render it. Pages are images served over HTTP at
// /api/books/:bookId/pages/:page/:size (page counted from 1, size 'small' or 'large').

const peerIdSchema = z.string().min(1).max(64);

/** Book ids are UUIDs from the book shelf. */
export const bookIdSchema = z.string().uuid();

/** A point on the page, as a fraction of its width and height (0..1), so every screen agrees. */
export const pagePointSchema = z.object({
  x: z.number().min(0).max(1),
  y: z.number().min(0).max(1),
});
export type PagePoint = z.infer<typeof pagePointSchema>;

export const storytimeBookSchema = z.object({
  bookId: z.string(),
  title: z.string(),
  pageCount: z.number().int().min(1),
  /** Width / height of the book's pages, so a client can lay out the page before it loads. */
  aspectRatio: z.number().positive(),
});
export type StorytimeBook = z.infer<typeof storytimeBookSchema>;

/**
 * The room's storytime as everyone sees it. `page` counts from 1. The reader points and picks
 * books; the turner (the reader unless handed to someone else) turns the pages. `version` rises by
 * one with every change, so a client can drop an out-of-order update.
 */
export const storytimeStateSchema = z.object({
  book: storytimeBookSchema.nullable(),
  page: z.number().int().min(1),
  readerId: z.string().nullable(),
  turnerId: z.string().nullable(),
  version: z.number().int().min(0),
});
export type StorytimeState = z.infer<typeof storytimeStateSchema>;

/** Who may send each of these is the permission table's (permissions.ts); the words below summarise it. */
export const storytimeRequestSchemas = {
  /**
   * Reader or host (anyone in an open room nobody reads in): open a book from the shelf for
   * everyone, at page 1. The opener becomes the reader if there is none.
   */
  openBook: { payload: z.object({ bookId: bookIdSchema }), reply: storytimeStateSchema },
  /** Reader or host: close the book; everyone goes back to the video grid. */
  closeBook: { payload: z.object({}), reply: storytimeStateSchema },
  /** The turner (or a host): show this page to everyone. */
  turnPage: { payload: z.object({ page: z.number().int().min(1).max(10_000) }), reply: storytimeStateSchema },
  /** Host: choose who reads (a host or a guest); null gives it back to nobody (any host may then read). */
  setReader: { payload: z.object({ peerId: peerIdSchema.nullable() }), reply: storytimeStateSchema },
  /** Reader or host: hand the page turning to someone (a child), or take it back with null. */
  setTurner: { payload: z.object({ peerId: peerIdSchema.nullable() }), reply: storytimeStateSchema },
  /** Reader: where their finger or pointer is on the page now; null when it leaves the page. */
  pointAt: { payload: z.object({ point: pagePointSchema.nullable() }), reply: z.object({}) },
  /** Anyone but the reader: a tap on the page, shown briefly to the reader ("look here"). */
  lookHere: { payload: z.object({ point: pagePointSchema }), reply: z.object({}) },
} as const;

export const storytimeNotificationSchemas = {
  /** The book, page, reader or turner changed; `by` is who changed it (null: the server). */
  storytimeChanged: z.object({ state: storytimeStateSchema, by: z.string().nullable() }),
  /** The reader's pointer moved (null: it left the page). */
  storytimePointer: z.object({ peerId: z.string(), point: pagePointSchema.nullable() }),
  /** To the reader (and hosts): someone tapped the page. */
  storytimeLookHere: z.object({ peerId: z.string(), point: pagePointSchema }),
} as const;
