import { test, expect } from '@playwright/test';
import { redirectTarget, redirectedRequest, MAX_REDIRECTS } from '../../../src/http/redirects.js';
import type { CacheRequest } from '../../../src/core/request.js';

const from = 'https://app.example.com/main.dart.js';

test('should follow 301, 302, 303, 307 and 308 with a Location, resolved against the URL', () => {
  for (const status of [301, 302, 303, 307, 308])
    expect(redirectTarget({ status, headers: { location: '/build/main.3f9a1c2b.js' } }, from, 0)).toBe('https://app.example.com/build/main.3f9a1c2b.js');
  expect(redirectTarget({ status: 302, headers: { location: 'https://cdn.example.com/a/canvaskit.wasm#x' } }, from, 0)).toBe('https://cdn.example.com/a/canvaskit.wasm');
});

test('should not follow other statuses, a missing or odd Location, itself, or one hop too many', () => {
  expect(redirectTarget({ status: 200, headers: { location: '/x.js' } }, from, 0)).toBeUndefined();
  expect(redirectTarget({ status: 304, headers: {} }, from, 0)).toBeUndefined();
  expect(redirectTarget({ status: 302, headers: {} }, from, 0)).toBeUndefined();
  expect(redirectTarget({ status: 302, headers: { location: 'data:text/javascript,1' } }, from, 0)).toBeUndefined();
  expect(redirectTarget({ status: 302, headers: { location: 'http://[' } }, from, 0)).toBeUndefined();
  expect(redirectTarget({ status: 302, headers: { location: from } }, from, 0)).toBeUndefined();
  expect(redirectTarget({ status: 302, headers: { location: '/y.js' } }, from, MAX_REDIRECTS)).toBeUndefined();
});

test('should key the target by its own URL and drop credentials on the way to another origin', () => {
  const request = {
    key: `GET ${from}`, url: from, rule: { name: 'flutter-main', maxAgeMs: 1, revalidate: 'run' },
    requestHeaders: { cookie: 'sid=1', authorization: 'Basic x', accept: '*/*' }, wantsFresh: false, arrivedAt: 0,
  } satisfies CacheRequest;
  const sameOrigin = redirectedRequest(request, 'https://app.example.com/build/main.3f9a1c2b.js');
  expect(sameOrigin).toMatchObject({ key: 'GET https://app.example.com/build/main.3f9a1c2b.js', rule: request.rule, requestHeaders: request.requestHeaders });
  const crossOrigin = redirectedRequest(request, 'https://cdn.example.com/main.js');
  expect(crossOrigin.requestHeaders).toEqual({ accept: '*/*' });
});
