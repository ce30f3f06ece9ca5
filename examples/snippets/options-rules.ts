import { BundleCache, defaultRules } from 'playwright-bundle-cache';

const cache = await BundleCache.open({
  rules: [
    ...defaultRules,                                          // keep the defaults, add yours
    { match: '**/*.mp4', maxAge: '7d' },                      // a glob, with its own maxAge
    { match: /\/assets\/.+\.bin$/, name: 'binary assets' },  // a RegExp, tested against the full URL
    { match: (url: URL) => url.hostname === 'cdn.example.com', revalidate: 'http' },   // a predicate
  ],
});
await cache.close();
