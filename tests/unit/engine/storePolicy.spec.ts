import { test, expect } from '@playwright/test';
import { bypassReason, storeVerdict, varyDigest, varyMatches } from '../../../src/http/storePolicy.js';
import { headersToPassThrough, headersToServe, headersToStore } from '../../../src/http/responseHeaders.js';

const verdict = (responseHeaders: Record<string, string>, status = 200, requestHeaders: Record<string, string> = {}, method = 'GET') =>
  storeVerdict({ method, status, requestHeaders, responseHeaders });

test('should store only GET 200 responses', () => {
  expect(verdict({})).toEqual({ store: true, vary: undefined });
  expect(verdict({}, 404)).toEqual({ store: false, reason: 'status 404' });
  expect(verdict({}, 206)).toEqual({ store: false, reason: 'status 206' });
  expect(verdict({}, 200, {}, 'POST')).toEqual({ store: false, reason: 'method POST' });
});

test('should never store no-store, private or Set-Cookie responses', () => {
  expect(verdict({ 'cache-control': 'public, no-store' })).toMatchObject({ store: false, reason: 'cache-control: no-store' });
  expect(verdict({ 'cache-control': 'private, max-age=60' })).toMatchObject({ store: false, reason: 'cache-control: private' });
  expect(verdict({ 'set-cookie': 'a=b' })).toMatchObject({ store: false, reason: 'set-cookie' });
  expect(verdict({ 'cache-control': 'no-cache' })).toMatchObject({ store: true });
});

test('should key variants on Vary but never on secrets', () => {
  expect(verdict({ vary: 'Accept-Encoding' })).toEqual({ store: true, vary: undefined });
  expect(verdict({ vary: 'Origin, Accept-Encoding' }, 200, { origin: 'https://a' })).toEqual({ store: true, vary: { origin: varyDigest('https://a') } });
  expect(JSON.stringify(verdict({ vary: 'X-Api-Key' }, 200, { 'x-api-key': 'CANARY-KEY' }))).not.toContain('CANARY-KEY');
  expect(verdict({ vary: '*' })).toMatchObject({ store: false });
  expect(verdict({ vary: 'Cookie' })).toMatchObject({ store: false, reason: 'vary: cookie' });
  expect(verdict({ vary: 'authorization' })).toMatchObject({ store: false });
  expect(varyMatches({ origin: varyDigest('https://a') }, { origin: 'https://a' })).toBe(true);
  expect(varyMatches({ origin: varyDigest('https://a') }, { origin: 'https://b' })).toBe(false);
  expect(varyMatches({ origin: varyDigest('') }, {})).toBe(true);
});

test('should bypass non-GET and Range requests', () => {
  expect(bypassReason('GET', {})).toBeUndefined();
  expect(bypassReason('HEAD', {})).toBe('method HEAD');
  expect(bypassReason('GET', { range: 'bytes=0-1' })).toBe('range request');
});

test('should store an allowlist of response headers, never cookies or tokens', () => {
  const stored = headersToStore({
    'content-type': 'text/javascript', 'access-control-allow-origin': '*', 'etag': '"x"',
    'set-cookie': 'a=b', 'x-amz-security-token': 'secret', 'content-encoding': 'gzip', 'content-length': '10', 'date': 'now',
  }, 'https://h/a.js');
  expect(stored).toEqual({ 'content-type': 'text/javascript', 'access-control-allow-origin': '*', 'etag': '"x"' });
});

test('should serve .wasm as application/wasm whatever the origin said', () => {
  expect(headersToStore({ 'content-type': 'application/octet-stream' }, 'https://h/c.wasm?v=1')['content-type']).toBe('application/wasm');
  expect(headersToPassThrough({}, 'https://h/c.wasm', 3)['content-type']).toBe('application/wasm');
});

test('should drop the wire encoding and recompute content-length', () => {
  expect(headersToPassThrough({ 'content-encoding': 'gzip', 'content-length': '100', 'transfer-encoding': 'chunked', 'content-type': 'text/javascript', 'set-cookie': 'a=b' }, 'https://h/a.js', 250))
      .toEqual({ 'content-type': 'text/javascript', 'content-length': '250', 'set-cookie': 'a=b' });
  expect(headersToServe({ 'content-type': 'text/css' }, 7)).toEqual({ 'content-type': 'text/css', 'content-length': '7' });
});
