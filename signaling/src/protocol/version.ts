/**
 * Bumped whenever a request, reply or notification changes shape. A client that connects with
 * another version is told to reload instead of meeting strange errors later.
 */
export const PROTOCOL_VERSION = 7;

/**
 * The `connect_error` message (and `HandshakeRefusal.code`) of a handshake refused for another
 * protocol version: the page must be reloaded.
 */
export const PROTOCOL_VERSION_REFUSED = 'protocol-version';

/**
 * The cookie that carries a signed-in staff member's session: set by the staff API, and read
 * from the Socket.IO handshake, where it makes the tab a host in the rooms that person runs.
 */
export const STAFF_SESSION_COOKIE = 'tupa_session';
