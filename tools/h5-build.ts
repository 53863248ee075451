import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/**
 * Marks dist/h5 as the browser tests' build, which has the sandbox sign-in.
 * The public build (`tools/vercel-build.ts`, also run by check:deploy) writes
 * the same folder without it and removes this mark, so the tests rebuild.
 */
export const test_build_mark = path.join(h5Dist, 'test-build.txt');

export function forgetTestBuild(): void {
  rmSync(test_build_mark, { force: true });
}

/** Builds the H5 pages unless dist/h5 is the tests' build and newer than every source it is made from. */
export function ensureH5Build(): void {
  const index = path.join(h5Dist, 'index.html');
  const sources = Math.max(...['src', 'shared', 'config'].map((d) => newestMtime(path.join(root, d))));
  if (existsSync(index) && existsSync(test_build_mark) && statSync(index).mtimeMs > sources) return;
  const result = spawnSync(path.join(root, 'node_modules/.bin/taro'), ['build', '--type', 'h5'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', TARO_APP_API_BASE: '' },
  });
  if (result.status !== 0) throw new Error(`taro build --type h5 failed with ${result.status}`);
  writeFileSync(test_build_mark, 'the browser tests\' H5 build, with the sandbox sign-in (tools/h5-build.ts)\n');
}
