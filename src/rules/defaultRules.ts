import type { BundleRule } from '../types.js';
import { splitVersion } from '../keys/version.js';
import { normalizeUrl } from '../keys/normalizeUrl.js';

const VERSIONABLE = /\.(?:m?js|css|woff2?|ttf|otf|eot)$/i;

/** JS, CSS and font files whose URL carries a version (a hash, a semver or `?v=`): immutable per URL. */
export function isVersionedAsset(url: URL): boolean {
  return VERSIONABLE.test(url.pathname) && splitVersion(normalizeUrl(url)).version !== null;
}

/** The rules used when `rules` is not given; spread them to extend: `rules: [...defaultRules, '**' + '/*.mp4']`. */
export const defaultRules: readonly BundleRule[] = Object.freeze([
  { name: 'flutter-main', match: '**/main.dart.js' },
  { name: 'flutter-renderer', match: '**/{canvaskit,skwasm,skwasm_heavy}.js' },
  { name: 'wasm', match: '*.wasm' },
  { name: 'versioned-asset', match: isVersionedAsset },
]);
