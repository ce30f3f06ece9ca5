// Produces the cache of docs/cli.md's `versions` sample: loads build BUILD (default
// 2) of the Flutter-like site (versioned main.dart.js?v=N, on its fixed port)
// into the cache, as a deploy would, then prints `status` and `versions`.
// Build 1, then build 2, into one cache gives a version history:
//
//   BUNDLE_CACHE_DIR=/tmp/ver-cache BUILD=1 node --import tsx tests/browser/cli/deployBuild.ts
//   BUNDLE_CACHE_DIR=/tmp/ver-cache BUILD=2 node --import tsx tests/browser/cli/deployBuild.ts
import { chromium } from 'playwright';
import { BundleCache, chromiumLaunchOptions } from '../../../src/index.js';
import { processIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { loadApp, startSite } from '../../site/server.js';

const DEMO_PORT = 8787;
const BUILD = Number(process.env.BUILD ?? 2);

const site = await startSite({ port: DEMO_PORT });
site.setVersion(BUILD);
const browser = await chromium.launch(chromiumLaunchOptions());
const cache = await BundleCache.open();
try {
  for (let visit = 0; visit < 2; visit++) {
    const context = await browser.newContext();
    await cache.attach(context);
    const report = await loadApp(await context.newPage(), site.pageUrl);
    await context.close();
    if (report.error)
      throw new Error(`build ${BUILD} failed to load: ${report.error}`);
  }
} finally {
  await cache.close();
  await browser.close();
  await site.close();
}
for (const command of ['status', 'versions']) {
  process.stdout.write(`$ npx bundle-cache ${command}\n`);
  process.exitCode = await run([command], processIo());
  process.stdout.write('\n');
}
