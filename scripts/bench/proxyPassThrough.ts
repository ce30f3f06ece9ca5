// `npx tsx scripts/bench/proxyPassThrough.ts [--requests 600] [--rounds 10] [--latency 5] [--cpu-prof <dir>] [--compare <checkout>]`
// The proxy's pass-through path without a browser: `requests` GETs no rule
// caches (the scraper page's images and XHRs, with Chromium's request
// headers) over 6 keep-alive connections, as Chromium sends them to one
// host, straight to the origin, through a bare node:http proxy (the floor of
// Node's HTTP stack, scripts/bench/proxyBare.ts) and through
// `bundle-cache proxy`. Each proxy and the origin run in processes of their
// own; the proxies' CPU is read from /proc. Prints a Markdown table.
// `--compare <dir>`: also `bundle-cache proxy` from another checkout (an
// earlier commit, `git archive <commit> | tar -x -C <dir>` with node_modules
// linked), measured in the same rounds.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeTempDir, removeDir } from '../../tests/helpers/tempDir.js';
import { processUsage, startListeningProcess, startProxyProcess } from './proxyProcess.js';
import { startScraperOriginProcess } from './scraperOrigin.js';
import { median, percentile } from './stats.js';

const { values: flags } = parseArgs({ options: { requests: { type: 'string', default: '600' }, rounds: { type: 'string', default: '10' }, latency: { type: 'string', default: '5' }, 'cpu-prof': { type: 'string' }, compare: { type: 'string' } } });
const [requests, rounds, latencyMs] = [Number(flags.requests), Number(flags.rounds), Number(flags.latency)];

/** What Chromium sends with an image request, so the proxy parses and forwards a realistic head. */
const CHROMIUM_HEADERS = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'accept': 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8',
  'accept-encoding': 'gzip, deflate, br, zstd',
  'accept-language': 'en-US,en;q=0.9',
  'sec-ch-ua': '"Chromium";v="131", "Not_A Brand";v="24"',
  'sec-ch-ua-mobile': '?0',
  'sec-ch-ua-platform': '"Linux"',
  'sec-fetch-dest': 'image',
  'sec-fetch-mode': 'no-cors',
  'sec-fetch-site': 'same-origin',
  'referer': 'http://127.0.0.1/',
  'proxy-connection': 'keep-alive',
};

interface Load { wallMs: number; latencies: number[] }

/** `requests` GETs at once over 6 keep-alive sockets (to `via`, the proxy, in absolute form; or straight to the origin). */
async function load(origin: URL, via: URL | undefined): Promise<Load> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: requests }, (_, i) => new Promise<void>((resolve, reject) => {
    const pathname = `/${i % 2 ? `img/${i}.png` : `api/item/${i}`}?r=${Math.random()}`;
    const server = via ?? origin;
    const request = http.request({ host: server.hostname, port: server.port, path: via ? `${origin.origin}${pathname}` : pathname, headers: CHROMIUM_HEADERS, agent }, response => {
      response.resume();
      response.once('end', () => {
        latencies.push(performance.now() - sent);
        resolve();
      });
    });
    // From when the request is on the wire, not from when it joined the queue for one of the 6 sockets.
    let sent = 0;
    request.once('finish', () => sent = performance.now());
    request.once('error', reject);
    request.end();
  })));
  const wallMs = performance.now() - started;
  agent.destroy();
  return { wallMs, latencies };
}

const loadAtStart = os.loadavg()[0]!.toFixed(2);
const dir = await makeTempDir();
const origin = await startScraperOriginProcess({ images: 0, xhrs: 0, latencyMs });
const profile = flags['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(flags['cpu-prof'])}`] : [];
const bare = await startListeningProcess<{ url: string }>([...profile, '--import', 'tsx', path.join(import.meta.dirname, 'proxyBare.ts')], {}, 'the bare proxy');
const proxy = await startProxyProcess(dir, {}, profile);
const compared = flags.compare ? await startProxyProcess(`${dir}-compared`, {}, profile, flags.compare) : undefined;
const modes = [
  { name: 'straight to the origin', via: undefined, pid: undefined },
  { name: 'bare node:http proxy (floor)', via: new URL(bare.url), pid: bare.child.pid },
  { name: 'bundle-cache proxy', via: new URL(proxy.url), pid: proxy.child.pid },
  ...compared ? [{ name: `bundle-cache proxy of ${flags.compare}`, via: new URL(compared.url), pid: compared.child.pid }] : [],
];
try {
  const originUrl = new URL(origin.url);
  const results = modes.map(() => ({ walls: [] as number[], latencies: [] as number[], user: 0, system: 0 }));
  for (const mode of modes)
    await load(originUrl, mode.via);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < modes.length; i++) {
      const index = (i + round) % modes.length;
      const { via, pid } = modes[index]!;
      const before = pid ? processUsage(pid) : undefined;
      const { wallMs, latencies } = await load(originUrl, via);
      const result = results[index]!;
      result.walls.push(wallMs);
      result.latencies.push(...latencies);
      if (pid && before) {
        const after = processUsage(pid);
        result.user += after.userSeconds - before.userSeconds;
        result.system += after.systemSeconds - before.systemSeconds;
      }
    }
    process.stderr.write(`round ${round + 1}/${rounds}\n`);
  }
  const floor = median(results[0]!.walls);
  const perRequest = (seconds: number) => `${(seconds / rounds / requests * 1e6).toFixed(0)} µs`;
  process.stdout.write(`### Pass-through without a browser: ${requests} GETs no rule caches over 6 keep-alive connections, origin latency ${latencyMs} ms (${rounds} rounds; load average ${loadAtStart} at the start, ${os.loadavg()[0]!.toFixed(2)} at the end)\n\n`);
  process.stdout.write('| mode | median wall | × straight | request sent → answered: p50 | p95 | proxy CPU / request: user | system |\n|---|---:|---:|---:|---:|---:|---:|\n');
  for (const [index, mode] of modes.entries()) {
    const { walls, latencies, user, system } = results[index]!;
    const cpu = mode.pid ? `${perRequest(user)} | ${perRequest(system)}` : '— | —';
    process.stdout.write(`| ${mode.name} | ${median(walls).toFixed(0)} ms | ${(median(walls) / floor).toFixed(2)} × | ${median(latencies).toFixed(2)} ms | ${percentile(latencies, 95).toFixed(2)} ms | ${cpu} |\n`);
  }
} finally {
  // SIGINT lets each proxy end normally, so --cpu-prof writes its profile.
  await Promise.all([bare.child, proxy.child, ...compared ? [compared.child] : []].map(child => new Promise(resolve => {
    child.once('exit', resolve);
    child.kill('SIGINT');
  })));
  await origin.close();
  await removeDir(dir);
  await removeDir(`${dir}-compared`);
}
