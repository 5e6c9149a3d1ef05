import type { Context, Next } from 'koa';

/**
 * Headers on every response. `no-referrer` keeps room links (which are secrets) out of other
 * sites' logs; camera and microphone only for this origin. Pages get their CSP from SvelteKit
 * (with hashes for its inline scripts); everything else is locked down completely.
 */
export async function securityHeaders(ctx: Context, next: Next): Promise<void> {
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
  ctx.set('Permissions-Policy', 'camera=(self), microphone=(self), display-capture=(), geolocation=(), payment=()');
  await next();
}

export async function apiHeaders(ctx: Context, next: Next): Promise<void> {
  ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  ctx.set('Cache-Control', 'no-store');
  await next();
}
