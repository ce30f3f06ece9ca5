/**
 * A bundle's resource id is its URL with the version taken out; the version
 * is what was taken out. Two URLs with the same resource id and different
 * versions are two builds of one bundle, so storing the new one supersedes
 * the old one.
 */
export interface VersionSplit {
  /** The URL with each version part replaced by `*` (query parameters dropped). */
  readonly resource: string;
  /** The version parts joined with `,`, or null when the URL carries none. */
  readonly version: string | null;
}

/** Query parameters that carry a build version (`main.dart.js?v=…`). */
const VERSION_PARAMS = new Set(['v', 'ver', 'version', 'hash', 'build', 'rev']);

const SEMVER = String.raw`v?\d+\.\d+\.\d+(?:-[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?(?:\+[0-9A-Za-z.]+)?`;
const SEMVER_SEGMENT = new RegExp(`^${SEMVER}$`);
const NPM_SEGMENT = new RegExp(`^(.+)@(${SEMVER})$`);
const HEX_ID = /^[0-9a-f]{7,64}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIX_TIME = /^\d{10}(?:\d{3})?$/;
const DATE_STAMP = /^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:[T_-]?\d{4,6})?$/;
const FILE_HASH = /^(?:[0-9a-f]{6,64}|[A-Za-z0-9_]{8,32})$/;
// In a file name a pre-release is kept short, so `lib-1.2.3-rc.1.min.js` stops before `.min`.
const FILE_SEMVER = /([-_@])(v?\d+\.\d+\.\d+(?:-[0-9A-Za-z]+(?:\.\d+)*)?)(?=\.)/;

/** A path segment that is a build id: a hex hash, a semver, a UUID or a timestamp. */
export function isBuildId(segment: string): boolean {
  if (HEX_ID.test(segment) && /\d/.test(segment) && /[a-f]/i.test(segment))
    return true;
  return SEMVER_SEGMENT.test(segment) || UUID.test(segment) || UNIX_TIME.test(segment) || DATE_STAMP.test(segment);
}

/** A piece of a file name that is a content hash: hex, or base64url-like with digits and letters. */
export function isFileHash(piece: string): boolean {
  if (!FILE_HASH.test(piece) || !/\d/.test(piece))
    return false;
  return /[a-z]/i.test(piece) || DATE_STAMP.test(piece) || UNIX_TIME.test(piece);
}

export function splitVersion(normalizedUrl: string): VersionSplit {
  const url = new URL(normalizedUrl);
  const parts: string[] = [];

  for (const [name, value] of [...url.searchParams]) {
    if (VERSION_PARAMS.has(name.toLowerCase()) && value) {
      parts.push(value);
      url.searchParams.delete(name, value);
    }
  }
  if (url.search === '?')
    url.search = '';

  const segments = url.pathname.split('/');
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    const npm = NPM_SEGMENT.exec(segment);
    if (npm) {
      parts.push(npm[2]!);
      segments[i] = `${npm[1]}@*`;
    } else if (isBuildId(segment)) {
      parts.push(segment);
      segments[i] = '*';
    }
  }
  const last = segments.length - 1;
  segments[last] = stripFileVersion(segments[last]!, parts);

  const pathname = segments.join('/');
  const resource = `${url.origin}${pathname}${url.search}`;
  return { resource, version: parts.length ? parts.join(',') : null };
}

/** `main.3f9a1c.js` -> `main.*.js`, `index-BdK3x9Qa.js` -> `index-*.js`, `jquery-3.7.1.min.js` -> `jquery-*.min.js`. */
function stripFileVersion(fileName: string, parts: string[]): string {
  const semver = FILE_SEMVER.exec(fileName);
  if (semver) {
    parts.push(semver[2]!);
    return fileName.slice(0, semver.index) + semver[1] + '*' + fileName.slice(semver.index + semver[0].length);
  }
  const pieces = fileName.split('.');
  for (let i = 1; i < pieces.length - 1; i++) {
    if (isFileHash(pieces[i]!)) {
      parts.push(pieces[i]!);
      pieces[i] = '*';
    }
  }
  const stem = pieces[0]!.split('-');
  if (pieces.length > 1 && stem.length > 1 && isFileHash(stem[stem.length - 1]!)) {
    parts.push(stem[stem.length - 1]!);
    stem[stem.length - 1] = '*';
    pieces[0] = stem.join('-');
  }
  return pieces.join('.');
}
