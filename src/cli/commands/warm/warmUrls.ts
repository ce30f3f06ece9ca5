import type { BundleCache } from '../../../cache/bundleCache.js';
import type { WarmResult } from '../../../warm/warm.js';
import type { BundleCacheError } from '../../../errors.js';
import { normalizeUrl } from '../../../keys/normalizeUrl.js';
import { formatBytes } from '../../../options/units.js';
import { describeFailure } from '../../format/failure.js';
import type { OutStream } from '../../io.js';
import { mapLimit } from '../../mapLimit.js';
import { createProgress } from '../../progress.js';
import type { WarmItem } from './warmItem.js';

/**
 * Fetches each URL through `cache.warm()`, `concurrency` at a time, with a
 * progress bar on `stderr`. A failure is an item with its cause, never a throw.
 */
export async function warmUrls(
  cache: BundleCache,
  urls: readonly string[],
  options: { concurrency: number; ignoreHttpsErrors: boolean },
  stderr: OutStream,
): Promise<WarmItem[]> {
  const request = options.ignoreHttpsErrors ? await (await import('playwright')).request.newContext({ ignoreHTTPSErrors: true }) : undefined;
  const progress = createProgress(stderr, urls.length, 'warm');
  // warm() says only "fetch failed"; the problem it reports for the URL carries the cause.
  const causes = new Map<string, string>();
  const onProblem = (problem: BundleCacheError) => {
    if (problem.code === 'ERR_FETCH_FAILED' && typeof problem.details.url === 'string')
      causes.set(problem.details.url, describeFailure(problem.cause));
  };
  cache.on('problem', onProblem);
  let done = 0;
  let bytes = 0;
  try {
    return await mapLimit(urls, options.concurrency, async url => {
      const warmed = await cache.warm(url, request ? { request } : {}).catch((error: unknown): WarmResult => ({ url, outcome: 'failed', bytes: 0, reason: describeFailure(error) }));
      bytes += warmed.outcome === 'stored' ? warmed.bytes : 0;
      progress.update(++done, `${formatBytes(bytes)} fetched`);
      const cause = warmed.outcome === 'failed' ? causes.get(normalizeUrl(url)) : undefined;
      return { url, outcome: warmed.outcome, bytes: warmed.bytes, reason: cause ? `fetch failed: ${cause}` : warmed.reason ?? null, revalidated: warmed.revalidated === true };
    });
  } finally {
    cache.off('problem', onProblem);
    progress.finish();
    await request?.dispose();
  }
}
