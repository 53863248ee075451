import { X509Certificate, createPrivateKey, createPublicKey, createSign, createVerify } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureSandboxKeys, sandbox_keys_file } from '../../tools/sandbox/keys';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'guitai-sandbox-keys-'));
  dirs.push(dir);
  return join(dir, 'nested', 'sandbox');
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function pairMatches(privatePem: string, publicPem: string): boolean {
  const signature = createSign('sha256').update('probe').sign(privatePem);
  return createVerify('sha256').update('probe').verify(publicPem, signature);
}

describe('ensureSandboxKeys', () => {
  it('stores keys on the first call and returns the same ones later', async () => {
    const dir = await freshDir();
    const first = await ensureSandboxKeys(dir);
    const second = await ensureSandboxKeys(dir);
    expect(second).toEqual(first);
    const stored = JSON.parse(await readFile(join(dir, sandbox_keys_file), 'utf8'));
    expect(stored).toEqual(first);
  });

  it('makes identifiers in the platforms formats and matching RSA-2048 pairs', async () => {
    const keys = await ensureSandboxKeys(await freshDir());
    expect(keys.wechat.appId).toMatch(/^wx[0-9a-f]{16}$/);
    expect(keys.wechat.mchId).toMatch(/^\d{10}$/);
    expect(keys.wechat.apiV3Key).toHaveLength(32);
    expect(keys.wechat.platformPublicKeyId).toMatch(/^PUB_KEY_ID_\d+$/);
    expect(keys.alipay.appId).toMatch(/^2021\d{12}$/);
    for (const pem of [keys.wechat.merchantPrivateKey, keys.wechat.platformPrivateKey, keys.alipay.appPrivateKey, keys.alipay.alipayPrivateKey]) {
      expect(pem).toContain('-----BEGIN PRIVATE KEY-----');
      expect(createPrivateKey(pem).asymmetricKeyDetails?.modulusLength).toBe(2048);
    }
    expect(pairMatches(keys.wechat.platformPrivateKey, keys.wechat.platformPublicKey)).toBe(true);
    expect(pairMatches(keys.alipay.appPrivateKey, keys.alipay.appPublicKey)).toBe(true);
    expect(pairMatches(keys.alipay.alipayPrivateKey, keys.alipay.alipayPublicKey)).toBe(true);
    expect(pairMatches(keys.alipay.appPrivateKey, keys.alipay.alipayPublicKey)).toBe(false);
  });

  it('makes a self-signed merchant certificate for the merchant key, with the stored serial', async () => {
    const keys = await ensureSandboxKeys(await freshDir());
    const certificate = new X509Certificate(keys.wechat.merchantCertificate);
    expect(certificate.serialNumber).toBe(keys.wechat.merchantCertificateSerial);
    expect(certificate.serialNumber).toMatch(/^[0-9A-F]{40}$/);
    expect(certificate.subject).toContain(`CN=${keys.wechat.mchId}`);
    expect(certificate.issuer).toBe(certificate.subject);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    const merchantPublic = createPublicKey(keys.wechat.merchantPrivateKey);
    expect(certificate.publicKey.equals(merchantPublic)).toBe(true);
    expect(new Date(certificate.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(certificate.validTo).getTime()).toBeGreaterThan(Date.now());
  });

  it('gives concurrent first calls the same keys', async () => {
    const dir = await freshDir();
    const [a, b] = await Promise.all([ensureSandboxKeys(dir), ensureSandboxKeys(dir)]);
    expect(b).toEqual(a);
    expect(await ensureSandboxKeys(dir)).toEqual(a);
  });

  it('refuses a file that is not a key file instead of overwriting it', async () => {
    const dir = await freshDir();
    await ensureSandboxKeys(dir);
    await writeFile(join(dir, sandbox_keys_file), '{"version":1}');
    await expect(ensureSandboxKeys(dir)).rejects.toThrow(/not a sandbox key file/);
  });
});
