// Worker requests about objects that may close while a request is in flight. `gone` says, once
// the answer is in, whether the object (or its owner) closed meanwhile, and with which error.

/** The error to answer with because the object closed, or undefined while it is open. */
export type GoneCheck = () => Error | undefined;

/**
 * Waits for a worker request. The worker fails a request for an object it has already closed
 * with a plain Error; if `gone` says the object closed meanwhile, that failure is the client's
 * race and becomes `gone`'s error. Any other failure (a bug) is passed on unchanged.
 */
export async function answerOf<T>(request: Promise<T>, gone: GoneCheck): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof TypeError || !(error instanceof Error)) throw error;
    // Closes the worker announces itself (a producer gone under a consumer) are delivered a
    // turn after the answers sent before them (mediasoup#510): let them arrive first.
    await new Promise((resolve) => setImmediate(resolve));
    throw gone() ?? error;
  }
}

export function throwIfGone(error: Error | undefined): void {
  if (error) throw error;
}

/** An object the worker made for an owner that closed meanwhile is closed at once, and refused. */
export function closeIfGone(created: { close(): void }, error: Error | undefined): void {
  if (!error) return;
  created.close();
  throw error;
}
