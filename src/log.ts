import createDebug from 'debug';

const debug = createDebug('bundle-cache');

/**
 * `log.debug` is one line per decision (hit, miss, store, evict, version),
 * shown with `DEBUG=bundle-cache`. `log.warn` is for what a user must see
 * even without DEBUG (an offline miss, a compromised lock): one line on stderr.
 */
export const log = {
  debug: (message: string) => debug(message),
  get debugEnabled(): boolean {
    return debug.enabled;
  },
  warn: (message: string) => {
    process.stderr.write(`[bundle-cache] ${message}\n`);
  },
};
