import { randomBytes } from 'node:crypto';
import type { SessionRecord } from './sessionRecord.js';

/** The state a context was given: which generation, which exact state (ids never repeat, generations may after a delete). */
export interface StateRef {
  readonly generation: number;
  readonly stateId: string;
}

/**
 * A rejection seen by a context drops the stored state only if that state
 * is the one the context was given. Once it was dropped, or replaced by a
 * newer generation (another worker saw the same rejection first and warmed
 * again), a rejection of the old one changes nothing: eight workers that
 * see one `452` cause one new login.
 */
export function rejectionDrops(record: SessionRecord | undefined, ref: StateRef): boolean {
  return !!record?.stored && record.generation === ref.generation && record.stored.stateId === ref.stateId;
}

/** The generation a new warm-up stores: one past whatever the file held (0 when it held nothing readable). */
export function nextGeneration(record: SessionRecord | undefined): number {
  return (record?.generation ?? 0) + 1;
}

export function newStateId(): string {
  return randomBytes(8).toString('hex');
}
