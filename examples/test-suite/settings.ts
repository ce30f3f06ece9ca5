import path from 'node:path';

/** Where the app under test runs. The project's own tests start a local copy and pass its origin. */
export const siteOrigin = process.env.SITE_ORIGIN ?? 'http://127.0.0.1:8080';

/** One cache for every worker of every run; a CI job restores and saves this directory. */
export const cacheDir = process.env.BUNDLE_CACHE_DIR ?? path.join(import.meta.dirname, '.cache/bundles');
