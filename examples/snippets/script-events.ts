import { BundleCache } from 'playwright-bundle-cache';

await using cache = await BundleCache.open();              // closed at the end of the scope
cache.on('served', event => console.log(event.source, event.url, event.bytes, `${event.durationMs} ms`));
cache.on('problem', error => console.warn(error.code, error.message));   // degraded to the network, never a failed page

const result = await cache.warm('https://app.example.com/main.dart.js');   // no browser needed
console.log(result.outcome, result.bytes, result.reason ?? '');           // 'stored', 'fresh', 'not-stored', …
