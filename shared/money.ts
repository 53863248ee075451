/**
 * Money is integer fen everywhere. Yuan strings exist only at the edges
 * (Alipay amounts, bill files), and are converted here with exact decimal
 * rules instead of floating point.
 */
export type Fen = number;

/** The largest amount a single value may hold: well inside Number.MAX_SAFE_INTEGER. */
export const fen_amount_max = 100_000_000_000_00; // 100 billion yuan

export function assertFen(value: number, what = 'amount'): Fen {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer number of fen`);
  if (Math.abs(value) > fen_amount_max) throw new RangeError(`${what} exceeds fen_amount_max`);
  return value;
}

const yuanPattern = /^(-)?(\d{1,12})(?:\.(\d{1,2}))?$/;

/** Parses "12.3", "12.30", "-0.01", "5" into fen; anything else throws. */
export function yuanToFen(yuan: string): Fen {
  const m = yuanPattern.exec(yuan.trim());
  if (!m) throw new RangeError(`not a yuan amount: ${JSON.stringify(yuan)}`);
  const whole = Number(m[2]);
  const frac = Number((m[3] ?? '').padEnd(2, '0'));
  const fen = whole * 100 + frac;
  return m[1] && fen !== 0 ? -fen : fen;
}

/** Formats fen as a yuan string with exactly two decimals: 1234 → "12.34". */
export function fenToYuan(fen: Fen): string {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  return `${sign}${whole}.${frac.toString().padStart(2, '0')}`;
}

/**
 * For display: "¥12.34", "¥283,206.05", "-¥24.18". Thousands are grouped so a
 * large figure reads at a glance, and the minus goes before the ¥ the way a
 * person writes a loss, not inside the number ("¥-24.18"). This is for people:
 * files and platform amounts use fenToYuan, which parses back.
 */
export function formatFen(fen: Fen): string {
  const yuan = fenToYuan(Math.abs(fen));
  const dot = yuan.indexOf('.');
  const whole = yuan.slice(0, dot).replace(/\B(?=(\d{3})+$)/g, ',');
  return `${fen < 0 ? '-' : ''}¥${whole}${yuan.slice(dot)}`;
}
