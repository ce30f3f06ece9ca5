import { createHash } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import { errnoCode } from '../../errors.js';
import { metaSchema, type EntryMeta } from '../../core/meta.js';
import { BODY_SUFFIX, META_SUFFIX, entryPaths } from '../../keys/entryPaths.js';

/** What one stem's body and meta.json say about each other. */
export interface StemCheck {
  /** The meta.json, when it parses and matches format version 1. */
  readonly meta: EntryMeta | null;
  readonly hasMeta: boolean;
  /** Bytes of the body file, or null when there is none. */
  readonly bodySize: number | null;
  /** The body's sha256 when it was hashed (`deep`), else null. */
  readonly sha256: string | null;
  /** Why the pair is not a valid entry; null when it is one (or is an orphan, see hasMeta/bodySize). */
  readonly problem: string | null;
}

const NOFOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/**
 * Checks one entry the way a reader does (meta.json schema, key, size, and
 * with `deep` the sha256), without locking: writers rename the body before
 * the meta, so a mismatch seen here may be a write in progress, which
 * callers re-check (see `inspectCache`).
 */
export async function checkStem(root: string, stem: string, base: string, deep: boolean): Promise<StemCheck> {
  const bodySize = await fsp.lstat(base + BODY_SUFFIX).then(stat => stat.isFile() ? stat.size : null, () => null);
  let metaText: string;
  try {
    metaText = (await fsp.readFile(base + META_SUFFIX, { flag: NOFOLLOW })).toString('utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT')
      return { meta: null, hasMeta: false, bodySize, sha256: null, problem: null };
    return { meta: null, hasMeta: true, bodySize, sha256: null, problem: `meta.json unreadable (${errnoCode(error) ?? (error as Error).message})` };
  }
  const meta = parseMeta(metaText);
  if (typeof meta === 'string')
    return { meta: null, hasMeta: true, bodySize, sha256: null, problem: meta };
  const result = { meta, hasMeta: true, bodySize, sha256: null };
  if (entryPaths(root, meta.key, meta.url).stem !== stem)
    return { ...result, problem: `meta.json belongs to another key (${meta.key})` };
  if (bodySize === null)
    return { ...result, problem: null };
  if (bodySize !== meta.size)
    return { ...result, problem: `body is ${bodySize} bytes, meta.json says ${meta.size}` };
  if (!deep)
    return { ...result, problem: null };
  const sha256 = await hashFile(base + BODY_SUFFIX).catch(error => `unreadable (${errnoCode(error) ?? (error as Error).message})`);
  if (sha256 !== meta.sha256)
    return { ...result, sha256, problem: `body sha256 is ${sha256}, meta.json says ${meta.sha256}` };
  return { ...result, sha256, problem: null };
}

/** The meta, or why it is not one. */
function parseMeta(text: string): EntryMeta | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'meta.json is not valid JSON';
  }
  const parsed = metaSchema.safeParse(json);
  if (parsed.success)
    return parsed.data;
  const issue = parsed.error.issues[0];
  return `meta.json does not match format version 1 (${issue?.path.join('.') || 'root'}: ${issue?.message})`;
}

/** Streams the file through sha256, so a 1 GB body is not held in memory. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await fsp.open(file, NOFOLLOW);
  try {
    for await (const chunk of handle.createReadStream({ autoClose: false }))
      hash.update(chunk as Buffer);
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}
