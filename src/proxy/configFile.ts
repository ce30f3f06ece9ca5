import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BundleCacheError } from '../errors.js';
import type { BundleCacheOptions } from '../types.js';

/**
 * The cache's options from a file, for `bundle-cache proxy --config`: a
 * JavaScript module whose default export is the options object (so rules
 * can be RegExps and predicates, as in code), or a JSON file. The options
 * are validated by `BundleCache.open()` as anywhere else.
 */
export async function loadOptionsFile(file: string): Promise<BundleCacheOptions> {
  let loaded: unknown;
  try {
    loaded = file.endsWith('.json')
      ? JSON.parse(await readFile(file, 'utf8'))
      : ((await import(pathToFileURL(path.resolve(file)).href)) as { default?: unknown }).default;
  } catch (error) {
    throw new BundleCacheError('ERR_OPTIONS', `Cannot load the options file ${file}: ${(error as Error).message.split('\n')[0]}. Fix: give a .js/.mjs module whose default export is the options object (export default { rules: [...] }), or a .json file.`, { option: 'config', file }, { cause: error });
  }
  if (typeof loaded !== 'object' || loaded === null || Array.isArray(loaded))
    throw new BundleCacheError('ERR_OPTIONS', `The options file ${file} exports ${Array.isArray(loaded) ? 'an array' : typeof loaded}, not an options object. Fix: export default { rules: [...], maxAge: '24h', ... }.`, { option: 'config', file });
  return loaded as BundleCacheOptions;
}
