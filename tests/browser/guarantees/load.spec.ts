import { test, expect } from '@playwright/test';
import { load } from '../../../scripts/stress/scenarios/load.js';

const MB = 1024 * 1024;

// Promise 10 in short: 8 loads over 4 builds (23 MB of main.dart.js and the 7 MB wasm, so a 20 MB memory tier evicts, and
// builds asked for again come from disk); `npm run stress` makes 1,000.
// The memory tier's own bytes are held to the 20 MB budget exactly, and it must have evicted. The RSS margin is what
// the Playwright client, its message buffers (a 7 MB fulfill travels base64-encoded) and V8's heap slack take besides the cache.
test('should keep the memory tier within its budget, evicting, the process within budget plus margin, and give back every file descriptor over many page loads', async ({ browser }) => {
  test.setTimeout(300_000);
  const outcome = await load({ browser, loads: 8, memoryBytes: 20 * MB, builds: 4, marginBytes: 150 * MB });
  expect(outcome.failures).toEqual([]);
});
