import { createHash, generateKeyPair, randomBytes, randomInt, type KeyObject } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { selfSignedCertificate } from './x509';

/**
 * Everything the sandbox and the merchant side share: identifiers, secrets
 * and RSA keys for both platforms. PEM everywhere; private keys are PKCS#8
 * and public keys SPKI, the forms OpenSSL 3 and node make.
 */
const sandboxKeysSchema = z.object({
  version: z.literal(1),
  wechat: z.object({
    appId: z.string().regex(/^wx[0-9a-f]{16}$/),
    appSecret: z.string().regex(/^[0-9a-f]{32}$/),
    mchId: z.string().regex(/^\d{10}$/),
    apiV3Key: z.string().length(32),
    merchantPrivateKey: z.string(),
    merchantCertificate: z.string(),
    merchantCertificateSerial: z.string().regex(/^[0-9A-F]{40}$/),
    platformPrivateKey: z.string(),
    platformPublicKey: z.string(),
    platformPublicKeyId: z.string().regex(/^PUB_KEY_ID_\d+$/),
  }),
  alipay: z.object({
    appId: z.string().regex(/^2021\d{12}$/),
    appPrivateKey: z.string(),
    appPublicKey: z.string(),
    alipayPrivateKey: z.string(),
    alipayPublicKey: z.string(),
  }),
});

export type SandboxKeys = z.infer<typeof sandboxKeysSchema>;

export const sandbox_keys_file = 'keys.json';
const rsa_modulus_bits = 2048;
const merchant_certificate_validity_ms = 5 * 365 * 24 * 60 * 60 * 1000;
const certificate_backdate_ms = 24 * 60 * 60 * 1000;
const api_v3_key_alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const api_v3_key_chars = 32;

const generateRsa = promisify(generateKeyPair);

async function rsaPair(): Promise<{ privateKey: KeyObject; privatePem: string; publicPem: string }> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: rsa_modulus_bits });
  return {
    privateKey,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

function alphanumeric(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += api_v3_key_alphabet[randomInt(api_v3_key_alphabet.length)];
  return out;
}

export async function generateSandboxKeys(now: Date = new Date()): Promise<SandboxKeys> {
  const [merchant, platform, alipayApp, alipayPlatform] = await Promise.all([rsaPair(), rsaPair(), rsaPair(), rsaPair()]);
  const mchId = `19${digits(8)}`;
  const certificate = selfSignedCertificate(
    merchant.privateKey,
    { country: 'CN', organization: 'Guitai Sandbox Merchant', organizationalUnit: 'Guitai Sandbox', commonName: mchId },
    new Date(now.getTime() - certificate_backdate_ms),
    new Date(now.getTime() + merchant_certificate_validity_ms),
  );
  return {
    version: 1,
    wechat: {
      appId: `wx${randomBytes(8).toString('hex')}`,
      appSecret: randomBytes(16).toString('hex'),
      mchId,
      apiV3Key: alphanumeric(api_v3_key_chars),
      merchantPrivateKey: merchant.privatePem,
      merchantCertificate: certificate.pem,
      merchantCertificateSerial: certificate.serial,
      platformPrivateKey: platform.privatePem,
      platformPublicKey: platform.publicPem,
      platformPublicKeyId: `PUB_KEY_ID_01${mchId}${digits(12)}`,
    },
    alipay: {
      appId: `2021${digits(12)}`,
      appPrivateKey: alipayApp.privatePem,
      appPublicKey: alipayApp.publicPem,
      alipayPrivateKey: alipayPlatform.privatePem,
      alipayPublicKey: alipayPlatform.publicPem,
    },
  };
}

/**
 * Loads the keys stored in `dir`, or makes and stores them on the first run,
 * so that a merchant configuration written once keeps working across restarts.
 */
export async function ensureSandboxKeys(dir: string): Promise<SandboxKeys> {
  const file = join(dir, sandbox_keys_file);
  const stored = await readKeys(file);
  if (stored) return stored;
  const keys = await generateSandboxKeys();
  await mkdir(dir, { recursive: true });
  // Write a temporary file and link it into place: the link fails if another
  // process got there first, and then everyone uses that process's keys.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  try {
    await link(temporary, file);
    return keys;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const winner = await readKeys(file);
    if (!winner) throw new Error(`${file} vanished while being created`, { cause: e });
    return winner;
  } finally {
    await unlink(temporary);
  }
}

async function readKeys(file: string): Promise<SandboxKeys | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = sandboxKeysSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file} is not a sandbox key file; delete it to make new keys`);
  return parsed.data;
}

/**
 * The Alipay app's AES content key (接口内容加密, for `my.getPhoneNumber`), Base64
 * of 16 bytes. It is derived from the app's private key rather than stored,
 * so key files written before it existed keep working and both sides agree.
 */
export function sandboxAlipayAesKey(keys: SandboxKeys): string {
  return createHash('sha256').update(`guitai-sandbox-aes:${keys.alipay.appPrivateKey}`).digest().subarray(0, 16).toString('base64');
}
