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

const { billUploadLimit } = await import('../../src/services/reconcile-files');
const { hosted_request_body_bytes_max } = await import('../../shared/bills/upload-limit');

describe('a bill over the upload limit', () => {
  it("is Vercel's 4.5 MB unless the build sets another limit", () => {
    expect(billUploadLimit()).toBe(hosted_request_body_bytes_max);
    process.env.TARO_APP_BILL_UPLOAD_BYTES_MAX = String(64 * 1024 * 1024);
    try {
      expect(billUploadLimit()).toBe(64 * 1024 * 1024);
    } finally {
      Reflect.deleteProperty(process.env, 'TARO_APP_BILL_UPLOAD_BYTES_MAX');
    }
  });

  it('is refused on the phone before a byte is read, and the owner is sent to 下载并对账', async () => {
    const size = 6 * 1024 * 1024;
    taro.chooseMessageFile.mockResolvedValueOnce({ tempFiles: [{ path: 'wxfile://tmp/big.csv', name: 'big.csv', size, type: 'file' }] });
    const readFile = vi.spyOn(taro, 'getFileSystemManager');
    const refused = await pickBill('wechat').catch((e: unknown) => e);
    expect((refused as Error).message).toBe('账单文件 6.0 MB超过上传上限 4.5 MB（bill_upload_bytes_max）。请用上面的「下载并对账」从平台直接下载这一天的账单，不受这个大小限制。');
    expect(readFile).not.toHaveBeenCalled();
    expect(taro.request).not.toHaveBeenCalled();
  });

  it('a file just at the limit is still read and may be sent', async () => {
    const bytes = new ArrayBuffer(hosted_request_body_bytes_max);
    taro.files.set('wxfile://tmp/edge.csv', bytes);
    taro.chooseMessageFile.mockResolvedValueOnce({ tempFiles: [{ path: 'wxfile://tmp/edge.csv', name: 'edge.csv', size: bytes.byteLength, type: 'file' }] });
    expect((await pickBill('wechat'))?.body).toBe(bytes);
  });

  it("turns the host's own 413 into the same advice", async () => {
    taro.request.mockResolvedValueOnce({ statusCode: 413, data: 'Request Entity Too Large', header: {} });
    const refused = await uploadBill('wechat', '2026-11-22', new ArrayBuffer(3)).catch((e: unknown) => e);
    expect((refused as Error).message).toMatch(/超过上传上限 4\.5 MB.*下载并对账/);
  });
});
