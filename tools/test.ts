/**
 * `npm test`: typecheck, start the local services the integration suites
 * need, run every vitest project against them, stop the services, and print
 * one `N passed, N failed[, N skipped]` line. Arguments are passed to vitest,
 * so `npm test -- tests/testenv` runs a subset.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureH5Build } from './h5-build.js';
import { onProcessExit } from './testenv/cleanup-on-exit.js';
import { startNeonWsProxy } from './testenv/neon-proxy.js';
import { startPostgres } from './testenv/postgres.js';
import { ServiceUnavailable } from './testenv/service-unavailable.js';
import { startUpstashBridge } from './testenv/upstash-bridge.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const CHROMIUM_PATH = '/usr/bin/chromium';

interface Service {
  name: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** The part of vitest's JSON report this script reads. */
interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; status: string; assertionResults: { status: string }[] }[];
}

function run(program: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd: ROOT, env, stdio: 'inherit' });
    const forgetCleanup = onProcessExit(() => child.kill('SIGTERM'));
    child.once('error', (error) => {
      console.error(`could not run ${program}: ${error.message}`);
      forgetCleanup();
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      forgetCleanup();
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function typecheck(): Promise<boolean> {
  if (!existsSync(join(ROOT, 'tsconfig.json'))) {
    console.log('typecheck skipped: no tsconfig.json');
    return true;
  }
  // tsconfig.server.json checks api/ and shared/ as Node's loader reads them
  // (NodeNext): a relative import without its `.js` would fail on Vercel.
  let failed = false;
  for (const project of ['tsconfig.json', 'tsconfig.server.json']) {
    console.log(`typecheck: tsc -p ${project} --noEmit`);
    const code = await run(join(BIN, 'tsc'), ['-p', project, '--noEmit'], process.env);
    if (code !== 0) failed = true;
  }
  console.log(failed ? 'typecheck FAILED' : 'typecheck passed');
  return !failed;
}

async function startServices(): Promise<Service[]> {
  const starts: Promise<Service>[] = [
    startPostgres().then((pg) => ({ name: 'postgres', env: { GUITAI_TEST_PG_URL: pg.url }, stop: pg.stop })),
    startNeonWsProxy().then((proxy) => ({
      name: 'neon proxy',
      env: { GUITAI_TEST_NEON_PROXY_PORT: String(proxy.port) },
      stop: proxy.stop,
    })),
    startUpstashBridge().then((bridge) => ({
      name: 'upstash bridge',
      env: { GUITAI_TEST_UPSTASH_URL: bridge.url, GUITAI_TEST_UPSTASH_TOKEN: bridge.token },
      stop: bridge.stop,
    })),
  ];
  const services: Service[] = [];
  for (const settled of await Promise.allSettled(starts)) {
    if (settled.status === 'fulfilled') {
      services.push(settled.value);
      console.log(`started ${settled.value.name}`);
    } else if (settled.reason instanceof ServiceUnavailable) {
      console.log(`not started: ${settled.reason.message}; suites that need it will skip (fail under CI)`);
    } else {
      // A service that is installed but will not start is a broken machine, not a missing one.
      await stopAll(services);
      throw settled.reason;
    }
  }
  return services;
}

async function stopAll(services: Service[]): Promise<void> {
  await Promise.allSettled(services.map((service) => service.stop()));
}

async function runVitest(
  env: NodeJS.ProcessEnv,
  reportFile: string,
): Promise<{ code: number; report: JsonReport | undefined }> {
  const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`];
  const code = await run(join(BIN, 'vitest'), [...args, ...process.argv.slice(2)], env);
  try {
    return { code, report: JSON.parse(await readFile(reportFile, 'utf8')) as JsonReport };
  } catch {
    console.error(`vitest exited with ${code} and wrote no report`);
    return { code, report: undefined };
  }
}

/** A file that fails to load has no failed tests in the report; count it as one failure. */
function summarize(report: JsonReport): { passed: number; failed: number; skipped: number } {
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
  );
  for (const file of brokenFiles) console.log(`FAILED to load ${file.name}`);
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles.length,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

/** True when the run includes browser suites: no file filter, or one that names them. */
function wantsBrowserSuites(filters: readonly string[]): boolean {
  const files = filters.filter((f) => !f.startsWith('-'));
  return files.length === 0 || files.some((f) => f.includes('browser'));
}

async function main(): Promise<number> {
  const typesOk = await typecheck();
  const services = await startServices();
  const reportDir = await mkdtemp(join(tmpdir(), 'guitai-vitest-'));
  const forgetReportDir = onProcessExit(() => rmSync(reportDir, { recursive: true, force: true }));
  let vitest: Awaited<ReturnType<typeof runVitest>>;
  try {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const service of services) Object.assign(env, service.env);
    if (existsSync(CHROMIUM_PATH)) {
      env.GUITAI_TEST_CHROMIUM = CHROMIUM_PATH;
      // Built here, outside any hook's time limit: a cold build takes minutes on a busy two-core machine.
      if (wantsBrowserSuites(process.argv.slice(2))) ensureH5Build();
    } else console.log(`not found: ${CHROMIUM_PATH}; browser suites will skip (fail under CI)`);
    vitest = await runVitest(env, join(reportDir, 'report.json'));
  } finally {
    await stopAll(services);
    forgetReportDir();
    await rm(reportDir, { recursive: true, force: true });
  }

  if (vitest.report === undefined) {
    console.log('0 passed, 1 failed');
    return 1;
  }
  const { passed, failed, skipped } = summarize(vitest.report);
  if (!typesOk) console.log('typecheck failed (see tsc output above)');
  // Unhandled errors fail a run without failing any one test.
  if (vitest.code !== 0 && failed === 0) console.log(`vitest exited with ${vitest.code}`);
  console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return failed === 0 && typesOk && vitest.code === 0 ? 0 : 1;
}

process.exitCode = await main();
