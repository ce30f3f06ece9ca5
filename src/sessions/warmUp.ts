import type { Browser, BrowserContext, BrowserContextOptions, Request } from 'playwright';
import { BundleCacheError } from '../errors.js';
import { isEmptyState, storageStateSchema, type SessionPayload } from './storageState.js';

/** What a warm-up earned, and how long it took. */
export interface WarmedState {
  readonly payload: SessionPayload;
  readonly durationMs: number;
}

/**
 * Runs the session's `warm` in a fresh context made with the same options
 * as the contexts that will use the state (the bundle cache attached, so a
 * login page's bundles come from the cache too), then captures the state:
 * cookies, localStorage, and IndexedDB where Playwright supports it (1.51+).
 * Throws `ERR_SESSION_WARM` naming the session and the cause when `warm`
 * throws or leaves nothing; the context is closed either way.
 */
export async function runWarmUp(name: string, warm: (context: BrowserContext) => unknown, browser: Browser,
  contextOptions: BrowserContextOptions, attach: (context: BrowserContext) => Promise<void>): Promise<WarmedState> {
  const started = performance.now();
  const context = await browser.newContext(contextOptions);
  const visited = new Set<string>();
  const onRequest = (request: Request) => {
    if (request.resourceType() === 'document')
      addOrigin(visited, request.url());
  };
  context.on('request', onRequest);
  try {
    await attach(context);
    try {
      await warm(context);
    } catch (error) {
      throw new BundleCacheError('ERR_SESSION_WARM',
          `warm() of session ${JSON.stringify(name)} failed: ${firstLine(error)}. Nothing was stored. Fix the warm-up (it gets a fresh context and opens its own pages in it), then use the session again.`,
          { session: name, reason: firstLine(error) }, { cause: error });
    }
    const state = storageStateSchema.parse(await captureState(context));
    if (isEmptyState(state)) {
      throw new BundleCacheError('ERR_SESSION_WARM',
          `warm() of session ${JSON.stringify(name)} left no cookies and no storage (localStorage, IndexedDB) in its context, so there is nothing to reuse. Nothing was stored. ` +
          'Fix: log in with pages of the context warm() is given (not another context), and wait until the login has set its cookie or token before warm() returns.',
          { session: name, reason: 'no state' });
    }
    return { payload: { state, visited: [...visited].sort() }, durationMs: performance.now() - started };
  } finally {
    context.off('request', onRequest);
    await context.close().catch(() => {});
  }
}

/** With IndexedDB where the installed Playwright knows the option (1.51+); older ones refuse it, and get the rest. */
async function captureState(context: BrowserContext): Promise<unknown> {
  try {
    return await context.storageState({ indexedDB: true });
  } catch {
    return await context.storageState();
  }
}

function addOrigin(origins: Set<string>, url: string): void {
  try {
    const { protocol, origin } = new URL(url);
    if (protocol === 'http:' || protocol === 'https:')
      origins.add(origin);
  } catch {
    // not a URL a session can be rejected by
  }
}

function firstLine(error: unknown): string {
  return ((error as Error)?.message ?? String(error)).split('\n')[0]!;
}
