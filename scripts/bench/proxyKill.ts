import { createHash } from 'node:crypto';
import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { makeTempDir, removeDir } from '../../tests/helpers/tempDir.js';
import { startProxyProcess, verifyCache } from './proxyProcess.js';

/**
 * The moments of a store the proxy is killed at. Each is recognised on disk,
 * not assumed from a delay: the proxy is frozen (SIGSTOP) the instant the
 * moment shows, the entry's directory is read while it cannot change, and
 * only then is it killed (SIGKILL). What the row says is what was on disk.
 */
const MOMENTS = {
  /** The origin has sent half the body and holds the rest; the key's lock is held. */
  'body arriving': { trigger: 'half-sent' },
  /** The body's temp file has its first MiB (the writes go in 1 MiB chunks): being written, not yet renamed. */
  'body temp file being written': { trigger: /\.body\.\d+$/ },
  /** meta.json's temp file has appeared: the new body is in place, its meta.json is not. */
  'between the body and meta.json renames': { trigger: /\.meta\.json\.\d+$/ },
} as const;
type Moment = keyof typeof MOMENTS;

/** What the entry's directory held while the proxy was frozen. */
interface Snapshot { lock: boolean; body?: number; bodyTemp?: number; meta: boolean; metaTemp: boolean }

const ATTEMPTS = 5;

/**
 * A bundle origin: `/main.dart.js?v=<n>`, a 5.8 MB body distinct per version,
 * sent whole, or (`hold`) half of it, then nothing until the socket is cut.
 */
