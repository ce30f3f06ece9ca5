const ELLIPSIS = '…';

/**
 * Fits a URL in `max` characters for a table, keeping what tells entries
 * apart: the scheme goes first (the table is about cached http(s) bundles),
 * then the middle of the path, keeping the host and the file name with its
 * query (`?v=2` is the version). Only as a last resort is the text cut in the
 * middle. Full URLs are always in `--json`.
 */
export function shortenUrl(url: string, max: number): string {
  const bare = url.replace(/^https?:\/\//i, '');
  if (bare.length <= max)
    return bare;
  const slash = bare.indexOf('/');
  if (slash > 0) {
    const host = bare.slice(0, slash);
    const path = bare.slice(slash);
    const queryAt = path.indexOf('?');
    const pathname = queryAt >= 0 ? path.slice(0, queryAt) : path;
    const query = queryAt >= 0 ? path.slice(queryAt) : '';
    const file = pathname.slice(pathname.lastIndexOf('/') + 1);
    const candidate = `${host}/${ELLIPSIS}/${file}${query}`;
    if (candidate.length <= max && candidate.length < bare.length)
      return candidate;
  }
  return cutMiddle(bare, max);
}

/** `abcdefghij`, 7 -> `abc…hij`: keeps both ends, which carry host and file. */
export function cutMiddle(text: string, max: number): string {
  if (text.length <= max)
    return text;
  if (max <= 1)
    return ELLIPSIS.slice(0, max);
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return text.slice(0, head) + ELLIPSIS + text.slice(text.length - (keep - head));
}
