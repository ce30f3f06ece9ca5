const MAX_LENGTH = 80;

/**
 * A bad option's value as an error message shows it: JSON where JSON can say
 * it, and what JSON cannot say spelled out (`NaN`, `Infinity`, `-Infinity`,
 * `10n`, `undefined`, a RegExp, a function), at any depth; never throws (a
 * cycle is `[Circular]`). Pure.
 */
export function describeValue(value: unknown): string {
  const text = describe(value, new Set());
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}

function describe(value: unknown, seen: Set<object>): string {
  switch (typeof value) {
    case 'number':
      // String() spells NaN and ±Infinity, which JSON.stringify turns into null; -0 reads as 0 either way.
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return value.toString();
    case 'function':
      return 'a function';
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
  }
  if (value === null)
    return 'null';
  if (value instanceof RegExp)
    return String(value);
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? 'an invalid Date' : `a Date (${value.toISOString()})`;
  const object = value as object;
  if (seen.has(object))
    return '[Circular]';
  seen.add(object);
  try {
    if (Array.isArray(object))
      return `[${object.map(item => describe(item, seen)).join(',')}]`;
    return `{${Object.entries(object).map(([key, item]) => `${JSON.stringify(key)}:${describe(item, seen)}`).join(',')}}`;
  } finally {
    seen.delete(object);
  }
}
