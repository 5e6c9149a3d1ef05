import type { Registry } from 'prom-client';
import Router from '@koa/router';

export interface Readiness {
  ready: boolean;
  checks: Record<string, boolean>;
}

/**
 * `/healthz`: the process answers. `/readyz`: it can take new calls (load balancers use it).
 * `/metrics`: Prometheus text format; keep it behind the proxy, it is for the operator.
 */
export function healthRouter(readiness: () => Readiness, metrics: Registry): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', (ctx) => {
    const state = readiness();
    ctx.status = state.ready ? 200 : 503;
    ctx.body = { status: state.ready ? 'ready' : 'not-ready', checks: state.checks };
  });
  router.get('/metrics', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = metrics.contentType;
    ctx.body = await metrics.metrics();
  });
  return router;
}
