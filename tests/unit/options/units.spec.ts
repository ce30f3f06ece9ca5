import { test, expect } from '@playwright/test';
import { parseByteSize, parseDuration } from '../../../src/options/units.js';

test('should parse durations in ms and with units', () => {
  expect(parseDuration(1500)).toBe(1500);
  expect(parseDuration('500ms')).toBe(500);
  expect(parseDuration('30s')).toBe(30_000);
  expect(parseDuration('5m')).toBe(300_000);
  expect(parseDuration('24h')).toBe(86_400_000);
  expect(parseDuration('7d')).toBe(604_800_000);
  expect(parseDuration('1h30m')).toBe(5_400_000);
  expect(parseDuration('1.5h')).toBe(5_400_000);
  expect(parseDuration(' 2 m ')).toBe(120_000);
});

test('should reject what is not a duration', () => {
  for (const bad of [-1, Number.NaN, Infinity, '', '5', 'five minutes', '5x', 'm5', '-5m'])
    expect(parseDuration(bad as never), String(bad)).toBeUndefined();
});

test('should parse byte sizes in binary units', () => {
  expect(parseByteSize(1024)).toBe(1024);
  expect(parseByteSize('512KB')).toBe(512 * 1024);
  expect(parseByteSize('100MB')).toBe(100 * 1024 * 1024);
  expect(parseByteSize('1gb')).toBe(1024 ** 3);
  expect(parseByteSize('1.5 MB')).toBe(1.5 * 1024 * 1024);
  expect(parseByteSize('42')).toBe(42);
});

test('should reject what is not a byte size', () => {
  for (const bad of [-1, 1.5, Number.NaN, '', 'lots', '10 MiBs', '-1MB'])
    expect(parseByteSize(bad as never), String(bad)).toBeUndefined();
});
