import type { Context } from 'koa';
import type { z } from 'zod';
import { HttpError } from './errors.ts';

/**
 * Validates a JSON body at the edge; the first problem becomes a clear 400. Characters no text
 * may hold were refused before this, for every body at once (textGuard.ts).
 */
export function parseBody<S extends z.ZodType>(schema: S, ctx: Context): z.infer<S> {
  const parsed = schema.safeParse((ctx.request as unknown as { body?: unknown }).body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new HttpError('validation', `${where}${issue?.message ?? 'invalid request'}`);
  }
  return parsed.data;
}
