import { BundleCache, defaultRules } from 'playwright-bundle-cache';

const cache = await BundleCache.open({
  dir: '.cache/bundles',                                    // default: $BUNDLE_CACHE_DIR, else ./cache
  rules: [...defaultRules, { match: '**/*.mp4', maxAge: '7d' }],
  maxAge: '24h',
  memory: { maxBytes: '100MB', ttl: '5m' },
  disk: { maxBytes: '1GB' },
  revalidate: 'run',
  mode: process.env.CI ? 'offline' : 'default',
});
await cache.close();
