import { describe, expect, it } from 'vitest';
import { ApiError, parseErrorResponse } from '../../src/services/errors';

describe('parseErrorResponse', () => {
  it("takes the server's code, message and fields", () => {
    const error = parseErrorResponse(422, {
      error: { code: 'invalid_body', message: '邀请码格式不对', fields: [{ path: 'inviteCode', message: 'must be 8' }] },
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, code: 'invalid_body', message: '邀请码格式不对' });
    expect(error.fields).toEqual([{ path: 'inviteCode', message: 'must be 8' }]);
  });

  it('reads a body that arrived as text', () => {
    const error = parseErrorResponse(403, JSON.stringify({ error: { code: 'not_bound', message: '账号未绑定' } }));
    expect(error).toMatchObject({ status: 403, code: 'not_bound', message: '账号未绑定' });
  });

  it.each([
    [502, '<html>Bad Gateway</html>', 'http_502', '服务器忙，请稍后再试'],
    [401, undefined, 'http_401', '登录已过期，请重新登录'],
    [418, { message: 'no envelope' }, 'http_418', '请求失败（418）'],
    [0, undefined, 'network', '网络不可用，请稍后再试'],
  ])('falls back for %i %o', (status, body, code, message) => {
    expect(parseErrorResponse(status, body)).toMatchObject({ status, code, message });
  });
});
