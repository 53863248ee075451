import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * Reads `api/` as text and reports where its walls are crossed. The layers:
 * the kernel (`_kernel`, `_db`, `_kv`: errors, context, validation, the
 * database and key-value plumbing) at the bottom, imported by everyone and
 * importing no module; the domain modules in the middle, each reached by
 * others only through its face (`index.ts`) and owning its tables; the
 * assembly (`_app`: the app, the dependencies, the route mounting) on top,
 * imported by no module. Plain text reading is enough because the project
 * writes imports and queries in a few fixed shapes; the test beside this
 * file proves the reader finds each shape.
 */

export const API_DIR = join(import.meta.dirname, '..', '..', 'api');

export const kernel_folders = ['_kernel', '_db', '_kv'] as const;
export const assembly_folders = ['_app'] as const;

export interface SourceFile {
  /** Path under api/, with forward slashes. */
  path: string;
  /** The api/ folder it lies in (`_sales`), or '' for a file directly under api/. */
  folder: string;
  text: string;
}

export interface ImportEdge {
  from: SourceFile;
  /** The imported file under api/ (`_sales/index.ts`). */
  target: string;
  targetFolder: string;
  typeOnly: boolean;
  line: number;
}

export interface TableWrite {
  file: SourceFile;
  table: string;
  line: number;
  how: string;
}

export function listSources(dir: string = API_DIR): SourceFile[] {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(d, e.name)] : []));
  return walk(dir).map((file) => {
    const path = relative(dir, file).split(sep).join('/');
    return { path, folder: path.includes('/') ? path.split('/')[0]! : '', text: readFileSync(file, 'utf8') };
  });
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

const import_pattern = /(^|\n)\s*(import|export)\s+(type\s+)?[^;]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** Every relative import between files under api/, with whether it brings types only. */
export function importEdges(files: SourceFile[], dir: string = API_DIR): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of files) {
    for (const m of file.text.matchAll(import_pattern)) {
      const spec = m[4] ?? m[5]!;
      const absolute = resolve(dirname(join(dir, file.path)), spec.replace(/\.js$/, '.ts'));
      const target = relative(dir, absolute).split(sep).join('/');
      if (target.startsWith('..')) continue;
      const typeOnly = m[3] !== undefined || /^\s*(import|export)\s+type\b/.test(m[0].trim()) || (m[5] !== undefined && /import\(\s*['"][^'"]+['"]\s*\)\.\w/.test(file.text.slice(m.index!, m.index! + m[0].length + 2)));
      edges.push({ from: file, target, targetFolder: target.includes('/') ? target.split('/')[0]! : '', typeOnly, line: lineOf(file.text, m.index! + (m[1]?.length ?? 0)) });
    }
  }
  return edges;
}

/** Table name → the module whose `tables.ts` declares it (a `…Tables` interface's keys). */
export function tableOwners(files: SourceFile[]): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const file of files) {
    if (!file.path.endsWith('/tables.ts')) continue;
    for (const block of file.text.matchAll(/export interface \w+Tables \{([^}]*)\}/g)) {
      for (const key of block[1]!.matchAll(/^\s+(\w+): /gm)) {
        owners.set(key[1]!, [...(owners.get(key[1]!) ?? []), file.folder]);
      }
    }
  }
  return owners;
}

