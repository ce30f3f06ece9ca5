import type { SessionStats } from '../../../src/index.js';
import { spawnWorker, type Worker } from '../../../tests/browser/sessions/children/spawnWorker.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/tempDir.js';
import type { AppView } from '../../../tests/site/login/browse.js';
import { startLoginSite } from '../../../tests/site/login/server.js';
import { Tally, type Outcome } from '../outcome.js';

type Output = { views: Array<AppView & { session: string }>; stats: { sessions: SessionStats; errors: number } };

/**
 * Promise 11: `processes` processes (tests/browser/sessions/children/sessionWorker.ts,
 * a Chromium each) open `contexts` contexts for each of `users` users at the
 * same moment on a cold cache, `rounds` times (a cold cache and a fresh site
 * each round). The site counts exactly one login per user per round; every
 * context shows its own user, from the page and from the API; no errors; and
 * the DEBUG lines of every process carry no cookie value or token the site
 * handed out.
 */
export async function sessionWarmups(options: { processes: number; users: number; contexts: number; rounds: number }): Promise<Outcome> {
  const { processes, contexts, rounds } = options;
  const users = Array.from({ length: options.users }, (_, i) => ['alice', 'bob', 'carol', 'dave'][i] ?? `user${i}`);
  const tally = new Tally(11, `${processes} processes × ${users.length} users × ${contexts} contexts on a cold cache, at once (a Chromium each)`);
  let reused = 0;
  for (let round = 0; round < rounds; round++) {
    const site = await startLoginSite();
    const dir = await makeTempDir('guarantee-sessions-');
    const workers: Worker[] = Array.from({ length: processes }, () => spawnWorker([dir, site.origin, users.join(','), String(contexts)]));
    try {
      for (const worker of workers) {
        const line = await worker.nextLine();
        if (line !== 'ready')
          throw new Error(`a worker said ${JSON.stringify(line)} instead of "ready"`);
      }
      for (const worker of workers)
        worker.process.stdin!.write('go\n');
      const outputs = await Promise.all(workers.map(async worker => JSON.parse(await worker.nextLine()) as Output));
      const codes = await Promise.all(workers.map(worker => worker.exited));
      tally.check(codes.every(code => code === 0), () => `round ${round}: exit codes ${codes.join(', ')}`);
      for (const user of users)
        tally.check(site.logins(user) === 1, () => `round ${round}: ${user} logged in ${site.logins(user)} times`);
      const views = outputs.flatMap(output => output.views);
      tally.check(views.length === processes * users.length * contexts, () => `round ${round}: ${views.length} contexts reported`);
      for (const view of views) {
        tally.check(view.title === 'app ready' && view.user === view.session && view.api === view.session,
            () => `round ${round}: a context of ${view.session} showed ${JSON.stringify(view)}`);
      }
      const errors = outputs.reduce((sum, output) => sum + output.stats.errors, 0);
      tally.check(errors === 0, () => `round ${round}: ${errors} errors counted`);
      const warmed = outputs.reduce((sum, output) => sum + output.stats.sessions.warmed, 0);
      tally.check(warmed === users.length, () => `round ${round}: ${warmed} warm-ups counted, expected ${users.length}`);
      reused += outputs.reduce((sum, output) => sum + output.stats.sessions.reused, 0);
      const stderr = workers.map(worker => worker.stderr()).join('');
      const leaked = site.issued().filter(canary => stderr.includes(canary));
      tally.check(leaked.length === 0, () => `round ${round}: ${leaked.length} issued values in the DEBUG lines`);
      tally.iterations++;
    } finally {
      for (const worker of workers)
        worker.process.kill();
      await site.close();
      await removeDir(dir);
    }
  }
  tally.figures['11 contexts that reused a stored session, all rounds'] = reused;
  return tally.outcome();
}
