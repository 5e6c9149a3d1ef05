import { describeForbiddenText, findForbiddenText } from '@tupa/signaling/protocol';
import type { Context, Next } from 'koa';
import { HttpError } from './errors.ts';

// The one place where the REST API refuses characters no text may hold (the rule is
// signaling/src/protocol/text.ts): every JSON body, query string and path of /api, before any
// route's schema or the database sees them. The socket side does the same in
// SignalingConnection, so a name or a title is held to one rule whichever way it comes.

/**
 * Throws a 400 (`validation`, reason `forbidden-character`) naming the field when `request`
 * (a parsed body, a query object, the fields of a multipart form) holds such a character
 * anywhere, e.g. `groundRules: contains a control character (U+0000)`. `prefix` goes before the
 * field path (`query`).
 */
export function refuseForbiddenText(request: unknown, prefix?: string): void {
  const problem = findForbiddenText(request);
  if (problem) throw new HttpError('validation', describeForbiddenText(problem, prefix), { reason: 'forbidden-character' });
}

/**
 * Middleware after the body parser: checks the path's segments (as the router decodes them),
 * the query string and the JSON body. A multipart upload's fields are not parsed yet here; its
 * route calls refuseForbiddenText on them.
 */
export async function forbiddenTextGuard(ctx: Context, next: Next): Promise<void> {
  const segments = ctx.path.split('/').map(decodedSegment);
  refuseForbiddenText(segments.join('/'), 'path');
  refuseForbiddenText(ctx.query, 'query');
  refuseForbiddenText(withoutPassword((ctx.request as unknown as { body?: unknown }).body));
  await next();
}

/**
 * The body without its `password`: a password is never shown to anyone, and any character a
 * person could type before this rule existed must still sign them in (NIST SP 800-63B 5.1.1.2:
 * all printing characters and spaces, and Unicode, are acceptable in memorised secrets).
 */
function withoutPassword(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('password' in body)) return body;
  const { password: _password, ...rest } = body as Record<string, unknown>;
  return rest;
}

/** A path segment decoded as the router decodes it; one that is not valid percent-encoding is left as it is (the router answers 404). */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
