// The realistic site in a process of its own, so the memory it holds (a
// 5.8 MB main.dart.js per build) is not counted in the load test's RSS.
// Prints its origin; `version N` on stdin deploys build N and answers `ok`.
import readline from 'node:readline';
import { startSite } from '../../../tests/site/server.js';
import { say } from '../../../tests/helpers/stdin.js';

const site = await startSite();
say(site.origin);
readline.createInterface({ input: process.stdin }).on('line', line => {
  const [command, value] = line.split(' ');
  if (command === 'version')
    site.setVersion(Number(value));
  say('ok');
}).on('close', () => void site.close());
