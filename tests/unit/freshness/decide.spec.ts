import { expect, test } from '@playwright/test';
import { decide, needsCheck, type DecisionContext, type EntryFacts } from '../../../src/freshness/decide.js';

const T = 1_000_000_000;
const H = 3_600_000;

/** Stored at T and validated then, fresh by its headers for 10 minutes, maxAge 24 h, with an ETag. */
const entry: EntryFacts = { immutable: false, storedAt: T, validatedAt: T, freshUntil: T + 600_000, expiresAt: T + 24 * H, hasValidators: true };
const context: DecisionContext = { now: T + 60_000, mode: 'http', ruleMaxAgeMs: 24 * H, offline: false, refreshSince: undefined, arrivedAt: T + 30_000, needsCheck: false };

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
    expect(decide(immutable, { ...context, now: T + 23 * H })).toBe('serve');
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

  test('should check an entry that needs the origin\'s word, unless validated since the request arrived', () => {
    expect(decide(entry, { ...context, needsCheck: true })).toBe('revalidate');
    expect(decide({ ...entry, validatedAt: context.arrivedAt }, { ...context, needsCheck: true })).toBe('serve');
  });

  test('should serve a stale entry the origin confirmed after the request arrived (another process\'s 304)', () => {
    const stale = { ...entry, freshUntil: T };
    expect(decide(stale, context)).toBe('revalidate');
    expect(decide({ ...stale, validatedAt: context.arrivedAt, freshUntil: context.arrivedAt }, context)).toBe('serve');
  });

  test('should check an immutable entry too when the use needs the origin\'s word', () => {
    expect(decide({ ...entry, immutable: true }, { ...context, mode: 'always', needsCheck: true })).toBe('revalidate');
  });

  test('should never ask the origin in mode never or offline, and refetch past maxAge', () => {
    for (const variant of [{ mode: 'never' as const }, { offline: true }]) {
      expect(decide({ ...entry, freshUntil: T }, { ...context, ...variant, needsCheck: true })).toBe('serve');
      expect(decide(entry, { ...context, ...variant, now: T + 24 * H })).toBe('refetch');
    }
  });

  test('should refetch entries stored before a refresh began, except offline', () => {
    expect(decide(entry, { ...context, refreshSince: T + 1 })).toBe('refetch');
    expect(decide(entry, { ...context, refreshSince: T })).toBe('serve');
    expect(decide(entry, { ...context, refreshSince: T + 1, offline: true })).toBe('serve');
  });
});

test.describe('needsCheck', () => {
  const base = { immutable: false, wantsFresh: false, checkedThisRun: false };

  test('should ask at the first use of a revalidated entry in mode run only', () => {
    expect(needsCheck({ ...base, mode: 'run' })).toBe(true);
    expect(needsCheck({ ...base, mode: 'run', checkedThisRun: true })).toBe(false);
    expect(needsCheck({ ...base, mode: 'run', immutable: true })).toBe(false);
    expect(needsCheck({ ...base, mode: 'http' })).toBe(false);
  });

  test('should ask before every use in mode always and for a request that wants a fresh copy', () => {
    expect(needsCheck({ ...base, mode: 'always', checkedThisRun: true, immutable: true })).toBe(true);
    expect(needsCheck({ ...base, mode: 'http', wantsFresh: true, immutable: true })).toBe(true);
  });

  test('should never ask in mode never, whatever the request says', () => {
    expect(needsCheck({ ...base, mode: 'never', wantsFresh: true })).toBe(false);
  });
});
