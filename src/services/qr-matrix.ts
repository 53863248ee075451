import { create } from 'qrcode';

export interface QrRun {
  dark: boolean;
  /** Modules in this run. */
  length: number;
}

export interface QrMatrix {
  /** Modules per side, without the quiet zone. */
  size: number;
  /** Each row as runs of equal modules, so a page draws a few Views per row instead of one per module. */
  rows: QrRun[][];
}

/** A QR's modules for `text` (error correction M: a phone screen or a print stays readable with small damage). */
export function qrMatrix(text: string): QrMatrix {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const rows: QrRun[][] = [];
  for (let r = 0; r < modules.size; r++) {
    const runs: QrRun[] = [];
    for (let c = 0; c < modules.size; c++) {
      const dark = modules.get(r, c) === 1 || (modules.get(r, c) as unknown) === true;
      const last = runs[runs.length - 1];
      if (last && last.dark === dark) last.length += 1;
      else runs.push({ dark, length: 1 });
    }
    rows.push(runs);
  }
  return { size: modules.size, rows };
}

/** Reads the matrix back module by module (for tests and for drawing on a canvas). */
export function isDark(matrix: QrMatrix, row: number, col: number): boolean {
  let at = 0;
  for (const run of matrix.rows[row] ?? []) {
    if (col < at + run.length) return run.dark;
    at += run.length;
  }
  return false;
}
