import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { OriginConfig, OriginCounters, OriginsReady } from './originProcess.js';

/** The origins of a benchmark run, served by a child process. */
export class Origins {
  readonly throttled: string;
  readonly floor: string;
  readonly flutterThrottled: string;
  readonly flutterFloor: string;
  readonly bundleBytes: Record<string, number>;
  readonly #child: ChildProcess;
  #nextId = 0;

  private constructor(child: ChildProcess, ready: OriginsReady) {
    this.#child = child;
    this.throttled = ready.throttled;
    this.floor = ready.floor;
    this.flutterThrottled = ready.flutterThrottled;
    this.flutterFloor = ready.flutterFloor;
    this.bundleBytes = ready.bundleBytes;
  }

  static async start(config: OriginConfig): Promise<Origins> {
    const child = fork(path.join(import.meta.dirname, 'originProcess.ts'), [JSON.stringify(config)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = await new Promise<OriginsReady>((resolve, reject) => {
      child.once('message', message => resolve(message as OriginsReady));
      child.once('exit', code => reject(new Error(`origin process exited with ${code}`)));
    });
    return new Origins(child, ready);
  }

  /** Body bytes each origin has sent so far, and the conditional requests and 304s of the Flutter sites. */
  bytesSent(): Promise<OriginCounters> {
    return this.#ask('bytes');
  }

  async close(): Promise<void> {
    await this.#ask('close');
  }

  #ask<T>(type: 'bytes' | 'close'): Promise<T> {
    const id = ++this.#nextId;
    return new Promise(resolve => {
      const onMessage = (message: { id?: number } & T) => {
        if (message.id !== id)
          return;
        this.#child.off('message', onMessage);
        resolve(message);
      };
      this.#child.on('message', onMessage);
      this.#child.send({ id, type });
    });
  }
}
