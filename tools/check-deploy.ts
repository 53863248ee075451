/**
 * `npm run check:deploy`: builds the project with the pinned Vercel CLI
 * offline, exactly as Vercel would, then loads the built function with plain
 * Node and drives it against a throwaway Postgres, Redis (behind the Upstash
 * REST bridge) and the payment sandbox. It fails on a function that does not
 * load, one over the size limit, PGlite inside it, a Node major other than
 * the one pinned, or any step of a shop's first minutes that does not work.
 * `.ci/run` runs it; so can anyone before a deploy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { newId } from '../shared/ids.js';
import { sql } from 'kysely';
import { connect } from '../api/_db/connect.js';
import { seedDemo } from './seed/seed.js';
import { ensureSandboxKeys } from './sandbox/keys.js';
import { sandboxEnv } from './sandbox/env.js';
import { startSandbox } from './sandbox/server.js';
import { issueLoginCode } from './sandbox/client.js';
import { startPostgres } from './testenv/postgres.js';
import { startUpstashBridge } from './testenv/upstash-bridge.js';
import { findFreePort } from './testenv/free-port.js';
import { checkFunctionOutput, function_bytes_max } from './deploy-check/output.js';

const ROOT = join(import.meta.dirname, '..');
const FUNC_DIR = join(ROOT, '.vercel', 'output', 'functions', 'api', 'index.func');
const PROJECT_FILE = join(ROOT, '.vercel', 'project.json');
const PROJECT_SETTINGS = join(ROOT, 'deploy', 'vercel-project.json');
/** `vercel build` includes the H5 build; on a busy 2-core machine that can take several minutes. */
const vercel_build_timeout_ms = 15 * 60_000;
const launcher_start_timeout_ms = 30_000;
const notification_wait_ms = 20_000;

let failures = 0;
/** The function's own log lines, printed after a failed step: the reason is usually there. */
let functionLogs: string[] = [];
async function step(name: string, run: () => Promise<void>): Promise<void> {
  const started = Date.now();
  const seen = functionLogs.length;
  try {
    await run();
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    failures++;
    console.log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
    for (const line of functionLogs.slice(seen).slice(-20)) console.log(`     | ${line.slice(0, 400)}`);
  }
}

/** Set only to iterate on this script: reuse the last .vercel/output instead of building. CI always builds. */
const reuse_build = process.env.CHECK_DEPLOY_REUSE_BUILD === '1';

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function pinnedNodeMajor(): number {
  const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
  const major = /^(\d+)\.x$/.exec(engines)?.[1];
  if (!major) throw new Error(`package.json engines.node is "${engines}": pin one major as "<major>.x"`);
  return Number(major);
}

/** The checked-in project settings stand in for `vercel link`; a real link is put back afterwards. */
async function withProjectSettings<T>(run: () => Promise<T>): Promise<T> {
  await mkdir(join(ROOT, '.vercel'), { recursive: true });
  const backup = `${PROJECT_FILE}.linked`;
  const linked = existsSync(PROJECT_FILE) && JSON.parse(await readFile(PROJECT_FILE, 'utf8')).projectId !== JSON.parse(await readFile(PROJECT_SETTINGS, 'utf8')).projectId;
  if (linked) await rename(PROJECT_FILE, backup);
  await copyFile(PROJECT_SETTINGS, PROJECT_FILE);
  try {
    return await run();
  } finally {
    if (linked) await rename(backup, PROJECT_FILE);
  }
}

interface Launched {
  url: string;
  importMs: number;
  logs: string[];
  stop(): Promise<void>;
}

/** Starts the built function under plain Node through the launcher, with exactly this environment. */
async function launch(env: Record<string, string>, port: number): Promise<Launched> {
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'tools', 'deploy-check', 'launcher.mjs'), FUNC_DIR, String(port)], {
    // Only what a Vercel function would have: PATH and the deployment's variables.
    env: { PATH: process.env.PATH ?? '', ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line));
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the function did not start in ${launcher_start_timeout_ms} ms`)), launcher_start_timeout_ms);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`the launcher exited (${code}): ${logs.join('\n')}`)));
  });
  lines.on('line', (line) => logs.push(line));
  const said = JSON.parse(first) as { listening?: number; importMs?: number; loadError?: string };
  if (said.loadError) throw new Error(`the function does not load: ${said.loadError}`);
  return {
    url: `http://127.0.0.1:${port}`,
    importMs: said.importMs ?? 0,
    logs,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Runs a command, keeping its output (echoed when it fails) and its exit code. */
