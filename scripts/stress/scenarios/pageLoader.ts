import type { Browser } from 'playwright';
import { loadApp } from '../../../tests/site/server.js';
import type { AppLoader } from './corruption.js';

/** Loads the app in a fresh context with `cache` attached; an error text when it failed or saw wrong bytes of main.dart.js. */
export function pageLoader(browser: Browser): AppLoader {
  return async (cache, site) => {
    const context = await browser.newContext();
    try {
      await cache.attach(context);
      const report = await loadApp(await context.newPage(), site.pageUrl + '?hash=1');
      if (report.error || !report.ready)
        return `page failed: ${report.error}`;
      return report.hashes[`/main.dart.js?v=${site.version}`] === site.sha256('/main.dart.js') ? undefined : 'the page saw wrong bytes';
    } finally {
      await context.close();
    }
  };
}
