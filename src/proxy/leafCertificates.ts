import { createPublicKey, type KeyObject } from 'node:crypto';
import tls from 'node:tls';
import { CA_NAME, generateRsaKey, type ProxyAuthority } from './certificateAuthority.js';
import { buildCertificate } from './x509.js';

const LEAF_VALID_DAYS = 365;
const DAY_MS = 86_400_000;
/** Hosts whose certificate is kept; past that the least recently used is dropped (and made again if needed). */
const MAX_HOSTS = 1000;

/**
 * One certificate per host, signed by the CA on demand and kept: every
 * leaf shares one key, made once per process (the CA's key is what must
 * stay private; a leaf key per host would only cost time). A host asked
 * for twice at once is signed once.
 */
export class LeafCertificates {
  readonly #authority: ProxyAuthority;
  readonly #now: () => number;
  readonly #key: Promise<{ privateKey: KeyObject; publicKey: KeyObject; pem: string }>;
  readonly #contexts = new Map<string, Promise<tls.SecureContext>>();

  constructor(authority: ProxyAuthority, now: () => number) {
    this.#authority = authority;
    this.#now = now;
    this.#key = generateRsaKey('rsa', { modulusLength: 2048 }).then(({ privateKey, publicKey }) => ({
      privateKey, publicKey, pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    }));
    // Made at once, so the first CONNECT does not wait for it; a failure shows there.
    this.#key.catch(() => {});
  }

  /** The TLS context presenting `host`'s certificate (and the CA, so a client can match either SPKI). */
  secureContext(host: string): Promise<tls.SecureContext> {
    const name = host.toLowerCase();
    const known = this.#contexts.get(name);
    if (known) {
      // Most recently used last.
      this.#contexts.delete(name);
      this.#contexts.set(name, known);
      return known;
    }
    const made = this.#make(name);
    made.catch(() => this.#contexts.delete(name));
    this.#contexts.set(name, made);
    if (this.#contexts.size > MAX_HOSTS)
      this.#contexts.delete(this.#contexts.keys().next().value!);
    return made;
  }

  get size(): number {
    return this.#contexts.size;
  }

  async #make(host: string): Promise<tls.SecureContext> {
    const key = await this.#key;
    const authority = this.#authority;
    const certificate = buildCertificate({
      subject: host.slice(0, 64),
      issuer: CA_NAME,
      publicKey: key.publicKey,
      signingKey: authority.key,
      issuerKey: createPublicKey(authority.key),
      notBefore: new Date(this.#now() - DAY_MS),
      notAfter: new Date(this.#now() + LEAF_VALID_DAYS * DAY_MS),
      role: { ca: false, hosts: [host] },
    });
    return tls.createSecureContext({ key: key.pem, cert: `${certificate}${authority.certificate}` });
  }
}
