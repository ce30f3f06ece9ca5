import { z } from 'zod';
import { BundleCacheError } from '../errors.js';
import { describeValue } from '../options/describeValue.js';
import type { ProxyOptions } from '../types.js';
import { DEFAULT_PROXY_PORT } from './limits.js';

/** A host pattern: a name or IP, `*.` for any subdomain, an optional `:port`. */
const HOST_PATTERN = /^(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/i;

const schema = z.strictObject({
  port: z.number().int().min(0).max(65535).optional(),
  hosts: z.array(z.string().regex(HOST_PATTERN, { message: "expected host names like 'app.example.com', '*.example.com' or 'localhost:8443' (no scheme, no path)" })).optional(),
  ignoreHTTPSErrors: z.boolean().optional(),
});

export interface ResolvedProxyOptions {
  readonly port: number;
  /** Whether the options let the proxy open HTTPS to `host:port` (the rules are asked too). */
  readonly interceptHost: (host: string, port: number) => boolean;
  readonly hosts: readonly string[] | undefined;
  readonly ignoreHTTPSErrors: boolean;
}

/** Validates `cache.proxy()`'s options once; throws `ERR_OPTIONS` naming the option and the fix. */
export function resolveProxyOptions(input: ProxyOptions | undefined): ResolvedProxyOptions {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const option = issue.path.length ? issue.path.map(String).join('.') : 'options';
    const received = issue.path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey], input);
    throw new BundleCacheError('ERR_OPTIONS', `Invalid proxy option "${option}": ${issue.message}; got ${describeValue(received)}. Fix this value where cache.proxy() (or bundle-cache proxy) is given it.`, { option });
  }
  const { port = DEFAULT_PROXY_PORT, hosts, ignoreHTTPSErrors = false } = parsed.data;
  const tests = hosts?.map(hostTest);
  return { port, hosts, ignoreHTTPSErrors, interceptHost: (host, hostPort) => !tests || tests.some(test => test(host, hostPort)) };
}

function hostTest(pattern: string): (host: string, port: number) => boolean {
  const match = /^(.*?)(?::(\d+))?$/.exec(pattern.toLowerCase())!;
  const [name, port] = [match[1]!.replace(/^\[|\]$/g, ''), match[2] === undefined ? undefined : Number(match[2])];
  return (host, hostPort) => {
    if (port !== undefined && port !== hostPort)
      return false;
    const lower = host.toLowerCase();
    return name.startsWith('*.') ? lower.endsWith(name.slice(1)) : lower === name;
  };
}
