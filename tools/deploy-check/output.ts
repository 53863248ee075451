import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Vercel refuses a function bundle over 250 MB unzipped; ours must stay far below, since size is cold-start time. */
export const function_bytes_max = 50 * 1024 * 1024;

export interface OutputReport {
  bytes: number;
  files: number;
  runtime: string;
  crons: string[];
  problems: string[];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    // The builder may link files; a link to a directory is followed once, through its real path.
    if (entry.isSymbolicLink() && statSync(path).isDirectory()) return filesUnder(realpathSync(path));
    return [path];
  });
}

/**
 * What `vercel build` wrote, checked against what production needs: one
 * function at api/index.func, on the pinned Node major, small enough, without
 * the embedded database (which production never opens), and the crons.
 */
export function checkFunctionOutput(outputDir: string, nodeMajor: number): OutputReport {
  const funcDir = join(outputDir, 'functions', 'api', 'index.func');
  const problems: string[] = [];
  const vc = JSON.parse(readFileSync(join(funcDir, '.vc-config.json'), 'utf8')) as { runtime?: string; handler?: string; launcherType?: string };
  if (vc.runtime !== `nodejs${nodeMajor}.x`) problems.push(`runtime is ${vc.runtime}, not nodejs${nodeMajor}.x`);
  if (vc.launcherType !== 'Nodejs') problems.push(`launcher is ${vc.launcherType}, not Nodejs`);
  const files = filesUnder(funcDir);
  let bytes = 0;
  for (const file of files) bytes += lstatSync(file).isSymbolicLink() ? statSync(file).size : lstatSync(file).size;
  if (bytes > function_bytes_max) problems.push(`the function is ${(bytes / 1024 / 1024).toFixed(1)} MB, over ${function_bytes_max / 1024 / 1024} MB`);
  const embedded = files.map((f) => relative(funcDir, f).split(sep).join('/')).filter((f) => f.includes('@electric-sql/pglite') || f.endsWith('.wasm') || f.endsWith('pglite.data'));
  if (embedded.length > 0) problems.push(`PGlite is inside the production function (${embedded.slice(0, 3).join(', ')}${embedded.length > 3 ? ', …' : ''})`);
  const config = JSON.parse(readFileSync(join(outputDir, 'config.json'), 'utf8')) as { crons?: { path: string; schedule: string }[] };
  const crons = (config.crons ?? []).map((c) => `${c.path} (${c.schedule})`);
  if (crons.length === 0) problems.push('no crons in the build output');
  return { bytes, files: files.length, runtime: vc.runtime ?? '?', crons, problems };
}
