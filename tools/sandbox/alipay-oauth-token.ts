import { createHash, randomBytes } from 'node:crypto';
import { beijingTimestamp } from '../../api/_platform/alipay-time';
import type { AlipayMethod } from './alipay-gateway';

/**
 * `alipay.system.oauth.token` with `grant_type=authorization_code`: trades a
 * one-time auth code for the user's ids and tokens. Code failures come back
 * under `error_response`, as the real gateway sends them.
 */

const access_token_ttl_s = 15 * 24 * 60 * 60;
const refresh_token_ttl_s = 30 * 24 * 60 * 60;
const token_bytes = 16;

/** Alipay open_ids are per app: the same user gets a different one in each app. */
function openIdFor(appId: string, userId: string): string {
  const digest = createHash('sha256').update(`${appId}:${userId}`).digest('base64url').replace(/[-_]/g, 'A');
  return `0${digest}`;
}

export const oauthToken: AlipayMethod = ({ params, codes }) => {
  const grantType = params['grant_type'];
  if (grantType !== 'authorization_code') {
    return {
      in: 'error_response',
      payload: { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.grant-type-invalid', sub_msg: `grant_type ${grantType ?? ''} is not supported by the sandbox` },
    };
  }
  const appId = params['app_id'] ?? '';
  const redeemed = codes.redeem('alipay', appId, params['code'] ?? '');
  if (redeemed.outcome !== 'ok') {
    const reason = { unknown: '授权码code无效', expired: '授权码code已过期', used: '授权码code已被使用' }[redeemed.outcome];
    return {
      in: 'error_response',
      payload: { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.code-invalid', sub_msg: reason },
    };
  }
  const userId = redeemed.user.userId;
  return {
    in: 'method',
    payload: {
      user_id: userId,
      open_id: openIdFor(appId, userId),
      access_token: `authusrB${randomBytes(token_bytes).toString('hex')}`,
      expires_in: access_token_ttl_s,
      refresh_token: `authusrB${randomBytes(token_bytes).toString('hex')}`,
      re_expires_in: refresh_token_ttl_s,
      auth_start: beijingTimestamp(),
    },
  };
};
