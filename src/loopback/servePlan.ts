import type { ServeMode } from '../types.js';

export interface ServeContext {
  /** The context was created with `ignoreHTTPSErrors: true`, so it accepts the loopback certificate. */
  readonly ignoresHttpsErrors: boolean;
  /** Loopback failed for this context before (blocked by Local Network Access, say): fulfill from now on. */
  readonly loopbackBroken: boolean;
  /** The browser runs on another machine (`chromium.connect()`), where 127.0.0.1 is not this process. */
  readonly browserIsRemote: boolean;
}

/** Pure: whether to serve a hit for a request with `scheme` through the loopback server. */
export function useLoopback(mode: ServeMode, scheme: string, context: ServeContext, isNavigation: boolean): boolean {
  // A document's origin must stay the origin's; navigation responses are few and small anyway.
  if (mode === 'fulfill' || isNavigation || context.loopbackBroken || context.browserIsRemote)
    return false;
  if (scheme === 'http:')
    return true;
  if (scheme !== 'https:')
    return false;
  return mode === 'loopback' || context.ignoresHttpsErrors;
}

/** Hosts in Chromium's loopback address space: pages there may reach 127.0.0.1 without a permission. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
