import type { Browser } from 'playwright';
import { appProblems, visit } from '../../../tests/helpers/visit.js';
import type { AppLoader } from './corruption.js';

/** Loads the app in a fresh context with `cache` attached; an error text when it failed or saw wrong bytes. */
export function pageLoader(browser: Browser): AppLoader {
  return async (cache, site) => appProblems(await visit(browser, cache, site.pageUrl + '?hash=1'), site).join('; ') || undefined;
}
