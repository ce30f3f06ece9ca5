import { test, expect } from '@playwright/test';
import { closest } from '../../../src/cli/args.js';
import { formatBytes } from '../../../src/options/units.js';
import { formatAgo, formatDuration, formatTime } from '../../../src/cli/format/duration.js';
import { plural, renderFields, renderTable } from '../../../src/cli/format/table.js';
import { cutMiddle, shortenUrl } from '../../../src/cli/format/url.js';
import { splitCommand } from '../../../src/cli/main.js';

test.describe('formatBytes', () => {
  test('should print sizes for people, in the binary units the options use', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(4.3 * 1024 * 1024)).toBe('4.3 MB');
    expect(formatBytes(310_000)).toBe('303 KB');
    expect(formatBytes(7_300_000)).toBe('7.0 MB');
    expect(formatBytes(1024 ** 3)).toBe('1.0 GB');
    expect(formatBytes(5 * 1024 ** 4)).toBe('5.0 TB');
  });

  test('should not print 1024.0 KB when rounding carries into the next unit', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1.0 MB');
  });
});

test.describe('formatDuration', () => {
  test('should print the two largest units', () => {
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000 + 30_000)).toBe('2h 5m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3d 4h');
    expect(formatDuration(5 * 60_000 + 3_000)).toBe('5m 3s');
    expect(formatDuration(42_000)).toBe('42s');
  });

  test('should drop a zero second unit instead of skipping to the third', () => {
    expect(formatDuration(2 * 3_600_000 + 30_000)).toBe('2h');
    expect(formatDuration(86_400_000)).toBe('1d');
  });

  test('should truncate, and print 0s below a second', () => {
    expect(formatDuration(59_999)).toBe('59s');
    expect(formatDuration(999)).toBe('0s');
    expect(formatDuration(0)).toBe('0s');
  });

  test('should format negative durations by magnitude', () => {
    expect(formatDuration(-7_500_000)).toBe('2h 5m');
  });

  test('should say ago, or never for null', () => {
    expect(formatAgo(60_000)).toBe('1m ago');
    expect(formatAgo(null)).toBe('never');
  });

  test('should print times in UTC to the second', () => {
    expect(formatTime('2026-11-21T10:52:03.123Z')).toBe('2026-11-21 10:52:03');
    expect(formatTime(null)).toBe('—');
  });
});

test.describe('shortenUrl', () => {
  test('should drop the scheme first', () => {
    expect(shortenUrl('https://app.example.com/main.dart.js?v=2', 60)).toBe('app.example.com/main.dart.js?v=2');
  });

  test('should keep the host, the file name and the query, eliding the path', () => {
    const url = 'https://www.gstatic.com/flutter-canvaskit/e76c956498841e1ab458577d3892003e553e4f3c/chromium/canvaskit.wasm';
    expect(shortenUrl(url, 50)).toBe('www.gstatic.com/…/canvaskit.wasm');
    expect(shortenUrl('https://a.example/very/long/path/to/main.dart.js?v=1234567', 40)).toBe('a.example/…/main.dart.js?v=1234567');
  });

  test('should cut in the middle when even that is too long', () => {
    const url = 'https://a.example/x/' + 'f'.repeat(50) + '.js';
    const short = shortenUrl(url, 30);
    expect(short).toHaveLength(30);
    expect(short.startsWith('a.example/x/')).toBe(true);
    expect(short.endsWith('fff.js')).toBe(true);
  });

  test('should keep both ends when cutting', () => {
    expect(cutMiddle('abcdefghij', 7)).toBe('abc…hij');
    expect(cutMiddle('abc', 7)).toBe('abc');
  });
});

test.describe('tables', () => {
  test('should align columns, right-align numbers and trim trailing spaces', () => {
    expect(renderTable([{ header: 'URL' }, { header: 'SIZE', align: 'right' }, { header: 'NOTE' }], [['a/b.js', '4.3 MB', ''], ['c.wasm', '12 B', 'x']])).toEqual([
      'URL       SIZE  NOTE',
      'a/b.js  4.3 MB',
      'c.wasm    12 B  x',
    ]);
  });

  test('should align field values', () => {
    expect(renderFields([['dir', '/c'], ['total size', '1 B']])).toEqual(['dir         /c', 'total size  1 B']);
  });

  test('should pluralize counts', () => {
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
    expect(plural(0, 'lock')).toBe('0 locks');
  });
});

test.describe('command line', () => {
  test('should find the command after global flags and their values', () => {
    expect(splitCommand(['--dir', 'status', 'list', '--json'])).toEqual({ name: 'list', rest: ['--dir', 'status', '--json'] });
    expect(splitCommand(['status'])).toEqual({ name: 'status', rest: [] });
    expect(splitCommand(['--help'])).toEqual({ name: undefined, rest: ['--help'] });
  });

  test('should suggest the nearest name for a likely typo only', () => {
    expect(closest('stauts', ['status', 'list'])).toBe('status');
    expect(closest('sotr', ['sort', 'host'])).toBe('sort');
    expect(closest('verfy', ['verify', 'versions'])).toBe('verify');
    expect(closest('fix', ['dir', 'json'])).toBeUndefined();
    expect(closest('frobnicate', ['status', 'list'])).toBeUndefined();
  });
});
