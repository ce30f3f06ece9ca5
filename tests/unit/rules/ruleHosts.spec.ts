import { test, expect } from '@playwright/test';
import { ruleHosts } from '../../../src/rules/ruleHosts.js';

test('should name the hosts of globs that spell out their host', () => {
  const app = ruleHosts('https://app.example.com/**')!;
  expect(app('app.example.com', 443)).toBe(true);
  expect(app('APP.example.com', 8443)).toBe(true);
  expect(app('cdn.example.com', 443)).toBe(false);
  const sub = ruleHosts('https://*.example.com/assets/*.js')!;
  expect(sub('cdn.example.com', 443)).toBe(true);
  expect(sub('example.com', 443)).toBe(false);
  const alternatives = ruleHosts('https://{app,cdn}.example.com/**')!;
  expect(alternatives('cdn.example.com', 443)).toBe(true);
  expect(alternatives('www.example.com', 443)).toBe(false);
  const withPort = ruleHosts('http://localhost:8080/**')!;
  expect(withPort('localhost', 8080)).toBe(true);
  expect(withPort('localhost', 8081)).toBe(false);
});

test('should leave globs without a host, RegExps and predicates to any host', () => {
  for (const matcher of ['**/main.dart.js', '*.wasm', 'https://**/x.js', /main\.dart\.js$/, (url: URL) => url.pathname.endsWith('.js')])
    expect(ruleHosts(matcher), String(matcher)).toBeUndefined();
});
