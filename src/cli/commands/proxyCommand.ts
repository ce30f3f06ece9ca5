import path from 'node:path';
import { z } from 'zod';
import { BundleCache } from '../../cache/bundleCache.js';
import { loadOptionsFile } from '../../proxy/configFile.js';
import { DEFAULT_PROXY_PORT } from '../../proxy/limits.js';
import type { ProxyStats } from '../../proxy/proxyStats.js';
import { nextStopSignal } from '../../proxy/stopSignal.js';
import type { BundleCacheStats } from '../../types.js';
import { integerFlag, expectPositionals, validate } from '../args.js';
import type { CommandSpec } from '../command.js';
import { formatBytes } from '../../options/units.js';
import { formatDuration } from '../format/duration.js';

export interface ProxyInput {
  readonly port: number;
  readonly hosts: readonly string[] | undefined;
  readonly ignoreHttpsErrors: boolean;
  readonly remote: string | undefined;
  readonly config: string | undefined;
  /** --dir was given: it wins over a `dir` in the config file. */
  readonly dirFlag: boolean;
  readonly json: boolean;
}

/** The first line on stdout, as soon as the proxy listens (with --json: one line of JSON). Never the CA's key. */
export interface ProxyListening {
  readonly event: 'listening';
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly hosts: readonly string[] | null;
  readonly spkiSha256: string;
  readonly caCertificatePath: string;
  readonly chromiumArgs: readonly string[];
}

/** Printed when the proxy stops (SIGINT, SIGTERM), after requests in flight finished and locks were released. */
export interface ProxyResult {
  readonly command: 'proxy';
  readonly dir: string;
  readonly url: string;
  readonly signal: string;
  readonly uptimeMs: number;
  readonly proxy: ProxyStats;
  readonly cache: BundleCacheStats;
}

const flagsSchema = z.object({
  port: integerFlag(0, 65535).default(DEFAULT_PROXY_PORT),
  host: z.array(z.string().min(1)).optional(),
  'ignore-https-errors': z.boolean().default(false),
  remote: z.string().min(1).optional(),
  config: z.string().min(1).optional(),
});

export const proxyCommand: CommandSpec<ProxyInput, ProxyResult> = {
  name: 'proxy',
  summary: 'serve the cache to any browser or language as an HTTP proxy on 127.0.0.1 (until Ctrl-C)',
  usage: `proxy [--port <n>] [--host <host>…] [--ignore-https-errors] [--remote <url>] [--config <file>]`,
  flags: {
    port: { type: 'string', value: 'n', description: `port on 127.0.0.1, 0 for a free one (default: ${DEFAULT_PROXY_PORT})` },
    host: { type: 'string', multiple: true, value: 'host', description: 'open HTTPS only for these hosts (app.example.com, *.example.com, localhost:8443); others are tunnelled blind (default: every host a rule can match)' },
    'ignore-https-errors': { type: 'boolean', description: 'accept origins whose certificate Node cannot verify (a self-signed staging host); default: verified, with NODE_EXTRA_CA_CERTS' },
    remote: { type: 'string', value: 'url', description: 'the remote tier: redis://…, rediss://… or http(s)://host/prefix/ (default: $BUNDLE_CACHE_REMOTE)' },
    config: { type: 'string', value: 'file', description: 'cache options (rules, maxAge, …) from a .js/.mjs module\'s default export or a .json file' },
  },
  createsCache: true,
  examples: [
    'bundle-cache proxy',
    'bundle-cache proxy --port 0 --json | head -1 | jq -r .url',
    'bundle-cache proxy --config bundle-cache.config.mjs --host app.example.com',
  ],
  parse(args) {
    expectPositionals(args, 0, 'proxy');
    const flags = validate(flagsSchema, args.values, 'proxy');
    return {
      port: flags.port, hosts: flags.host, ignoreHttpsErrors: flags['ignore-https-errors'], remote: flags.remote, config: flags.config,
      dirFlag: args.values.dir !== undefined, json: args.values.json === true,
    };
  },
  async run(context, input) {
    const fromFile = input.config ? await loadOptionsFile(path.resolve(context.io.cwd, input.config)) : {};
    const dir = input.dirFlag || !fromFile.dir ? context.dir : path.resolve(context.io.cwd, fromFile.dir);
    const cache = await BundleCache.open({ ...fromFile, dir, ...(input.remote ? { remote: input.remote } : {}) });
    const stop = nextStopSignal();
    try {
      const proxy = await cache.proxy({ port: input.port, ...(input.hosts ? { hosts: [...input.hosts] } : {}), ignoreHTTPSErrors: input.ignoreHttpsErrors });
      const started = context.io.now();
      const listening: ProxyListening = {
        event: 'listening', url: proxy.url, port: proxy.port, dir: cache.dir, hosts: input.hosts ?? null,
        spkiSha256: proxy.spkiSha256, caCertificatePath: proxy.caCertificatePath, chromiumArgs: proxy.chromiumArgs,
      };
      context.io.stdout.write(input.json ? `${JSON.stringify(listening)}\n` : formatListening(listening));
      const signal = await stop.signal;
      // A second Ctrl-C now stops at once.
      stop.dispose();
      context.io.stderr.write(`${signal}: letting requests in flight finish, then closing the cache…\n`);
      await cache.close();
      return { command: 'proxy', dir: cache.dir, url: proxy.url, signal, uptimeMs: context.io.now() - started, proxy: proxy.stats(), cache: cache.stats() };
    } finally {
      stop.dispose();
      await cache.close();
    }
  },
};

function formatListening(info: ProxyListening): string {
  return [
    `bundle-cache proxy listening on ${info.url} (cache ${info.dir})`,
    `  HTTPS opened for: ${info.hosts ? info.hosts.join(', ') : 'every host a rule can match'}; other hosts are tunnelled untouched`,
    `  Chromium flags:   ${info.chromiumArgs.join(' ')}`,
    `  Playwright:       proxy={"server": "${info.url}"} and the --ignore-certificate-errors-spki-list flag above (or ignore HTTPS errors)`,
    `  CA certificate:   ${info.caCertificatePath} (for Firefox or NODE_EXTRA_CA_CERTS; its key never leaves ${path.dirname(info.caCertificatePath)})`,
    '  Ctrl-C stops it: requests in flight finish, the cache is closed, a summary is printed.',
    '',
  ].join('\n');
}

export function formatProxy(result: ProxyResult): string {
  const { proxy, cache } = result;
  const hits = cache.memoryHits + cache.diskHits + cache.remoteHits;
  return [
    `bundle-cache proxy stopped (${result.signal}) after ${formatDuration(result.uptimeMs)}`,
    `  cache:   ${hits} hits (${formatBytes(cache.bytesFromCache + cache.bytesFromRemote)}: memory ${cache.memoryHits}, disk ${cache.diskHits}, remote ${cache.remoteHits}), ${cache.misses} misses (${formatBytes(cache.bytesFromNetwork)} fetched), ${cache.revalidated} confirmed by a 304, ${cache.errors} errors`,
    `  proxy:   ${proxy.requests} requests read, ${proxy.passedThrough} passed through (${formatBytes(proxy.bytesStreamed)}), ${proxy.tunnels} blind tunnels, ${proxy.intercepted} HTTPS connections opened, ${proxy.connections} client connections`,
    `  refused: ${proxy.rejected} bad or hostile requests, ${proxy.upstreamFailures} origin failures (502/504), ${proxy.offline} offline misses`,
    '',
  ].join('\n');
}
