import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { z } from 'zod';
import { commands } from '../../../src/cli/registry.js';
import { DEFAULTS } from '../../../src/options/resolve.js';
import { optionsSchema } from '../../../src/options/schema.js';
import { parseByteSize, parseDuration } from '../../../src/options/units.js';
import { REMOTE_OPTION_KEYS } from '../../../src/options/remoteOption.js';
import { parseMarkdown } from '../../../scripts/docs/markdown.js';

const root = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** Every option a user can set, from the schema itself: `memory.maxBytes` for a nested object's keys. */
function schemaOptions(): string[] {
  return Object.entries(optionsSchema.shape).flatMap(([name, field]) => {
    const inner = field instanceof z.ZodOptional ? field.unwrap() : field;
    return inner instanceof z.ZodObject ? Object.keys(inner.shape).map(key => `${name}.${key}`) : [name];
  });
}

/** The rows of the first table under `heading`, as cells. */
function tableUnder(file: string, heading: string): string[][] {
  const lines = read(file).split('\n');
  const start = lines.indexOf(heading);
  expect(start, `${file} has the heading ${heading}`).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#'))
      break;
    if (line.startsWith('|'))
      rows.push(line.slice(1, -1).split(/(?<!\\)\|/).map(cell => cell.trim()));
    else if (rows.length)
      break;
  }
  return rows.slice(2);
}

const codeName = (cell: string) => /^`([^`]+)`$/.exec(cell)?.[1] ?? cell;
const firstQuoted = (cell: string) => /`'([^']+)'`/.exec(cell)?.[1];

// Options whose default is a number the docs spell as a duration or a size.
const NUMERIC_DEFAULTS: Record<string, { value: number; parse: (text: string) => number | undefined }> = {
  'maxAge': { value: DEFAULTS.maxAgeMs, parse: parseDuration },
  'memory.maxBytes': { value: DEFAULTS.memoryMaxBytes, parse: parseByteSize },
  'memory.ttl': { value: DEFAULTS.memoryTtlMs, parse: parseDuration },
  'disk.maxBytes': { value: DEFAULTS.diskMaxBytes, parse: parseByteSize },
};

test('should document every option of the schema in the README\'s table, and none it does not have', () => {
  const rows = tableUnder('README.md', '## Options');
  expect(rows.map(row => codeName(row[0]!)).sort()).toEqual(schemaOptions().sort());
  for (const [name, { value, parse }] of Object.entries(NUMERIC_DEFAULTS)) {
    const row = rows.find(cells => codeName(cells[0]!) === name)!;
    expect(parse(firstQuoted(row[1]!) ?? ''), `README default of ${name}`).toBe(value);
  }
});

test('should give every option of the schema its own section in docs/options.md, with its default and unit', () => {
  const parsed = parseMarkdown(read('docs/options.md'));
  const sections = parsed.headings.filter(heading => heading.level === 2);
  expect(sections.map(heading => codeName(heading.text)).sort()).toEqual(schemaOptions().sort());
  const lines = read('docs/options.md').split('\n');
  for (const heading of sections) {
    const name = codeName(heading.text);
    const next = sections.find(other => other.line > heading.line)?.line ?? lines.length + 1;
    const body = lines.slice(heading.line, next - 1);
    const line = body.find(text => text.startsWith('**Default** '));
    expect(line, `docs/options.md: ${name} says its default and unit`).toMatch(/^\*\*Default\*\* .+ · \*\*Unit\*\* .+$/);
    if (NUMERIC_DEFAULTS[name])
      expect(NUMERIC_DEFAULTS[name].parse(firstQuoted(line!) ?? ''), `docs/options.md default of ${name}`).toBe(NUMERIC_DEFAULTS[name].value);
    if (name === 'remote') {
      for (const key of REMOTE_OPTION_KEYS.filter(key => key !== 'url'))
        expect(body.some(text => text.startsWith(`- \`${key}\` (default `)), `docs/options.md: remote.${key} and its default`).toBe(true);
    }
  }
});

test('should list every CLI command in the README\'s table, and none that does not exist', () => {
  const rows = tableUnder('README.md', '## The `bundle-cache` CLI');
  const documented = rows.map(row => codeName(row[0]!).split(' ')[0]!);
  expect(documented.sort()).toEqual(commands.map(command => command.spec.name).sort());
  const headings = parseMarkdown(read('docs/cli.md')).headings.filter(heading => heading.level === 2).map(heading => codeName(heading.text).split(' ')[0]);
  for (const command of commands)
    expect(headings, `docs/cli.md has a section for ${command.spec.name}`).toContain(command.spec.name);
});
