/**
 * Bumped whenever a request, reply or notification changes shape. A client that connects with
 * another version is told to reload instead of meeting strange errors later.
 */
export const PROTOCOL_VERSION = 6;
