import { readFileSync } from 'node:fs';

const certs = new URL('./certs/', import.meta.url);

/**
 * The site's self-signed certificate (PEM). It is its own CA, so a Node
 * client can trust exactly it: `https.get(url, { ca: siteCertificate() })`.
 * Regenerate with `tests/site/certs/generate.sh`.
 */
export function siteCertificate(): string {
  return readFileSync(new URL('cert.pem', certs), 'utf8');
}

export function siteKey(): string {
  return readFileSync(new URL('key.pem', certs), 'utf8');
}
