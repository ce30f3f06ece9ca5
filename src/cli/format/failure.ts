/** Messages that say only that something failed, not why: the cause says more. */
const GENERIC = new Set(['fetch failed', 'failed', 'error', 'request failed', 'network error']);
const MAX_DEPTH = 8;

/**
 * Why a fetch failed, in one line: the messages along `error.cause` (and an
 * AggregateError's `errors`, as Node's connect gives for each address it
 * tried), without the generic ones ("fetch failed"), the API prefix
 * Playwright puts first (`apiRequestContext.get: `), its call log, or a
 * message repeated by its cause. `connect ECONNREFUSED 127.0.0.1:9`,
 * `getaddrinfo ENOTFOUND cdn.invalid`, `self-signed certificate`,
 * `Timeout 30000ms exceeded.` Pure.
 */
export function describeFailure(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  let code: string | undefined;
  for (let at = error, depth = 0; at !== undefined && at !== null && depth < MAX_DEPTH && !seen.has(at); depth++) {
    seen.add(at);
    code ??= codeOf(at);
    const own = messagesOf(at).filter(text => !GENERIC.has(text.toLowerCase().replace(/\.$/, '')));
    for (const text of own) {
      const last = parts.at(-1);
      if (last?.includes(text))
        continue;
      if (last !== undefined && text.includes(last))
        parts[parts.length - 1] = text;
      else
        parts.push(text);
    }
    at = (at as { cause?: unknown }).cause;
  }
  if (parts.length)
    return parts.join(': ');
  if (code)
    return code;
  return error === undefined || error === null ? 'unknown error' : firstLine(String((error as Error).message ?? error)) || 'unknown error';
}

function messagesOf(error: unknown): string[] {
  if (typeof error !== 'object')
    return [firstLine(String(error))].filter(Boolean);
  const message = firstLine(String((error as Error).message ?? ''));
  const errors = (error as { errors?: unknown }).errors;
  // Node's happy-eyeballs connect fails with an empty AggregateError holding one error per address.
  if (!message && Array.isArray(errors))
    return [[...new Set(errors.map(inner => firstLine(String((inner as Error)?.message ?? inner))))].join('; ')];
  return message ? [message] : [];
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The first line, without Playwright's `object.method: ` prefix. */
function firstLine(text: string): string {
  return text.split('\n')[0]!.replace(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*: /, '').trim();
}
