import { test, expect } from '@playwright/test';
import { defaultRules, isVersionedAsset } from '../../../src/rules/defaultRules.js';
import { compileMatcher, findRule, type ResolvedRule } from '../../../src/rules/rules.js';

const resolved: ResolvedRule[] = defaultRules.map(rule => ({ name: rule.name!, maxAgeMs: 1, revalidate: 'run', test: compileMatcher(rule.match) }));
const ruleFor = (url: string) => findRule(resolved, new URL(url))?.name;

test('should cache the Flutter bundles by default', () => {
  expect(ruleFor('https://app/main.dart.js')).toBe('flutter-main');
  expect(ruleFor('https://app/main.dart.js?v=123')).toBe('flutter-main');
  expect(ruleFor('https://app/canvaskit/canvaskit.js')).toBe('flutter-renderer');
  expect(ruleFor('https://app/canvaskit/skwasm.js')).toBe('flutter-renderer');
  expect(ruleFor('https://app/canvaskit/canvaskit.wasm')).toBe('wasm');
});

test('should cache versioned JS, CSS and fonts by default, and nothing else', () => {
  expect(ruleFor('https://app/static/js/main.3f9a1c.js')).toBe('versioned-asset');
  expect(ruleFor('https://app/app.css?v=7')).toBe('versioned-asset');
  expect(ruleFor('https://cdn/npm/three@0.187.0/build/three.module.js')).toBe('versioned-asset');
  expect(ruleFor('https://app/fonts/Roboto.3f9a1c2b.woff2')).toBe('versioned-asset');
  expect(ruleFor('https://app/app.js')).toBeUndefined();
  expect(ruleFor('https://app/index.html')).toBeUndefined();
  expect(ruleFor('https://app/logo.3f9a1c.png')).toBeUndefined();
  expect(ruleFor('https://app/api/data.json?v=2')).toBeUndefined();
});

test('should treat a RegExp as stateless even with the g flag', () => {
  const matcher = compileMatcher(/\.js$/g);
  const url = new URL('https://app/a.js');
  expect([matcher(url), matcher(url), matcher(url)]).toEqual([true, true, true]);
});

test('should treat a throwing predicate as no match', () => {
  const rules: ResolvedRule[] = [{ name: 'boom', maxAgeMs: 1, revalidate: 'run', test: () => { throw new Error('boom'); } }, { name: 'all', maxAgeMs: 1, revalidate: 'run', test: () => true }];
  expect(findRule(rules, new URL('https://app/a.js'))?.name).toBe('all');
});

test('should recognise a versioned asset only with a bundle extension', () => {
  expect(isVersionedAsset(new URL('https://app/a.3f9a1c.mjs'))).toBe(true);
  expect(isVersionedAsset(new URL('https://app/a.3f9a1c.map'))).toBe(false);
});
