import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from './stack';
import { startLocalCron, vercelCrons } from './local-cron';

/**
 * `npm run dev`: the API on embedded PGlite (data kept in .data/pglite), the
 * payment sandbox, and the Taro H5 dev server, which proxies /api and
 * /sandbox to the other two. Seeds the demo shop on first run.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = path.join(root, '.data');
const apiPort = Number(process.env.API_PORT ?? 8787);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 8788);
const h5Port = Number(process.env.H5_PORT ?? 10086);
const queuePort = Number(process.env.QSTASH_STANDIN_PORT ?? 8789);
// The local scheduler and the API share this run's secret, as Vercel and a deployment share CRON_SECRET.
const cronSecret = process.env.CRON_SECRET ?? randomBytes(24).toString('hex');

async function devSecret(): Promise<string> {
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const secret = randomBytes(32).toString('hex');
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

await mkdir(dataDir, { recursive: true });
const stack = await startStack({
  dataDir,
  apiPort,
  sandboxPort,
  queue: true,
  queuePort,
  ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
  env: { ...process.env, CRON_SECRET: cronSecret, SESSION_SECRET: process.env.SESSION_SECRET ?? (await devSecret()), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
});
const stopCron = startLocalCron({ apiUrl: stack.apiUrl, cronSecret, crons: await vercelCrons(path.join(root, 'vercel.json')), log: (line) => console.log(line) });

const h5 = process.env.DEV_NO_H5
  ? null
  : spawn(path.join(root, 'node_modules/.bin/taro'), ['build', '--type', 'h5', '--watch'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, H5_PORT: String(h5Port), API_PORT: String(apiPort), SANDBOX_PORT: String(sandboxPort), NODE_ENV: 'development' },
    });

const seeded = stack.seed?.seeded ? `seeded the demo shop (${stack.seed.skuCount} SKUs)` : 'demo shop already seeded';
console.log(`
柜台 Guitai is running (${seeded}, database ${stack.deps.dbDriver}, kv ${stack.deps.kv.driver})
  API      ${stack.apiUrl}/api/health
  sandbox  ${stack.sandboxUrl}  (WeChat and Alipay stand-in)
  queue    ${stack.queueUrl ?? 'QStash (QSTASH_* given)'}  (QStash stand-in; vercel.json's crons run on their schedules)
  H5       http://127.0.0.1:${h5Port}/  (shop; counter and boss via 我的, sign in as a demo person)
Press Ctrl+C to stop.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    h5?.kill('SIGTERM');
    stopCron();
    void stack.stop().then(() => process.exit(0));
  });
}
h5?.on('exit', (code) => {
  if (!stopping) console.error(`H5 dev server exited with code ${code}`);
});
