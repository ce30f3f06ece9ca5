import type { RevalidateMode } from '../../../src/index.js';
import type { OriginProfile } from '../../site/server.js';

/**
 * The visits of the profile tests (see profiles.spec.ts): `store`, a cold
 * cache; `new run`, a new BundleCache 1 s later; `deploy`, build 2 deployed,
 * same BundleCache; `new run after deploy`, a new one; `stale by headers`,
 * the clock moved past what the headers allow, same BundleCache; `past
 * maxAge`, 25 h later, same BundleCache.
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

export function expectedSteps(profile: OriginProfile, mode: RevalidateMode): Step[] {
  return TABLE[profile][mode].split(', ').map(cell => {
    const match = /^(.+) (200|304|-)\/(\d)$/.exec(cell)!;
    return { name: match[1] as StepName, answer: match[2] as Step['answer'], build: Number(match[3]) };
  });
}
