/**
 * Compiles a URL glob to a RegExp.
 *
 * - `**` matches anything; `**` followed by `/` matches any number of path
 *   segments (or none);
 *   `*` matches within one segment, `{a,b}` is an alternative.
 * - `?` is a literal character, as in Playwright's URL globs since 1.52, so that
 *   a glob can spell out a query string.
 * - A glob without `/` matches the URL's file name (`*.wasm`, `main.dart.js`).
 *
 * Returns a function testing a URL with and without its query string, so the
 * glob `**` + `/main.dart.js` matches `https://app/main.dart.js?v=42`.
 */
export function compileGlob(glob: string): (url: URL) => boolean {
  if (!glob)
    throw new Error('a glob must not be empty');
  const regex = new RegExp(`^${globToRegexSource(glob)}$`);
  if (!glob.includes('/'))
    return url => regex.test(fileName(url));
  return url => {
    const withoutHash = url.href.slice(0, url.href.length - url.hash.length);
    const withoutQuery = withoutHash.slice(0, withoutHash.length - url.search.length);
    return regex.test(withoutQuery) || regex.test(withoutHash);
  };
}

function globToRegexSource(glob: string): string {
  let source = '';
  let inGroup = false;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*') {
      if (glob[i + 1] === '*') {
        if (glob[i + 2] === '/') {
          source += '(?:.*/)?';
          i += 2;
        } else {
          source += '.*';
          i += 1;
        }
      } else {
        source += '[^/]*';
      }
    } else if (char === '{' && !inGroup) {
      inGroup = true;
      source += '(?:';
    } else if (char === '}' && inGroup) {
      inGroup = false;
      source += ')';
    } else if (char === ',' && inGroup) {
      source += '|';
    } else {
      source += char.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
    }
  }
  if (inGroup)
    throw new Error(`unclosed "{" in glob ${JSON.stringify(glob)}`);
  return source;
}

function fileName(url: URL): string {
  const path = url.pathname;
  return decodeURIComponentSafe(path.slice(path.lastIndexOf('/') + 1));
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
