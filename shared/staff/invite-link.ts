/**
 * The link an invitation's QR carries: `https://<host>/j/<code>`, beside the
 * stores' `/q/<store>` and the receipts' `/r/<token>` links on the same host.
 * Scanned with WeChat or Alipay it opens the mini-program's sign-in page with
 * the code filled in; in any other browser, the H5 sign-in page. The code is
 * the same 8 characters the owner can read out, so the QR adds no secret.
 *
 * The sign-in page is in the main package, so this file stays tiny.
 */
import { invite_code_length } from '../api/limits.js';

export const invite_link_prefix = '/j/';
/** The page that binds a signed-in person with an invitation code. */
export const sign_in_page = 'pages/sign-in/index';

const code_pattern = new RegExp(`^[A-Z0-9]{${invite_code_length}}$`);

export function inviteLinkUrl(publicBaseUrl: string, code: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${invite_link_prefix}${code}`;
}

/** A code as typed or scanned: upper case, only letters and digits; null unless it is invite_code_length of them. */
export function inviteCodeOf(raw: string): string | null {
  const code = raw.toUpperCase();
  return code_pattern.test(code) ? code : null;
}

/**
 * The invitation code a sign-in page was opened with: `invite` when the link
 * page opened the mini-program (and on H5), else the scanned URL itself,
 * which WeChat passes as `q` and Alipay as `qrCode` when a link rule sends
 * `/j/` links straight to this page.
 */
export function inviteFromLaunch(params: Readonly<Record<string, string | undefined>>): string | null {
  const direct = params.invite;
  if (direct) return inviteCodeOf(direct);
  for (const key of ['q', 'qrCode']) {
    const raw = params[key];
    if (!raw) continue;
    let url = raw;
    // Platforms encode the scanned URL once or twice; two rounds bound the work.
    for (let round = 0; round < 2 && /%[0-9A-Fa-f]{2}/.test(url); round++) {
      try {
        url = decodeURIComponent(url);
      } catch {
        break;
      }
    }
    const match = /\/j\/([A-Za-z0-9]+)(?:[/?#]|$)/.exec(url);
    if (match?.[1]) return inviteCodeOf(match[1]);
  }
  return null;
}
