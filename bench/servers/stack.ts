import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStack } from '../../tools/stack';
import { issueLoginCode } from '../../tools/sandbox/client';

/**
 * The product as `npm run dev` runs it (PGlite unless BENCH_DATABASE_URL
 * names a server), in its own process; tells the parent its URL and a
 * signed-in assistant's token (or BENCH_LOGIN's: the owner for the import),
 * and with BENCH_OWNER_LOGIN the owner's token as well.
 */
const dataDir = await mkdtemp(path.join(tmpdir(), 'guitai-bench-'));
const stack = await startStack({
  dataDir,
  ...(process.env.BENCH_DATABASE_URL ? { databaseUrl: process.env.BENCH_DATABASE_URL } : {}),
  env: { LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01' },
});
async function signIn(userId: string): Promise<{ token: string; stores: { id: string }[] }> {
  const code = await issueLoginCode(stack.sandboxUrl, { platform: 'wechat', appId: stack.env.WECHAT_APPID!, userId });
  const res = await fetch(`${stack.apiUrl}/api/auth/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ platform: 'wechat', code }),
  });
  return (await res.json()) as { token: string; stores: { id: string }[] };
}
const session = await signIn(process.env.BENCH_LOGIN ?? 'o_demo_assistant_1');
// A bench whose set-up is the owner's to do (stored-value plans, coupon templates) names the owner too and gets their token as well.
const ownerToken = process.env.BENCH_OWNER_LOGIN ? (await signIn(process.env.BENCH_OWNER_LOGIN)).token : undefined;
process.send?.({ url: stack.apiUrl, token: session.token, storeId: session.stores[0]!.id, driver: stack.deps.dbDriver, dataDir, ...(ownerToken ? { ownerToken } : {}) });
process.on('disconnect', () => void stack.stop().then(() => process.exit(0)));
