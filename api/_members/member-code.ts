import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../_kernel/errors.js';
import { member_code_prefix, member_code_window_seconds } from '../../shared/api/members.js';

/**
 * The member code (会员码) on 我的: a QR the counter scans, which rotates
 * every `member_code_window_seconds` so a photo of it soon stops working.
 * It reads `GM1:<member id>:<window>:<MAC>`, the MAC an HMAC-SHA256 over the
 * member and the window with a key derived from the session secret (so the
 * code cannot be made without the server, and a session token's key is
 * never used for anything else). The window in it lets an old code be told
 * apart from a forged one; the current and the previous window are taken,
 * since a code shown at the end of a minute is scanned in the next.
 */

/** The windows accepted: this one and the one before it. */
export const member_code_windows_accepted = 2;
/** Characters of the Base64url MAC kept in the code: 96 bits. */
export const member_code_mac_chars = 16;

function codeKey(sessionSecret: Uint8Array): Buffer {
  return createHmac('sha256', sessionSecret).update('guitai member code v1').digest();
}

function macOf(sessionSecret: Uint8Array, memberId: string, window: number): string {
  return createHmac('sha256', codeKey(sessionSecret)).update(`${memberId}:${window}`).digest('base64url').slice(0, member_code_mac_chars);
}

function windowAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / member_code_window_seconds);
}

/** The code to show now, and when the page should fetch the next one. */
export function memberCodeFor(sessionSecret: Uint8Array, memberId: string, now: Date): { code: string; refreshAt: string } {
  const window = windowAt(now);
  return {
    code: `${member_code_prefix}:${memberId}:${window}:${macOf(sessionSecret, memberId, window)}`,
    refreshAt: new Date((window + 1) * member_code_window_seconds * 1000).toISOString(),
  };
}

/** The member a scanned code names, or a 400 that says whether it is old or not ours. */
export function memberIdOfCode(sessionSecret: Uint8Array, code: string, now: Date): string {
  const [prefix, memberId, windowText, mac] = code.split(':');
  const window = Number(windowText);
  const invalid = () => new AppError('bad_request', '会员码无效，请让顾客打开会员中心重新出示', [{ path: 'code', message: '会员码无效' }]);
  if (prefix !== member_code_prefix || !memberId || !mac || !Number.isSafeInteger(window)) throw invalid();
  const expected = Buffer.from(macOf(sessionSecret, memberId, window));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  const current = windowAt(now);
  if (window > current) throw invalid();
  if (current - window >= member_code_windows_accepted) throw new AppError('bad_request', '会员码已过期，请让顾客刷新会员码', [{ path: 'code', message: '会员码已过期' }]);
  return memberId;
}
