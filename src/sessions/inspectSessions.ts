import path from 'node:path';
import { nodeStoreFs, type StoreFs } from '../disk/storeFs.js';
import { SESSIONS_DIR } from './fingerprint.js';
import { decodeRecord, type DropKind } from './sessionRecord.js';
import { listSessionFiles, readSessionFile } from './sessionFile.js';
import { scopeLabels, scopeOf, stateCounts } from './storageState.js';

/**
 * What `bundle-cache sessions` shows of one session file: names, times,
 * counts, never a value. Without the key, an encrypted file's origins and
 * counts are unreadable and say so; its header (name, generation, times) is not encrypted.
 */
export interface SessionInfo {
  /** `sessions/<slug>-<hash>.json`, relative to the cache dir. */
  readonly file: string;
  /** Null when the file is corrupt. */
  readonly name: string | null;
  /**
   * - `stored`: a state within its expiry;
   * - `expired`: past the expiry it was stored with (the next use warms again);
   * - `dropped`: rejected, invalidated, or a warm-up failed; the next use warms again;
   * - `unreadable`: encrypted without the key here (or with another one), or plain while a key is set;
   * - `corrupt`: not a session file.
   */
  readonly status: 'stored' | 'expired' | 'dropped' | 'unreadable' | 'corrupt';
  readonly generation: number | null;
  /** Null when there is no state (dropped, corrupt). */
  readonly encrypted: boolean | null;
  readonly storedAt: string | null;
  readonly ageMs: number | null;
  readonly expiresAt: string | null;
  /** Negative once expired. */
  readonly expiresInMs: number | null;
  /** `ttl`, or the cookie that ends the state first. */
  readonly expiryReason: string | null;
  /** Origins and cookie hosts; null when the state cannot be read. */
  readonly origins: string[] | null;
  readonly cookies: number | null;
  /** localStorage items plus IndexedDB databases. */
  readonly storageKeys: number | null;
  readonly dropped: { readonly at: string; readonly kind: DropKind; readonly reason: string } | null;
  /** Failed warm-ups and rejections recorded for the circuit breaker. */
  readonly failures: number;
  /** Why the state cannot be read here, when it cannot. */
  readonly problem: string | null;
}

/** Reads every session file under `<dir>/sessions/`, by name. */
export async function inspectSessions(dir: string, secret: string | undefined, now: number, fs: StoreFs = nodeStoreFs): Promise<SessionInfo[]> {
  const infos: SessionInfo[] = [];
  for (const file of await listSessionFiles(fs, path.join(dir, SESSIONS_DIR))) {
    const relative = path.relative(dir, file).split(path.sep).join('/');
    const text = await readSessionFile(fs, file).catch((error: Error) => error);
    infos.push(typeof text === 'string' ? describe(relative, text, secret, now) : corrupt(relative, text instanceof Error ? text.message : 'it is gone'));
  }
  return infos.sort((a, b) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') || a.file.localeCompare(b.file));
}

function describe(file: string, text: string, secret: string | undefined, now: number): SessionInfo {
  const decoded = decodeRecord(text, secret);
  if (decoded.kind === 'corrupt')
    return corrupt(file, decoded.reason);
  const { record, unreadable } = decoded;
  const stored = record.stored;
  const payload = stored?.payload;
  const scope = payload ? scopeOf(payload) : undefined;
  const counts = payload ? stateCounts(payload.state) : undefined;
  let status: SessionInfo['status'] = 'dropped';
  if (stored)
    status = unreadable ? 'unreadable' : now >= stored.expiresAt ? 'expired' : 'stored';
  return {
    file,
    name: record.name,
    status,
    generation: record.generation,
    encrypted: stored ? stored.encrypted : null,
    storedAt: stored ? new Date(stored.storedAt).toISOString() : null,
    ageMs: stored ? now - stored.storedAt : null,
    expiresAt: stored ? new Date(stored.expiresAt).toISOString() : null,
    expiresInMs: stored ? stored.expiresAt - now : null,
    expiryReason: stored?.expiryReason ?? null,
    origins: scope ? scopeLabels(scope) : null,
    cookies: counts?.cookies ?? null,
    storageKeys: counts?.storageKeys ?? null,
    dropped: record.dropped ? { at: new Date(record.dropped.at).toISOString(), kind: record.dropped.kind, reason: record.dropped.reason } : null,
    failures: record.failures.length,
    problem: unreadable ?? null,
  };
}

function corrupt(file: string, reason: string): SessionInfo {
  return {
    file, name: null, status: 'corrupt', generation: null, encrypted: null, storedAt: null, ageMs: null, expiresAt: null, expiresInMs: null,
    expiryReason: null, origins: null, cookies: null, storageKeys: null, dropped: null, failures: 0, problem: reason,
  };
}