function runLogged(program: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 1 : 0), output });
    });
  });
}

async function call(base: string, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, redirect: 'manual', ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const nodeMajor = Number(process.versions.node.split('.')[0]);
const pinned = pinnedNodeMajor();
console.log(`check:deploy on Node ${process.versions.node} (package.json pins ${pinned}.x)`);
if (nodeMajor !== pinned) {
  console.log(`FAIL Node ${nodeMajor} runs this check, but the project pins ${pinned}.x: Vercel would run ${pinned}`);
  process.exit(1);
}

const work = await mkdtemp(join(tmpdir(), 'guitai-deploy-'));
const postgres = await startPostgres({ database: 'guitai_deploy' });
const upstash = await startUpstashBridge();
const keys = await ensureSandboxKeys(join(work, 'sandbox'));
const sandbox = await startSandbox({ keys });
const port = await findFreePort();
const secrets = { SESSION_SECRET: 'deploy-check-session-secret-0123456789abcdef', CRON_SECRET: 'deploy-check-cron-secret-0123456789abcdef' };
const productionEnv: Record<string, string> = {
  VERCEL_ENV: 'production',
  DATABASE_URL: postgres.url,
  UPSTASH_REDIS_REST_URL: upstash.url,
  UPSTASH_REDIS_REST_TOKEN: upstash.token,
  PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
  LOG_LEVEL: process.env.CHECK_DEPLOY_LOG_LEVEL ?? 'warn',
  ...secrets,
  ...sandboxEnv(keys, sandbox.url),
};
const running: Launched[] = [];
const closers: (() => Promise<void>)[] = [];

try {
  if (reuse_build) {
    const handle = await connect(postgres.url, 'pg');
    try {
      const { migrate } = await import('../api/_db/migrator.js');
      await migrate(handle.db);
    } finally {
      await handle.close();
    }
  } else await step('vercel build (production, offline): checks the environment, builds H5, migrates the database', async () => {
    await withProjectSettings(async () => {
      await rm(join(ROOT, '.vercel', 'output'), { recursive: true, force: true });
      const result = await runLogged(join(ROOT, 'node_modules', '.bin', 'vercel'), ['build', '--yes', '--prod'], { ...process.env, ...productionEnv, VERCEL_TELEMETRY_DISABLED: '1' }, vercel_build_timeout_ms);
      if (result.code !== 0) throw new Error(`vercel build exited ${result.code}:\n${result.output.slice(-4000)}`);
      check(/migrations on 127\.0\.0\.1 \(production\): applied/.test(result.output), 'the build step did not migrate the production database');
    });
  });

  await step(`the function: loads under Node ${pinned}, at most ${function_bytes_max / 1024 / 1024} MB, no PGlite, runtime nodejs${pinned}.x, crons declared`, async () => {
    const report = checkFunctionOutput(join(ROOT, '.vercel', 'output'), pinned);
    console.log(`     function size ${(report.bytes / 1024 / 1024).toFixed(1)} MB in ${report.files} files; runtime ${report.runtime}; crons ${report.crons.join(', ')}`);
    check(report.problems.length === 0, report.problems.join('; '));
  });

  // The check's own view of the throwaway database, to see what the function wrote.
  const database = await connect(postgres.url, 'pg');
  closers.push(() => database.close());
  const fn = await launch(productionEnv, port);
  running.push(fn);
  functionLogs = fn.logs;
  console.log(`     imported in ${fn.importMs} ms`);
  let token = '';
  let storeId = '';

  await step('GET /api/health: 200, schema up to date, production', async () => {
    const res = await call(fn.url, 'GET', '/api/health');
    check(res.status === 200, `health answered ${res.status}: ${res.text}`);
    check(res.json.schema?.pending === 0 && res.json.environment === 'production', `health said ${res.text}`);
  });

  await step('a staff login through the sandbox (code2session)', async () => {
    const handle = await connect(postgres.url, 'pg');
    try {
      storeId = (await seedDemo(handle.db)).storeIds.DEMO01!;
    } finally {
      await handle.close();
    }
    const code = await issueLoginCode(sandbox.url, { platform: 'wechat', appId: keys.wechat.appId, userId: 'o_demo_assistant_1' });
    const res = await call(fn.url, 'POST', '/api/auth/staff/login', { body: { platform: 'wechat', code } });
    check(res.status === 200 && typeof res.json.token === 'string', `login answered ${res.status}: ${res.text}`);
    token = res.json.token;
  });

  let sku: { id: string; retailPriceFen: number } | undefined;
  await step('a cash checkout', async () => {
    const products = await call(fn.url, 'GET', `/api/stores/${storeId}/products?q=wlj`, { token });
    sku = products.json?.items?.[0]?.skus?.[0];
    check(sku, `no SKU found: ${products.status} ${products.text.slice(0, 300)}`);
    const res = await call(fn.url, 'POST', '/api/orders', {
      token,
      body: { clientOrderId: newId('order'), storeId, lines: [{ skuId: sku.id, qty: 1 }], tenders: [{ method: 'cash', amountFen: sku.retailPriceFen }], expectedTotalFen: sku.retailPriceFen },
    });
    check(res.status === 201 && res.json.order?.status === 'paid', `checkout answered ${res.status}: ${res.text.slice(0, 300)}`);
  });

  for (const channel of ['wechat', 'alipay'] as const) {
    await step(`a ${channel} QR payment settled by the platform's signed notification`, async () => {
      check(sku, 'no SKU from the checkout step');
      const opened = await call(fn.url, 'POST', '/api/orders', {
        token,
        body: { clientOrderId: newId('order'), storeId, lines: [{ skuId: sku.id, qty: 1 }], tenders: [], expectedTotalFen: sku.retailPriceFen, awaitPayment: true },
      });
      check(opened.status === 201, `open order answered ${opened.status}: ${opened.text.slice(0, 300)}`);
      const attempt = await call(fn.url, 'POST', `/api/orders/${opened.json.order.id}/payments`, { token, body: { clientPaymentId: newId('payment'), mode: 'qr', channel } });
      check(attempt.status === 201 && attempt.json.payment?.codeUrl, `payment answered ${attempt.status}: ${attempt.text.slice(0, 300)}`);
      const payment = attempt.json.payment as { id: string; codeUrl: string };
      const played = await fetch(`${sandbox.url}/sandbox/${channel}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(channel === 'wechat' ? { codeUrl: payment.codeUrl } : { qrCode: payment.codeUrl }),
      });
      check(played.status < 300, `the sandbox payer answered ${played.status}`);
      await until(
        'the notification to settle the payment',
        async () => {
          // The payment view a counter polls does not say what settled it; the database does.
          const row = await sql<{ status: string; settled_by: string | null; outcome: string | null }>`
            select p.status, p.settled_by, (select outcome from payment_notifications n where n.payment_id = p.id order by n.id desc limit 1) as outcome
            from payments p where p.id = ${payment.id}`.execute(database.db);
          const r = row.rows[0];
          return r?.status === 'succeeded' && r.settled_by === 'notify' && r.outcome === 'applied' ? true : undefined;
        },
        notification_wait_ms,
      ).catch(async (error: unknown) => {
        const log = await fetch(`${sandbox.url}/sandbox/notifications`).then((r) => r.text());
        throw new Error(`${error instanceof Error ? error.message : String(error)}; the sandbox's deliveries: ${log.replace(/"body":"(?:[^"\\]|\\.)*"/g, '"body":"…"').slice(-800)}`, { cause: error });
      });
    });
  }

  await step('a cron call: refused without CRON_SECRET, run with it', async () => {
    const without = await call(fn.url, 'GET', '/api/cron/payments');
    check(without.status === 401, `without the secret it answered ${without.status}`);
    const wrong = await call(fn.url, 'GET', '/api/cron/payments', { headers: { authorization: 'Bearer not-the-secret' } });
    check(wrong.status === 401, `with a wrong secret it answered ${wrong.status}`);
    const right = await call(fn.url, 'GET', '/api/cron/payments', { headers: { authorization: `Bearer ${secrets.CRON_SECRET}` } });
    check(right.status === 200, `with the secret it answered ${right.status}: ${right.text.slice(0, 300)}`);
  });

  await step('the store QR /q/DEMO01: WeChat gets the opening page, Alipay a redirect, a browser a page', async () => {
    const wechat = await call(fn.url, 'GET', '/q/DEMO01', { headers: { 'user-agent': 'Mozilla/5.0 MicroMessenger/8.0.50' } });
    check(wechat.status === 200 && wechat.text.includes('weixin://dl/business/'), `WeChat got ${wechat.status}`);
    const alipay = await call(fn.url, 'GET', '/q/DEMO01', { headers: { 'user-agent': 'Mozilla/5.0 AlipayClient/10.5.0' } });
    check(alipay.status === 302 && (alipay.headers.get('location') ?? '').startsWith('alipays://platformapi/startapp'), `Alipay got ${alipay.status} ${alipay.headers.get('location')}`);
    const browser = await call(fn.url, 'GET', '/q/DEMO01', { headers: { 'user-agent': 'Mozilla/5.0 Chrome/130' } });
    check(browser.status === 200 && browser.text.includes('微信'), `a browser got ${browser.status}`);
  });

  await step('an invitation QR /j/<code>: Alipay is sent into the sign-in page, a browser to the H5 one', async () => {
    const alipay = await call(fn.url, 'GET', '/j/AB23CD45', { headers: { 'user-agent': 'Mozilla/5.0 AlipayClient/10.5.0' } });
    check(alipay.status === 302 && (alipay.headers.get('location') ?? '').includes('page=pages/sign-in/index'), `Alipay got ${alipay.status} ${alipay.headers.get('location')}`);
    const browser = await call(fn.url, 'GET', '/j/AB23CD45', { headers: { 'user-agent': 'Mozilla/5.0 Chrome/130' } });
    check(browser.status === 302 && browser.headers.get('location') === '/#/pages/sign-in/index?invite=AB23CD45', `a browser got ${browser.status} ${browser.headers.get('location')}`);
  });

  await fn.stop();
  running.pop();

  await step('an unmigrated database: /api/health answers 503 and says the schema is behind', async () => {
    const admin = await connect(postgres.url, 'pg');
    try {
      await sql.raw('create database guitai_behind').execute(admin.db);
    } finally {
      await admin.close();
    }
    const behind = await launch({ ...productionEnv, DATABASE_URL: postgres.url.replace(/\/guitai_deploy(\?|$)/, '/guitai_behind$1') }, await findFreePort());
    running.push(behind);
    const res = await call(behind.url, 'GET', '/api/health');
    check(res.status === 503 && res.json.schema?.pending > 0 && res.json.schema?.current === null, `health answered ${res.status}: ${res.text}`);
  });

  await step('production without DATABASE_URL: refuses to start, answers 503 without naming why, and logs the reason', async () => {
    const { DATABASE_URL: _dropped, ...withoutDatabase } = productionEnv;
    const fn2 = await launch(withoutDatabase, await findFreePort());
    running.push(fn2);
    const res = await call(fn2.url, 'GET', '/api/health');
    check(res.status === 503, `it answered ${res.status}`);
    check(!res.text.includes('DATABASE_URL'), 'the answer names the variable');
    check(fn2.logs.some((line) => line.includes('DATABASE_URL is not set')), `the log does not say why: ${fn2.logs.join('\n')}`);
  });
} finally {
  for (const fn of running) await fn.stop();
  for (const close of closers) await close();
  await sandbox.stop();
  await upstash.stop();
  await postgres.stop();
  await rm(work, { recursive: true, force: true });
}

console.log(failures === 0 ? 'check:deploy passed' : `check:deploy FAILED: ${failures} step(s)`);
process.exit(failures === 0 ? 0 : 1);
