import type { RevalidateMode } from '../../src/index.js';
import type { OriginProfile } from '../site/server.js';
import { HOUR, MINUTE, SECOND } from './clockedSite.js';

/**
 * The visits of the profile tests (every row: tests/unit/warm/profiles.spec.ts;
 * one per family in Chromium: tests/browser/freshness/profiles.spec.ts):
 * `store`, a cold cache; `new run`, a new BundleCache 1 s later; `deploy`,
 * build 2 deployed, same BundleCache; `new run after deploy`, a new one;
 * `stale by headers`, the clock moved past what the headers allow, same
 * BundleCache; `past maxAge`, 25 h later, same BundleCache.
 */
export type StepName = 'store' | 'new run' | 'deploy' | 'new run after deploy' | 'stale by headers' | 'past maxAge';

/** One visit: what the origin answers for main.dart.js (`-`: it is not asked) and which build the page runs. */
export interface Step {
  readonly name: StepName;
  readonly answer: '200' | '304' | '-';
  readonly build: number;
}

// docs/freshness.md's table, spelled out visit by visit as `step answer/build`.
const EVERY_USE = 'store 200/1, new run 304/1, deploy 200/2, new run after deploy 304/2';
const ALWAYS = 'store 200/1, new run 304/1, deploy 200/2';
const NEVER = 'store 200/1, deploy -/1, new run after deploy -/1, past maxAge 200/2';
/** Fresh by its headers for a while: `run` checks at each BundleCache's first use, `http` only once stale. */
const FRESH_FOR_A_WHILE: Record<RevalidateMode, string> = {
  run: 'store 200/1, new run 304/1, deploy -/1, new run after deploy 200/2, stale by headers 304/2',
  http: 'store 200/1, new run -/1, deploy -/1, new run after deploy -/1, stale by headers 200/2',
  always: ALWAYS,
  never: NEVER,
};
/**
 * Nothing to ask with and no freshness given: fresh until the run ends
 * (RFC 9111's heuristic, chosen as the run), so fetched whole once per run;
 * a deploy is seen by the next run. 'always' fetches it at every use.
 */
const ONCE_PER_RUN = 'store 200/1, new run 200/1, deploy -/1, new run after deploy 200/2';

const TABLE: Record<OriginProfile, Record<RevalidateMode, string>> = {
  'netlify': { run: EVERY_USE, http: EVERY_USE, always: ALWAYS, never: NEVER },
  'github-pages': FRESH_FOR_A_WHILE,
  'firebase': FRESH_FOR_A_WHILE,
  'nginx': FRESH_FOR_A_WHILE,
  'no-cache': { run: EVERY_USE, http: EVERY_USE, always: ALWAYS, never: NEVER },
  'no-validators': { run: ONCE_PER_RUN, http: ONCE_PER_RUN, always: 'store 200/1, new run 200/1, deploy 200/2', never: NEVER },
};

/** How far past the origin's freshness the `stale by headers` step moves the clock. */
export const STALE_AFTER: Record<OriginProfile, number> = {
  'netlify': MINUTE,
  'github-pages': 11 * MINUTE,
  'firebase': 61 * MINUTE,
  // Deployed 5 days before the test: RFC 9111's heuristic gives 12 h.
  'nginx': 13 * HOUR,
  'no-validators': MINUTE,
  'no-cache': MINUTE,
};

/** How long before the test each profile's build 1 was deployed (its Last-Modified age). */
export const SITE_AGE: Record<OriginProfile, number> = {
  'netlify': 0, 'github-pages': 0, 'firebase': 0, 'nginx': 5 * 24 * HOUR, 'no-validators': 0, 'no-cache': 0,
};

export const hasValidators = (profile: OriginProfile): boolean => profile !== 'no-validators';
export const withLastModified = (profile: OriginProfile): boolean => profile === 'github-pages' || profile === 'nginx';

/**
 * What the CDN answers for canvaskit.wasm at a step (`-`: it is not asked):
 * versioned under its engine revision, so immutable, checked only in mode
 * 'always' and past maxAge, and fetched whole past maxAge in mode 'never'.
 */
export function cdnAnswer(step: StepName, mode: RevalidateMode): '200' | '304' | '-' {
  if (step === 'store')
    return '200';
  if (mode === 'always')
    return '304';
  if (step === 'past maxAge')
    return mode === 'never' ? '200' : '304';
  return '-';
}

export function expectedSteps(profile: OriginProfile, mode: RevalidateMode): Step[] {
  return TABLE[profile][mode].split(', ').map(cell => {
    const match = /^(.+) (200|304|-)\/(\d)$/.exec(cell)!;
    return { name: match[1] as StepName, answer: match[2] as Step['answer'], build: Number(match[3]) };
  });
}

/**
 * Moves the world to a step before its visit: the clock (and the site, for
 * a deploy). True when the step starts a new run (a new BundleCache).
 */
export function enterStep(step: StepName, profile: OriginProfile, world: { clock: { advance(ms: number): void }; site: { deploy(): unknown } }): boolean {
  switch (step) {
    case 'store':
      return false;
    case 'new run':
    case 'new run after deploy':
      world.clock.advance(SECOND);
      return true;
    case 'deploy':
      world.site.deploy();
      world.clock.advance(SECOND);
      return false;
    case 'stale by headers':
      world.clock.advance(STALE_AFTER[profile]);
      return false;
    case 'past maxAge':
      world.clock.advance(25 * HOUR);
      return false;
  }
}
