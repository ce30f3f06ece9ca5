import { test, expect } from '@playwright/test';
import { normalizeUrl } from '../../../src/keys/normalizeUrl.js';
import { splitVersion } from '../../../src/keys/version.js';

const cases: Array<[url: string, resource: string, version: string | null]> = [
  // Flutter
  ['https://app.example.com/main.dart.js?v=1234567890', 'https://app.example.com/main.dart.js', '1234567890'],
  ['https://app.example.com/main.dart.js?v=abc', 'https://app.example.com/main.dart.js', 'abc'],
  ['https://app.example.com/main.dart.js', 'https://app.example.com/main.dart.js', null],
  ['https://app.example.com/build/3f9a1c7/main.dart.js', 'https://app.example.com/build/*/main.dart.js', '3f9a1c7'],
  ['https://app.example.com/canvaskit/canvaskit.wasm', 'https://app.example.com/canvaskit/canvaskit.wasm', null],
  ['https://www.gstatic.com/flutter-canvaskit/e76c956498841e1ab458577d3892003e553e4f3c/canvaskit.wasm', 'https://www.gstatic.com/flutter-canvaskit/*/canvaskit.wasm', 'e76c956498841e1ab458577d3892003e553e4f3c'],
  ['https://www.gstatic.com/flutter-canvaskit/e76c956498841e1ab458577d3892003e553e4f3c/chromium/canvaskit.js', 'https://www.gstatic.com/flutter-canvaskit/*/chromium/canvaskit.js', 'e76c956498841e1ab458577d3892003e553e4f3c'],
  ['https://unpkg.com/canvaskit-wasm@0.42.0/bin/canvaskit.wasm', 'https://unpkg.com/canvaskit-wasm@*/bin/canvaskit.wasm', '0.42.0'],
  // npm CDNs
  ['https://cdn.jsdelivr.net/npm/three@0.187.0/build/three.module.js', 'https://cdn.jsdelivr.net/npm/three@*/build/three.module.js', '0.187.0'],
  ['https://cdn.jsdelivr.net/npm/@scope/pkg@1.2.3-beta.4/dist/index.js', 'https://cdn.jsdelivr.net/npm/@scope/pkg@*/dist/index.js', '1.2.3-beta.4'],
  ['https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js', 'https://cdnjs.cloudflare.com/ajax/libs/jquery/*/jquery.min.js', '3.7.1'],
  ['https://cdn.example.com/lib/v2.10.0/lib.js', 'https://cdn.example.com/lib/*/lib.js', 'v2.10.0'],
  // hashed file names
  ['https://app.example.com/static/js/main.3f9a1c.js', 'https://app.example.com/static/js/main.*.js', '3f9a1c'],
  ['https://app.example.com/static/js/2.3f9a1c2b.chunk.js', 'https://app.example.com/static/js/2.*.chunk.js', '3f9a1c2b'],
  ['https://app.example.com/static/css/main.a1b2c3d4.css', 'https://app.example.com/static/css/main.*.css', 'a1b2c3d4'],
  ['https://app.example.com/assets/index-BdK3x9Qa.js', 'https://app.example.com/assets/index-*.js', 'BdK3x9Qa'],
  ['https://app.example.com/assets/chunk-vendors-3f9a1c2b.js', 'https://app.example.com/assets/chunk-vendors-*.js', '3f9a1c2b'],
  ['https://app.example.com/_next/static/chunks/framework.2f7f1e2a0c5b9d4e.js', 'https://app.example.com/_next/static/chunks/framework.*.js', '2f7f1e2a0c5b9d4e'],
  ['https://code.jquery.com/jquery-3.7.1.min.js', 'https://code.jquery.com/jquery-*.min.js', '3.7.1'],
  ['https://app.example.com/fonts/Roboto-Regular.3f9a1c2b.woff2', 'https://app.example.com/fonts/Roboto-Regular.*.woff2', '3f9a1c2b'],
  // query parameters
  ['https://app.example.com/app.js?version=2.1.0', 'https://app.example.com/app.js', '2.1.0'],
  ['https://app.example.com/app.js?hash=deadbeef', 'https://app.example.com/app.js', 'deadbeef'],
  ['https://app.example.com/app.css?v=7&theme=dark', 'https://app.example.com/app.css?theme=dark', '7'],
  ['https://fonts.example.com/icons.woff2?v=7.4.47', 'https://fonts.example.com/icons.woff2', '7.4.47'],
  ['https://app.example.com/app.js?v=', 'https://app.example.com/app.js?v=', null],
  // timestamps and ids in paths
  ['https://app.example.com/releases/1732185600/main.dart.js', 'https://app.example.com/releases/*/main.dart.js', '1732185600'],
  ['https://app.example.com/releases/20261121-1030/app.js', 'https://app.example.com/releases/*/app.js', '20261121-1030'],
  ['https://app.example.com/builds/3f2504e0-4f89-11d3-9a0c-0305e82c3301/main.js', 'https://app.example.com/builds/*/main.js', '3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
  // several versions in one URL
  ['https://app.example.com/build/3f9a1c7/main.dart.js?v=5', 'https://app.example.com/build/*/main.dart.js', '5,3f9a1c7'],
  // no version
  ['https://app.example.com/static/js/main.js', 'https://app.example.com/static/js/main.js', null],
  ['https://app.example.com/sass.dart.js', 'https://app.example.com/sass.dart.js', null],
  ['https://app.example.com/polyfills-es2015.js', 'https://app.example.com/polyfills-es2015.js', null],
  ['https://app.example.com/fonts/Roboto-Regular.ttf', 'https://app.example.com/fonts/Roboto-Regular.ttf', null],
  ['https://app.example.com/api/v1/app.js', 'https://app.example.com/api/v1/app.js', null],
  ['https://app.example.com/products/facade/decade.js', 'https://app.example.com/products/facade/decade.js', null],
  ['https://app.example.com/fa-solid-900.woff2', 'https://app.example.com/fa-solid-900.woff2', null],
  ['https://app.example.com/vendor.bundle.min.js', 'https://app.example.com/vendor.bundle.min.js', null],
];

test.describe('splitVersion', () => {
  test('should cover at least 30 URLs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const [url, resource, version] of cases) {
    test(`should split ${url}`, () => {
      expect(splitVersion(normalizeUrl(url))).toEqual({ resource, version });
    });
  }

  test('should give two builds of one bundle the same resource and different versions', () => {
    const a = splitVersion(normalizeUrl('https://h/main.dart.js?v=1'));
    const b = splitVersion(normalizeUrl('https://h/main.dart.js?v=2'));
    expect(a.resource).toBe(b.resource);
    expect(a.version).not.toBe(b.version);
  });

  test('should keep two different bundles apart', () => {
    const a = splitVersion(normalizeUrl('https://h/static/js/main.3f9a1c.js'));
    const b = splitVersion(normalizeUrl('https://h/static/css/main.3f9a1c.css'));
    expect(a.resource).not.toBe(b.resource);
  });
});
