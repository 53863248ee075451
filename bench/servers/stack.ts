import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStack } from '../../tools/stack';
import { issueLoginCode } from '../../tools/sandbox/client';

/**
 * The product as `npm run dev` runs it (PGlite unless BENCH_DATABASE_URL
 * names a server), in its own process; tells the parent its URL and a
 * signed-in assistant's token (or BENCH_LOGIN's: the owner for the import).
 */
const dataDir = await mkdtemp(path.join(tmpdir(), 'guitai-bench-'));
const stack = await startStack({
  dataDir,
  ...(process.env.BENCH_DATABASE_URL ? { databaseUrl: process.env.BENCH_DATABASE_URL } : {}),
  env: { LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01' },
});
const code = await issueLoginCode(stack.sandboxUrl, { platform: 'wechat', appId: stack.env.WECHAT_APPID!, userId: process.env.BENCH_LOGIN ?? 'o_demo_assistant_1' });
const res = await fetch(`${stack.apiUrl}/api/auth/staff/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ platform: 'wechat', code }),
});
const session = (await res.json()) as { token: string; stores: { id: string }[] };
process.send?.({ url: stack.apiUrl, token: session.token, storeId: session.stores[0]!.id, driver: stack.deps.dbDriver, dataDir });
process.on('disconnect', () => void stack.stop().then(() => process.exit(0)));
