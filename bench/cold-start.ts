import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startPostgres } from '../tools/testenv/postgres';
import { startUpstashBridge } from '../tools/testenv/upstash-bridge';
import { connect } from '../api/_db/connect';
import { migrate } from '../api/_db/migrator';
import { figure, type Figure } from './figure';

const root = fileURLToPath(new URL('..', import.meta.url));
const vercel_bin = path.join(root, 'node_modules', '.bin', 'vercel');
/** Timed cold starts of each function; the figure is the median. Odd, so the median is one run. */
const cold_start_runs = Number(process.env.BENCH_COLD_START_RUNS ?? 9);
export const cold_start_target_ratio = 3;
export const cold_start_target_ms = 500;
const vercel_build_timeout_ms = 15 * 60_000;

/**
 * What one fresh Node process does: import the built function, ask it for
 * `/api/health`, read the answer, and print the times from the start of the
 * import. It runs as plain Node (no tsx), as the Vercel runtime loads the
 * function; the handler comes in COLD_START_HANDLER.
 */
const child_script = `
import { pathToFileURL } from 'node:url';
const handler = pathToFileURL(process.env.COLD_START_HANDLER).href;
const started = performance.now();
const fn = await import(handler);
const imported = performance.now();
const res = await fn.GET(new Request('http://localhost/api/health'));
const body = await res.text();
const answered = performance.now();
process.stdout.write(JSON.stringify({ ms: answered - started, importMs: imported - started, status: res.status, body: body.slice(0, 300) }) + '\\n');
process.exit(0);
`;

interface ColdStart {
  ms: number;
  importMs: number;
  status: number;
  body: string;
}

/** `vercel build` in a project directory, offline; its output is kept for the error if it fails. */
async function vercelBuild(dir: string, env: Record<string, string> = {}): Promise<void> {
  try {
    await promisify(execFile)(vercel_bin, ['build', '--yes'], { cwd: dir, env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024, timeout: vercel_build_timeout_ms });
  } catch (e) {
    const { stdout = '', stderr = '' } = e as { stdout?: string; stderr?: string };
    throw new Error(`vercel build in ${dir} failed: ${(e as Error).message}\n${String(stdout).slice(-3000)}\n${String(stderr).slice(-3000)}`, { cause: e });
  }
}

/** The handler file of a built function, as its `.vc-config.json` names it. */
async function handlerOf(projectDir: string): Promise<string> {
  const func = path.join(projectDir, '.vercel', 'output', 'functions', 'api', 'index.func');
  const config = JSON.parse(await readFile(path.join(func, '.vc-config.json'), 'utf8')) as { handler: string };
  return path.join(func, config.handler);
}

/** The product's function, built as Vercel builds it (its buildCommand included), or the last build when BENCH_REUSE_VERCEL_OUTPUT=1. */
async function productHandler(): Promise<{ handler: string; build: 'vercel build' | 'reused' }> {
  const reuse = process.env.BENCH_REUSE_VERCEL_OUTPUT === '1' && existsSync(path.join(root, '.vercel', 'output', 'functions', 'api', 'index.func', '.vc-config.json'));
  if (!reuse) {
    if (!existsSync(path.join(root, '.vercel', 'project.json'))) {
      await mkdir(path.join(root, '.vercel'), { recursive: true });
      await cp(path.join(root, 'deploy', 'vercel-project.json'), path.join(root, '.vercel', 'project.json'));
    }
    await vercelBuild(root);
  }
  return { handler: await handlerOf(root), build: reuse ? 'reused' : 'vercel build' };
}

/**
 * The floor: a bare Hono app answering `/api/health`, exported as `GET` the
 * way `api/index.ts` exports it, built by the same `vercel build` with the
 * same project settings and no buildCommand. Its one dependency is copied
 * from the project's node_modules, and npm runs offline, so the build needs
 * no registry.
 */
