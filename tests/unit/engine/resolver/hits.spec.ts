import { expect, test } from '@playwright/test';
import { ok } from '../fakes.js';
import { Harness, servedOf, until } from '../harness.js';

// A hit in each tier, and the back-fill of the faster ones: the mirror
// before answering, the store and the shared tier beside it.

/** Versioned, so immutable: served without asking the origin whatever the run. */
const URL = 'https://app.test/main.dart.js?v=1';
const KEY = `GET ${URL}`;

test('should serve a copy from the memory tier without a claim, a slower tier or the origin', async () => {
  const h = new Harness();
  const copy = h.keep('memory', h.entry(URL, ok('build 1')));
  const served = servedOf(await h.resolve(URL));
  expect(served).toMatchObject({ source: 'memory', stored: false, revalidated: false });
  expect(served.response).toBe(copy);
  expect(served.request.key).toBe(KEY);
  expect(h.tier('memory').servedCopies).toEqual([copy]);
  expect([h.tier('disk').gets, h.tier('remote').gets]).toEqual([[], []]);
  expect(h.journal).toEqual([]);
  await h.settle();
  expect(h.journal).toEqual([]);
});

test('should serve a disk copy once the memory tier has it, and release the memory claim after that write', async () => {
  const h = new Harness();
  const copy = h.keep('disk', h.entry(URL, ok('build 1')));
  const letMemoryKeep = h.tier('memory').hold();
  let answered = false;
  const resolving = h.resolve(URL).then(resolution => {
    answered = true;
    return resolution;
  });
  await until(() => h.journal.includes('memory put'));
  // The answer waits for the mirror: the next request of this process must find it there.
  for (let turn = 0; turn < 10; turn++)
    await new Promise(resolve => setImmediate(resolve));
  expect(answered).toBe(false);
  letMemoryKeep();
  const served = servedOf(await resolving);
  expect(served).toMatchObject({ source: 'disk', stored: false, revalidated: false });
  expect(served.response).toBe(copy);
  expect(h.tier('memory').copies.get(KEY)).toBe(copy);
  expect(h.tier('disk').servedCopies).toEqual([copy]);
  expect(h.tier('memory').servedCopies).toEqual([]);
  // Only faster tiers are filled: the shared tier behind the disk is neither asked nor written.
  expect([h.tier('remote').gets, h.tier('remote').puts]).toEqual([[], []]);
  expect(h.origin.asks).toEqual([]);
  await h.settle();
  expect(h.journal).toEqual(['memory claim', 'memory put', 'memory kept', 'memory release']);
  expect(h.flight('disk').claims).toEqual([]);
});

test('should serve a remote copy once memory has it, writing the disk beside the answer and releasing the disk claim after that write', async () => {
  const h = new Harness();
  const copy = h.keep('remote', h.entry(URL, ok('build 1')));
  const letDiskKeep = h.tier('disk').hold();
  const served = servedOf(await h.resolve(URL));
  expect(served).toMatchObject({ source: 'remote', stored: false, revalidated: false });
  expect(served.response).toBe(copy);
  expect(h.tier('remote').servedCopies).toEqual([copy]);
  expect(h.tier('memory').copies.get(KEY)).toBe(copy);
  // Answered while the disk write is still going on, and the disk claim is still held.
  expect(h.journal).toContain('disk put');
  expect(h.journal).not.toContain('disk kept');
  expect(h.journal).not.toContain('disk release');
  letDiskKeep();
  await h.settle();
  expect(h.tier('disk').copies.get(KEY)).toBe(copy);
  expect(h.journal.indexOf('disk release')).toBeGreaterThan(h.journal.indexOf('disk kept'));
  expect(h.journal.indexOf('memory release')).toBeGreaterThan(h.journal.indexOf('memory kept'));
  expect(h.flight('remote').claims).toEqual([]);
  expect(h.tier('remote').puts).toEqual([]);
  expect(h.origin.asks).toEqual([]);
});

test('should serve a remote copy without waiting for the disk\'s claim, which the disk\'s fill takes, writing under it', async () => {
  const h = new Harness();
  const copy = h.keep('remote', h.entry(URL, ok('build 1')));
  // Another process holds the key's lock.
  const letClaim = h.flight('disk').hold();
  const served = servedOf(await h.resolve(URL));
  expect(served).toMatchObject({ source: 'remote', stored: false });
  expect(served.response).toBe(copy);
  expect(h.tier('disk').gets).toEqual([KEY]);
  expect(h.journal).not.toContain('disk put');
  letClaim();
  await h.settle();
  expect(h.tier('disk').copies.get(KEY)).toBe(copy);
  const disk = h.journal.filter(line => line.startsWith('disk '));
  expect(disk).toEqual(['disk claim', 'disk put', 'disk kept', 'disk release']);
  expect([h.flight('remote').claims, h.origin.asks]).toEqual([[], []]);
});

test('should leave the disk unwritten when its fill gets no claim (the key\'s lock timed out)', async () => {
  const h = new Harness();
  h.keep('remote', h.entry(URL, ok('build 1')));
  h.flight('disk').script({ alone: 'lock timed out' });
  expect(servedOf(await h.resolve(URL))).toMatchObject({ source: 'remote' });
  await h.settle();
  expect([h.flight('disk').claims, h.tier('disk').puts, h.flight('disk').releases]).toEqual([[KEY], [], []]);
});

test('should take a corrupt copy for a miss and heal it with the next tier\'s copy', async () => {
  const h = new Harness();
  const good = h.entry(URL, ok('build 1'));
  h.tier('disk').keepCorrupt(good);
  h.keep('remote', good);
  const served = servedOf(await h.resolve(URL));
  expect(served).toMatchObject({ source: 'remote' });
  expect(served.response.body.equals(good.body)).toBe(true);
  // Read once: the remote's copy is served before the disk's claim, after which the disk would be read again.
  expect(h.tier('disk').corruptReads).toBe(1);
  await h.settle();
  expect(h.tier('disk').copies.get(KEY)).toBe(good);
  expect(h.origin.asks).toEqual([]);
});

test('should ask each tier in order, fastest first, and the origin only after the last', async () => {
  const h = new Harness();
  h.origin.reply(ok('build 1'));
  servedOf(await h.resolve(URL));
  const asked = h.journal.filter(line => / claim$|^origin /.test(line));
  expect(asked).toEqual(['memory claim', 'disk claim', 'remote claim', `origin ${URL}`]);
  // Each tier looked at before its claim and again after it.
  expect([h.tier('memory').gets, h.tier('disk').gets, h.tier('remote').gets]).toEqual([[KEY, KEY], [KEY, KEY], [KEY, KEY]]);
});
