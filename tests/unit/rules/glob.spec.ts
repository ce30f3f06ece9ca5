import { test, expect } from '@playwright/test';
import { compileGlob } from '../../../src/rules/glob.js';

const cases: Array<[glob: string, url: string, matches: boolean]> = [
  ['**/main.dart.js', 'https://app/main.dart.js', true],
  ['**/main.dart.js', 'https://app/main.dart.js?v=abc', true],
  ['**/main.dart.js', 'https://app/build/1/main.dart.js', true],
  ['**/main.dart.js', 'https://app/main.dart.js.map', false],
  ['**/main.dart.js', 'https://app/xmain.dart.js', false],
  ['*.wasm', 'https://app/canvaskit/canvaskit.wasm?v=1', true],
  ['*.wasm', 'https://app/canvaskit/canvaskit.wasm.js', false],
  ['main.dart.js', 'https://app/deep/main.dart.js', true],
  ['https://cdn.example.com/**', 'https://cdn.example.com/a/b.js', true],
  ['https://cdn.example.com/**', 'https://evil.com/cdn.example.com/a.js', false],
  ['https://*.example.com/*.js', 'https://cdn.example.com/a.js', true],
  ['https://*.example.com/*.js', 'https://cdn.example.com/a/b.js', false],
  ['**/*.{woff,woff2}', 'https://app/fonts/a.woff2', true],
  ['**/*.{woff,woff2}', 'https://app/fonts/a.ttf', false],
  ['**/app.js?v=1', 'https://app/app.js?v=1', true],
  ['**/app.js?v=1', 'https://app/app.js?v=2', false],
  ['**/a+b.js', 'https://app/a+b.js', true],
];

for (const [glob, url, matches] of cases) {
  test(`should ${matches ? '' : 'not '}match ${url} with ${glob}`, () => {
    expect(compileGlob(glob)(new URL(url))).toBe(matches);
  });
}

test('should reject an unclosed brace and an empty glob', () => {
  expect(() => compileGlob('**/*.{js,css')).toThrow('unclosed');
  expect(() => compileGlob('')).toThrow('empty');
});
