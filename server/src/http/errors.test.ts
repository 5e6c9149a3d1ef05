import { DuplicateBookError, DuplicateEmailError } from '@tupa/db';
import { httpErrorBodySchema } from '@tupa/signaling/protocol';
import type { Context } from 'koa';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BookError } from '../books/errors.ts';
import { errorMiddleware, HttpError } from './errors.ts';

/** What the error middleware answers when the route behind it throws `thrown`. */
async function answerTo(thrown: unknown) {
  const headers: Record<string, string> = {};
  const ctx = { method: 'POST', path: '/api/x', status: 404, body: undefined as unknown, set: (name: string, value: string) => void (headers[name] = value) };
  await errorMiddleware(pino({ level: 'silent' }))(ctx as unknown as Context, async () => {
    throw thrown;
  });
  return { status: ctx.status, body: httpErrorBodySchema.parse(ctx.body), headers };
}

describe('the one error middleware', () => {
  it('turns a book that cannot be made into its own code and status, naming the page at fault', async () => {
    expect(await answerTo(new BookError('book-wrong-type', 'not a PDF or image'))).toMatchObject({
      status: 415,
      body: { error: { code: 'book-wrong-type', message: 'not a PDF or image' } },
    });
    const page = await answerTo(new BookError('book-page-shape', 'page 3 is too narrow', { page: 3 }));
    expect(page).toMatchObject({ status: 422, body: { error: { code: 'book-page-shape', page: 3 } } });
  });

  it('turns a story already on the shelf, and an email already in use, into 409 invalid-state', async () => {
    expect(await answerTo(new DuplicateBookError('taken'))).toMatchObject({
      status: 409,
      body: { error: { code: 'invalid-state', message: 'this story is already on the shelf in that language' } },
    });
    expect(await answerTo(new DuplicateEmailError('taken'))).toMatchObject({
      status: 409,
      body: { error: { code: 'invalid-state', message: 'an account with this email exists' } },
    });
  });

  it('says when to come back, and hides what went wrong inside', async () => {
    const waiting = await answerTo(new HttpError('rate-limited', 'wait', { retryAfterSeconds: 4 }));
    expect(waiting).toMatchObject({ status: 429, body: { error: { retryAfterSeconds: 4 } }, headers: { 'Retry-After': '4' } });
    expect(await answerTo(new Error('database password is hunter2'))).toMatchObject({
      status: 500,
      body: { error: { code: 'internal', message: 'internal error' } },
    });
  });
});
