import { test, expect } from '@playwright/test';
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { Listener } from '../../site/listener.js';
import { siteCertificate } from '../../site/tls.js';
import { openTunnel, rawExchange, startTestProxy, viaProxy } from './harness.js';

async function httpsOrigin() {
  const origin = await Listener.listen({ https: true, host: '127.0.0.1', port: 0 });
  const hits: string[] = [];
  origin.onRequest((req, res) => {
    hits.push(req.url!);
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(`// ${req.url}`);
  });
  return { origin, hits };
}

test('should terminate TLS for hosts the cache may serve, with a leaf its CA signed', async () => {
  const { origin, hits } = await httpsOrigin();
  const { proxy, authority, certificates, close } = await startTestProxy();
  try {
    for (let i = 0; i < 2; i++) {
      const cached = await viaProxy(proxy.url, `${origin.origin}/main.dart.js`, { ca: authority.certificate });
      expect(cached.body.toString()).toBe('// /main.dart.js');
      const leaf = new X509Certificate(cached.certificate!.raw);
      expect(leaf.verify(new X509Certificate(authority.certificate).publicKey)).toBe(true);
      expect(leaf.subjectAltName).toBe('IP Address:127.0.0.1');
    }
    // Not cacheable: streamed to the origin over TLS, inside the same kind of connection.
    const page = await viaProxy(proxy.url, `${origin.origin}/index.html`, { ca: authority.certificate });
    expect(page.body.toString()).toBe('// /index.html');
    expect(hits).toEqual(['/main.dart.js', '/index.html']);
    expect(certificates.size).toBe(1);
    expect(proxy.stats()).toMatchObject({ intercepted: 3, tunnels: 0, fromCache: 2, passedThrough: 1 });
  } finally {
    await close();
    await origin.close();
  }
});

test('should tunnel blind to hosts no rule can match', async () => {
  const { origin, hits } = await httpsOrigin();
  const { proxy, close } = await startTestProxy({ interceptHost: () => false });
  try {
    // The client sees the origin's own certificate: the proxy never read a byte of it.
    const response = await viaProxy(proxy.url, `${origin.origin}/main.dart.js`, { ca: siteCertificate() });
    expect(response.body.toString()).toBe('// /main.dart.js');
    expect(response.certificate!.raw.equals(new X509Certificate(siteCertificate()).raw)).toBe(true);
    expect(hits).toEqual(['/main.dart.js']);
    expect(proxy.stats()).toMatchObject({ tunnels: 1, intercepted: 0, requests: 0 });
  } finally {
    await close();
    await origin.close();
  }
});

test('should verify the origin\'s certificate unless told to accept it', async () => {
  const { origin } = await httpsOrigin();
  const strict = await startTestProxy({ trustSite: false });
  const lenient = await startTestProxy({ trustSite: false, rejectUnauthorized: false });
  try {
    for (const path of ['/main.dart.js', '/index.html']) {
      const refused = await viaProxy(strict.proxy.url, `${origin.origin}${path}`, { ca: strict.authority.certificate });
      expect(refused.status, path).toBe(502);
      expect(refused.body.toString(), path).toContain('self-signed certificate');
      expect(refused.body.toString(), path).toContain('NODE_EXTRA_CA_CERTS');
      expect(refused.body.toString(), path).toContain('--ignore-https-errors');
    }
    const accepted = await viaProxy(lenient.proxy.url, `${origin.origin}/index.html`, { ca: lenient.authority.certificate });
    expect(accepted.status).toBe(200);
  } finally {
    await strict.close();
    await lenient.close();
    await origin.close();
  }
});

test('should survive garbage after CONNECT and clients that distrust its CA', async () => {
  const { origin } = await httpsOrigin();
  const headersTimeoutMs = 1_500;
  const { proxy, authority, close } = await startTestProxy({ limits: { headersTimeoutMs } });
  const authorityOf = origin.origin.replace('https://', '');
  try {
    // A TLS record header, then nonsense: that connection stalls or fails, and ends when its handshake takes longer than a request head may.
    const socket = await openTunnel(proxy.url, authorityOf);
    const ended = new Promise<void>(resolve => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    // Read what comes back (a TLS alert), or the socket never ends.
    socket.resume();
    socket.write(Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05]), Buffer.from('garbage!garbage!')]));
    // Plain bytes that are not TLS: tunnelled to the origin, whose TLS server refuses them.
    expect(await rawExchange(proxy.url, `CONNECT ${authorityOf} HTTP/1.1\r\n\r\nHELLO?\r\n\r\n`)).toMatch(/^HTTP\/1\.1 200 Connection Established/);
    // A client that does not trust the proxy's CA.
    const distrusting = await openTunnel(proxy.url, authorityOf);
    const refused = await new Promise<Error>(resolve => tls.connect({ socket: distrusting, host: '127.0.0.1', ca: siteCertificate() }).once('error', resolve));
    expect(refused.message).toMatch(/self-signed|unable to verify|certificate/i);
    const response = await viaProxy(proxy.url, `${origin.origin}/main.dart.js`, { ca: authority.certificate });
    expect(response.status).toBe(200);
    await ended;
  } finally {
    await close();
    await origin.close();
  }
});
