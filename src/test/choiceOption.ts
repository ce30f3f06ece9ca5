import { BundleCacheError } from '../errors.js';
import { describeValue } from '../options/describeValue.js';

/**
 * A fixture option that takes one of a few strings: rejected where it is
 * read, naming the option, what it takes, what it got and the fix.
 */
export function checkChoiceOption<T extends string>(option: string, value: unknown, choices: readonly T[], example: T, where: string): T {
  if ((choices as readonly unknown[]).includes(value))
    return value as T;
  const expected = choices.map(choice => `'${choice}'`).join(' or ');
  throw new BundleCacheError('ERR_OPTIONS',
      `Fixture option "${option}" is invalid: expected ${expected}; got ${describeValue(value)}. ` +
      `Fix: set it in playwright.config.ts (use: { ${option}: '${example}' }) or with test.use({ ${option}: '${example}' })${where}.`,
      { option, received: value });
}
