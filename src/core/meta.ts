import { createHash } from 'node:crypto';
import { z } from 'zod';

export const FORMAT_VERSION = 1;

const isoTime = z.iso.datetime({ offset: true });

/** The `<stem>.meta.json` sidecar. Its appearance is what makes an entry exist. */
export const metaSchema = z.object({
  formatVersion: z.literal(FORMAT_VERSION),
  key: z.string().min(1),
  url: z.string().min(1),
  method: z.string().min(1),
  resource: z.string().min(1),
  version: z.string().nullable(),
  status: z.number().int().min(100).max(599),
  /** Response headers that are safe to store and replay (an allowlist, lower-cased names). */
  headers: z.record(z.string(), z.string()),
  /** Request header values named by the response's `Vary`, which a later request must match. */
  vary: z.record(z.string(), z.string()).optional(),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  storedAt: isoTime,
  expiresAt: isoTime,
  rule: z.string(),
  /**
   * How the entry stays fresh (added after format version 1 first shipped:
   * entries without it are judged from `version` and their stored headers).
   */
  freshness: z.object({
    /** Immutable: a versioned URL or `Cache-Control: immutable`, used until `expiresAt`. Revalidated: checked with the origin. */
    kind: z.enum(['immutable', 'revalidated']),
    /** When the origin last confirmed this body: stored, or answered 304. `expiresAt` is `maxAge` after it. */
    validatedAt: isoTime,
    /**
     * Which machine made that check (a digest of its host name, see
     * `hostId`): another machine's clock may be a little off, which the
     * freshness rules allow for. Added later: older entries have none.
     */
    validatedBy: z.string().max(64).optional(),
    /** Until when the origin's headers let the entry be used without asking, as of `validatedAt`. */
    freshUntil: isoTime,
    /** The origin's freshness headers (Cache-Control, Expires, Date, Age, Last-Modified, ETag, Pragma), as received. */
    headers: z.record(z.string(), z.string()),
    /** 304s received for this body. */
    revalidations: z.number().int().min(0),
  }).optional(),
});

export type EntryMeta = z.infer<typeof metaSchema>;

/** A complete cached response: its meta and its (decoded) body. */
export interface CachedResponse {
  readonly meta: EntryMeta;
  readonly body: Buffer;
}

export function expiresAtMs(meta: EntryMeta): number {
  return Date.parse(meta.expiresAt);
}

/** The digest meta.json's `sha256` holds, in hex. */
export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