const write_patterns: { how: string; pattern: RegExp }[] = [
  { how: 'insertInto', pattern: /\binsertInto\(\s*['"](\w+)(?:\s+as\s+\w+)?['"]/g },
  { how: 'updateTable', pattern: /\bupdateTable\(\s*['"](\w+)(?:\s+as\s+\w+)?['"]/g },
  { how: 'deleteFrom', pattern: /\bdeleteFrom\(\s*['"](\w+)(?:\s+as\s+\w+)?['"]/g },
  { how: 'mergeInto', pattern: /\bmergeInto\(\s*['"](\w+)(?:\s+as\s+\w+)?['"]/g },
  { how: 'insert into', pattern: /\binsert\s+into\s+"?(\w+)"?/gi },
  { how: 'update', pattern: /(?:^|[\s`(;])update\s+"?(\w+)"?\s+(?:as\s+\w+\s+|\w+\s+)?set\b/gi },
  { how: 'delete from', pattern: /\bdelete\s+from\s+"?(\w+)"?/gi },
  { how: 'copy', pattern: /\bcopy\s+"?(\w+)"?\s*(?:\(|from\b)/gi },
];

/** Every statement under api/ that writes a table, by Kysely call or in SQL text. Migrations make tables and are left out. */
export function tableWrites(files: SourceFile[], tables: ReadonlySet<string>): TableWrite[] {
  const writes: TableWrite[] = [];
  for (const file of files) {
    if (file.path.startsWith('_db/migrations/')) continue;
    for (const { how, pattern } of write_patterns) {
      for (const m of file.text.matchAll(pattern)) {
        const table = m[1]!.toLowerCase();
        if (!tables.has(table)) continue;
        writes.push({ file, table, line: lineOf(file.text, m.index!), how });
      }
    }
  }
  return writes;
}

const read_patterns: RegExp[] = [
  /\bselectFrom\(\s*['"](\w+)(?:\s+as\s+\w+)?['"]/g,
  /\b(?:from|join)\s+"?(\w+)"?/gi,
  /\b(?:innerJoin|leftJoin|rightJoin|fullJoin)\(\s*['"](\w+)(?:\s+as\s+\w+)?['"]/g,
];

/** Tables a file reads (Kysely selectFrom / joins, SQL from / join), each once per file. */
export function tableReads(files: SourceFile[], tables: ReadonlySet<string>): { file: SourceFile; table: string }[] {
  const reads: { file: SourceFile; table: string }[] = [];
  for (const file of files) {
    if (file.path.startsWith('_db/migrations/')) continue;
    const seen = new Set<string>();
    for (const pattern of read_patterns) {
      for (const m of file.text.matchAll(pattern)) {
        const table = m[1]!.toLowerCase();
        if (tables.has(table) && !seen.has(table)) {
          seen.add(table);
          reads.push({ file, table });
        }
      }
    }
  }
  return reads;
}

const query_patterns: { how: string; pattern: RegExp }[] = [
  { how: 'selectFrom', pattern: /\.selectFrom\(/g },
  { how: 'insertInto', pattern: /\.insertInto\(/g },
  { how: 'updateTable', pattern: /\.updateTable\(/g },
  { how: 'deleteFrom', pattern: /\.deleteFrom\(/g },
  { how: 'sql template', pattern: /\bsql(?:`|<)/g },
];

/** Every place a file builds a query: a Kysely query builder call or an sql template, typed or not. */
export function queriesIn(files: SourceFile[]): { file: SourceFile; line: number; how: string }[] {
  const found: { file: SourceFile; line: number; how: string }[] = [];
  for (const file of files) {
    for (const { how, pattern } of query_patterns) {
      for (const m of file.text.matchAll(pattern)) found.push({ file, line: lineOf(file.text, m.index!), how });
    }
  }
  return found.sort((x, y) => x.file.path.localeCompare(y.file.path) || x.line - y.line);
}

/** Cycles between folders, found over the folder graph of the given edges (Tarjan's strongly connected components). */
export function folderCycles(edges: ImportEdge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    if (e.from.folder === e.targetFolder || !e.from.folder || !e.targetFolder) continue;
    if (!graph.has(e.from.folder)) graph.set(e.from.folder, new Set());
    graph.get(e.from.folder)!.add(e.targetFolder);
  }
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

export function layerOf(folder: string): 'kernel' | 'assembly' | 'entry' | 'module' {
  if (folder === '') return 'entry';
  if ((kernel_folders as readonly string[]).includes(folder)) return 'kernel';
  if ((assembly_folders as readonly string[]).includes(folder)) return 'assembly';
  return 'module';
}
