import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, type Browser, type BrowserContext, type LaunchOptions } from 'playwright';
import { BundleCache, defaultRules, type ServeMode } from '../../src/index.js';
import { compileMatcher } from '../../src/rules/rules.js';
import { loadApp } from '../../tests/site/server.js';

export interface BenchEnv {
  readonly browser: Browser;
  readonly launchOptions: LaunchOptions;
  /** Origin URLs by kind. */
  readonly origins: { throttled: string; floor: string };
  /** A scratch directory for this run (cache dirs, HAR files, profiles). */
  readonly workDir: string;
}

export interface BenchPage {
  readonly label: string;
  /** Path of the page on the origin, e.g. '/' or '/synthetic-20mb.html'. */
  readonly path: string;
  /** Which site serves it: the legacy Flutter-like one (default), or `flutter build web`'s layout as Netlify serves it. */
  readonly site?: 'legacy' | 'flutter';
}

/** A mode ready to load `page` over and over; `load` returns ms from navigation to page-ready. */
export interface RunningMode {
  load(): Promise<number>;
  close(): Promise<void>;
}

export interface Mode {
  readonly name: string;
  readonly origin: 'throttled' | 'floor';
  /** Whether to run it on synthetic bundles too, or only on the real page. */
  readonly synthetic: boolean;
  start(env: BenchEnv, page: BenchPage): Promise<RunningMode>;
}

async function timedLoad(context: BrowserContext, url: string): Promise<number> {
  const page = await context.newPage();
  const started = performance.now();
  const report = await loadApp(page, url, { timeout: 120_000 });
  const elapsed = performance.now() - started;
  if (report.error)
    throw new Error(`page failed: ${report.error}`);
  await page.close();
  return elapsed;
}

/** A fresh context per load, prepared by `prepare` (routes, an attached cache). */
function freshContexts(env: BenchEnv, url: string, prepare: (context: BrowserContext) => Promise<unknown> = async () => {}): RunningMode {
  return {
    load: async () => {
      const context = await env.browser.newContext();
      try {
        await prepare(context);
        return await timedLoad(context, url);
      } finally {
        await context.close();
      }
    },
    close: async () => {},
  };
}

/**
 * The URLs every cached mode serves from its cache: those the plugin's default
 * rules cache (the versioned bundles). The document and the unversioned
 * flutter_bootstrap.js come from the origin in every mode, so the cached modes
 * differ only in how they serve the same hits.
 */
const bundleMatchers = defaultRules.map(rule => compileMatcher(rule.match));
const isBundle = (url: URL) => bundleMatchers.some(matches => matches(url));

const pageUrl = (env: BenchEnv, mode: Mode, page: BenchPage) => env.origins[mode.origin] + page.path;
const scratch = (env: BenchEnv, name: string) => fs.mkdtemp(path.join(env.workDir, `${name.replace(/\W+/g, '-')}-`));

const noCache: Mode = {
  name: 'no cache', origin: 'throttled', synthetic: true,
  start: async (env, page) => freshContexts(env, pageUrl(env, noCache, page)),
};

const floor: Mode = {
  name: 'fresh-context floor (loopback origin)', origin: 'floor', synthetic: true,
  start: async (env, page) => freshContexts(env, pageUrl(env, floor, page)),
};

const persistentProfile: Mode = {
  name: 'HTTP cache: warm persistent profile', origin: 'throttled', synthetic: false,
  start: async (env, page) => {
    const context = await chromium.launchPersistentContext(await scratch(env, 'profile'), env.launchOptions);
    const url = pageUrl(env, persistentProfile, page);
    await timedLoad(context, url);
    return { load: () => timedLoad(context, url), close: () => context.close() };
  },
};

const sameContext: Mode = {
  name: 'HTTP cache: warm same context', origin: 'throttled', synthetic: false,
  start: async (env, page) => {
    const context = await env.browser.newContext();
    const url = pageUrl(env, sameContext, page);
    await timedLoad(context, url);
    return { load: () => timedLoad(context, url), close: () => context.close() };
  },
};

const naiveFulfill: Mode = {
  name: 'naive route.fulfill from memory', origin: 'throttled', synthetic: true,
  start: async (env, page) => {
    const url = pageUrl(env, naiveFulfill, page);
    const bodies = new Map<string, { status: number; headers: Record<string, string>; body: Buffer }>();
    const warm = await env.browser.newContext();
    await warm.route(isBundle, async route => {
      const response = await route.fetch();
      const entry = { status: response.status(), headers: response.headers(), body: await response.body() };
      delete entry.headers['content-encoding'];
      delete entry.headers['content-length'];
      bodies.set(route.request().url(), entry);
      await route.fulfill(entry);
    });
    await timedLoad(warm, url);
    await warm.close();
    return freshContexts(env, url, context => context.route(isBundle, route => {
      const entry = bodies.get(route.request().url());
      return entry ? route.fulfill(entry) : route.fallback();
    }));
  },
};

