import type { RuleMatcher } from '../types.js';

/** Whether a rule can match a URL on `host` (and `port`). */
export type HostTest = (host: string, port: number) => boolean;

/**
 * The hosts a rule can match, for a proxy deciding which HTTPS connections
 * to open: a glob that spells out its host (`https://app.example.com/**`,
 * `https://*.example.com/**`, `http://localhost:8080/**`) names them; any
 * other glob (`**` + `/main.dart.js`, `*.wasm`), a RegExp or a predicate can match
 * any host, which is undefined here.
 */
export function ruleHosts(matcher: RuleMatcher): HostTest | undefined {
  if (typeof matcher !== 'string')
    return undefined;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(matcher);
  if (!scheme)
    return undefined;
  const authority = matcher.slice(scheme[0].length).split('/')[0]!;
  if (!authority || authority.startsWith('**'))
    return undefined;
  const withPort = authority.includes(':');
  const regex = new RegExp(`^${hostGlobSource(authority.toLowerCase())}$`);
  return (host, port) => regex.test(withPort ? `${host.toLowerCase()}:${port}` : host.toLowerCase());
}

function hostGlobSource(glob: string): string {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*') {
      source += glob[i + 1] === '*' ? '.*' : '[^/]*';
      if (glob[i + 1] === '*')
        i++;
    } else if (char === '{') {
      source += '(?:';
    } else if (char === '}') {
      source += ')';
    } else if (char === ',') {
      source += '|';
    } else {
      source += char.replace(/[\\^$.+?()[\]|/]/g, '\\$&');
    }
  }
  return source;
}
