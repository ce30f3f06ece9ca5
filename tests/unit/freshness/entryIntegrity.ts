import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from '@playwright/test';
import type { EntryMeta } from '../../../src/core/meta.js';
import { listFiles } from '../../helpers/tempDir.js';
import type { Site } from '../../site/server.js';

/**
 * The entry of `pathname` on disk is one body with its own headers: meta.json's
 * size and sha256 are the body's, the body is byte for byte some deployed
 * build, and the validators kept (served and used for revalidation) are that
 * build's, never another's. Returns the build.
 */
export async function expectEntryOfOneBuild(dir: string, site: Site, pathname: string): Promise<number> {
  const metas = (await listFiles(dir)).filter(file => file.endsWith('.meta.json'));
  const found: Array<{ meta: EntryMeta; body: Buffer }> = [];
  for (const file of metas) {
    const meta = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as EntryMeta;
    if (new URL(meta.url).pathname === pathname)
      found.push({ meta, body: await readFile(path.join(dir, file.replace(/\.meta\.json$/, '.body'))) });
  }
  expect(found, `one entry for ${pathname}`).toHaveLength(1);
  const { meta, body } = found[0]!;
  expect(body.length).toBe(meta.size);
  expect(createHash('sha256').update(body).digest('hex')).toBe(meta.sha256);
  const build = site.deployment.builds.find(version => site.body(pathname, version).equals(body));
  expect(build, `the body of ${pathname} is a deployed build`).toBeDefined();
  const headers = site.responseHeaders(pathname, build);
  for (const name of ['etag', 'last-modified'] as const) {
    expect(meta.headers[name], `stored ${name}`).toBe(headers[name]);
    expect(meta.freshness?.headers[name], `${name} kept for revalidation`).toBe(headers[name]);
  }
  return build!;
}
