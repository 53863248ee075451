import { Hono } from 'hono';
import { createApp } from './_http/app.js';
import { buildDeps } from './_runtime/build-deps.js';
import { miniProgramIdsFromEnv, storeLinkApp } from './_storelink/store-link.routes.js';

/**
 * The one Vercel function: `vercel.json` rewrites every `/api/*` path here and
 * the Hono app routes it. Dependencies are built once per warm instance.
 * Web-standard handlers receive the raw body untouched, which payment
 * notifications need for signature checks.
 */
let app: Promise<Hono> | undefined;

function getApp(): Promise<Hono> {
  // `/q/*` (the stores' aggregated QR links, rewritten here by vercel.json) sits beside the `/api` app.
  app ??= buildDeps(process.env).then(({ deps }) => new Hono().route('/', storeLinkApp(deps, miniProgramIdsFromEnv(process.env))).route('/', createApp(deps)));
  return app;
}

const handle = async (request: Request): Promise<Response> => (await getApp()).fetch(request);

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
export const OPTIONS = handle;
