import { rawRequest } from '../../site/client.js';
import { formatHttpDate, parseHttpDate } from '../../site/httpDate.js';
import { startSite, type Site } from '../../site/server.js';
import { ManualClock, expect, test } from './siteFixture.js';

const FILES = ['/', '/flutter_bootstrap.js', '/main.dart.js'];

async function validators(site: Site) {
  return Promise.all(FILES.map(async pathname => {
    const { headers } = await rawRequest(site.origin + pathname);
    return { pathname, etag: headers.etag, lastModified: headers['last-modified'] };
  }));
}

function manifestOf(html: Buffer): { version: number; main: { sha256: string }; deployed: Record<string, string> } {
  return JSON.parse(/window\.__siteBuild = (.*);<\/script>/.exec(html.toString())![1]!);
}

test.describe('deploys', () => {
  for (const profile of ['netlify', 'github-pages', 'nginx', 'firebase', 'no-cache'] as const) {
    test(`should change every file's ETag and Last-Modified with each deploy and keep them otherwise (${profile})`, async () => {
      const clock = new ManualClock();
      const site = await startSite({ layout: 'flutter', profile, clock: clock.read });
      try {
        const first = await validators(site);
        clock.advance(60_000);
        expect(await validators(site)).toEqual(first);
        const deploy = site.deploy();
        expect(deploy).toEqual({ version: 2, deployedAt: clock.now, lastModified: formatHttpDate(clock.now), builds: [1, 2] });
        const second = await validators(site);
        for (let i = 0; i < FILES.length; i++) {
          expect(second[i]!.etag, FILES[i]).not.toBe(first[i]!.etag);
          if (first[i]!.lastModified)
            expect(second[i]!.lastModified).toBe(deploy.lastModified);
        }
        // The old validators now get the new build; the new ones a 304.
        const main = '/main.dart.js';
        const stale = await rawRequest(site.origin + main, { headers: { 'if-none-match': first[2]!.etag! } });
        expect(stale.status).toBe(200);
        expect(stale.body.equals(site.body(main, 2))).toBe(true);
        expect(stale.body.subarray(-40).toString()).toContain('// build 2');
        expect((await rawRequest(site.origin + main, { headers: { 'if-none-match': second[2]!.etag! } })).status).toBe(304);
      } finally {
        await site.close();
      }
    });
  }

  test('should put the deploy\'s build and digests in index.html', async ({ site }) => {
    site.deploy(5);
    const manifest = manifestOf((await rawRequest(site.pageUrl)).body);
    expect(manifest.version).toBe(5);
    expect(manifest.main.sha256).toBe(site.sha256('/main.dart.js'));
    expect(manifest.deployed).toEqual({ 1: site.sha256('/main.dart.js', 1), 5: site.sha256('/main.dart.js', 5) });
    expect(site.version).toBe(5);
    expect(site.deployment.builds).toEqual([1, 5]);
    // A redeploy of an older build moves it to the end and keeps each build once.
    site.deploy(1);
    expect(site.deployment.builds).toEqual([5, 1]);
    expect(manifestOf((await rawRequest(site.pageUrl)).body).version).toBe(1);
  });

  test('should name the build in flutter_bootstrap.js and main.dart.js', async ({ site }) => {
    site.deploy(3);
    const bootstrap = (await rawRequest(site.origin + '/flutter_bootstrap.js')).body.toString();
    expect(bootstrap).toContain('"serviceWorkerVersion":"3"');
    expect(site.body('/main.dart.js').subarray(-60).toString()).toMatch(/;window\.__mainDartJsBuild = 3; \/\/ build 3\n$/);
  });

  test('should give deploys in the same second distinct Last-Modified values, never after Date', async () => {
    const clock = new ManualClock();
    const site = await startSite({ layout: 'flutter', profile: 'nginx', clock: clock.read });
    try {
      const times = [site.deployment.deployedAt, site.deploy().deployedAt, site.deploy().deployedAt];
      expect(times).toEqual([clock.now, clock.now + 1000, clock.now + 2000]);
      const res = await rawRequest(site.origin + '/main.dart.js');
      expect(res.headers['last-modified']).toBe(formatHttpDate(clock.now + 2000));
      expect(parseHttpDate(res.headers.date)).toBeGreaterThanOrEqual(parseHttpDate(res.headers['last-modified'])!);
      // Deploy times are whole seconds, as HTTP dates are.
      clock.advance(10_500);
      expect(site.deploy().deployedAt).toBe(clock.now - 500);
    } finally {
      await site.close();
    }
  });

  test('should stamp deploys with wall time by default', async ({ site }) => {
    const before = Date.now();
    const res = await rawRequest(site.origin + '/');
    expect(site.deployment.deployedAt).toBeLessThanOrEqual(before);
    expect(site.deployment.deployedAt).toBeGreaterThan(before - 60_000);
    expect(Math.abs(parseHttpDate(res.headers.date)! - Date.now())).toBeLessThan(60_000);
  });

  test('should answer a request with the deploy it arrived in, even when a deploy lands during its latency', async ({ site }) => {
    site.setLatency(300);
    const inFlight = rawRequest(site.origin + '/main.dart.js');
    await expect.poll(() => site.hits('/main.dart.js')).toBe(1);
    const deployedDuring = site.deploy();
    const res = await inFlight;
    expect(deployedDuring.version).toBe(2);
    expect(res.body.equals(site.body('/main.dart.js', 1))).toBe(true);
    expect(res.headers.etag).toBe(site.responseHeaders('/main.dart.js', 1).etag);
    const after = await rawRequest(site.origin + '/main.dart.js');
    expect(after.body.equals(site.body('/main.dart.js', 2))).toBe(true);
    expect(after.headers.etag).toBe(site.responseHeaders('/main.dart.js').etag);
  });

  test('should keep setVersion() as a deploy, and reject bad versions and clocks', async ({ site }) => {
    site.setVersion(4);
    expect(site.deployment.version).toBe(4);
    expect(() => site.deploy(-1)).toThrow(/non-negative integer/);
    expect(() => site.deploy(1.5)).toThrow(/non-negative integer/);
    await expect(startSite({ clock: 'now' as unknown as () => number })).rejects.toThrow(/clock must be a function/);
    await expect(startSite({ clock: () => Number.NaN })).rejects.toThrow(/clock\(\) must return milliseconds since the epoch .* got NaN/);
  });

  test('should deploy the legacy layout too, without validators', async () => {
    const site = await startSite();
    try {
      site.deploy();
      const res = await rawRequest(site.origin + '/main.dart.js?v=2');
      expect(res.body.subarray(-12).toString()).toBe('\n// build 2\n');
      expect(res.headers.etag).toBeUndefined();
      expect(res.headers['last-modified']).toBeUndefined();
      expect(res.headers.date).toBeDefined();
    } finally {
      await site.close();
    }
  });
});
