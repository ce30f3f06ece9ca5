import { BUNDLE_PATHS, closeAfterUploads, expect, expectOriginBytesOnDisk, test, warmAll } from './fixtures.js';

// A fleet on an HTTP store, which has no fleet lock. On Redis, with the lock, the page's
// view of the same fleet is in tests/browser/remote/fleet.spec.ts.

const FLEET = 4;

test('should fetch each bundle at most once per machine for 4 cold machines on nginx, and not at all for a fifth', async ({ site, nginxRemote, startMachine }) => {
  site.setLatency(100);
  const fleet = await Promise.all(Array.from({ length: FLEET }, () => startMachine({ remote: nginxRemote })));
  const outcomes = await Promise.all(fleet.map(machine => warmAll(machine, site)));
  const hits = BUNDLE_PATHS.map(path => site.hits(path.split('?')[0]!));
  for (const count of hits) {
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(FLEET);
  }
  // Each request was answered from the remote or fetched, and every fetch was one the origin saw.
  expect(outcomes.flat().every(outcome => outcome === 'stored' || outcome === 'fresh')).toBe(true);
  expect(outcomes.flat().filter(outcome => outcome === 'stored')).toHaveLength(hits.reduce((sum, count) => sum + count, 0));
  // Each machine uploads what it fetched.
  await Promise.all(fleet.map((machine, i) => closeAfterUploads(machine, outcomes[i]!.filter(outcome => outcome === 'stored').length)));

  site.resetCounters();
  const fifth = await startMachine({ remote: nginxRemote });
  expect(await warmAll(fifth, site)).toEqual(['fresh', 'fresh', 'fresh']);
  expect(site.totalHits()).toBe(0);
  await closeAfterUploads(fifth, 0);
  expect(fifth.cache.stats().remoteErrors).toBe(0);
  await expectOriginBytesOnDisk(fifth, site);
});
