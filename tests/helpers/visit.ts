import type { Browser, BrowserContextOptions } from 'playwright';
import type { BundleCache } from '../../src/index.js';
import { loadApp, type Site, type SiteReport } from '../site/server.js';

/** One visit as a scraper makes it: a fresh context with the cache attached, the app loaded, the context closed. */
export async function visit(browser: Browser, cache: BundleCache, url: string, contextOptions: BrowserContextOptions = {}): Promise<SiteReport> {
  const context = await browser.newContext(contextOptions);
  try {
    await cache.attach(context);
    const page = await context.newPage();
    return await loadApp(page, url);
  } finally {
    await context.close();
  }
}

/**
 * What is wrong with a load of the app, one line each; none when it worked:
 * it reported ready, CanvasKit drew red, main.dart.js ran and, when the page
 * hashed its bundles (`?hash=1`) and `site` is given, every hash is the
 * origin's for `version`. Shared by the tests (`expectWorkingApp`) and the
 * guarantee scenarios, which count problems instead of throwing.
 */
export function appProblems(report: SiteReport, site?: Pick<Site, 'sha256' | 'version'>, version = site?.version): string[] {
  if (report.error !== null || !report.ready)
    return [`the page failed: ${report.error ?? 'never ready'}`];
  const problems: string[] = [];
  if (!report.canvaskit.drew || report.canvaskit.pixel.join() !== '255,0,0,255')
    problems.push(`CanvasKit did not draw red: ${JSON.stringify(report.canvaskit)}`);
  if (!report.main.loaded)
    problems.push('main.dart.js did not load');
  if (site && Object.keys(report.hashes).length) {
    const expected: Record<string, string> = {
      [`/main.dart.js?v=${version}`]: site.sha256('/main.dart.js', version),
      '/canvaskit/canvaskit.js': site.sha256('/canvaskit/canvaskit.js'),
      '/canvaskit/canvaskit.wasm': site.sha256('/canvaskit/canvaskit.wasm'),
    };
    for (const url of new Set([...Object.keys(expected), ...Object.keys(report.hashes)])) {
      if (report.hashes[url] !== expected[url])
        problems.push(`${url}: the page saw sha256 ${report.hashes[url] ?? 'nothing'}, the origin sent ${expected[url] ?? 'nothing'}`);
    }
  }
  return problems;
}
