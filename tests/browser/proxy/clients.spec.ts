import { test } from '@playwright/test';
import puppeteer, { type Browser } from 'puppeteer-core';
import type { FlutterReport } from '../../site/report.js';
import { expectTwoLoadsThroughProxy, runPython, type ClientSetup } from './clientHarness.js';

// One test per client, http and https inside it: each loads the Flutter site twice through `bundle-cache proxy`.
test.describe.configure({ timeout: 240_000 });

const CHROMIUM = '/usr/bin/chromium';
const READY = () => !!window.__site && (window.__site.ready || !!window.__site.error);

test('should serve Python Playwright', async () => {
  await expectTwoLoadsThroughProxy(setup => runPython('playwright_python.py', {
    proxy: setup.proxy, urls: setup.urls, chromium: CHROMIUM,
    // Python Playwright sets the proxy itself (loopback included); Chromium is told to trust the CA.
    args: [`--ignore-certificate-errors-spki-list=${setup.spkiSha256}`, '--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  }));
});

test('should serve Selenium with chromedriver', async () => {
  await expectTwoLoadsThroughProxy(setup => runPython('selenium_chromium.py', {
    urls: setup.urls, chromium: CHROMIUM, chromedriver: '/usr/bin/chromedriver', args: setup.chromiumArgs,
  }));
});

test('should serve Puppeteer on Chromium', async () => {
  await expectTwoLoadsThroughProxy(async setup => {
    const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: [...setup.chromiumArgs] });
    return loadTwiceInFreshContexts(browser, setup);
  });
});

test('should serve Puppeteer on Firefox ESR over WebDriver BiDi', async () => {
  await expectTwoLoadsThroughProxy(async setup => {
    const { hostname, port } = new URL(setup.proxy);
    const browser = await puppeteer.launch({
      browser: 'firefox', executablePath: '/usr/bin/firefox-esr', protocol: 'webDriverBiDi', headless: true,
      // Firefox trusts no SPKI flag: it accepts the proxy's certificates as insecure (or import the CA, see docs/proxy.md).
      acceptInsecureCerts: true,
      extraPrefsFirefox: {
        'network.proxy.type': 1,
        'network.proxy.http': hostname, 'network.proxy.http_port': Number(port),
        'network.proxy.ssl': hostname, 'network.proxy.ssl_port': Number(port),
        // Firefox never proxies localhost unless told to.
        'network.proxy.allow_hijacking_localhost': true,
        'network.proxy.no_proxies_on': '',
      },
    });
    return loadTwiceInFreshContexts(browser, setup);
  });
});

/** Two fresh browser contexts (no shared HTTP cache), each loading every URL. */
async function loadTwiceInFreshContexts(browser: Browser, setup: ClientSetup): Promise<FlutterReport[]> {
  const reports: FlutterReport[] = [];
  try {
    for (let load = 0; load < 2; load++) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      for (const url of setup.urls) {
        await page.goto(url);
        await page.waitForFunction(READY, { timeout: 60_000 });
        reports.push(await page.evaluate(() => window.__site as FlutterReport));
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return reports;
}
