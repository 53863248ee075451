import { beforeEach, describe, expect, it, vi } from 'vitest';

// The request layer is the one place that touches Taro.request; a stand-in records what it was asked.
const taro = vi.hoisted(() => {
  const storage = new Map<string, unknown>();
  return {
    storage,
    request: vi.fn(),
    showToast: vi.fn(async () => ({})),
    redirectTo: vi.fn(async () => ({})),
    getCurrentPages: vi.fn(() => [{ route: 'pages/counter/index' }]),
    getStorageSync: vi.fn((key: string) => storage.get(key) ?? ''),
    setStorageSync: vi.fn((key: string, value: unknown) => void storage.set(key, value)),
    removeStorageSync: vi.fn((key: string) => void storage.delete(key)),
  };
});
vi.mock('@tarojs/taro', () => ({ default: taro }));

const { call } = await import('../../src/services/api');
const { ApiError } = await import('../../src/services/errors');
const { saveSession, getSession } = await import('../../src/services/session');
const { request_attempts_max } = await import('../../src/services/retry');

const ulid = '01JABCDEFGHJKMNPQRSTVWXYZ0';
const store = { id: `sto_${ulid}`, code: 'DEMO01', name: '示例门店', address: '人民路 1 号', merchantName: '示例商户' };
const staffSession = {
  token: 'staff-token',
  expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  staff: { id: `stf_${ulid}`, name: '小王', role: 'assistant' as const },
  merchant: { id: `mch_${ulid}`, name: '示例商户' },
  stores: [store],
};

const answer = (statusCode: number, data: unknown) => ({ statusCode, data, header: {} });

beforeEach(() => {
  taro.storage.clear();
  vi.clearAllMocks();
  vi.useRealTimers();
});

describe('call', () => {
  it('fills the path, sends no token to a public route, and validates the answer', async () => {
    saveSession('staff', staffSession);
    taro.request.mockResolvedValueOnce(answer(200, store));
    await expect(call('publicStore', { params: { code: 'DEMO01' } })).resolves.toEqual(store);
    const sent = taro.request.mock.calls[0]?.[0];
    expect(sent).toMatchObject({ url: '/api/public/stores/DEMO01', method: 'GET' });
    expect(sent.header.authorization).toBeUndefined();
  });

  it('sends the staff token to a staff route', async () => {
    saveSession('staff', staffSession);
    taro.request.mockResolvedValueOnce(answer(200, { items: [], nextCursor: null }));
    await call('storeProducts', { params: { storeId: store.id }, query: { q: '可乐', limit: 30 } });
    const sent = taro.request.mock.calls[0]?.[0];
    expect(sent.url).toBe(`/api/stores/${store.id}/products?q=%E5%8F%AF%E4%B9%90&limit=30`);
    expect(sent.header.authorization).toBe('Bearer staff-token');
  });

  it('retries network failures with backoff, then succeeds', async () => {
    vi.useFakeTimers();
    taro.request.mockRejectedValueOnce(new Error('request:fail')).mockResolvedValueOnce(answer(200, store));
    const pending = call('publicStore', { params: { code: 'DEMO01' } });
    await vi.runAllTimersAsync();
    await expect(pending).resolves.toEqual(store);
    expect(taro.request).toHaveBeenCalledTimes(2);
  });

  it('gives up after the attempt limit and shows the network message', async () => {
    vi.useFakeTimers();
    taro.request.mockRejectedValue(new Error('request:fail'));
    const pending = call('publicStore', { params: { code: 'DEMO01' } });
    const settled = expect(pending).rejects.toMatchObject({ status: 0, code: 'network' });
    await vi.runAllTimersAsync();
    await settled;
    expect(taro.request).toHaveBeenCalledTimes(request_attempts_max);
    expect(taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '网络不可用，请稍后再试' }));
  });

  it("does not retry a 4xx and shows the server's message", async () => {
    taro.request.mockResolvedValue(answer(404, { error: { code: 'store_not_found', message: '没有这家门店' } }));
    await expect(call('publicStore', { params: { code: 'NOPE01' } })).rejects.toBeInstanceOf(ApiError);
    expect(taro.request).toHaveBeenCalledTimes(1);
    expect(taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '没有这家门店', icon: 'none' }));
  });

  it('keeps quiet when asked, for callers that handle the error', async () => {
    taro.request.mockResolvedValue(answer(403, { error: { code: 'not_bound', message: '账号未绑定' } }));
    await expect(call('staffLogin', { body: { platform: 'wechat', code: 'c1' }, quiet: true })).rejects.toMatchObject({ code: 'not_bound' });
    expect(taro.showToast).not.toHaveBeenCalled();
    expect(taro.request.mock.calls[0]?.[0]).toMatchObject({ method: 'POST', data: { platform: 'wechat', code: 'c1' } });
  });

  it('on 401 clears the staff session and sends the user to sign in', async () => {
    saveSession('staff', staffSession);
    taro.request.mockResolvedValue(answer(401, { error: { code: 'unauthorized', message: '请重新登录' } }));
    await expect(call('me')).rejects.toMatchObject({ status: 401 });
    expect(getSession('staff')).toBeNull();
    expect(taro.redirectTo).toHaveBeenCalledWith({ url: `/pages/sign-in/index?redirect=${encodeURIComponent('/pages/counter/index')}` });
  });

  it('refuses an answer that does not match the route schema', async () => {
    taro.request.mockResolvedValue(answer(200, { ...store, id: 'not-an-id' }));
    await expect(call('publicStore', { params: { code: 'DEMO01' } })).rejects.toMatchObject({ code: 'bad_response' });
  });
});
