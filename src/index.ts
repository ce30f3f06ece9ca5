export { BundleCache } from './cache/bundleCache.js';
export type { BundleCacheEvents } from './cache/bundleCache.js';
export type { WarmOptions, WarmResult } from './warm/warm.js';
export { Session } from './sessions/session.js';
export { BundleCacheProxy } from './proxy/bundleCacheProxy.js';
export type { ProxyStats } from './proxy/proxyStats.js';
export { DEFAULT_PROXY_PORT } from './proxy/limits.js';
export type { SessionState } from './sessions/storageState.js';
export { BundleCacheError, isBundleCacheError } from './errors.js';
export type { BundleCacheErrorCode } from './errors.js';
export { defaultRules } from './rules/defaultRules.js';
export { chromiumLaunchOptions, findChromium } from './browser/findChromium.js';
export type { ChromiumLocation } from './browser/findChromium.js';
export type {
  BundleCacheOptions,
  BundleCacheStats,
  BundleRule,
  ByteSize,
  CacheMode,
  Duration,
  ProxyOptions,
  RevalidateMode,
  RewarmOn,
  RuleMatcher,
  ServeMode,
  ServeSource,
  ServedEvent,
  SessionEvent,
  SessionOptions,
  SessionsOptions,
  SessionStats,
} from './types.js';
