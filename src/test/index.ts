export { bundleCacheFixtures, test, test as bundleCacheTest } from './fixtures.js';
export { expect } from '@playwright/test';
export { ATTACHMENT_NAME } from './testReport.js';
export type { BundleCacheTestReport, ServedBundle } from './testReport.js';
export type { BundleCacheContexts, BundleCacheVia, BundleCacheTestFixtures, BundleCacheTestOptions, BundleCacheWorkerFixtures, BundleCacheWorkerOptions } from './types.js';
export { BundleCache } from '../cache/bundleCache.js';
export type { BundleCacheOptions, BundleCacheStats } from '../types.js';
