import { createPrivateKey, generateKeyPair, X509Certificate, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { DIR_MODE, FILE_MODE } from '../disk/modes.js';
import type { LockManager } from '../disk/locks.js';
import type { StoreFs } from '../disk/storeFs.js';
import { buildCertificate, spkiSha256 } from './x509.js';

/** `<dir>/proxy/`: the CA, never uploaded (the remote tier only ever reads `v1/`), never printed. */
export const PROXY_DIR = 'proxy';
const CERT_FILE = 'ca.pem';
const KEY_FILE = 'ca-key.pem';
const CA_VALID_DAYS = 3650;
/** A CA this close to its end is replaced, so no leaf it signs outlives it. */
const RENEW_BEFORE_DAYS = 400;
const DAY_MS = 86_400_000;
/** The CA's name, which every leaf names as its issuer. */
export const CA_NAME = 'playwright-bundle-cache proxy CA (local, do not share)';

export const generateRsaKey = promisify(generateKeyPair);

/** The proxy's CA: its certificate may be shown and trusted; its key stays in this object and in a 0600 file. */
export interface ProxyAuthority {
  /** PEM, for Firefox's certificate import or NODE_EXTRA_CA_CERTS. */
  readonly certificate: string;
  readonly certificatePath: string;
  /** Base64 sha256 of the CA's public key, for Chromium's `--ignore-certificate-errors-spki-list`. */
  readonly spkiSha256: string;
  readonly key: KeyObject;
}

/**
 * The CA of the cache dir, created on first use and shared by every proxy
 * on the dir: made under a lock, so two proxies starting at once agree on
 * one, and kept 0600 in a 0700 directory.
 */
export async function loadOrCreateAuthority(root: string, fs: StoreFs, locks: LockManager, now: () => number): Promise<ProxyAuthority> {
  const dir = path.join(root, PROXY_DIR);
  const existing = await readAuthority(dir, fs, now);
  if (existing)
    return existing;
  await fs.mkdir(dir, DIR_MODE);
  await fs.chmod(dir, DIR_MODE);
  const lock = await locks.acquire(path.join(dir, 'ca'), 30_000);
  try {
    const raced = await readAuthority(dir, fs, now);
    if (raced)
      return raced;
    const { privateKey, publicKey } = await generateRsaKey('rsa', { modulusLength: 2048 });
    const name = CA_NAME;
    const certificate = buildCertificate({
      subject: name, issuer: name, publicKey, signingKey: privateKey, issuerKey: publicKey,
      notBefore: new Date(now() - DAY_MS), notAfter: new Date(now() + CA_VALID_DAYS * DAY_MS), role: { ca: true },
    });
    // The key first: a certificate on disk without its key would be read as a broken pair and replaced.
    await fs.writeFileAtomic(path.join(dir, KEY_FILE), privateKey.export({ type: 'pkcs8', format: 'pem' }), FILE_MODE);
    await fs.writeFileAtomic(path.join(dir, CERT_FILE), certificate, FILE_MODE);
    return { certificate, certificatePath: path.join(dir, CERT_FILE), spkiSha256: spkiSha256(certificate), key: privateKey };
  } finally {
    await lock.release();
  }
}

async function readAuthority(dir: string, fs: StoreFs, now: () => number): Promise<ProxyAuthority | undefined> {
  try {
    const certificate = (await fs.readFile(path.join(dir, CERT_FILE))).toString('utf8');
    const key = createPrivateKey((await fs.readFile(path.join(dir, KEY_FILE))).toString('utf8'));
    const parsed = new X509Certificate(certificate);
    if (!parsed.ca || !parsed.checkPrivateKey(key) || Date.parse(parsed.validTo) < now() + RENEW_BEFORE_DAYS * DAY_MS)
      return undefined;
    return { certificate, certificatePath: path.join(dir, CERT_FILE), spkiSha256: spkiSha256(certificate), key };
  } catch {
    // Missing, unreadable, or not a matching pair: make a new CA.
    return undefined;
  }
}
