import { test, expect } from '@playwright/test';
import { defaultRules } from '../../../src/rules/defaultRules.js';
import { compileMatcher, routePattern, routeSource, type ResolvedRule } from '../../../src/rules/rules.js';
import type { RuleMatcher } from '../../../src/types.js';

const resolve = (matchers: readonly RuleMatcher[]): ResolvedRule[] =>
  matchers.map((match, i) => ({ name: `r${i}`, maxAgeMs: 1, revalidate: 'run', test: compileMatcher(match), route: routeSource(match) }));
const defaults = resolve(defaultRules.map(rule => rule.match));

/** URLs as Chromium reports them (request.url()), which is what Playwright tests the pattern against. */
const urls = [
  'https://app/', 'https://app/index.html', 'https://app/flutter_bootstrap.js', 'https://app/main.dart.js', 'https://app/main.dart.js?v=3',
  'https://app/build/1/main.dart.js', 'https://app/main.dart.js.map', 'https://gstatic.example/flutter-canvaskit/c1c3a0b3/canvaskit.js',
  'https://app/canvaskit/skwasm.js', 'https://app/canvaskit/skwasm_heavy.js', 'https://app/canvaskit/canvaskit.wasm', 'https://app/a.wasm?x=1#h',
  'https://app/static/js/main.3f9a1c.js', 'https://app/app.css?v=7', 'https://app/app.CSS?V=7', 'https://cdn/npm/three@0.187.0/build/three.module.js',
  'https://app/fonts/Roboto.3f9a1c2b.woff2', 'https://app/assets/index-BdK3x9Qa.js', 'https://app/a.3f9a1c.mjs', 'https://app/app.js',
  'https://app/logo.3f9a1c.png', 'https://app/api/data.json?v=2', 'https://app/a/my%20file.wasm', 'https://app/%F0%9F%98%80.wasm',
  'https://cdn.example.com/a/b.js', 'https://evil.com/cdn.example.com/a.js', 'https://app/app.js?v=1', 'https://app/a+b.js', 'http://127.0.0.1:8080/x/y.z?q',
];

const matcherSets: Array<[label: string, matchers: RuleMatcher[]]> = [
  ['the default rules', defaultRules.map(rule => rule.match)],
  ['globs', ['https://cdn.example.com/**', '**/app.js?v=1', '**/a+b.js', 'main.dart.js', '**/*.{woff,woff2}']],
  ['file-name globs with characters a URL escapes', ['my file.wasm', '😀.wasm', 'a+b.js']],
  ['RegExps, with their flags', [/\/api\/.*\.json/, /MAIN\.DART\.JS$/i, /\.js$/gmsy, /^https:\/\/app\/(?<dir>static)\//]],
];

for (const [label, matchers] of matcherSets) {
  test(`should route every URL that ${label} cache`, () => {
    const rules = resolve(matchers);
    const pattern = routePattern(rules)!;
    expect(pattern).toBeInstanceOf(RegExp);
    for (const url of urls) {
      if (rules.some(rule => rule.test(new URL(url))))
        expect(pattern.test(url), url).toBe(true);
    }
  });
}

test('should let the page, its data and unversioned small files go without a round trip under the default rules', () => {
  const pattern = routePattern(defaults)!;
  for (const url of ['https://app/', 'https://app/index.html', 'https://app/api/data.json?v=2', 'https://app/logo.3f9a1c.png', 'https://app/manifest.json', 'https://app/assets/AssetManifest.bin'])
    expect(pattern.test(url), url).toBe(false);
  // A superset: what the predicate may take is routed, and the rule decides there.
  expect(pattern.test('https://app/flutter_bootstrap.js')).toBe(true);
  expect(defaults.some(rule => rule.test(new URL('https://app/flutter_bootstrap.js')))).toBe(false);
});

test('should route every request when a rule is a predicate of the user', () => {
  expect(routePattern(resolve([...defaultRules.map(rule => rule.match), url => url.pathname.endsWith('.bin')]))).toBeUndefined();
});

test('should route every request for a RegExp that cannot be combined with the others', () => {
  expect(routeSource(/\p{L}+\.js/u)).toBeUndefined();
  expect(routeSource(/(a)\1\.js/)).toBeUndefined();
  expect(routePattern(resolve([/(?<dir>a)\.js/, /(?<dir>b)\.js/]))).toBeUndefined();
});

test('should route nothing without rules', () => {
  expect(routePattern([])!.test('https://app/main.dart.js')).toBe(false);
});
