import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
export const h5Dist = path.join(root, 'dist/h5');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the H5 pages unless dist/h5 is newer than every source it is made from. */
export function ensureH5Build(): void {
  const index = path.join(h5Dist, 'index.html');
  const sources = Math.max(...['src', 'shared', 'config'].map((d) => newestMtime(path.join(root, d))));
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  const result = spawnSync(path.join(root, 'node_modules/.bin/taro'), ['build', '--type', 'h5'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', TARO_APP_API_BASE: '' },
  });
  if (result.status !== 0) throw new Error(`taro build --type h5 failed with ${result.status}`);
}
