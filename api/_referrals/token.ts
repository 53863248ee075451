import { createHash } from 'node:crypto';
import { secretBox, SecretBoxError } from '../_kernel/secret-box.js';

/**
 * A referral token: the referrer's member id sealed with AES-256-GCM under a
 * key derived from the session secret, bound to the merchant. The share
 * link then names nobody (a bare member id is also the counter's member
 * code), cannot be forged or edited to name another member, and does not
 * open at another merchant.
 */
function referralBox(sessionSecret: Uint8Array) {
  // A key of its own, derived from the session secret: a referral token can never pass for a session, nor the reverse.
  return secretBox(createHash('sha256').update('guitai-referral-token-v1|').update(sessionSecret).digest());
}

export function sealReferralToken(sessionSecret: Uint8Array, merchantId: string, referrerMemberId: string): string {
  return referralBox(sessionSecret).seal(referrerMemberId, `referral|${merchantId}`);
}

/** The referrer a token names, or null for a token forged, edited, or made at another merchant. */
export function openReferralToken(sessionSecret: Uint8Array, merchantId: string, token: string): string | null {
  try {
    const id = referralBox(sessionSecret).open(token, `referral|${merchantId}`);
    return /^mbr_[0-9A-HJKMNP-TV-Z]{26}$/.test(id) ? id : null;
  } catch (e) {
    if (e instanceof SecretBoxError) return null;
    // A token that is not even base64 can make the decipher throw other errors; it is no less forged.
    return null;
  }
}
