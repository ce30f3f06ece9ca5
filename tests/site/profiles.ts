import { sha256Hex } from './digest.js';
import { formatHttpDate } from './httpDate.js';
import type { HeaderMap } from './resources.js';

/** The static hosts the Flutter layout can answer as. See tests/site/README.md. */
export const ORIGIN_PROFILES = ['netlify', 'github-pages', 'firebase', 'nginx', 'no-validators', 'no-cache'] as const;
export type OriginProfile = (typeof ORIGIN_PROFILES)[number];

/** A file as deployed: its bytes and the deploy's time (whole seconds, ms since the epoch). */
export interface DeployedFile {
  readonly body: Buffer;
  readonly deployedAt: number;
}

/** What a host sends for one file, before the per-response `Date` and `Expires`. */
export interface HostHeaders {
  readonly headers: HeaderMap;
  /** `Expires` is this many seconds after the response's `Date` (GitHub Pages sends both). */
  readonly expiresInSec?: number;
  /** nginx (and GitHub Pages) turn a strong ETag weak when they gzip on the fly. */
  readonly weakEtagWhenGzipped?: boolean;
}

/**
 * Headers as each host sends them for a static file. Content-addressed
 * ETags (Netlify/Vercel, Firebase) change when the bytes do; nginx-style
 * ones (`"<hex mtime>-<hex size>"`, nginx and GitHub Pages) change with every
 * deploy because every file gets the deploy's mtime, which is also their
 * `Last-Modified`.
 */
export function hostHeaders(profile: OriginProfile, file: DeployedFile): HostHeaders {
  switch (profile) {
    case 'netlify':
      return { headers: { 'cache-control': 'public, max-age=0, must-revalidate', 'etag': contentEtag(file.body) } };
    case 'github-pages':
      return {
        headers: {
          'cache-control': 'max-age=600',
          'etag': mtimeEtag(file),
          'last-modified': formatHttpDate(file.deployedAt),
          'access-control-allow-origin': '*',
        },
        expiresInSec: 600,
        weakEtagWhenGzipped: true,
      };
    case 'firebase':
      return { headers: { 'cache-control': 'max-age=3600', 'etag': `"${sha256Hex(file.body)}"` } };
    case 'nginx':
      return { headers: { 'etag': mtimeEtag(file), 'last-modified': formatHttpDate(file.deployedAt) }, weakEtagWhenGzipped: true };
    case 'no-validators':
      // Nothing to revalidate with and no freshness: a cache can only refetch.
      return { headers: {} };
    case 'no-cache':
      return { headers: { 'cache-control': 'no-cache', 'etag': contentEtag(file.body) } };
  }
}

export function checkProfile(profile: unknown): OriginProfile {
  if (!ORIGIN_PROFILES.includes(profile as OriginProfile))
    throw new RangeError(`Unknown origin profile ${JSON.stringify(profile)}; use one of ${ORIGIN_PROFILES.map(p => `'${p}'`).join(', ')}`);
  return profile as OriginProfile;
}

/** A strong ETag from the bytes, as content-addressed hosts make them. */
export function contentEtag(body: Buffer): string {
  return `"${sha256Hex(body).slice(0, 32)}"`;
}

function mtimeEtag(file: DeployedFile): string {
  return `"${Math.floor(file.deployedAt / 1000).toString(16)}-${file.body.length.toString(16)}"`;
}
