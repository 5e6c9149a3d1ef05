import { z } from 'zod';

// How one HTTP endpoint of the REST API is described: its method and path, the schemas of its
// JSON body and query string, its success status, and the schema of its JSON answer.
//
// One rule for every schema here: `z.input` is the JSON on the wire (what the browser sends and
// receives: dates as ISO strings), `z.output` is the server's value (a request body after
// defaults, an answer before JSON.stringify: dates as Date). The browser's types are the former,
// the routes' the latter, so both come from the same schema.

/** An instant: an ISO 8601 string with offset on the wire ("2026-10-29T16:00:00.000Z"), a Date on the server. */
export const isoInstant = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (text) => new Date(text),
  encode: (date) => date.toISOString(),
});

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One endpoint: `path` as the browser asks for it, with `:name` for each path parameter. */
export interface Endpoint {
  method: HttpMethod;
  path: string;
  /** The status of a successful answer: 201 where something was made, 204 where nothing is said. */
  status: 200 | 201 | 204;
  body?: z.ZodType;
  query?: z.ZodType;
  /** The answer's JSON; absent for 204, and for answers that are not JSON (page images). */
  response?: z.ZodType;
}

/** Declares an endpoint, keeping its literal method, path and schemas in the type. */
export function endpoint<const E extends Endpoint>(description: E): E {
  return description;
}

/** The JSON an endpoint answers with, as the browser receives it (null when it answers nothing). */
export type ResponseJson<E extends Endpoint> = E['response'] extends z.ZodType ? z.input<E['response']> : null;
/** What a route hands to JSON.stringify for this endpoint: Dates where the JSON has ISO strings. */
export type ResponseValue<E extends Endpoint> = E['response'] extends z.ZodType ? z.output<E['response']> : never;
/** The JSON body the browser sends (fields with defaults may be left out). */
export type BodyJson<E extends Endpoint> = E['body'] extends z.ZodType ? z.input<E['body']> : never;
/** The query string the browser sends, as values before they become text. */
export type QueryJson<E extends Endpoint> = E['query'] extends z.ZodType ? z.input<E['query']> : never;

/** `{ roomId: string }` for "/api/admin/rooms/:roomId". */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;

/** The path with each `:name` replaced by its value, encoded; throws TypeError for a missing value. */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`${path}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}

/**
 * `value` (parsed JSON) typed as the JSON `schema` describes, as it came (dates stay ISO
 * strings), or null when it is not that. For a browser that checks an answer before it trusts it.
 */
export function asJson<S extends z.ZodType>(schema: S, value: unknown): z.input<S> | null {
  return schema.safeParse(value).success ? (value as z.input<S>) : null;
}
