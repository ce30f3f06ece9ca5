/** The URL every crash-test writer stores, and the body of each generation it writes there. */
export const CRASH_URL = 'https://origin.test/crash/main.dart.js';

/** At least 32 MiB, a different size per generation, filled with `generation <g> `: a mix of two shows. */
export function crashBody(generation: number): Buffer {
  return Buffer.alloc(32 * 1024 * 1024 + (generation % 5) * 4093, `generation ${generation} `);
}

/** Which generation a body claims to be (its bytes are then compared with that generation's). */
export function generationOf(body: Buffer): number | undefined {
  const match = /^generation (\d+) /.exec(body.subarray(0, 40).toString('latin1'));
  return match ? Number(match[1]) : undefined;
}
