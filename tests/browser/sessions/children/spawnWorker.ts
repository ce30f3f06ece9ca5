import { spawnTs, type Child } from '../../../helpers/children.js';

export type Worker = Child;

/** Runs sessionWorker.ts in a new Node process, with `DEBUG=bundle-cache` and its stderr kept. */
export function spawnWorker(args: string[]): Worker {
  return spawnTs('tests/browser/sessions/children/sessionWorker.ts', args, { DEBUG: 'bundle-cache' }, { keepStderr: true });
}
