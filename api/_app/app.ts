import { Hono, type Context, type ErrorHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import type { Deps } from '../_kernel/deps.js';
import { healthRoutes } from '../_health/health.routes.js';

/** Request bodies above this are refused before they are read. */
export const api_body_bytes_max = 64 * 1024;
export const request_id_length_max = 64;
/**
 * Routes whose body is a raw file streamed under its own limit, not JSON
 * (a bill upload: reconcile_bill_bytes_max; a catalog sheet:
 * catalog_import_bytes_max; a product photo: product_photo_bytes_max).
 * Named here, not imported from the modules, so a health check loads none
 * of them. A pattern matches one whole path segment per parameter.
 */
export const raw_body_paths: readonly (string | RegExp)[] = ['/api/reconcile/bills', '/api/catalog/imports', /^\/api\/products\/prd_[0-9A-Z]{26}\/photos$/];

export function isRawBodyPath(path: string): boolean {
  return raw_body_paths.some((p) => (typeof p === 'string' ? p === path : p.test(path)));
}

export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>().basePath('/api');

  const onError: ErrorHandler<AppEnv> = (err, c) => {
    if (err instanceof AppError) {
      const body = { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } };
      if (err.retryAfterSeconds !== undefined) c.header('Retry-After', String(err.retryAfterSeconds));
      if (err.status >= 500) deps.log.error('request failed', { requestId: c.get('requestId'), code: err.code, message: err.message, ...(err.detail ? { detail: err.detail } : {}) });
      return c.json(body, err.status as 400);
    }
    if (err instanceof HTTPException) {
      return c.json({ error: { code: err.status === 413 ? 'payload_too_large' : 'bad_request', message: err.message || 'bad request' } }, err.status);
    }
    deps.log.error('unhandled error', { requestId: c.get('requestId'), error: err instanceof Error ? err.stack : String(err) });
    return c.json({ error: { code: 'internal', message: 'internal error; the request id is in the X-Request-Id header' } }, 500);
  };

  app.use(requestId({ limitLength: request_id_length_max, headerName: 'X-Request-Id' }));
  app.use(async (c, next) => {
    c.set('deps', deps);
    const started = performance.now();
    await next();
    const principal = c.get('principal');
    deps.log.info('request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...(principal ? { merchantId: principal.merchantId, actor: principal.kind === 'staff' ? principal.staffId : principal.memberId } : {}),
    });
  });
  if (deps.config.corsOrigins.length > 0) app.use(cors({ origin: deps.config.corsOrigins, credentials: false }));
  const jsonBodyLimit = bodyLimit({
    maxSize: api_body_bytes_max,
    onError: () => {
      throw new AppError('payload_too_large', `请求体超过 ${api_body_bytes_max} 字节上限（api_body_bytes_max）`);
    },
  });
  // A bill, sheet or photo upload streams a raw file held to its own limit.
  app.use((c, next) => (isRawBodyPath(c.req.path) ? next() : jsonBodyLimit(c, next)));

  app.route('/', healthRoutes);

  // Every other route is in ./routes.js, which brings in every route module,
  // zod's schemas and the services: loading it costs a cold start several
  // hundred milliseconds, so it is loaded on the first request that is not a
  // health check, and a health check answers without it. The request goes to
  // that route table through `fetch` after this app's middleware has run; it
  // reads this context by the request object, which is why the one passed on
  // is recorded here.
  const outers = new WeakMap<Request, Context<AppEnv>>();
  let routes: Promise<Hono<AppEnv>> | undefined;
  app.all('*', async (c) => {
    // The query builder and the payment channels load beside the route table, so every route finds them ready.
    routes ??= Promise.all([import('./routes.js'), deps.ready()]).then(([{ routeTable }]) =>
      routeTable({
        deps,
        outerOf: (request) => {
          const outer = outers.get(request);
          if (!outer) throw new Error('a request reached the route table without passing through createApp');
          return outer;
        },
        onError,
      }),
    );
    const table = await routes.catch((e: unknown) => {
      // A failed load is not kept, so the next request tries again.
      routes = undefined;
      throw e;
    });
    const request = c.req.raw;
    outers.set(request, c);
    return table.fetch(request, c.env);
  });

  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));

  app.onError(onError);

  return app;
}

export type App = ReturnType<typeof createApp>;
