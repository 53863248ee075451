import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { createApp } from '../api/_app/app';
import { miniProgramIdsFromEnv, storeLinkApp } from '../api/_storelink/store-link.routes';
import { buildDeps } from '../api/_app/build-deps';
import { openEmbedded } from '../api/_db/embedded';
import type { Deps } from '../api/_kernel/deps';
import type { Kv } from '../api/_kv/kv';
import { migrate } from '../api/_db/migrator';
import { ensureSandboxKeys } from './sandbox/keys';
import { sandboxEnv } from './sandbox/env';
import { startSandbox } from './sandbox/server';
import { seedDemo, type SeedResult } from './seed/seed';
import { startQstashStandin, type StartedStandin } from './qstash/server';
import { standinKeys } from './qstash/keys';

/**
 * The whole product on this machine: the payment sandbox, the API on the
 * embedded or a given database, and optionally the built H5 pages on the
 * API's own origin (with `/sandbox/*` passed through to the sandbox, as the
 * H5 dev server does). `npm run dev`, the browser tests and the benchmarks
 * all start it the same way.
 */
export interface StackOptions {
  dataDir: string;
  apiPort?: number;
  sandboxPort?: number;
  databaseUrl?: string;
  databaseDriver?: string;
  kv?: Kv;
  /** Serve this folder (dist/h5) at `/` beside the API. */
  staticDir?: string;
  seed?: boolean;
  env?: Record<string, string | undefined>;
  /**
   * Start the QStash stand-in and point the API at it (unless QSTASH_TOKEN is
   * given), so the crons enqueue and their messages come back signed, as in
   * a deployment. Off, the crons do the work in place.
   */
  queue?: boolean;
  queuePort?: number;
}

export interface Stack {
  apiUrl: string;
  sandboxUrl: string;
  /** The QStash stand-in's address, when the stack started one. */
  queueUrl: string | null;
  deps: Deps;
  seed: SeedResult | null;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const keys = await ensureSandboxKeys(path.join(options.dataDir, 'sandbox'));
  const sandbox = await startSandbox({ keys, port: options.sandboxPort ?? 0 });
  const platformEnv = sandboxEnv(keys, sandbox.url);
  // The server listens first, so the sandbox can be told where to send payment notifications.
  // eslint-disable-next-line prefer-const -- assigned once the app exists, after the server that needs it listens.
  let rootRef: Hono | undefined;
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: (request) => (rootRef ? rootRef.fetch(request) : new Response('starting', { status: 503 })), port: options.apiPort ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const queue: StartedStandin | null = options.queue && !options.env?.QSTASH_TOKEN ? await startQstashStandin({ keys: standinKeys(), port: options.queuePort ?? 0 }) : null;
  const env = {
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    // Product photos beside the embedded database, in the same data folder (.data in dev).
    PHOTOS_DIR: path.join(options.dataDir, 'photos'),
    ...options.env,
    ...queue?.env,
    ...platformEnv,
    DATABASE_URL: options.databaseUrl ?? `pglite:${path.join(options.dataDir, 'pglite')}`,
    ...(options.databaseDriver ? { DATABASE_DRIVER: options.databaseDriver } : {}),
  };
  const built = await buildDeps(env, { embedded: openEmbedded, ...(options.kv ? { kv: options.kv } : {}) });
  await migrate(built.deps.db);
  const seed = options.seed === false ? null : await seedDemo(built.deps.db);
  const api = createApp(built.deps);

  const root = new Hono();
  root.route('/', api);
  root.route('/', storeLinkApp(built.deps, miniProgramIdsFromEnv(env)));
  if (options.staticDir) {
    const dir = options.staticDir;
    root.all('/sandbox/*', (c) => fetch(new Request(sandbox.url + c.req.path + new URL(c.req.url).search, c.req.raw)));
    root.use('/*', serveStatic({ root: path.relative(process.cwd(), dir) || '.' }));
    root.get('/', async (c) => c.html(await readFile(path.join(dir, 'index.html'), 'utf8')));
    if (!existsSync(path.join(dir, 'index.html'))) throw new Error(`no H5 build in ${dir}: run npm run build:h5`);
  }
  rootRef = root;
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    sandboxUrl: sandbox.url,
    queueUrl: queue?.url ?? null,
    deps: built.deps,
    seed,
    env: { ...platformEnv },
    stop: async () => {
      await new Promise<void>((done) => {
        server.close(() => done());
        if ('closeAllConnections' in server) (server as unknown as { closeAllConnections(): void }).closeAllConnections();
      });
      await sandbox.stop();
      await queue?.stop();
      await built.close();
    },
  };
}
