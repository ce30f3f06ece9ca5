import { BundleCache } from 'playwright-bundle-cache';

const cache = await BundleCache.open({
  remote: {
    url: 'rediss://ci-writer:WRITER_PASSWORD@cache.example.com:6380',   // or https://host/prefix/
    secret: process.env.BUNDLE_CACHE_REMOTE_SECRET,   // signs the records it writes; unsigned ones are ignored
    readOnly: process.env.GITHUB_EVENT_NAME !== 'push',
    timeout: '2s',
    prefix: 'bundle-cache:',
  },
});
await cache.close();
