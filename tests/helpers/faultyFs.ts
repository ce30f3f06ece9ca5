import { nodeStoreFs, type StoreFs } from '../../src/disk/storeFs.js';

/** A StoreFs whose `method` fails with `code` while `when(path)` holds. */
export function faultyFs(method: keyof StoreFs, code: string, when: (path: string) => boolean = () => true): StoreFs {
  const original = nodeStoreFs[method] as (...args: unknown[]) => Promise<unknown>;
  return {
    ...nodeStoreFs,
    [method]: async (...args: unknown[]) => {
      if (when(String(args[0])))
        throw Object.assign(new Error(`${code}: injected fault, ${method} '${String(args[0])}'`), { code });
      return original(...args);
    },
  };
}
