import { createHash, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import net from 'node:net';
import type forgeTypes from 'node-forge';
import { forge } from '../loopback/forge.js';

/**
 * X.509 assembly for the proxy's CA and leaves. Node cannot build a
 * certificate, so node-forge (already a dependency, see loopback/) lays out
 * the fields in DER; every RSA operation (key generation, the signature) is
 * Node's native crypto, which is what makes a leaf cost milliseconds instead
 * of forge's JavaScript RSA.
 */
export interface CertificateFields {
  readonly subject: string;
  readonly issuer: string;
  readonly publicKey: KeyObject;
  readonly signingKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** A CA certificate (signs leaves), or a leaf for these host names and IP addresses. */
  readonly role: { readonly ca: true } | { readonly ca: false; readonly hosts: readonly string[] };
  /** The issuer's public key, for the Authority Key Identifier a verifier uses to find it. */
  readonly issuerKey: KeyObject;
}

export function buildCertificate(fields: CertificateFields): string {
  const { pki, asn1 } = forge();
  const certificate = pki.createCertificate();
  certificate.publicKey = pki.publicKeyFromPem(fields.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // Positive and unique: a leading byte below 0x80, the rest random.
  certificate.serialNumber = `01${randomBytes(15).toString('hex')}`;
  certificate.validity.notBefore = fields.notBefore;
  certificate.validity.notAfter = fields.notAfter;
  certificate.setSubject([{ name: 'commonName', value: fields.subject }, { name: 'organizationName', value: 'playwright-bundle-cache' }]);
  certificate.setIssuer([{ name: 'commonName', value: fields.issuer }, { name: 'organizationName', value: 'playwright-bundle-cache' }]);
  // RFC 5280's method 1, as forge computes the CA's Subject Key Identifier: SHA-1 of the RSAPublicKey.
  const keyId = (key: KeyObject) => createHash('sha1').update(key.export({ type: 'pkcs1', format: 'der' })).digest('binary');
  certificate.setExtensions(fields.role.ca
    ? [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]
    : [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: fields.role.hosts.map(altName) },
      { name: 'authorityKeyIdentifier', keyIdentifier: keyId(fields.issuerKey) },
    ]);
  const algorithm = pki.oids.sha256WithRSAEncryption!;
  certificate.siginfo.algorithmOid = algorithm;
  certificate.signatureOid = algorithm;
  // Typed nowhere in @types/node-forge, but public: the to-be-signed part, which Node signs below.
  const tbs = (pki as unknown as { getTBSCertificate(certificate: forgeTypes.pki.Certificate): forgeTypes.asn1.Asn1 }).getTBSCertificate(certificate);
  (certificate as forgeTypes.pki.Certificate & { tbsCertificate: forgeTypes.asn1.Asn1 }).tbsCertificate = tbs;
  const der = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  certificate.signature = sign('sha256', der, fields.signingKey).toString('binary');
  return pki.certificateToPem(certificate);
}

function altName(host: string): { type: number; value?: string; ip?: string } {
  return net.isIP(host) ? { type: 7, ip: host } : { type: 2, value: host };
}

/** Base64 sha256 of the certificate's public key: what `--ignore-certificate-errors-spki-list` takes. */
export function spkiSha256(certificatePem: string): string {
  const spki = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}
