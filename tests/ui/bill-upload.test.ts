import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The WeChat mini-program's file picker, file reader and request, stood in for: what the owner picks is what is sent.
const taro = vi.hoisted(() => {
  const storage = new Map<string, unknown>();
  const files = new Map<string, ArrayBuffer>();
  return {
    storage,
    files,
    request: vi.fn(),
    chooseMessageFile: vi.fn(),
    getFileSystemManager: () => ({
      readFile: (o: { filePath: string; success: (r: { data: ArrayBuffer }) => void; fail: (e: { errMsg: string }) => void }) => {
        const data = files.get(o.filePath);
        if (data) o.success({ data });
        else o.fail({ errMsg: 'readFile:fail no such file' });
      },
    }),
    getStorageSync: vi.fn((key: string) => storage.get(key) ?? ''),
    setStorageSync: vi.fn((key: string, value: unknown) => void storage.set(key, value)),
    removeStorageSync: vi.fn((key: string) => void storage.delete(key)),
  };
});
vi.mock('@tarojs/taro', () => ({ default: taro }));

const { canPickBill, pickBill, uploadBill } = await import('../../src/services/reconcile-files');
const { saveSession } = await import('../../src/services/session');
const { ApiError } = await import('../../src/services/errors');

const ulid = '01JABCDEFGHJKMNPQRSTVWXYZ0';
const run = { id: `rrn_${ulid}`, channel: 'wechat', billDate: '2026-11-22', status: 'done', startedAt: '2026-11-23T02:30:00.000Z', finishedAt: '2026-11-23T02:30:01.000Z', counts: { matched: 2 }, exceptions: 0, unresolved: 0, resultHash: 'h', error: null, feeFen: 0, netFen: 200 };
const billText = '交易时间,商户订单号\r\n`2026-11-22 10:00:00,`A1\r\n';

beforeEach(() => {
  process.env.TARO_ENV = 'weapp';
  taro.storage.clear();
  taro.files.clear();
  vi.clearAllMocks();
  saveSession('staff', {
    token: 'owner-token',
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    staff: { id: `stf_${ulid}`, name: '老板', role: 'owner' as const },
    merchant: { id: `mch_${ulid}`, name: '示例商户' },
    stores: [],
  });
});
afterEach(() => {
  Reflect.deleteProperty(process.env, 'TARO_ENV');
});

describe('a bill uploaded from the WeChat mini-program', () => {
  it('is offered in the browser and in WeChat, not in Alipay', () => {
    expect(canPickBill()).toBe(true);
    process.env.TARO_ENV = 'alipay';
    expect(canPickBill()).toBe(false);
    process.env.TARO_ENV = 'h5';
    expect(canPickBill()).toBe(true);
  });

  it('picks a CSV from a chat and sends its bytes as the raw body with the owner’s token', async () => {
    const bytes = new TextEncoder().encode(billText).buffer;
    taro.files.set('wxfile://tmp/bill.csv', bytes);
    taro.chooseMessageFile.mockResolvedValueOnce({ tempFiles: [{ path: 'wxfile://tmp/bill.csv', name: '1900000109All2026-11-22.csv', size: bytes.byteLength, type: 'file' }] });
    const chosen = await pickBill('wechat');
    expect(taro.chooseMessageFile.mock.calls[0]?.[0]).toMatchObject({ count: 1, type: 'file', extension: ['csv', 'txt'] });
    expect(chosen?.name).toBe('1900000109All2026-11-22.csv');

    taro.request.mockResolvedValueOnce({ statusCode: 201, data: { billId: `rbl_${ulid}`, replayed: false, lines: 1, run }, header: {} });
    const result = await uploadBill('wechat', '2026-11-22', chosen!.body);
    expect(result.run.id).toBe(run.id);
    const sent = taro.request.mock.calls[0]?.[0];
    expect(sent).toMatchObject({ url: '/api/reconcile/bills?channel=wechat&date=2026-11-22', method: 'POST', header: { authorization: 'Bearer owner-token', 'content-type': 'application/octet-stream' } });
    expect(new TextDecoder().decode(sent.data)).toBe(billText);
  });

  it('treats closing the chat list as a cancel, and shows the API’s reason when it refuses the file', async () => {
    taro.chooseMessageFile.mockRejectedValueOnce({ errMsg: 'chooseMessageFile:fail cancel' });
    expect(await pickBill('alipay')).toBeNull();
    taro.request.mockResolvedValueOnce({ statusCode: 400, data: { error: { code: 'validation_failed', message: '账单格式错误：账单缺少汇总行' } }, header: {} });
    const refused = await uploadBill('wechat', '2026-11-22', new ArrayBuffer(3)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as Error).message).toContain('汇总');
  });
});
