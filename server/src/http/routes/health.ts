import Router from '@koa/router';

export interface Readiness {
  ready: boolean;
  checks: Record<string, boolean>;
}

/** `/healthz`: the process answers. `/readyz`: it can take new calls (load balancers use it). */
export function healthRouter(readiness: () => Readiness): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', (ctx) => {
    const state = readiness();
    ctx.status = state.ready ? 200 : 503;
    ctx.body = { status: state.ready ? 'ready' : 'not-ready', checks: state.checks };
  });
  return router;
}
