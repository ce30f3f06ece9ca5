import { expect, test } from '@playwright/test';
import { CLOCK_SKEW_MS, decide, type DecisionContext, type EntryFacts } from '../../../src/freshness/decide.js';

const T = 1_000_000_000;
const H = 3_600_000;
const HERE = 'this-machine';
const THERE = 'another-machine';

/** Stored at T by this machine and validated then, fresh by its headers for 10 minutes, maxAge 24 h, with an ETag. */
const entry: EntryFacts = { immutable: false, storedAt: T, validatedAt: T, validatedBy: HERE, freshUntil: T + 600_000, expiresAt: T + 24 * H, hasValidators: true, freshForTheRun: false };
/** A request a minute later, in a run that began before the entry was stored and has checked it already. */
const context: DecisionContext = {
  now: T + 60_000, mode: 'http', ruleMaxAgeMs: 24 * H, offline: false, refreshSince: undefined, arrivedAt: T + 30_000, checkedDuringRequest: false, wantsFresh: false,
  run: { startedAt: T - 60_000, host: HERE, checkedHere: true },
};
/** The same request in a run that began after the entry was last checked, and has not checked it. */
const nextRun: DecisionContext = { ...context, run: { startedAt: T + 10_000, host: HERE, checkedHere: false } };

test.describe('decide', () => {
  test('should serve an entry the origin says is fresh, and revalidate it once stale', () => {
    expect(decide(entry, context)).toBe('serve');
    expect(decide(entry, { ...context, now: T + 600_000 })).toBe('revalidate');
  });

  test('should refetch a stale entry that has no validators', () => {
    expect(decide({ ...entry, hasValidators: false }, { ...context, now: T + H })).toBe('refetch');
  });

  test('should serve an immutable entry until maxAge whatever its headers say, then ask', () => {
    const immutable = { ...entry, immutable: true, freshUntil: T };
    expect(decide(immutable, { ...nextRun, now: T + 23 * H, mode: 'run' })).toBe('serve');
    expect(decide(immutable, { ...context, now: T + 24 * H })).toBe('revalidate');
    expect(decide({ ...immutable, hasValidators: false }, { ...context, now: T + 24 * H })).toBe('refetch');
  });

  test('should never serve past maxAge, even when the origin allows longer', () => {
    expect(decide({ ...entry, freshUntil: T + 48 * H }, { ...context, now: T + 25 * H })).toBe('revalidate');
  });

  test('should apply a shortened rule maxAge to entries stored with a longer one', () => {
    expect(decide({ ...entry, freshUntil: T + 48 * H }, { ...context, now: T + 2 * H, ruleMaxAgeMs: H })).toBe('revalidate');
  });

  test('should count maxAge from the last validation, not from the store', () => {
    const revalidated = { ...entry, validatedAt: T + 20 * H, freshUntil: T + 21 * H, expiresAt: T + 44 * H };
    expect(decide(revalidated, { ...context, now: T + 20 * H + 60_000 })).toBe('serve');
  });

  test('should check an entry at its first use in a run in mode run, unless validated since the request arrived', () => {
    expect(decide(entry, { ...nextRun, mode: 'run' })).toBe('revalidate');
    expect(decide({ ...entry, validatedAt: nextRun.arrivedAt }, { ...nextRun, mode: 'run' })).toBe('serve');
    expect(decide(entry, { ...nextRun, mode: 'http' })).toBe('serve');
  });

  test('should serve a stale entry the origin confirmed after the request arrived (another process\'s 304)', () => {
    const stale = { ...entry, freshUntil: T };
    expect(decide(stale, context)).toBe('revalidate');
    expect(decide({ ...stale, validatedAt: context.arrivedAt, freshUntil: context.arrivedAt }, context)).toBe('serve');
  });

  test('should check before every use in mode always, immutable entries too, and for a request that wants a fresh copy', () => {
    expect(decide({ ...entry, immutable: true }, { ...context, mode: 'always' })).toBe('revalidate');
    expect(decide({ ...entry, immutable: true }, { ...context, wantsFresh: true })).toBe('revalidate');
  });

  test('should never ask the origin in mode never or offline, and refetch past maxAge', () => {
    for (const variant of [{ mode: 'never' as const }, { offline: true }]) {
      expect(decide({ ...entry, freshUntil: T }, { ...nextRun, ...variant, wantsFresh: true })).toBe('serve');
      expect(decide(entry, { ...context, ...variant, now: T + 24 * H })).toBe('refetch');
    }
  });

  test('should refetch entries stored before a refresh began, except offline', () => {
    expect(decide(entry, { ...context, refreshSince: T + 1 })).toBe('refetch');
    expect(decide(entry, { ...context, refreshSince: T })).toBe('serve');
    expect(decide(entry, { ...context, refreshSince: T + 1, offline: true })).toBe('serve');
  });
});

