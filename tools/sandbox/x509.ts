import { createPublicKey, createSign, randomBytes, type KeyObject } from 'node:crypto';

/**
 * A minimal DER encoder for one self-signed X.509 v3 certificate
 * (SHA256withRSA), because node:crypto can parse certificates but not make
 * them. It writes only what WeChat Pay merchant certificates carry and what
 * `X509Certificate` and `@fidm/x509` need: serial, issuer = subject, validity
 * and the public key, without extensions.
 */

const tag = { integer: 0x02, bitString: 0x03, null: 0x05, oid: 0x06, utf8: 0x0c, printable: 0x13, utcTime: 0x17, generalizedTime: 0x18, sequence: 0x30, set: 0x31, explicit0: 0xa0 } as const;

const oid = {
  sha256WithRsa: [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
  countryName: [0x55, 0x04, 0x06],
  organizationName: [0x55, 0x04, 0x0a],
  organizationalUnitName: [0x55, 0x04, 0x0b],
  commonName: [0x55, 0x04, 0x03],
} as const;

/** WeChat Pay certificate serials are 20 bytes, shown as 40 upper-case hex digits. */
const serial_bytes = 20;
const utc_time_last_year = 2049;

function der(tagByte: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  let length: Buffer;
  if (n < 0x80) {
    length = Buffer.from([n]);
  } else {
    const bytes: number[] = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    length = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tagByte]), length, body]);
}

function time(date: Date): Buffer {
  const iso = date.toISOString();
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  return date.getUTCFullYear() <= utc_time_last_year
    ? der(tag.utcTime, Buffer.from(`${digits.slice(2)}Z`, 'ascii'))
    : der(tag.generalizedTime, Buffer.from(`${digits}Z`, 'ascii'));
}

export interface CertificateSubject {
  country: string;
  organization: string;
  organizationalUnit: string;
  commonName: string;
}

function name(subject: CertificateSubject): Buffer {
  const attribute = (type: readonly number[], valueTag: number, value: string) =>
    der(tag.set, der(tag.sequence, der(tag.oid, Buffer.from(type)), der(valueTag, Buffer.from(value, 'utf8'))));
  return der(
    tag.sequence,
    attribute(oid.countryName, tag.printable, subject.country),
    attribute(oid.organizationName, tag.utf8, subject.organization),
    attribute(oid.organizationalUnitName, tag.utf8, subject.organizationalUnit),
    attribute(oid.commonName, tag.utf8, subject.commonName),
  );
}

export interface SelfSignedCertificate {
  pem: string;
  /** Upper-case hex, as `X509Certificate.serialNumber` prints it. */
  serial: string;
}

export function selfSignedCertificate(
  privateKey: KeyObject,
  subject: CertificateSubject,
  notBefore: Date,
  notAfter: Date,
): SelfSignedCertificate {
  const serial = randomBytes(serial_bytes);
  // A positive INTEGER without a leading zero byte keeps exactly 20 bytes.
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x10;
  const signatureAlgorithm = der(tag.sequence, der(tag.oid, Buffer.from(oid.sha256WithRsa)), der(tag.null));
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const tbs = der(
    tag.sequence,
    der(tag.explicit0, der(tag.integer, Buffer.from([2]))),
    der(tag.integer, serial),
    signatureAlgorithm,
    name(subject),
    der(tag.sequence, time(notBefore), time(notAfter)),
    name(subject),
    spki,
  );
  const signature = createSign('sha256').update(tbs).sign(privateKey);
  const certificate = der(tag.sequence, tbs, signatureAlgorithm, der(tag.bitString, Buffer.from([0]), signature));
  const lines = certificate.toString('base64').match(/.{1,64}/g) ?? [];
  return {
    pem: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
    serial: serial.toString('hex').toUpperCase(),
  };
}
