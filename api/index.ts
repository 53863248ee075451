import { Hono } from 'hono';
import { createApp } from './_app/app.js';
import { buildDeps } from './_app/build-deps.js';

/**
 * The one Vercel function: `vercel.json` rewrites every `/api/*`, `/q/*`, `/r/*` and `/j/*`
 * path here and the Hono app routes it. Dependencies are built once per warm
 * instance. Web-standard handlers receive the raw body untouched, which
 * payment notifications need for signature checks.
 *
 * This file is what Node loads on Vercel, so everything it imports must
 * resolve under Node's own rules (`.js` specifiers) and must not reach the
 * embedded database: `npm run check:deploy` builds and loads it to prove both.
 */
let app: Promise<Hono> | undefined;

function getApp(): Promise<Hono> {
  app ??= buildDeps(process.env, { deferLoading: true }).then(({ deps }) => {
    // `/q/*` (the stores' aggregated QR links) sits beside the `/api` app and,
    // like the route table, loads on its first request with what it needs.
    let storeLinks: Promise<Hono> | undefined;
    const loadStoreLinks = async () => {
      const [{ miniProgramIdsFromEnv, storeLinkApp }] = await Promise.all([import('./_storelink/store-link.routes.js'), deps.ready()]);
      return storeLinkApp(deps, miniProgramIdsFromEnv(process.env));
    };
    const viaStoreLinks = async (c: { req: { raw: Request } }) => {
      storeLinks ??= loadStoreLinks().catch((e: unknown) => {
        storeLinks = undefined;
        throw e;
      });
      return (await storeLinks).fetch(c.req.raw);
    };
    // `/r/*` (the receipts' QR links) and `/j/*` (staff invitations' QR links) are answered by the same app.
    return new Hono().all('/q/*', viaStoreLinks).all('/r/*', viaStoreLinks).all('/j/*', viaStoreLinks).route('/', createApp(deps));
  });
  return app;
}

/**
 * A deployment that cannot start (a missing variable, an unreachable
 * database) answers 503 without naming its reasons to the caller; the log
 * has them. The next request tries again, since a database that was down
 * may be back.
 */
async function handle(request: Request): Promise<Response> {
  let root: Hono;
  try {
    root = await getApp();
  } catch (error) {
    app = undefined;
    process.stderr.write(JSON.stringify({ t: new Date().toISOString(), level: 'error', msg: 'the API could not start', error: error instanceof Error ? error.message : String(error) }) + '\n');
    return Response.json({ error: { code: 'unavailable', message: '服务暂不可用，请稍后再试' } }, { status: 503, headers: { 'retry-after': '30' } });
  }
  return root.fetch(request);
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
export const OPTIONS = handle;
