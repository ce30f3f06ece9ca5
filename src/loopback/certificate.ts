import { createHash, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import path from 'node:path';
import { DIR_MODE, FILE_MODE } from '../disk/modes.js';
import type { LockManager } from '../disk/locks.js';
import type { StoreFs } from '../disk/storeFs.js';
import { forge } from './forge.js';

export const TLS_DIR = 'loopback-tls';
const VALID_DAYS = 3650;

export interface LoopbackCertificate {
  readonly cert: string;
  readonly key: string;
  /** Base64 sha256 of the certificate's public key, for `--ignore-certificate-errors-spki-list`. */
  readonly spkiSha256: string;
}

/**
 * The loopback server's TLS certificate (127.0.0.1 and localhost), created
 * once per cache dir and shared by every process using it: created under a
 * lock, so concurrent workers agree on one key, and kept 0600 in the dir.
 */
export async function loadOrCreateCertificate(root: string, fs: StoreFs, locks: LockManager): Promise<LoopbackCertificate> {
  const dir = path.join(root, TLS_DIR);
  const existing = await readCertificate(dir, fs);
  if (existing)
    return existing;
  await fs.mkdir(dir, DIR_MODE);
  await fs.chmod(dir, DIR_MODE);
  const lock = await locks.acquire(path.join(dir, 'cert'), 30_000);
  try {
    const raced = await readCertificate(dir, fs);
    if (raced)
      return raced;
    const { cert, key } = generateCertificate();
    await fs.writeFileAtomic(path.join(dir, 'key.pem'), key, FILE_MODE);
    await fs.writeFileAtomic(path.join(dir, 'cert.pem'), cert, FILE_MODE);
    return { cert, key, spkiSha256: spkiSha256(cert) };
  } finally {
    await lock.release();
  }
}

async function readCertificate(dir: string, fs: StoreFs): Promise<LoopbackCertificate | undefined> {
  try {
    const cert = (await fs.readFile(path.join(dir, 'cert.pem'))).toString('utf8');
    const key = (await fs.readFile(path.join(dir, 'key.pem'))).toString('utf8');
    const parsed = new X509Certificate(cert);
    if (Date.parse(parsed.validTo) < Date.now() + 86_400_000)
      return undefined;
    return { cert, key, spkiSha256: spkiSha256(cert) };
  } catch {
    // Missing, unreadable or not a certificate: make a new one.
    return undefined;
  }
}

function spkiSha256(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/** Node makes the key; node-forge only assembles and signs the certificate (Node cannot). */
function generateCertificate(): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const { pki, md } = forge();
  const certificate = pki.createCertificate();
  certificate.publicKey = pki.publicKeyFromPem(publicKey);
  // A positive serial: leading byte below 0x80.
  certificate.serialNumber = `01${randomBytes(15).toString('hex')}`;
  certificate.validity.notBefore = new Date(Date.now() - 86_400_000);
  certificate.validity.notAfter = new Date(Date.now() + VALID_DAYS * 86_400_000);
  const name = [{ name: 'commonName', value: 'playwright-bundle-cache loopback' }];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
  ]);
  certificate.sign(pki.privateKeyFromPem(privateKey), md.sha256.create());
  return { cert: pki.certificateToPem(certificate), key: privateKey };
}
