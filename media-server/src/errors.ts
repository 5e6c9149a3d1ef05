/** An id named by a caller does not exist (any more) in this peer's or room's media. */
export class MediaNotFoundError extends Error {
  override name = 'MediaNotFoundError';
}

/** The request does not fit the current state: closed object, incompatible codecs, limits. */
export class MediaInvalidStateError extends Error {
  override name = 'MediaInvalidStateError';
}
