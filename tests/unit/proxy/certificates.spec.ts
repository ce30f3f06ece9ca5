import { test, expect } from '@playwright/test';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import { LockManager } from '../../../src/disk/locks.js';
import { nodeStoreFs } from '../../../src/disk/storeFs.js';
import { loadOrCreateAuthority, PROXY_DIR } from '../../../src/proxy/certificateAuthority.js';
import { LeafCertificates } from '../../../src/proxy/leafCertificates.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';

test('should create one CA under <dir>/proxy/ on first use, key 0600, and reuse it', async () => {
  const dir = await makeTempDir();
  try {
    // Two proxies starting at once on one dir agree on one CA.
    const [first, second] = await Promise.all([0, 1].map(() => loadOrCreateAuthority(dir, nodeStoreFs, new LockManager(), Date.now)));
    expect(first!.certificate).toBe(second!.certificate);
    const again = await loadOrCreateAuthority(dir, nodeStoreFs, new LockManager(), Date.now);
    expect(again.spkiSha256).toBe(first!.spkiSha256);
    expect(again.spkiSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const proxyDir = path.join(dir, PROXY_DIR);
    expect((await fs.stat(proxyDir)).mode & 0o777).toBe(0o700);
    for (const file of ['ca.pem', 'ca-key.pem'])
      expect((await fs.stat(path.join(proxyDir, file))).mode & 0o777, file).toBe(0o600);
    const ca = new X509Certificate(first!.certificate);
    expect(ca.ca).toBe(true);
    // The key is never part of what can be printed or serialized.
    expect(JSON.stringify(first)).not.toContain('PRIVATE KEY');
  } finally {
    await removeDir(dir);
  }
});

test('should make a new CA when the stored one is damaged or near its end', async () => {
  const dir = await makeTempDir();
  try {
    const first = await loadOrCreateAuthority(dir, nodeStoreFs, new LockManager(), Date.now);
    await fs.writeFile(path.join(dir, PROXY_DIR, 'ca-key.pem'), 'not a key');
    const replaced = await loadOrCreateAuthority(dir, nodeStoreFs, new LockManager(), Date.now);
    expect(replaced.spkiSha256).not.toBe(first.spkiSha256);
    const tenYearsOn = Date.now() + 3600 * 86_400_000;
    const renewed = await loadOrCreateAuthority(dir, nodeStoreFs, new LockManager(), () => tenYearsOn);
    expect(renewed.spkiSha256).not.toBe(replaced.spkiSha256);
  } finally {
    await removeDir(dir);
  }
});

test('should sign one leaf per host on demand, all with one key, and keep them', async () => {
  const dir = await makeTempDir();
  try {
    const authority = await loadOrCreateAuthority(dir, nodeStoreFs, new LockManager(), Date.now);
    const leaves = new LeafCertificates(authority, Date.now);
    const [a, sameAgain] = await Promise.all([leaves.secureContext('App.Example.com'), leaves.secureContext('app.example.com')]);
    expect(a).toBe(sameAgain);
    const b = await leaves.secureContext('10.1.2.3');
    expect(leaves.size).toBe(2);
    const certificateOf = (context: tls.SecureContext) => {
      const socket = new tls.TLSSocket(null as never, { secureContext: context, isServer: true });
      const certificate = socket.getCertificate() as tls.PeerCertificate;
      socket.destroy();
      return new X509Certificate(certificate.raw);
    };
    const caKey = new X509Certificate(authority.certificate).publicKey;
    const [leafA, leafB] = [certificateOf(a!), certificateOf(b)];
    expect(leafA.verify(caKey)).toBe(true);
    expect(leafA.subjectAltName).toBe('DNS:app.example.com');
    expect(leafB.subjectAltName).toBe('IP Address:10.1.2.3');
    expect(leafA.checkHost('app.example.com')).toBe('app.example.com');
    expect(leafA.publicKey.export({ type: 'spki', format: 'der' }).equals(leafB.publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
  } finally {
    await removeDir(dir);
  }
});
