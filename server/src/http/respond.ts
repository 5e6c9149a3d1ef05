import type { Endpoint, ResponseValue } from '@tupa/signaling/protocol';
import type { Context } from 'koa';

// A route answers through these, so its answer has the type its endpoint's protocol schema gives
// (dates as Date: Koa's JSON.stringify makes them the ISO strings the schema describes) and the
// endpoint's status. The browser's types come from the same schema.

/** Answers with the endpoint's success status and `body`. */
export function respond<E extends Endpoint & { response: object }>(ctx: Context, endpoint: E, body: ResponseValue<E>): void {
  ctx.status = endpoint.status;
  ctx.body = body;
}

/** Answers an endpoint that says nothing on success (204). */
export function respondEmpty(ctx: Context, endpoint: Endpoint & { status: 204 }): void {
  ctx.status = endpoint.status;
}
