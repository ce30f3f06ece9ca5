const RUN_STARTED = 'BUNDLE_CACHE_RUN_STARTED';

// `playwright test` imports the test files (and so this module) in the
// runner process before it forks the workers, which inherit its environment:
// the first import stamps the run, every worker reads the same stamp. Where
// files load elsewhere (UI mode), each worker stamps itself: the engine's own
// per-process behaviour.
process.env[RUN_STARTED] ??= String(Date.now());

/**
 * When this test run started (epoch ms). Mode 'refresh' refetches entries
 * stored before it, so a bundle is refetched once per run, not once per
 * worker process, however late a worker starts.
 */
export function runStartedAt(): number | undefined {
  const value = Number(process.env[RUN_STARTED]);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}