async function floorHandler(dir: string): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { engines: Record<string, string>; dependencies: Record<string, string> };
  await mkdir(path.join(dir, 'api'), { recursive: true });
  await mkdir(path.join(dir, '.vercel'), { recursive: true });
  await mkdir(path.join(dir, 'node_modules'), { recursive: true });
  await cp(path.join(root, 'node_modules', 'hono'), path.join(dir, 'node_modules', 'hono'), { recursive: true });
  await cp(path.join(root, 'deploy', 'vercel-project.json'), path.join(dir, '.vercel', 'project.json'));
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'guitai-cold-start-floor', private: true, type: 'module', engines: pkg.engines, dependencies: { hono: pkg.dependencies.hono } }, null, 2),
  );
  await writeFile(path.join(dir, 'vercel.json'), JSON.stringify({ functions: { 'api/index.ts': { maxDuration: 30 } } }, null, 2));
  await writeFile(
    path.join(dir, 'api', 'index.ts'),
    `import { Hono } from 'hono';

const app = new Hono().basePath('/api');
app.get('/health', (c) => c.json({ ok: true }));

const handle = async (request: Request): Promise<Response> => app.fetch(request);

export const GET = handle;
`,
  );
  await vercelBuild(dir, { npm_config_offline: 'true' });
  return handlerOf(dir);
}

/** One cold start: a fresh Node process importing the function and asking for `/api/health`. */
function coldStart(handler: string, env: Record<string, string>): Promise<ColdStart> {
  return new Promise((resolve, reject) => {
    // Only the variables given: the function sees the deployment's settings, not this shell's.
    const childEnv: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, COLD_START_HANDLER: handler };
    const child = spawn(process.execPath, ['--input-type=module', '-e', child_script], { env: childEnv as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        const result = JSON.parse(line) as ColdStart;
        if (result.status !== 200) throw new Error(`/api/health answered ${result.status}: ${result.body}`);
        resolve(result);
      } catch (e) {
        reject(new Error(`cold start of ${handler} failed (exit ${code}): ${e instanceof Error ? e.message : String(e)}\n${out.slice(-2000)}\n${err.slice(-2000)}`));
      }
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * cold_start_ms: from the start of importing the built Vercel function to
 * its first `/api/health` answer (a real round trip to Postgres), in a fresh
 * Node process; the median of several. The floor is the same for a bare Hono
 * app built the same way, measured in the same run: runs alternate between
 * the two, after one untimed start of each so that neither pays for a cold
 * disk cache alone.
 */
export async function coldStartBench(): Promise<Figure> {
  const product = await productHandler();
  const floorDir = await mkdtemp(path.join(tmpdir(), 'guitai-cold-start-floor-'));
  const server = await startPostgres({ database: 'guitai_bench_cold_start' });
  // Production's health check pings Upstash too: a local redis behind the REST bridge plays it.
  const upstash = await startUpstashBridge();
  try {
    // A deployment's database is migrated by its build step; health answers 503 on one that is not.
    const handle = await connect(server.url, 'pg');
    await migrate(handle.db).finally(() => handle.close());
    const floor = await floorHandler(floorDir);
    // A production deployment's settings, all that it refuses to start without; the request log is off so stdout carries only the result.
    const productEnv = {
      VERCEL_ENV: 'production',
      DATABASE_URL: server.url,
      UPSTASH_REDIS_REST_URL: upstash.url,
      UPSTASH_REDIS_REST_TOKEN: upstash.token,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      CRON_SECRET: randomBytes(32).toString('hex'),
      PUBLIC_BASE_URL: 'https://cold-start.bench.invalid',
      LOG_LEVEL: 'silent',
    };
    const floorEnv = { NODE_ENV: 'production' };
    await coldStart(product.handler, productEnv);
    await coldStart(floor, floorEnv);
    const productRuns: ColdStart[] = [];
    const floorRuns: ColdStart[] = [];
    for (let i = 0; i < cold_start_runs; i++) {
      productRuns.push(await coldStart(product.handler, productEnv));
      floorRuns.push(await coldStart(floor, floorEnv));
    }
    const value = median(productRuns.map((r) => r.ms));
    const floorMs = median(floorRuns.map((r) => r.ms));
    return figure('cold_start_ms', 'ms', value, floorMs, {
      floor_ms: round1(floorMs),
      target_ratio: cold_start_target_ratio,
      target_ms: cold_start_target_ms,
      import_ms: round1(median(productRuns.map((r) => r.importMs))),
      floor_import_ms: round1(median(floorRuns.map((r) => r.importMs))),
      runs: cold_start_runs,
      runs_ms: productRuns.map((r) => Math.round(r.ms)),
      floor_runs_ms: floorRuns.map((r) => Math.round(r.ms)),
      build: product.build,
      db: 'postgres',
    });
  } finally {
    await upstash.stop();
    await server.stop();
    await rm(floorDir, { recursive: true, force: true });
  }
}
