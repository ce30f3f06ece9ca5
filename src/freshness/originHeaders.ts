/**
 * The response headers that decide freshness and validation. meta.json keeps
 * them as the origin sent them (after the checks below), beside the headers
 * served on a hit, so the freshness of an entry can be judged again later.
 */
export const FRESHNESS_HEADERS = ['cache-control', 'expires', 'date', 'age', 'last-modified', 'etag', 'pragma'] as const;

/**
 * A validator longer than this is not kept: it would be sent back in every
 * conditional request, and no real ETag comes near it (a hostile one may be
 * 100 KB, which origins answer with 431 or worse).
 */
export const MAX_VALIDATOR_LENGTH = 1024;
/** Longer Cache-Control / Expires / Date / Age values are dropped as garbage. */
export const MAX_FRESHNESS_HEADER_LENGTH = 4096;

export type HeaderRecord = Readonly<Record<string, string>>;

/**
 * The freshness headers of a response, lower-cased, as one line each: repeated
 * header lines (which Playwright joins with a newline) become one
 * comma-separated value, as RFC 9110 allows for list headers. A validator
 * that is too long or malformed, an unparseable date, or an oversized value
 * is left out rather than stored: an entry without validators is refetched
 * whole, which is always correct.
 */
export function freshnessHeaders(responseHeaders: HeaderRecord): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [rawName, rawValue] of Object.entries(responseHeaders)) {
    const name = rawName.toLowerCase();
    if (!(FRESHNESS_HEADERS as readonly string[]).includes(name))
      continue;
    const value = oneLine(name, rawValue);
    if (value !== undefined)
      kept[name] = value;
  }
  return kept;
}

function oneLine(name: string, raw: string): string | undefined {
  const lines = raw.split('\n').map(line => line.trim()).filter(Boolean);
  if (!lines.length)
    return undefined;
  switch (name) {
    case 'etag':
      // Only one ETag can describe a body; two lines disagreeing means neither can be trusted.
      return lines.length === 1 && isEntityTag(lines[0]!) ? lines[0] : undefined;
    case 'last-modified':
      return lines.length === 1 && lines[0]!.length <= MAX_VALIDATOR_LENGTH && Number.isFinite(Date.parse(lines[0]!)) ? lines[0] : undefined;
    case 'date':
    case 'expires':
    case 'age': {
      // Single-valued fields: a repeated one is taken as its first line (as browsers do).
      const first = lines[0]!;
      return first.length <= MAX_FRESHNESS_HEADER_LENGTH ? first : undefined;
    }
    default: {
      const joined = lines.join(', ');
      return joined.length <= MAX_FRESHNESS_HEADER_LENGTH ? joined : undefined;
    }
  }
}

/** `"xyzzy"` or `W/"xyzzy"`, with the characters RFC 9110 allows inside the quotes. */
export function isEntityTag(value: string): boolean {
  return value.length <= MAX_VALIDATOR_LENGTH && /^(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/.test(value);
}

/** The validators a conditional request can send back. */
export interface Validators {
  readonly etag?: string;
  readonly lastModified?: string;
}

export function validatorsOf(headers: HeaderRecord): Validators {
  return {
    ...(headers.etag !== undefined ? { etag: headers.etag } : {}),
    ...(headers['last-modified'] !== undefined ? { lastModified: headers['last-modified'] } : {}),
  };
}

export function hasValidators(validators: Validators): boolean {
  return validators.etag !== undefined || validators.lastModified !== undefined;
}

/**
 * Whether the origin said how long the response stays fresh, or that it
 * must be checked before each use: `max-age`, `s-maxage`, `no-cache` (or
 * `Pragma: no-cache`), or `Expires` (RFC 9111 section 4.2.1).
 */
export function hasExplicitFreshness(headers: HeaderRecord): boolean {
  if (headers.expires !== undefined || /(?:^|,)\s*no-cache\b/i.test(headers.pragma ?? ''))
    return true;
  return (headers['cache-control'] ?? '').split(',').some(part => ['max-age', 's-maxage', 'no-cache'].includes(part.trim().split('=')[0]!.toLowerCase()));
}
