import { createHash } from 'node:crypto';
import path from 'node:path';

/** Where an entry's files live, relative to the cache root and absolute. */
export interface EntryPaths {
  /** `v1/<host>/<slug>-<hash>`, the common stem of the entry's files. */
  readonly stem: string;
  /** Absolute path of the stem: what the entry's lock is taken on. */
  readonly base: string;
  readonly dir: string;
  readonly body: string;
  readonly meta: string;
  readonly lock: string;
}

export const FORMAT_DIR = 'v1';
export const BODY_SUFFIX = '.body';
export const META_SUFFIX = '.meta.json';
export const LOCK_SUFFIX = '.lock';
const SLUG_MAX = 40;
const HOST_MAX = 100;
// Windows reserves these names with any extension; keep caches portable.
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d|conin\$|conout\$)$/i;

/** Hex digest naming an entry: 128 bits of sha256 of the full key. */
export function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/**
 * Paths of the entry for `key`. Nothing from the URL reaches the file system
 * unsanitized: the host and the slug keep only `[a-z0-9._-]`, never start with
 * a dot, and are length-capped, so every name is well under 255 bytes and
 * every path stays under `root`.
 */
export function entryPaths(root: string, key: string, url: string): EntryPaths {
  const parsed = new URL(url);
  const dirName = hostDir(parsed);
  const stem = `${FORMAT_DIR}/${dirName}/${slug(parsed)}-${keyHash(key)}`;
  const absoluteStem = path.join(root, stem);
  return {
    stem,
    base: absoluteStem,
    dir: path.join(root, FORMAT_DIR, dirName),
    body: absoluteStem + BODY_SUFFIX,
    meta: absoluteStem + META_SUFFIX,
    lock: absoluteStem + LOCK_SUFFIX,
  };
}

/** `127.0.0.1:8080` -> `127.0.0.1_8080`, `[::1]` -> `__1_`. */
export function hostDir(url: URL): string {
  const raw = url.port ? `${url.hostname}_${url.port}` : url.hostname || url.protocol.replace(':', '');
  return sanitize(raw.toLowerCase(), HOST_MAX) || '_';
}

/** A short readable piece of the path: its file name, sanitized. */
export function slug(url: URL): string {
  const segments = url.pathname.split('/').filter(Boolean);
  let name = segments[segments.length - 1] ?? 'index';
  try {
    name = decodeURIComponent(name);
  } catch {
    // keep the escaped form; it is sanitized below either way
  }
  return sanitize(name, SLUG_MAX) || 'index';
}

function sanitize(text: string, max: number): string {
  let clean = text.normalize('NFKC').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.]+/, '_').slice(0, max);
  clean = clean.replace(/[.\s]+$/, '');
  if (RESERVED.test(clean.split('.')[0]!))
    clean = `_${clean}`;
  return clean;
}
