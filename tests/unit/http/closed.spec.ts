import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, request } from '@playwright/test';
import { isClosedError } from '../../../src/http/closed.js';

// The error a pending fetch gets when its request context goes away, as Playwright words it.
async function disposedMidFetch(reason?: string): Promise<unknown> {
  let arrived!: () => void;
  const asked = new Promise<void>(resolve => arrived = resolve);
  const server = http.createServer(() => arrived());
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  try {
    const context = await request.newContext();
    const pending = context.get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hangs`).catch((error: unknown) => error);
    await asked;
    await context.dispose(reason === undefined ? {} : { reason });
    return await pending;
  } finally {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  }
}

test('should take a fetch cut by its context closing for a closed page, whatever reason @playwright/test gave', async () => {
  // A test that ended, or timed out, closes its context with these reasons: its pending fetches are abandoned, not failed.
  for (const reason of [undefined, 'Test ended.', 'Test timeout of 1ms exceeded.', 'Test timeout of 30000ms exceeded.'])
    expect(isClosedError(await disposedMidFetch(reason)), String(reason)).toBe(true);
});

test('should not take an origin\'s failure for a closed page', () => {
  for (const message of ['apiRequestContext.get: connect ECONNREFUSED 127.0.0.1:9', 'route.fetch: Timeout 30000ms exceeded.', 'socket hang up'])
    expect(isClosedError(new Error(message)), message).toBe(false);
  expect(isClosedError('Target closed')).toBe(false);
});