test.describe('a check shared by the run', () => {
  test('should count a check another process on this machine made after the run began as the run\'s own', () => {
    const checkedAfter = { ...entry, validatedAt: nextRun.run.startedAt + 1, freshUntil: nextRun.run.startedAt + 600_000 };
    expect(decide(checkedAfter, { ...nextRun, mode: 'run', now: nextRun.run.startedAt + 5_000, arrivedAt: nextRun.run.startedAt + 4_000 })).toBe('serve');
  });

  test('should not count a check made before the run began, nor one made at its very start', () => {
    expect(decide({ ...entry, validatedAt: nextRun.run.startedAt - 1 }, { ...nextRun, mode: 'run', arrivedAt: nextRun.run.startedAt + 20_000 })).toBe('revalidate');
    expect(decide({ ...entry, validatedAt: nextRun.run.startedAt }, { ...nextRun, mode: 'run', arrivedAt: nextRun.run.startedAt + 20_000 })).toBe('revalidate');
  });

  test('should count another machine\'s check only when made more than the clock skew after the run began', () => {
    const started = nextRun.run.startedAt;
    const request = { ...nextRun, mode: 'run' as const, now: started + 10_000, arrivedAt: started + 9_000 };
    expect(decide({ ...entry, validatedBy: THERE, validatedAt: started + CLOCK_SKEW_MS }, request)).toBe('revalidate');
    expect(decide({ ...entry, validatedBy: THERE, validatedAt: started + CLOCK_SKEW_MS + 1 }, request)).toBe('serve');
    // An entry written by an earlier release says nothing of its machine: it is taken as this one's, like the disk it was read from.
    expect(decide({ ...entry, validatedBy: undefined, validatedAt: started + 1 }, request)).toBe('serve');
  });

  test('should count another machine\'s check the request waited for, whatever its clock says, and not one it merely read', () => {
    const arrivedAt = nextRun.run.startedAt + 20_000;
    const request = { ...nextRun, mode: 'run' as const, now: arrivedAt + 5_000, arrivedAt };
    // Its clock a little behind: the check looks older than the request, and older than the run's start.
    const behind = { ...entry, validatedBy: THERE, validatedAt: nextRun.run.startedAt - 500 };
    expect(decide(behind, { ...request, checkedDuringRequest: true })).toBe('serve');
    expect(decide(behind, request)).toBe('revalidate');
    // Read without waiting, another machine's time within the skew of the run's start is not taken on trust.
    const early = { ...request, arrivedAt: nextRun.run.startedAt + 200, now: nextRun.run.startedAt + 600 };
    expect(decide({ ...entry, validatedBy: THERE, validatedAt: early.arrivedAt + 100 }, early)).toBe('revalidate');
    expect(decide({ ...entry, validatedBy: HERE, validatedAt: early.arrivedAt + 100 }, early)).toBe('serve');
  });

  test('should still ask past maxAge even for a check the request waited for', () => {
    expect(decide(entry, { ...context, now: T + 25 * H, checkedDuringRequest: true })).toBe('revalidate');
  });

  test('should still refetch a run-long entry once maxAge has passed, however long the run lasts', () => {
    const runLong = { ...entry, hasValidators: false, freshForTheRun: true, freshUntil: T };
    expect(decide(runLong, { ...context, now: T + 23 * H })).toBe('serve');
    expect(decide(runLong, { ...context, now: T + 24 * H })).toBe('refetch');
  });
});

test.describe('no validators and no explicit freshness: fresh for the run', () => {
  const bare: EntryFacts = { ...entry, hasValidators: false, freshForTheRun: true, freshUntil: T };
  const later = { now: T + 5 * H, arrivedAt: T + 5 * H };

  test('should fetch it whole at its first use in a run, then serve it for the rest of the run, in modes run and http', () => {
    for (const mode of ['run', 'http'] as const) {
      expect(decide(bare, { ...nextRun, mode }), mode).toBe('refetch');
      expect(decide(bare, { ...context, ...later, mode }), mode).toBe('serve');
    }
  });

  test('should fetch it whole before every use in mode always, and use it until maxAge in mode never', () => {
    expect(decide(bare, { ...context, ...later, mode: 'always' })).toBe('refetch');
    expect(decide(bare, { ...nextRun, ...later, mode: 'never' })).toBe('serve');
  });

  test('should check an ETag-only entry once per run in mode http, not at every use', () => {
    const etagOnly = { ...bare, hasValidators: true };
    expect(decide(etagOnly, { ...nextRun, mode: 'http' })).toBe('revalidate');
    expect(decide(etagOnly, { ...context, ...later, mode: 'http' })).toBe('serve');
  });

  test('should serve it on another process\'s download of this run, and fetch it again in the next run', () => {
    const downloaded = { ...bare, validatedAt: nextRun.run.startedAt + 500 };
    expect(decide(downloaded, { ...nextRun, mode: 'run', now: nextRun.run.startedAt + 900, arrivedAt: nextRun.run.startedAt + 100 })).toBe('serve');
    const following = { ...nextRun, run: { ...nextRun.run, startedAt: nextRun.run.startedAt + H }, now: nextRun.run.startedAt + H + 100, arrivedAt: nextRun.run.startedAt + H + 50 };
    expect(decide(downloaded, { ...following, mode: 'run' })).toBe('refetch');
  });
});
