import { checkSessionKey, checkSessionName, checkSessionOptions, received, type Checked, type ResolvedSessionOptions } from './sessionOptions.js';

/** The `sessions` option, validated: the encryption secret if given there, and the declared sessions by name. */
export interface ParsedSessionsOption {
  readonly key: string | undefined;
  readonly declared: ReadonlyMap<string, ResolvedSessionOptions>;
}

/**
 * `sessions: { key?, [name]: { warm, ttl?, rewarmOn?, breaker? } }`. `key` is
 * the one reserved name. Issues carry their path below `sessions`.
 */
export function checkSessionsOption(input: unknown): Checked<ParsedSessionsOption> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ok: false, issue: { path: [], message: `expected { key?, <name>: { warm, ttl?, rewarmOn? } }; got ${received(input)}` } };
  const declared = new Map<string, ResolvedSessionOptions>();
  let key: string | undefined;
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    if (value === undefined)
      continue;
    if (name === 'key') {
      const problem = checkSessionKey(value);
      if (problem)
        return { ok: false, issue: { path: ['key'], message: problem } };
      key = value as string;
      continue;
    }
    const nameProblem = checkSessionName(name);
    if (nameProblem)
      return { ok: false, issue: { path: [name], message: `a session name must be a non-empty string without control characters (${nameProblem})` } };
    const checked = checkSessionOptions(value);
    if (!checked.ok)
      return { ok: false, issue: { path: [name, ...checked.issue.path], message: checked.issue.message } };
    declared.set(name, checked.value);
  }
  return { ok: true, value: { key, declared } };
}
