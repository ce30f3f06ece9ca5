// Another process's lock: takes the lock on `stem` (over a stale one, if
// need be), says "held", verifies it on every "verify" line, releases on
// "release" and says "released".
import readline from 'node:readline';
import { LockManager } from '../../../src/disk/locks.js';
import { say } from '../../../tests/helpers/stdin.js';

const [stem, staleMs] = process.argv.slice(2) as [string, string];
const lock = await new LockManager({ staleMs: Number(staleMs) }).acquire(stem, 30_000);
say('held');
for await (const line of readline.createInterface({ input: process.stdin })) {
  if (line === 'verify') {
    say(await lock.verify().then(() => 'ours', (error: Error) => `lost: ${error.message}`));
  } else if (line === 'release') {
    await lock.release();
    say('released');
    break;
  }
}
process.stdin.destroy();
