export { BundleCache } from './engine/bundleCache.js';
export type { BundleCacheEvents } from './engine/bundleCache.js';
export type { WarmOptions, WarmResult } from './engine/warm.js';
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
  RevalidateMode,
  RuleMatcher,
  ServeMode,
  ServeSource,
  ServedEvent,
} from './types.js';
