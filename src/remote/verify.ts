import { recordId } from './entryRecord.js';
import { readEntry, type ReadSettings } from './readEntry.js';
import type { RemoteKind } from '../options/remoteUrl.js';
import { asRemoteError } from './storeErrors.js';

export type RemoteProblemKind = 'missing' | 'corrupt-record' | 'untrusted' | 'body-missing' | 'corrupt-body' | 'unavailable';

export interface RemoteProblem {
  /** The record id: sha256 of the key. */
  readonly id: string;
  /** The key, when the caller gave it or the record could be read. */
  readonly key: string | undefined;
  readonly url: string | undefined;
  readonly problem: RemoteProblemKind;
  /** The error's message: what is wrong and the fix. */
  readonly detail: string;
}

/** What `bundle-cache remote verify` reports. Nothing on the remote is changed. */
export interface RemoteVerifyResult {
  readonly kind: RemoteKind;
  readonly location: string;
  readonly signed: boolean;
  /** `'listed'`: every record on the store (Redis SCAN); `'given'`: the records of the keys given (an HTTP store cannot be listed). */
  readonly scope: 'listed' | 'given';
  /** Records looked at. */
  readonly checked: number;
  /** Records whose signature (when signed), record and body passed every check. */
  readonly ok: number;
  /** Body bytes read and checked. */
  readonly bytes: number;
  readonly problems: readonly RemoteProblem[];
  /** Set when verify could not run at all (unreachable, or nothing to list on HTTP). */
  readonly error: string | undefined;
}

/**
 * Checks records and bodies: parse, key, signature, size, sha256. With
 * `keys`, the records of those keys (a missing one is a problem); without,
 * every record the store can list.
 */
export async function verifyRemote(settings: ReadSettings, keys: readonly string[] | undefined, signal: AbortSignal): Promise<RemoteVerifyResult> {
  const { store } = settings;
  const base = { kind: store.kind, location: store.location, signed: settings.secret !== undefined, scope: keys ? 'given' as const : 'listed' as const };
  const problems: RemoteProblem[] = [];
  let checked = 0;
  let ok = 0;
  let bytes = 0;
  const done = (error?: string): RemoteVerifyResult => ({ ...base, checked, ok, bytes, problems, error });
  const list = store.listRecordIds;
  if (!keys && !list)
    return done(`an ${store.kind.toUpperCase()} store cannot be listed; give the keys to check (bundle-cache remote verify checks the keys of the local cache)`);
  let targets: AsyncIterable<{ id: string; key: string | undefined }> | Iterable<{ id: string; key: string | undefined }>;
  if (keys)
    targets = keys.map(key => ({ id: recordId(key), key }));
  else
    targets = mapIds(list!(signal));
  try {
    for await (const { id, key } of targets) {
      checked++;
      const outcome = await readEntry(settings, id, key, signal);
      const problem = (kind: RemoteProblemKind, detail: string, url?: string) => problems.push({ id, key, url, problem: kind, detail });
      if (outcome.kind === 'hit') {
        ok++;
        bytes += outcome.response.body.length;
      } else if (outcome.kind === 'absent') {
        problem('missing', keys ? `no record for ${key}` : 'the record disappeared while listing (expired or evicted)');
      } else if (outcome.kind === 'body-missing') {
        problem('body-missing', `the body ${outcome.record.meta.sha256} (${outcome.record.meta.size} bytes) is gone: evicted, or its upload never completed`, outcome.record.meta.url);
      } else if (outcome.kind === 'untrusted') {
        problem('untrusted', outcome.error.message, outcome.error.details.url as string | undefined);
      } else if (outcome.kind === 'corrupt') {
        problem(outcome.part === 'body' ? 'corrupt-body' : 'corrupt-record', outcome.error.message, outcome.error.details.url as string | undefined);
      } else {
        problem('unavailable', outcome.error.message);
      }
    }
  } catch (error) {
    return done(asRemoteError(store.location, 'list records', error).message);
  }
  return done();
}

async function* mapIds(ids: AsyncIterable<string>): AsyncIterable<{ id: string; key: string | undefined }> {
  for await (const id of ids)
    yield { id, key: undefined };
}
