import { createRequire } from 'node:module';
import type forgeModule from 'node-forge';

let loaded: typeof forgeModule | undefined;

/**
 * node-forge, loaded by the first certificate made (the loopback server's,
 * the proxy's CA and leaves), not with the package: most processes that
 * import the cache never make one.
 */
export function forge(): typeof forgeModule {
  return loaded ??= createRequire(import.meta.url)('node-forge') as typeof forgeModule;
}
