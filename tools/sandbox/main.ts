import { fileURLToPath } from 'node:url';
import { ensureSandboxKeys } from './keys';
import { startSandbox } from './server';

/** `tsx tools/sandbox/main.ts`: serves the sandbox until interrupted. */

const default_port = 8788;
/** Under the repository root, wherever the command runs from. */
const keys_dir = fileURLToPath(new URL('../../.data/sandbox', import.meta.url));

const port = process.env['SANDBOX_PORT'] ? Number(process.env['SANDBOX_PORT']) : default_port;
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SANDBOX_PORT must be a port number, got ${process.env['SANDBOX_PORT']}`);

const keys = await ensureSandboxKeys(keys_dir);
const sandbox = await startSandbox({ keys, port });
console.log(`payment sandbox listening on ${sandbox.url} (keys in ${keys_dir})`);
console.log(`  WeChat appid ${keys.wechat.appId}, Alipay app id ${keys.alipay.appId}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.stop().then(() => process.exit(0));
  });
}
