const MEGABYTE = 1024 * 1024;

// Words of minified-JS-like shape, so gzip shrinks a synthetic bundle about
// as much as a real one (2.5x here) rather than barely (random bytes) or
// absurdly (repeated text). Fixed for every seed: the seed picks the sequence.
const TOKENS = makeTokens();

/**
 * Deterministic, valid JavaScript of exactly `megabytes` MiB (rounded to a
 * byte): one long comment, then a statement that counts executions in
 * `window.__synthetic`. The same (size, seed) always gives the same bytes.
 */
export function syntheticBundle(megabytes: number, seed = 1): Buffer {
  if (!Number.isFinite(megabytes) || megabytes <= 0)
    throw new RangeError(`syntheticBundle: megabytes must be > 0, got ${megabytes}`);
  const head = Buffer.from(`/* synthetic bundle, ${megabytes} MiB, seed ${seed}\n`);
  const tail = Buffer.from('\n*/\nwindow.__synthetic = (window.__synthetic || 0) + 1;\n');
  const size = Math.round(megabytes * MEGABYTE);
  if (size < head.length + tail.length)
    throw new RangeError(`syntheticBundle: ${megabytes} MiB is smaller than the ${head.length + tail.length}-byte frame`);
  const out = Buffer.alloc(size);
  head.copy(out, 0);
  const fillEnd = size - tail.length;
  const random = mulberry32(seed);
  let at = head.length;
  // Byte loops over pre-encoded tokens: 50 MiB in well under a second.
  while (at < fillEnd) {
    const token = TOKENS[Math.floor(random() * TOKENS.length)]!;
    for (let i = 0; i < token.length && at < fillEnd; i++)
      out[at++] = token[i]!;
  }
  tail.copy(out, fillEnd);
  return out;
}

/** Every identifier-like word followed by every separator, as bytes. */
function makeTokens(): Uint8Array[] {
  const random = mulberry32(0x5eed);
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ$_0123456789';
  const separators = ['.', '(', ')', ',', ';', '=', ' ', '{', '}', '[', ']', '+', '\n'];
  const tokens: Uint8Array[] = [];
  for (let i = 0; i < 512; i++) {
    const length = 1 + Math.floor(random() * 10);
    let word = '';
    for (let j = 0; j < length; j++)
      word += letters[Math.floor(random() * (j === 0 ? 54 : letters.length))];
    for (const separator of separators)
      tokens.push(Buffer.from(word + separator, 'latin1'));
  }
  return tokens;
}

/** A tiny seeded PRNG; Math.random cannot be seeded. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
