import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startOrigin } from './origin.js';

// One origin and one cache dir for the whole run, so the fixture's workers
// share them as a suite's workers would.
export default async function globalSetup(): Promise<() => Promise<void>> {
  const origin = await startOrigin();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bundle-cache-peer-run-'));
  process.env.PEER_SMOKE_ORIGIN = origin.url;
  process.env.PEER_SMOKE_DIR = dir;
  return async () => {
    await origin.close();
    await rm(dir, { recursive: true, force: true });
  };
}
