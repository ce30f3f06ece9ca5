import { compileGlob, globRouteSource } from './glob.js';
import { isVersionedAsset, VERSIONED_ASSET_ROUTE } from './defaultRules.js';
import type { RevalidateMode } from '../freshness/decide.js';
import type { RuleMatcher } from '../types.js';

/** A rule after validation: a ready matcher, a resolved maxAge and revalidation mode. */
export interface ResolvedRule {
  readonly name: string;
  readonly maxAgeMs: number;
  readonly revalidate: RevalidateMode;
  readonly test: (url: URL) => boolean;
  /** A RegExp source matching at least every URL `test` accepts (see `routeSource`); undefined for a predicate. */
  readonly route: string | undefined;
}

/** Throws (with a plain message) when a glob cannot be compiled, so options validation can name the rule. */
export function compileMatcher(matcher: RuleMatcher): (url: URL) => boolean {
  if (typeof matcher === 'string')
    return compileGlob(matcher);
  if (matcher instanceof RegExp) {
    // A global or sticky RegExp keeps state between calls; use a stateless copy.
    const regex = new RegExp(matcher.source, matcher.flags.replace(/[gy]/g, ''));
    return url => regex.test(url.href);
  }
  return matcher;
}

/**
 * The URLs a rule may cache as a RegExp source on the request's URL: the
 * glob or RegExp itself, loosened where it helps (`i`, escapes). Given to
 * Playwright, which then lets every other request go without a round trip
 * to this process; `test` still decides. A predicate cannot be bounded
 * (undefined: every request is routed), except the default rules' own.
 */
export function routeSource(matcher: RuleMatcher): string | undefined {
  if (typeof matcher === 'string')
    return globRouteSource(matcher);
  if (matcher instanceof RegExp) {
    // Combined with the others under the flag `i` alone: `u` and `v` change the
    // syntax, and a backreference would point at another rule's group.
    if (/[uv]/.test(matcher.flags) || /\\(?:[1-9]|k<)/.test(matcher.source))
      return undefined;
    return matcher.source;
  }
  return matcher === isVersionedAsset ? VERSIONED_ASSET_ROUTE : undefined;
}

/**
 * One RegExp for `context.route()` matching every URL some rule may cache,
 * or undefined when a rule cannot be bounded: route every request then.
 */
export function routePattern(rules: readonly ResolvedRule[]): RegExp | undefined {
  const sources = rules.map(rule => rule.route);
  if (sources.some(source => source === undefined))
    return undefined;
  if (!sources.length)
    return /(?!)/;
  try {
    return new RegExp(sources.map(source => `(?:${source})`).join('|'), 'i');
  } catch {
    // Two RegExps naming the same group, say.
    return undefined;
  }
}

export function matcherName(matcher: RuleMatcher): string {
  if (typeof matcher === 'string')
    return matcher;
  if (matcher instanceof RegExp)
    return String(matcher);
  return matcher.name || 'predicate';
}

/** The first rule matching `url`, or undefined. A throwing predicate counts as no match. */
export function findRule(rules: readonly ResolvedRule[], url: URL): ResolvedRule | undefined {
  for (const rule of rules) {
    try {
      if (rule.test(url))
        return rule;
    } catch {
      // a user predicate that throws must not break the page; treat it as "not this rule"
    }
  }
  return undefined;
}
