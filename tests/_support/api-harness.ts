import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../api/_app/app';
import { buildDeps } from '../../api/_app/build-deps';
import { openEmbedded } from '../../api/_db/embedded';
import type { Deps } from '../../api/_kernel/deps';
import { migrate } from '../../api/_db/migrator';
import { MemoryKv } from '../../api/_kv/memory';
import { ensureSandboxKeys, type SandboxKeys } from '../../tools/sandbox/keys';
import { sandboxEnv } from '../../tools/sandbox/env';
import { startSandbox, type StartedSandbox } from '../../tools/sandbox/server';
import { issueLoginCode } from '../../tools/sandbox/client';
import { seedDemo, type SeedResult } from '../../tools/seed/seed';
import { startQstashStandin, type StartedStandin } from '../../tools/qstash/server';
import { standinKeys } from '../../tools/qstash/keys';
import type { DbTarget } from './db-targets';
import type { PaymentChannels } from '../../api/_payments/registry';

/** One key set for the whole run: generating RSA keys per suite would dominate the time. */
const keysDir = path.join(tmpdir(), 'guitai-test-sandbox-keys');

export interface TestApi {
  app: App;
  deps: Deps;
  seed: SeedResult;
  sandbox: StartedSandbox;
  keys: SandboxKeys;
  /** Moves the API's clock; tests of expiry use it. */
  /** Freezes the API's clock at `at`; null goes back to real time. */
  setNow(at: Date | null): void;
  /** The API's own address when started with \`http: true\` (the sandbox sends notifications there). */
  url?: string;
  /** The QStash stand-in, when started with \`queue\`: the crons then enqueue and it delivers to \`url\`. */
  queue?: StartedStandin;
  /** A fetch-like call into the app in-process, JSON in and out. */
  call(method: string, url: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  /** Plays the mini-program: gets a code from the sandbox for this user, then signs in through the API. */
  staffToken(wechatOpenId: string): Promise<string>;
  loginCode(platform: 'wechat' | 'alipay', userId: string): Promise<string>;
  stop(): Promise<void>;
}

/** Test deliveries retry after 50 ms instead of QStash's 12 s, 2½ min, 30 min. */
export const test_queue_backoff_ms = 50;

export async function startTestApi(
  target: DbTarget,
  options: { payments?: PaymentChannels; env?: Record<string, string>; http?: boolean; queue?: boolean | { parallelism?: number } } = {},
): Promise<TestApi> {
  const database = await target.create();
  // Payment notifications from the sandbox need a real address: the app is bound after the server listens.
  // eslint-disable-next-line prefer-const -- assigned once the app exists, after the server that needs it listens.
  let appRef: App | undefined;
  const http = options.http || options.queue ? await listen((request) => (appRef ? appRef.fetch(request) : new Response('starting', { status: 503 }))) : undefined;
  const keys = await ensureSandboxKeys(keysDir);
  const sandbox = await startSandbox({ keys });
  // Started like the sandbox: deliveries need the API's address, so a queue implies an HTTP listener.
  const queue = options.queue
    ? await startQstashStandin({ keys: standinKeys(), backoffMs: () => test_queue_backoff_ms, ...(typeof options.queue === 'object' && options.queue.parallelism ? { parallelism: options.queue.parallelism } : {}) })
    : undefined;
  let now: Date | null = null;
  const built = await buildDeps(
    {
      ...sandboxEnv(keys, sandbox.url),
      DATABASE_URL: database.url,
      DATABASE_DRIVER: database.driver,
      SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
      CRON_SECRET: 'test-cron-secret',
      LOG_LEVEL: 'silent',
      // Each API its own photo folder, so suites running side by side never see each other's files.
      PHOTOS_DIR: path.join(tmpdir(), 'guitai-test-photos', `${process.pid}-${Math.random().toString(36).slice(2)}`),
      ...(http ? { PUBLIC_BASE_URL: http.url } : {}),
      ...queue?.env,
      ...options.env,
    },
    { kv: new MemoryKv(), embedded: openEmbedded, clock: () => now ?? new Date(), ...(options.payments ? { payments: options.payments } : {}) },
  );
  await migrate(built.deps.db);
  const seed = await seedDemo(built.deps.db);
  const app = createApp(built.deps);
  appRef = app;

  const call: TestApi['call'] = async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await app.request(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* a non-JSON answer stays text, and the test will say so */
    }
    // The headers are there to read but not enumerable, so a test comparing the whole answer with toEqual compares status and body.
    return Object.defineProperty({ status: res.status, body: parsed }, 'headers', { value: res.headers, enumerable: false }) as { status: number; body: any; headers: Headers };
  };

  const loginCode: TestApi['loginCode'] = (platform, userId) =>
    issueLoginCode(sandbox.url, { platform, appId: platform === 'wechat' ? keys.wechat.appId : keys.alipay.appId, userId });

  return {
    app,
    deps: built.deps,
    seed,
    sandbox,
    keys,
    ...(http ? { url: http.url } : {}),
    ...(queue ? { queue } : {}),
    setNow: (at) => {
      now = at;
    },
    call,
    loginCode,
    staffToken: async (openId) => {
      const code = await loginCode('wechat', openId);
      const res = await call('POST', '/api/auth/staff/login', { body: { platform: 'wechat', code } });
      if (res.status !== 200) throw new Error(`staff login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
    stop: async () => {
      await queue?.stop();
      await http?.close();
      await built.close();
      await sandbox.stop();
      await database.drop();
    },
  };
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

async function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<{ url: string; close(): Promise<void> }> {
  const { serve } = await import('@hono/node-server');
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
  });
}
