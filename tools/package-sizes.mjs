// Sizes of the mini-program packages as the platforms count them: every file
// under dist/<platform>, each owned by the sub-package whose root (from the
// built app.json) it lies under, or else by the main package.
//
//   node tools/package-sizes.mjs [--package-kb-max N] [--main-kb-max N] [--files] [platform…]
//
// Exits 1 when a package is over --package-kb-max (both platforms refuse a
// package over 2 MB) or the main package is over --main-kb-max (what a shopper
// downloads on a phone network after scanning the store's QR). `--files` also
// lists the main package's largest files. Platforms default to weapp and alipay.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'package-kb-max': { type: 'string', default: '2048' },
    'main-kb-max': { type: 'string' },
    files: { type: 'boolean', default: false },
  },
});
const packageKbMax = Number(values['package-kb-max']);
const mainKbMax = values['main-kb-max'] === undefined ? Infinity : Number(values['main-kb-max']);
const platforms = positionals.length > 0 ? positionals : ['weapp', 'alipay'];

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const failures = [];
for (const platform of platforms) {
  const dist = join('dist', platform);
  const app = JSON.parse(readFileSync(join(dist, 'app.json'), 'utf8'));
  const roots = (app.subPackages ?? app.subpackages ?? []).map((p) => p.root.replace(/\/+$/, ''));
  const bytes = new Map([['main', 0], ...roots.map((root) => [root, 0])]);
  const mainFiles = [];
  for (const file of filesUnder(dist)) {
    const path = relative(dist, file).split(sep).join('/');
    const owner = roots.find((root) => path.startsWith(`${root}/`)) ?? 'main';
    const size = statSync(file).size;
    bytes.set(owner, (bytes.get(owner) ?? 0) + size);
    if (owner === 'main') mainFiles.push([size, path]);
  }
  for (const [owner, size] of bytes) {
    const kb = size / 1024;
    const name = owner === 'main' ? 'main package' : `sub-package ${owner}`;
    console.log(`${platform} ${name}: ${kb.toFixed(1)} KB`);
    if (kb > packageKbMax) failures.push(`${platform} ${name} is over ${packageKbMax} KB`);
    if (owner === 'main' && kb > mainKbMax) failures.push(`${platform} main package is over ${mainKbMax} KB`);
  }
  if (values.files) {
    for (const [size, path] of mainFiles.sort((a, b) => b[0] - a[0]).slice(0, 15)) console.log(`  ${(size / 1024).toFixed(1).padStart(7)} KB  ${path}`);
  }
}
if (failures.length > 0) {
  for (const failure of failures) console.error(failure);
  process.exit(1);
}
