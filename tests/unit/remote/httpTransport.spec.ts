import http from 'node:http';
import type net from 'node:net';
import { withDeadline } from '../../../src/remote/deadline.js';
import { bytes, expect, test } from './fixtures.js';

const BODY = bytes(3 * 1024 * 1024);
const REF = { sha256: 'a'.repeat(64), size: BODY.length, chunks: undefined };

/** An HTTP store that answers every GET with `answer`, and counts the connections it was asked on. */
async function storeServer(answer: (response: http.ServerResponse) => void): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    answer(response);
  });
  server.on('connection', () => connections++);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/cache/`,
    connections: () => connections,
    close: () => new Promise(resolve => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

test('should read a body with or without a length, and reuse one connection for the next request', async ({ openStore }) => {
  let chunked = false;
  const server = await storeServer(response => {
    if (chunked) {
      response.writeHead(200);
      response.write(BODY.subarray(0, 1000));
      response.end(BODY.subarray(1000));
    } else {
      response.writeHead(200, { 'content-length': BODY.length }).end(BODY);
    }
  });
  try {
    const store = openStore(server.url);
    const read = () => withDeadline(5000, undefined, signal => store.getBody(REF, signal));
    expect((await read())?.equals(BODY)).toBe(true);
    chunked = true;
    expect((await read())?.equals(BODY)).toBe(true);
    expect(server.connections()).toBe(1);
  } finally {
    await server.close();
  }
});

test('should send a request again on a new connection when the server closed the kept-alive one it went out on', async ({ openStore }) => {
  // The second request on a connection finds it closed, as after a server's keep-alive timeout.
  const served = new WeakMap<object, number>();
  const server = await storeServer(response => {
    const socket = response.socket!;
    served.set(socket, (served.get(socket) ?? 0) + 1);
    if (served.get(socket)! > 1)
      socket.destroy();
    else
      response.writeHead(200, { 'content-length': BODY.length }).end(BODY);
  });
  try {
    const store = openStore(server.url);
    const read = () => withDeadline(5000, undefined, signal => store.getBody(REF, signal));
    expect((await read())?.equals(BODY)).toBe(true);
    expect((await read())?.equals(BODY)).toBe(true);
    expect(server.connections()).toBe(2);
  } finally {
    await server.close();
  }
});

test('should fail a body cut short of its announced length, never hand back part of it', async ({ openStore }) => {
  const server = await storeServer(response => {
    response.writeHead(200, { 'content-length': BODY.length });
    response.write(BODY.subarray(0, 1024 * 1024), () => response.socket?.destroy());
  });
  try {
    const store = openStore(server.url);
    const read = withDeadline(5000, undefined, signal => store.getBody(REF, signal));
    await expect(read).rejects.toMatchObject({ code: 'ERR_REMOTE_UNAVAILABLE', details: { operation: 'read a body' } });
  } finally {
    await server.close();
  }
});

test('should give up on a body that stops coming, at its deadline', async ({ openStore }) => {
  const server = await storeServer(response => {
    response.writeHead(200, { 'content-length': BODY.length });
    response.write(BODY.subarray(0, 1024 * 1024));
  });
  try {
    const store = openStore(server.url);
    const started = Date.now();
    const read = withDeadline(300, undefined, signal => store.getBody(REF, signal));
    await expect(read).rejects.toMatchObject({ code: 'ERR_REMOTE_UNAVAILABLE', message: expect.stringContaining('timed out after 300 ms') });
    // The slack is for a loaded machine; without the deadline this would hang until the test's timeout.
    expect(Date.now() - started).toBeLessThan(3000);
  } finally {
    await server.close();
  }
});

test('should not follow a redirect: the remote is unavailable, and the fix says to point at the store itself', async ({ openStore }) => {
  const server = await storeServer(response => response.writeHead(302, { location: 'https://login.example/' }).end());
  try {
    const store = openStore(server.url);
    const read = withDeadline(5000, undefined, signal => store.getRecord('0'.repeat(64), signal));
    await expect(read).rejects.toMatchObject({
      code: 'ERR_REMOTE_UNAVAILABLE',
      message: expect.stringContaining('redirected (302) to https://login.example/'),
      details: { status: 302, fix: expect.stringContaining('point remote at the store itself') },
    });
  } finally {
    await server.close();
  }
});
