export interface Column {
  readonly header: string;
  /** Numbers read best right-aligned. Default: left. */
  readonly align?: 'left' | 'right';
}

/**
 * A plain-text table: a header row, then one line per row, columns two
 * spaces apart, trailing spaces trimmed (so output diffs and greps cleanly).
 */
export function renderTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = columns.map((column, i) => Math.max(column.header.length, ...rows.map(row => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => columns
      .map((column, i) => column.align === 'right' ? (cells[i] ?? '').padStart(widths[i]!) : (cells[i] ?? '').padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns.map(column => column.header)), ...rows.map(line)];
}

/** Label/value lines with the values aligned: the header of `status`, the fields of `show`. */
export function renderFields(fields: ReadonlyArray<readonly [label: string, value: string]>): string[] {
  const width = Math.max(0, ...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${label.padEnd(width)}  ${value}`.trimEnd());
}

/** `1 entry`, `3 entries`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
