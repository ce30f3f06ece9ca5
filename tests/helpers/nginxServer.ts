import fs from 'node:fs/promises';
import path from 'node:path';
import { makeTempDir, removeDir } from './tempDir.js';
import { findBinary, freePort, isAddressInUse, startProcess, stopProcess, waitUntil, type Started } from './serverProcess.js';

export interface NginxServerOptions {
  /** `client_max_body_size` of the WebDAV location, e.g. '100m'; `undefined` keeps nginx's default (1 MB). */
  readonly clientMaxBodySize?: string;
  /** Writes (PUT, DELETE) need this user's Basic auth; reads stay anonymous: the fork-friendly recipe of docs/remote.md. */
  readonly writer?: { readonly user: string; readonly password: string };
}

/** The WebDAV location the remote tier is pointed at. */
export const DAV_LOCATION = '/cache/';

/**
 * A real nginx (the Debian build, with its WebDAV module) on a random
 * 127.0.0.1 port, configured as docs/remote.md's recipe says, with every path it
 * writes (pid, logs, body temp files) inside its own temp dir.
 */
export class NginxServer implements AsyncDisposable {
  readonly port: number;
  readonly dir: string;
  readonly #started: Started;

  private constructor(port: number, dir: string, started: Started) {
    this.port = port;
    this.dir = dir;
    this.#started = started;
  }

  static async start(options: NginxServerOptions = {}): Promise<NginxServer> {
    const binary = findBinary('nginx', ['/usr/sbin/nginx', '/usr/local/sbin/nginx'], 'apt-get install nginx-light');
    const dir = await makeTempDir('bundle-cache-nginx-');
    try {
      for (let attempt = 1; ; attempt++) {
        const port = await freePort();
        await fs.mkdir(path.join(dir, 'www', DAV_LOCATION), { recursive: true });
        await fs.writeFile(path.join(dir, 'nginx.conf'), nginxConfig(dir, port, options));
        if (options.writer)
          await fs.writeFile(path.join(dir, 'htpasswd'), `${options.writer.user}:{PLAIN}${options.writer.password}\n`);
        const started = startProcess(binary, ['-p', `${dir}/`, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], dir);
        try {
          await waitUntil(started, `nginx on port ${port}`, () => answers(port));
          return new NginxServer(port, dir, started);
        } catch (error) {
          await stopProcess(started, 'SIGKILL');
          const log = await fs.readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '');
          if (attempt < 5 && isAddressInUse(String(error) + log))
            continue;
          throw new Error(`${(error as Error).message}\n${log}`);
        }
      }
    } catch (error) {
      await removeDir(dir);
      throw error;
    }
  }

  /** `http://127.0.0.1:<port>/cache/`, the URL to give the remote tier. */
  get url(): string {
    return `http://127.0.0.1:${this.port}${DAV_LOCATION}`;
  }

  /** The directory nginx stores `DAV_LOCATION` in. */
  get storage(): string {
    return path.join(this.dir, 'www', DAV_LOCATION);
  }

  /** Request lines of the access log: `METHOD /path STATUS`. */
  async requests(): Promise<string[]> {
    const text = await fs.readFile(path.join(this.dir, 'access.log'), 'utf8').catch(() => '');
    return text.split('\n').filter(Boolean);
  }

  async stop(): Promise<void> {
    // SIGQUIT is nginx's graceful shutdown; SIGTERM would also do, but drops in-flight requests.
    await stopProcess(this.#started, 'SIGQUIT');
    await removeDir(this.dir);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

function nginxConfig(dir: string, port: number, options: NginxServerOptions): string {
  // As root, nginx's workers would switch to `nobody`, who cannot write the 0700 temp dir.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  const bodyLimit = options.clientMaxBodySize ? `      client_max_body_size ${options.clientMaxBodySize};\n` : '';
  const writeAuth = options.writer ? `      limit_except GET HEAD { auth_basic "bundle-cache writers"; auth_basic_user_file ${dir}/htpasswd; }\n` : '';
  return `${user}daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  default_type application/octet-stream;
  log_format requests '$request_method $uri $status';
  access_log ${dir}/access.log requests;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
    location ${DAV_LOCATION} {
      dav_methods PUT DELETE;
      create_full_put_path on;
      dav_access user:rw;
${bodyLimit}${writeAuth}    }
  }
}
`;
}

/** True once nginx answers an HTTP request on `port` (any status). */
async function answers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`, { method: 'HEAD', signal: AbortSignal.timeout(1000) }).then(() => true, () => false);
}
