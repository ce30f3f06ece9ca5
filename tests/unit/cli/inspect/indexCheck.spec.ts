import { test, expect } from '@playwright/test';
import type { EntryRecord, IndexData, ResourceRecord } from '../../../../src/disk/indexSchema.js';
import { indexProblems, reconcileIndex } from '../../../../src/cli/inspect/indexCheck.js';
import type { EntryInfo } from '../../../../src/cli/inspect/inspection.js';

const T = '2026-01-01T00:00:00.000Z';

function record(url: string, overrides: Partial<EntryRecord> = {}): EntryRecord {
  return { stem: `v1/h/${url.split('/').pop()}-0`, url, resource: url, version: null, size: 10, storedAt: T, expiresAt: T, hits: 0, lastHitAt: null, ...overrides };
}

function entry(url: string, overrides: Partial<EntryInfo> = {}): EntryInfo {
  const r = record(url);
  return {
    stem: r.stem, host: 'h', key: `GET ${url}`, url, state: 'fresh', problem: null, size: r.size, resource: url, version: null,
    rule: 'x', status: 200, sha256: null, storedAt: T, expiresAt: T, ageMs: 0, expiresInMs: 0, freshness: null, hits: 0, lastHitAt: null, lastHitAgoMs: null, ...overrides,
  };
}

function index(entries: Record<string, EntryRecord>, resources: Record<string, ResourceRecord> = {}): IndexData {
  return { formatVersion: 1, updatedAt: T, resources, entries };
}

test.describe('indexProblems', () => {
  test('should find nothing when records and entries agree', () => {
    const data = index({ 'GET https://a/x.js': record('https://a/x.js') });
    expect(indexProblems({ state: 'ok', dropped: 0, data }, [entry('https://a/x.js')])).toEqual([]);
  });

  test('should name lost, extra, missing and disagreeing records', () => {
    const data = index({ 'GET https://a/x.js': record('https://a/x.js', { size: 11 }), 'GET https://a/gone.js': record('https://a/gone.js') });
    expect(indexProblems({ state: 'corrupt', dropped: 2, data }, [entry('https://a/x.js'), entry('https://a/new.js')])).toEqual([
      'cache_versions.json has 2 invalid records',
      'cache_versions.json describes https://a/x.js differently from its meta.json',
      'cache_versions.json lists https://a/gone.js, which is not in the cache',
      'cache_versions.json does not list https://a/new.js',
    ]);
    expect(indexProblems({ state: 'missing', dropped: 0, data }, [entry('https://a/x.js')])).toEqual(['cache_versions.json is missing']);
    expect(indexProblems({ state: 'corrupt', dropped: 0, data }, [])).toEqual(['cache_versions.json is not a valid index']);
  });

  test('should find no problem in a missing index when there is no entry for it to list (a new or emptied cache)', () => {
    const none = index({});
    expect(indexProblems({ state: 'missing', dropped: 0, data: none }, [])).toEqual([]);
    // Corrupt entries are reported on their own, and removing them leaves nothing to list.
    expect(indexProblems({ state: 'missing', dropped: 0, data: none }, [entry('https://a/x.js', { state: 'corrupt' })], new Set(['GET https://a/x.js']))).toEqual([]);
  });

  test('should leave records of corrupt entries to the corrupt report', () => {
    const data = index({ 'GET https://a/x.js': record('https://a/x.js') });
    expect(indexProblems({ state: 'ok', dropped: 0, data }, [entry('https://a/x.js', { state: 'corrupt', size: 3 })], new Set(['GET https://a/x.js']))).toEqual([]);
  });
});

test.describe('reconcileIndex', () => {
  test('should take entries from the sidecars, keeping hits, history and unknown resources', () => {
    const history = [{ version: '1', url: 'https://a/m.js?v=1', firstSeen: T, supersededAt: T }];
    const resource: ResourceRecord = { version: '2', key: 'GET https://a/m.js?v=2', url: 'https://a/m.js?v=2', firstSeen: T, lastSeen: T, multiVersion: false, history };
    const current = index(
        { 'GET https://a/m.js?v=2': record('https://a/m.js?v=2', { hits: 9, lastHitAt: T }), 'GET https://a/gone.js': record('https://a/gone.js') },
        { 'https://a/m.js': resource });
    const rebuilt = index(
        { 'GET https://a/m.js?v=2': record('https://a/m.js?v=2'), 'GET https://a/new.js': record('https://a/new.js') },
        { 'https://a/m.js': { ...resource, history: [] }, 'https://a/new.js': { ...resource, url: 'https://a/new.js', history: [] } });
    const result = reconcileIndex(current, rebuilt);
    expect(Object.keys(result.entries).sort()).toEqual(['GET https://a/m.js?v=2', 'GET https://a/new.js']);
    expect(result.entries['GET https://a/m.js?v=2']).toMatchObject({ hits: 9, lastHitAt: T });
    expect(result.resources['https://a/m.js']!.history).toEqual(history);
    expect(result.resources['https://a/new.js']).toBeDefined();
    expect(Object.keys(current.entries)).toContain('GET https://a/gone.js');
  });
});
