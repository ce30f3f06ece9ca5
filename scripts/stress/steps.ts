import path from 'node:path';
import type { FileOps, StoreFile } from '../../src/disk/fileOps.js';

/** What a path is to the write path: the seam's faults and pauses are aimed by role, not by name. */
export type Role = 'body' | 'body-temp' | 'meta' | 'meta-temp' | 'backup' | 'index' | 'index-temp' | 'dir' | 'other';

export function roleOf(file: string): Role {
  const name = path.basename(file);
  if (/\.body$/.test(name))
    return 'body';
  if (/\.body\.\d+$/.test(name))
    return 'body-temp';
  if (/\.meta\.json$/.test(name))
    return 'meta';
  if (/\.meta\.json\.\d+$/.test(name))
    return 'meta-temp';
  if (/\.body\.prev$/.test(name))
    return 'backup';
  if (name === 'cache_versions.json')
    return 'index';
  if (/^cache_versions\.json\.\d+$/.test(name))
    return 'index-temp';
  if (!path.extname(name) || /^\d+\.\d+\.\d+\.\d+_\d+$/.test(name) || name === 'v1')
    return 'dir';
  return 'other';
}

/** One call into the file system: an operation of the seam, or of a file it opened (write, sync, stat, close). */
export interface Step {
  readonly op: string;
  readonly path: string;
  readonly role: Role;
  /** For `write`: a short write, as write(2) may do: half of what was asked, and says so. */
  readonly short?: () => Promise<{ bytesWritten: number }>;
}

/**
 * `ops` with `around(step, call)` wrapped around every call, including the
 * calls on files it opens: where the guarantee suite pauses a writer to be
 * killed, blocks its event loop, or injects a fault.
 */
export function steppedOps(ops: FileOps, around: <T>(step: Step, call: () => Promise<T>) => Promise<T>): FileOps {
  const wrapped = {} as Record<string, unknown>;
  for (const [op, fn] of Object.entries(ops) as Array<[string, (...args: unknown[]) => Promise<unknown>]>) {
    wrapped[op] = (...args: unknown[]) => {
      const file = String(args[0]);
      const step = { op, path: file, role: roleOf(file) };
      const result = around(step, () => fn(...args));
      return op === 'open' ? result.then(handle => steppedFile(handle as StoreFile, file, around)) : result;
    };
  }
  return wrapped as unknown as FileOps;
}

function steppedFile(handle: StoreFile, file: string, around: <T>(step: Step, call: () => Promise<T>) => Promise<T>): StoreFile {
  const step = (op: string) => ({ op, path: file, role: roleOf(file) });
  return {
    write: (buffer, offset, length, position) => around(
        { ...step('write'), short: () => handle.write(buffer, offset, Math.max(1, length >> 1), position) },
        () => handle.write(buffer, offset, length, position)),
    sync: () => around(step('sync'), () => handle.sync()),
    stat: () => around(step('stat'), () => handle.stat()),
    close: () => around(step('close'), () => handle.close()),
  };
}

/** `op:role:phase:nth`, e.g. `rename:body-temp:after:1`: the nth such call, before or after it runs. */
export interface StepPoint {
  readonly op: string;
  readonly role: Role;
  readonly phase: 'before' | 'after';
  readonly nth: number;
}

export function parseStepPoint(text: string): StepPoint {
  const [op, role, phase, nth] = text.split(':');
  if (!op || !role || (phase !== 'before' && phase !== 'after') || !Number(nth))
    throw new Error(`bad step point ${text}; expected op:role:before|after:n`);
  return { op, role: role as Role, phase, nth: Number(nth) };
}

/** Counts the calls of `target.op` on paths of `target.role` it is shown: true for the `target.nth` one. */
export function nthCall(target: { readonly op: string; readonly role: Role; readonly nth: number }): (step: Step) => boolean {
  let seen = 0;
  return step => step.op === target.op && step.role === target.role && ++seen === target.nth;
}

/** Calls `action` once, at `point` (counting matching calls from now on). */
export function atStep(point: StepPoint, action: (step: Step) => Promise<void> | void): <T>(step: Step, call: () => Promise<T>) => Promise<T> {
  const matches = nthCall(point);
  return async (step, call) => {
    const hit = matches(step);
    if (hit && point.phase === 'before')
      await action(step);
    const result = await call();
    if (hit && point.phase === 'after')
      await action(step);
    return result;
  };
}
