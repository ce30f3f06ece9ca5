import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * AES-256-GCM with a key derived from the secret by HKDF-SHA256, with a
 * fresh random salt (16 bytes) and nonce (12 bytes) for every write. HKDF,
 * not a password hash: the secret is meant to be random (`openssl rand
 * -base64 32`), so there is nothing to slow a guesser down for, and deriving
 * costs microseconds per file. The associated data binds the ciphertext to
 * its file's header (the session's name, key hash, generation and times):
 * a ciphertext moved to another session, or a header edited, fails to open.
 */
export const sealedSchema = z.object({
  cipher: z.literal('aes-256-gcm'),
  kdf: z.literal('hkdf-sha256'),
  salt: z.base64(),
  nonce: z.base64(),
  tag: z.base64(),
  data: z.base64(),
});

export type Sealed = z.infer<typeof sealedSchema>;

const INFO = Buffer.from('playwright-bundle-cache session file v1');
const NONCE_BYTES = 12;
const SALT_BYTES = 16;
const TAG_BYTES = 16;

function deriveKey(secret: string, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), salt, INFO, 32));
}

export function seal(plaintext: string, secret: string, associatedData: string): Sealed {
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, salt), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    cipher: 'aes-256-gcm',
    kdf: 'hkdf-sha256',
    salt: salt.toString('base64'),
    nonce: nonce.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** The plaintext, or undefined when the key is wrong or anything (data, tag, header) was changed. */
export function unseal(sealed: Sealed, secret: string, associatedData: string): string | undefined {
  const nonce = Buffer.from(sealed.nonce, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES)
    return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret, Buffer.from(sealed.salt, 'base64')), nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
