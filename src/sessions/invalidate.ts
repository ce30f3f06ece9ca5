import path from 'node:path';
import type { SessionEntryStore } from './entryStore.js';
import { SESSIONS_DIR, sessionSlug, type SessionPaths } from './fingerprint.js';
import type { SessionHost } from './host.js';
import { decodeRecord } from './record.js';
import { listSessionFiles, readSessionFile } from './sessionFile.js';

/**
 * The entries of the session `name` on disk (one per user agent, proxy…):
 * files named after it whose header says so. Their state needs no key to
 * be found: the header is never encrypted.
 */
export async function entriesOf(host: SessionHost, name: string): Promise<SessionPaths[]> {
  const dir = path.join(host.root, SESSIONS_DIR);
  const prefix = `${sessionSlug(name)}-`;
  const found: SessionPaths[] = [];
  for (const file of await listSessionFiles(host.fs, dir)) {
    if (!path.basename(file).startsWith(prefix))
      continue;
    const text = await readSessionFile(host.fs, file).catch(() => undefined);
    const decoded = text === undefined ? undefined : decodeRecord(text, undefined);
    if (decoded?.kind !== 'ok' || decoded.record.name !== name || path.basename(file) !== `${prefix}${decoded.record.keyHash}.json`)
      continue;
    found.push({ keyHash: decoded.record.keyHash, dir, stem: file.slice(0, -'.json'.length), file });
  }
  return found;
}

/** Drops the stored state of every entry of `name`, each under its lock; returns how many held one. */
export async function invalidateEntries(host: SessionHost, store: SessionEntryStore, name: string): Promise<number> {
  let dropped = 0;
  for (const paths of await entriesOf(host, name)) {
    await store.withLock(paths, async lock => {
      const { record } = await store.read(paths, name);
      if (!record?.stored)
        return;
      await store.write(paths, { ...record, dropped: { at: host.now(), kind: 'invalidated', reason: 'invalidate() was called' }, stored: null }, lock);
      dropped++;
    });
  }
  return dropped;
}
