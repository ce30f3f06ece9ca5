import { BundleCache, defaultRules } from 'playwright-bundle-cache';

const cache = await BundleCache.open({
  revalidate: 'run',        // the default: each run sees what is deployed now, checked at each entry's first use
  staleIfError: '10m',      // a stored copy may stand in for a failed check, up to 10 minutes past its freshness
  rules: [
    { match: '**/main.dart.js', revalidate: 'always' },   // first match wins: this bundle is checked before every use
    ...defaultRules,
  ],
});
await cache.close();
