// The writer of promise 3: stores generation after generation of a ≥ 32 MB
// body under one key, the way the resolver does (`storeEntry`: lock, clear
// debris, body then meta, index), until the parent SIGKILLs it: at a random moment, or
// at a step point where it pauses and says so.
import { EntryStore } from '../../../src/disk/entryStore.js';
import { LockManager } from '../../../src/disk/locks.js';
import { nodeFileOps } from '../../../src/disk/fileOps.js';
import { storeFsOver } from '../../../src/disk/storeFs.js';
import { VersionsIndex } from '../../../src/disk/versionsIndex.js';
import { makeResponse } from '../../../tests/unit/disk/storeFixtures.js';
import { CRASH_URL, crashBody } from '../crashBodies.js';
import { atStep, parseStepPoint, steppedOps } from '../steps.js';
import { say } from '../../../tests/helpers/stdin.js';
import { storeEntry } from '../../../tests/helpers/storeEntry.js';

const [dir, staleMs, firstGeneration, pauseAt] = process.argv.slice(2) as [string, string, string, string];
const pause = pauseAt === 'none' ? undefined : parseStepPoint(pauseAt);
const ops = pause ? steppedOps(nodeFileOps, atStep(pause, async step => {
  say(`paused ${step.op} ${step.role}`);
  // Something must keep the event loop alive (the lock's refresh timer is unref'd), or Node would exit
  // cleanly, running exit handlers that remove the lock, before the parent's SIGKILL arrives.
  setInterval(() => {}, 60_000);
  await new Promise(() => {});
})) : nodeFileOps;
const fs = storeFsOver(ops);
const store = new EntryStore(dir, fs);
const locks = new LockManager({ staleMs: Number(staleMs) });
const index = new VersionsIndex(dir, fs, locks, Date.now);
say('ready');
for (let generation = Number(firstGeneration); ; generation++) {
  say(`start ${generation}`);
  await storeEntry({ store, locks, index }, makeResponse(CRASH_URL, crashBody(generation), Date.now()), { afterWrite: () => say(`committed ${generation}`) });
}
