import { nthCall, type Step } from './steps.js';

export type FaultKind = 'ENOSPC' | 'EACCES' | 'EIO' | 'short';
export const ERRNO_FAULTS: readonly FaultKind[] = ['ENOSPC', 'EACCES', 'EIO'];

/** One step of a recorded write: the `nth` call of `op` on a path of `role`. */
export interface StepId {
  readonly op: string;
  readonly role: Step['role'];
  readonly nth: number;
}

export function describe(step: StepId): string {
  return `${step.op} ${step.role}${step.nth > 1 ? ` #${step.nth}` : ''}`;
}

/** Numbers each step by how many calls of the same op on the same role came before it. */
export function numberSteps(steps: readonly Step[]): StepId[] {
  const counts = new Map<string, number>();
  return steps.map(({ op, role }) => {
    const nth = (counts.get(`${op} ${role}`) ?? 0) + 1;
    counts.set(`${op} ${role}`, nth);
    return { op, role, nth };
  });
}

/**
 * An `around` for `steppedOps` that fails the `target` step once with
 * `kind`: an errno thrown instead of the call, or (for a write) a short
 * write, which the writer must carry on from. Steps are counted from `arm()` on (the
 * recording starts after `open()` too); `fired` tells whether it was reached.
 */
export function injectFault(target: StepId, kind: FaultKind): { around: <T>(step: Step, call: () => Promise<T>) => Promise<T>; arm: () => void; fired: () => boolean } {
  let armed = false;
  let fired = false;
  const isTarget = nthCall(target);
  const around = async <T>(step: Step, call: () => Promise<T>): Promise<T> => {
    // Not armed: not counted either.
    if (!armed || !isTarget(step))
      return call();
    fired = true;
    if (kind === 'short' && step.short)
      return step.short() as Promise<T>;
    // close(2) frees the descriptor even when it reports an error.
    if (step.op === 'close')
      await call();
    throw Object.assign(new Error(`${kind}: injected fault, ${step.op} '${step.path}'`), { code: kind === 'short' ? 'EIO' : kind });
  };
  return { around, arm: () => (armed = true), fired: () => fired };
}
