import { storeCode } from './shop-schemas';

/**
 * Finds the store code a launch carries. WeChat passes a scanned link as `q`
 * (the URL-encoded full URL `https://host/q/<code>[/<table>]`) or a mini-program
 * code's `scene`; Alipay passes the scanned URL as `qrCode`; the H5 page takes `?store=`.
 * Returns null when nothing valid is there, so the caller picks the default.
 */
export function storeCodeFromLaunch(query: Readonly<Record<string, unknown>> | undefined | null): string | null {
  if (!query) return null;
  for (const key of ['store', 'q', 'qrCode', 'scene'] as const) {
    const raw = query[key];
    if (typeof raw !== 'string' || raw === '') continue;
    const code = codeFrom(decodeRepeatedly(raw));
    if (code) return code;
  }
  return null;
}

/**
 * Table number from a `/q/<code>/<table>` link, if the QR names one: `table`
 * when the link page opened the mini-program (its scheme passes
 * `store=<code>&table=<table>`) or on H5, else from the scanned URL itself.
 */
export function tableFromLaunch(query: Readonly<Record<string, unknown>> | undefined | null): string | null {
  const direct = query?.table;
  if (typeof direct === 'string' && /^[A-Za-z0-9_-]{1,16}$/.test(direct)) return direct;
  for (const key of ['q', 'qrCode'] as const) {
    const raw = query?.[key];
    if (typeof raw !== 'string') continue;
    const match = /\/q\/[A-Za-z0-9]+\/([A-Za-z0-9_-]{1,16})(?:[/?#]|$)/.exec(decodeRepeatedly(raw));
    if (match?.[1]) return match[1];
  }
  return null;
}

function codeFrom(value: string): string | null {
  const fromPath = /\/q\/([A-Za-z0-9]+)(?:[/?#]|$)/.exec(value)?.[1];
  // A mini-program code's scene is short: either the bare code or `s=<code>`.
  const fromScene = /^(?:s=)?([A-Za-z0-9]+)$/.exec(value)?.[1];
  const candidate = (fromPath ?? fromScene)?.toUpperCase();
  return candidate && storeCode.safeParse(candidate).success ? candidate : null;
}

/** Platforms and redirects sometimes encode twice; two rounds are enough and bound the work. */
function decodeRepeatedly(value: string): string {
  let current = value;
  for (let round = 0; round < 2; round++) {
    try {
      const next = decodeURIComponent(current);
      if (next === current) break;
      current = next;
    } catch {
      break;
    }
  }
  return current;
}