async function startBundleOrigin() {
  const bundle = readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('sass')), 'sass.dart.js'));
  const bodyOf = (version: string) => Buffer.concat([bundle, Buffer.from(`\n//# version ${version}\n`)]);
  const held = new Set<http.ServerResponse>();
  let onHalf: (() => void) | undefined;
  let hold = false;
  const server = http.createServer((req, res) => {
    const body = bodyOf(new URL(req.url ?? '/', 'http://x').searchParams.get('v') ?? '');
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'public, max-age=31536000, immutable', 'content-length': body.length });
    if (!hold)
      return void res.end(body);
    held.add(res);
    res.write(body.subarray(0, body.length >> 1), () => onHalf?.());
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    bodyOf,
    /** The next request is held after half its body; `halfSent` is called once those bytes are written to the socket. */
    holdNext(halfSent: () => void) {
      hold = true;
      onHalf = halfSent;
    },
    release() {
      hold = false;
      onHalf = undefined;
      held.forEach(res => res.destroy());
      held.clear();
    },
    close: () => new Promise<void>(resolve => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** One GET through the proxy; resolves with its status and the sha256 of what arrived (never rejects). */
function get(proxyUrl: string, url: string): Promise<{ status: number; ms: number; sha256: string; bytes: number }> {
  const proxy = new URL(proxyUrl);
  const started = performance.now();
  return new Promise(resolve => {
    const hash = createHash('sha256');
    let bytes = 0;
    const done = (status: number) => resolve({ status, ms: performance.now() - started, sha256: hash.digest('hex'), bytes });
    const request = http.request({ host: proxy.hostname, port: proxy.port, path: url, agent: false }, response => {
      response.on('data', (chunk: Buffer) => (hash.update(chunk), bytes += chunk.length));
      response.on('end', () => done(response.statusCode ?? 0));
      response.on('error', () => done(0));
    });
    request.on('error', () => done(0));
    request.end();
  });
}

/** Polls `file`'s size until it has `bytes` (or is gone, or 2 s passed), without yielding. */
function awaitBytes(file: string, bytes: number): void {
  const deadline = Date.now() + 2_000;
  while (Date.now() < deadline && (statSync(file, { throwIfNoEntry: false })?.size ?? bytes) < bytes)
    ;
}

/** The files of one entry (`stem`: its base name without suffix). */
async function snapshot(entryDir: string, stem: string): Promise<Snapshot> {
  const shot: Snapshot = { lock: false, meta: false, metaTemp: false };
  for (const name of await fs.readdir(entryDir)) {
    if (!name.startsWith(`${stem}.`))
      continue;
    const stat = await fs.lstat(path.join(entryDir, name)).catch(() => undefined);
    if (name.endsWith('.lock'))
      shot.lock = true;
    else if (name.endsWith('.body'))
      shot.body = stat?.size;
    else if (/\.body\.\d+$/.test(name))
      shot.bodyTemp = stat?.size;
    else if (name.endsWith('.meta.json'))
      shot.meta = true;
    else if (/\.meta\.json\.\d+$/.test(name))
      shot.metaTemp = true;
  }
  return shot;
}

/** Whether the frozen state is the moment aimed at (the trigger could have fired just after it passed). */
function landed(moment: Moment, shot: Snapshot, size: number): boolean {
  switch (moment) {
    case 'body arriving':
      return shot.lock && shot.body === undefined && shot.bodyTemp === undefined && !shot.meta;
    case 'body temp file being written':
      return shot.lock && shot.bodyTemp !== undefined && shot.bodyTemp > 0 && shot.body === undefined && !shot.meta;
    case 'between the body and meta.json renames':
      return shot.lock && shot.body === size && !shot.meta;
  }
}

function describe(shot: Snapshot, size: number): string {
  const parts = [shot.lock ? 'lock held' : 'no lock'];
  if (shot.bodyTemp !== undefined)
    parts.push(`body temp ${shot.bodyTemp}/${size} B`);
  parts.push(shot.body === undefined ? 'no body' : `body ${shot.body === size ? 'complete' : `${shot.body} B`}`);
  parts.push(shot.meta ? 'meta.json' : shot.metaTemp ? 'meta.json temp only' : 'no meta.json');
  return parts.join(', ');
}

/**
 * kill -9 of `bundle-cache proxy` at provable moments of a store (a new
 * version each time), `bundle-cache verify` after each kill, then a new proxy
 * asked for every version at once: it must take each dead proxy's lock over
 * once stale and serve every version complete.
 */
export async function killRows(killsPerMoment: number): Promise<string> {
  const dir = await makeTempDir();
  const origin = await startBundleOrigin();
  const lines = [
    `### kill -9 of the proxy mid-store (a 5.8 MB bundle, a new version each kill), then \`bundle-cache verify\`\n`,
    'The proxy is frozen (SIGSTOP) the instant the moment shows, its entry directory read while frozen (the "on disk" column), then killed (SIGKILL). `verify` right after the kill, while the dead proxy\'s lock is still fresh.\n',
    '| kill | aimed at | attempts | on disk when killed | verify: entries | corrupt | being written | leftovers |',
    '|---:|---|---:|---|---:|---:|---:|---:|',
  ];
  const versions: Array<{ version: string; stem: string; complete: boolean }> = [];
  const entryDir = path.join(dir, 'v1', `127.0.0.1_${origin.port}`);
  try {
    let kill = 0;
    for (const moment of Object.keys(MOMENTS) as Moment[]) {
      for (let i = 0; i < killsPerMoment; i++) {
        kill++;
        for (let attempt = 1; ; attempt++) {
          const version = `${kill}.${attempt}`;
          const url = `http://127.0.0.1:${origin.port}/main.dart.js?v=${version}`;
          const size = origin.bodyOf(version).length;
          const proxy = await startProxyProcess(dir);
          const pid = proxy.child.pid!;
          // Watched before the store begins: the proxy would create it, but inotify needs it to exist.
          await fs.mkdir(entryDir, { recursive: true, mode: 0o700 });
          await fs.chmod(path.dirname(entryDir), 0o700);
          await fs.chmod(entryDir, 0o700);
          const before = new Set(await fs.readdir(entryDir));
          // Resolves with the stem of the entry being stored, once the proxy is frozen.
          const frozen = new Promise<string>(resolve => {
            let watcher: FSWatcher | undefined;
            const freeze = (name: string) => {
              process.kill(pid, 'SIGSTOP');
              watcher?.close();
              resolve(name.replace(/\.(lock|body\.\d+|meta\.json\.\d+)$/, ''));
            };
            const trigger = MOMENTS[moment].trigger;
            if (trigger === 'half-sent') {
              // The lock is taken before the fetch; wait for it on disk, then freeze.
              origin.holdNext(() => {
                // Frozen anyway after 5 s: the snapshot then shows whether the lock was there.
                const started = Date.now();
                const poll = setInterval(() => void fs.readdir(entryDir).then(names => {
                  const lock = names.find(name => name.endsWith('.lock') && !before.has(name));
                  if (lock || Date.now() - started > 5_000) {
                    clearInterval(poll);
                    freeze(lock ?? '');
                  }
                }), 2);
              });
            } else {
              watcher = watch(entryDir, (_event, name) => {
                if (!name || !trigger.test(name))
                  return;
                // The body temp file appears empty: wait (synchronously, nothing else runs here) for its first chunk.
                if (moment === 'body temp file being written')
                  awaitBytes(path.join(entryDir, name), 1 << 20);
                freeze(name);
              });
            }
          });
          void get(proxy.url, url);
          const stem = await frozen;
          const shot = await snapshot(entryDir, stem);
          proxy.child.kill('SIGKILL');
          await new Promise(resolve => proxy.child.once('exit', resolve));
          origin.release();
          // Every attempt left a dead proxy's lock: the new proxy below is asked for each version.
          versions.push({ version, stem, complete: shot.meta });
          if (!landed(moment, shot, size) && attempt < ATTEMPTS)
            continue;
          const verified = await verifyCache(dir);
          lines.push(`| ${kill} | ${moment} | ${attempt} | ${landed(moment, shot, size) ? '' : '(missed) '}${describe(shot, size)} | ${verified.checked} | ${verified.corrupt} | ${verified.writing} | ${verified.leftovers} |`);
          break;
        }
      }
    }
    // A new proxy, every version at once: each dead proxy's lock must go stale before it is taken over
    // and the version stored; when each meta.json lands is compared with when its dead lock was last refreshed.
    const deadLocks = new Map(await Promise.all(versions.filter(({ complete }) => !complete).map(async ({ stem }) => [stem, (await fs.stat(path.join(entryDir, `${stem}.lock`))).mtimeMs] as const)));
    const storedAt = new Map<string, number>();
    const metaWatcher = watch(entryDir, (_event, name) => {
      const stem = name?.endsWith('.meta.json') ? name.slice(0, -'.meta.json'.length) : undefined;
      if (stem && deadLocks.has(stem) && !storedAt.has(stem) && statSync(path.join(entryDir, name!), { throwIfNoEntry: false }))
        storedAt.set(stem, Date.now());
    });
    const proxy = await startProxyProcess(dir);
    const served = await Promise.all(versions.map(async ({ version }) => {
      const answer = await get(proxy.url, `http://127.0.0.1:${origin.port}/main.dart.js?v=${version}`);
      const expected = createHash('sha256').update(origin.bodyOf(version)).digest('hex');
      return { ...answer, complete: answer.status === 200 && answer.sha256 === expected };
    }));
    // Until every version is stored (or 60 s, the key lock's timeout).
    for (const started = Date.now(); storedAt.size < deadLocks.size && Date.now() - started < 60_000;)
      await new Promise(resolve => setTimeout(resolve, 100));
    metaWatcher.close();
    // Asked again: from the cache now, complete.
    const again = await Promise.all(versions.map(({ version }) => get(proxy.url, `http://127.0.0.1:${origin.port}/main.dart.js?v=${version}`)));
    proxy.child.kill('SIGINT');
    await new Promise(resolve => proxy.child.once('exit', resolve));
    const final = await verifyCache(dir);
    const locks = (await fs.readdir(entryDir)).filter(name => name.endsWith('.lock')).length;
    // A lock is taken over once not refreshed for 10 s: each store lands at least that long after the dead proxy's last refresh.
    const lockAges = [...storedAt].map(([stem, at]) => (at - deadLocks.get(stem)!) / 1000);
    lines.push('',
        `Then a new proxy, asked for all ${versions.length} versions at once: ${served.filter(answer => answer.complete).length}/${versions.length} complete 200s (sha256 of the bytes = the origin's), `
        + `${storedAt.size}/${deadLocks.size} incomplete ones stored, each after its dead proxy's lock was taken over: its meta.json landed ${Math.min(...lockAges).toFixed(1)}–${Math.max(...lockAges).toFixed(1)} s after that lock's last refresh (stale at 10 s); `
        + `asked again: ${again.filter((answer, i) => answer.status === 200 && answer.sha256 === served[i]!.sha256).length}/${versions.length} identical 200s. `
        + (versions.length > deadLocks.size ? `${versions.length - deadLocks.size} were complete when killed (a missed attempt: meta.json had landed), their dead lock left to \`bundle-cache clean\`. ` : '')
        + `\`verify\`: ${final.checked} entries, ${final.corrupt} corrupt, ${final.problems} problems, ${final.leftovers} leftovers; ${locks} lock directories left.`, '');
  } finally {
    await origin.close();
    await removeDir(dir);
  }
  return lines.join('\n');
}
