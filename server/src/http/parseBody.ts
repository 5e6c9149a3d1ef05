import type { Context } from 'koa';
import type { z } from 'zod';
import { HttpError } from './errors.ts';

/**
 * Validates what came in at the edge with its protocol schema; the first problem becomes a
 * clear 400 `validation` ("capacity: Too big: expected number to be <=50"). Characters no text
 * may hold were refused before this, for every body, query and path at once (textGuard.ts).
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new HttpError('validation', `${where}${issue?.message ?? 'invalid request'}`);
  }
  return parsed.data;
}

/** The JSON body, validated (see parseInput). */
export function parseBody<S extends z.ZodType>(schema: S, ctx: Context): z.output<S> {
  return parseInput(schema, (ctx.request as unknown as { body?: unknown }).body);
}

/** The query string, validated (see parseInput). */
export function parseQuery<S extends z.ZodType>(schema: S, ctx: Context): z.output<S> {
  return parseInput(schema, ctx.query);
}
