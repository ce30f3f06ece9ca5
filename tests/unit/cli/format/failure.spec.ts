import { test, expect } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'playwright';
import { describeFailure } from '../../../../src/cli/format/failure.js';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** A server that accepts requests and never answers them. */
async function silentServer(): Promise<{ url: string; server: Server }> {
  const server = createServer(() => {});
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/main.dart.js`, server };
}

const failureOf = (work: Promise<unknown>) => work.then(() => { throw new Error('expected a failure'); }, (error: unknown) => error);

test('should walk error.cause past Node fetch\'s "fetch failed" to the refused connection', async () => {
  const port = await closedPort();
  const error = await failureOf(fetch(`http://127.0.0.1:${port}/main.dart.js`));
  expect((error as Error).message).toBe('fetch failed');
  expect(describeFailure(error)).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
});

test('should name every address of an AggregateError (localhost tries ::1 and 127.0.0.1)', async () => {
  const port = await closedPort();
  const error = await failureOf(fetch(`http://localhost:${port}/main.dart.js`));
  expect(describeFailure(error)).toMatch(new RegExp(`ECONNREFUSED (::1|127\\.0\\.0\\.1):${port}`));
  expect(describeFailure(error)).not.toContain('fetch failed');
});

test('should say what Playwright\'s request said, without its API prefix and call log', async () => {
  const context = await request.newContext();
  const { url, server } = await silentServer();
  try {
    const port = await closedPort();
    expect(describeFailure(await failureOf(context.get(`http://127.0.0.1:${port}/x.js`)))).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(describeFailure(await failureOf(context.get('http://bundle-cache-test.invalid/x.js')))).toBe('getaddrinfo ENOTFOUND bundle-cache-test.invalid');
    expect(describeFailure(await failureOf(context.get(url, { timeout: 200 })))).toBe('Timeout 200ms exceeded.');
  } finally {
    await context.dispose();
    server.closeAllConnections();
    server.close();
  }
});

test('should report a timeout of Node fetch by its reason', async () => {
  const { url, server } = await silentServer();
  try {
    const error = await failureOf(fetch(url, { signal: AbortSignal.timeout(100) }));
    expect(describeFailure(error)).toBe('The operation was aborted due to timeout');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('should keep each distinct step of a chain once, and survive a cycle or an empty error', () => {
  const inner = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  const outer = new Error('request to https://cdn.example.com/a.js failed', { cause: new TypeError('fetch failed', { cause: inner }) });
  expect(describeFailure(outer)).toBe('request to https://cdn.example.com/a.js failed: self-signed certificate');
  const cyclic: Error & { cause?: unknown } = new Error('loop');
  cyclic.cause = cyclic;
  expect(describeFailure(cyclic)).toBe('loop');
  expect(describeFailure(Object.assign(new Error(''), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
  expect(describeFailure(new TypeError('fetch failed'))).toBe('fetch failed');
  expect(describeFailure(undefined)).toBe('unknown error');
});
