import { compileGlob } from './glob.js';
import type { RevalidateMode } from '../freshness/decide.js';
import type { RuleMatcher } from '../types.js';
import type { HostTest } from './ruleHosts.js';

/** A rule after validation: a ready matcher, a resolved maxAge and revalidation mode. */
export interface ResolvedRule {
  readonly name: string;
  readonly maxAgeMs: number;
  readonly revalidate: RevalidateMode;
  readonly test: (url: URL) => boolean;
  /** The hosts the rule can match (a glob that names its host), or undefined: any host. See ruleHosts.ts. */
  readonly hosts?: HostTest;
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
