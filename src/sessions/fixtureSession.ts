import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright';
import type { BundleCache } from '../cache/bundleCache.js';
import { BundleCacheError, isBundleCacheError } from '../errors.js';
import type { Lease } from './acquire.js';
import type { ContextWatch } from './contextWatch.js';
import type { Session } from './session.js';

/** The session a test's built-in context was started with. */
export interface TestSession {
  readonly session: Session;
  readonly lease: Lease;
}

/**
 * The stored state for `name` (warming it first, once for the whole run:
 * the entry's lock makes the other workers wait and reuse it), for a
 * context made with `contextOptions`. Undefined when the test uses no session.
 */
export async function leaseForTest(cache: BundleCache, name: unknown, browser: Browser, contextOptions: BrowserContextOptions): Promise<TestSession | undefined> {
  if (name === undefined)
    return undefined;
  if (typeof name !== 'string' || !name) {
    throw new BundleCacheError('ERR_OPTIONS',
        `Fixture option "bundleCacheSession" is invalid: expected the name of a session declared in bundleCache.sessions; got ${JSON.stringify(name) ?? String(name)}. ` +
        'Fix: test.use({ bundleCacheSession: \'alice\' }) with use: { bundleCache: { sessions: { alice: { warm } } } } in playwright.config.ts.',
        { option: 'bundleCacheSession', received: name });
  }
  let session: Session;
  try {
    session = cache.session(name);
  } catch (error) {
    if (!isBundleCacheError(error, 'ERR_OPTIONS'))
      throw error;
    const declared = (error.details.declared as string[] | undefined) ?? [];
    throw new BundleCacheError('ERR_OPTIONS',
        `Fixture option bundleCacheSession is ${JSON.stringify(name)}, but no session of that name is declared in bundleCache.sessions${declared.length ? ` (declared: ${declared.join(', ')})` : ' (none is)'}. ` +
        `Fix: declare it in playwright.config.ts: use: { bundleCache: { sessions: { ${JSON.stringify(name)}: { warm: async context => { /* log in */ }, ttl: '1h' } } } }.`,
        { option: 'bundleCacheSession', session: name, declared });
  }
  return { session, lease: await session.lease(browser, withoutUndefined(contextOptions)) };
}

/**
 * Puts the session's state into the test's (still pageless) built-in
 * context, replacing whatever `storageState` it was made with, and starts
 * watching it for rejections. `context.setStorageState()` also restores
 * IndexedDB; a Playwright without it gets an error that says so.
 */
export async function startWithSession(context: BrowserContext, { session, lease }: TestSession): Promise<ContextWatch> {
  const apply = (context as Partial<Pick<BrowserContext, 'setStorageState'>>).setStorageState;
  if (typeof apply !== 'function') {
    throw new BundleCacheError('ERR_OPTIONS',
        'bundleCacheSession applies the session\'s state with context.setStorageState(), which the installed Playwright does not have. Fix: upgrade @playwright/test and playwright (1.65 has it).',
        { option: 'bundleCacheSession', session: session.name });
  }
  await apply.call(context, lease.state);
  return session.watch(context, lease);
}

/**
 * The error that fails a test whose context the site rejected. The state
 * was dropped (unless a newer one had replaced it already), so a retry gets
 * a fresh one: with `retries`, Playwright runs the test again.
 */
export function rejectedTestError(watch: ContextWatch): BundleCacheError {
  const { name, ref } = watch.lease;
  const what = watch.dropped ? 'the stored session was dropped and will be warmed again' : 'the state it was given had already been replaced, and a new run gets the new one';
  return new BundleCacheError('ERR_SESSION_REJECTED',
      `The site rejected session ${JSON.stringify(name)} (generation ${ref.generation}) during this test: ${watch.rejection}; ${what}. ` +
      'With retries (retries: 1 or more in playwright.config.ts, or --retries=1), Playwright runs this test again with a fresh session.',
      { session: name, generation: ref.generation, reason: watch.rejection, dropped: watch.dropped ?? false });
}

function withoutUndefined(options: BrowserContextOptions): BrowserContextOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as BrowserContextOptions;
}