const routeFromHar: Mode = {
  name: 'routeFromHAR', origin: 'throttled', synthetic: true,
  start: async (env, page) => {
    const url = pageUrl(env, routeFromHar, page);
    const har = path.join(await scratch(env, 'har'), 'site.har');
    const recording = await env.browser.newContext();
    await recording.routeFromHAR(har, { update: true, updateContent: 'attach' });
    // routeFromHAR takes a glob or a RegExp only: the exact bundle URLs the page asked for.
    const bundles = new Set<string>();
    recording.on('request', request => { if (isBundle(new URL(request.url()))) bundles.add(request.url()); });
    await timedLoad(recording, url);
    await recording.close();
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const only = new RegExp(`^(?:${[...bundles].map(escape).join('|')})$`);
    return freshContexts(env, url, context => context.routeFromHAR(har, { url: only, notFound: 'fallback' }));
  },
};

/**
 * Memory hits. Three variants for the must-revalidate page: `revalidate:
 * 'never'` takes the conditional request off each load (the check's cost, by
 * difference), `late` checks at the bundle's request only, with early
 * checks off (what checking at the document's request saves), and
 * `zero-latency` loads from the floor's origin (what the cache itself costs,
 * without the throttled origin's latency for the document and the bootstrap).
 */
type MemoryVariant = 'never' | 'late' | 'zero-latency';
const VARIANT_LABELS: Record<MemoryVariant, string> = {
  'never': ", revalidate 'never'",
  'late': ", checked at the bundle's request",
  'zero-latency': ', zero-latency origin',
};

function pluginMemory(serve: ServeMode, variant?: MemoryVariant): Mode {
  const label = variant ? VARIANT_LABELS[variant] : '';
  const mode: Mode = {
    name: `bundle cache: memory hit${label} (serve '${serve}')`, origin: variant === 'zero-latency' ? 'floor' : 'throttled', synthetic: !variant,
    start: async (env, page) => {
      const cache = await BundleCache.open({ dir: await scratch(env, 'cache'), serve, ...(variant === 'never' ? { revalidate: 'never' } : {}) }, variant === 'late' ? { earlyChecks: false } : {});
      const url = pageUrl(env, mode, page);
      const running = freshContexts(env, url, context => cache.attach(context));
      await running.load();
      return { load: running.load, close: () => cache.close() };
    },
  };
  return mode;
}

function pluginDisk(serve: ServeMode): Mode {
  const mode: Mode = {
    name: `bundle cache: disk hit, new instance (serve '${serve}')`, origin: 'throttled', synthetic: true,
    start: async (env, page) => {
      const dir = await scratch(env, 'cache');
      const url = pageUrl(env, mode, page);
      const warm = await BundleCache.open({ dir, serve });
      await freshContexts(env, url, context => warm.attach(context)).load();
      await warm.close();
      return {
        // A new BundleCache per load has an empty memory tier, as a new process would.
        load: async () => {
          const cache = await BundleCache.open({ dir, serve });
          try {
            return await freshContexts(env, url, context => cache.attach(context)).load();
          } finally {
            await cache.close();
          }
        },
        close: async () => {},
      };
    },
  };
  return mode;
}

function pluginMiss(serve: ServeMode): Mode {
  const mode: Mode = {
    name: `bundle cache: miss, empty cache (serve '${serve}')`, origin: 'throttled', synthetic: false,
    start: async (env, page) => {
      const url = pageUrl(env, mode, page);
      return {
        // Every load starts from an empty cache dir: fetched with route.fetch, stored, then served.
        load: async () => {
          const cache = await BundleCache.open({ dir: await scratch(env, 'cold'), serve });
          try {
            return await freshContexts(env, url, context => cache.attach(context)).load();
          } finally {
            await cache.close();
          }
        },
        close: async () => {},
      };
    },
  };
  return mode;
}

export const MODES: readonly Mode[] = [
  noCache,
  floor,
  persistentProfile,
  sameContext,
  naiveFulfill,
  routeFromHar,
  pluginMemory('fulfill'),
  pluginMemory('loopback'),
  pluginMemory('loopback', 'never'),
  pluginMemory('loopback', 'late'),
  pluginMemory('loopback', 'zero-latency'),
  pluginDisk('fulfill'),
  pluginDisk('loopback'),
  pluginMiss('fulfill'),
  pluginMiss('loopback'),
];

export async function makeWorkDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'bundle-cache-bench-'));
}
