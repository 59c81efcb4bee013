/**
 * Ed25519 keys of federation links, with node:crypto (no library needed: Node has had Ed25519 since 12).
 * A public key travels as `ed25519:<base64url of the 32 raw bytes>`: short enough for an operator to paste
 * into a command line or read out over the phone, and self-describing so a wrong kind of key is refused.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

const PREFIX = 'ed25519:';

export interface KeyPair {
  /** `ed25519:...`, safe to show and share. */
  publicKey: string;
  /** PKCS #8 PEM; stays in this instance's database. */
  privateKeyPem: string;
}

export class BadKey extends Error {}

export function generateKeyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: encodePublicKey(publicKey), privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

function encodePublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  return PREFIX + String(jwk.x);
}

/** Reads `ed25519:...` as a key, or throws BadKey with a sentence an operator can act on. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (!trimmed.startsWith(PREFIX)) throw new BadKey('a peer key starts with "ed25519:" (the peer prints it with: federation identity)');
  const x = trimmed.slice(PREFIX.length);
  if (!/^[A-Za-z0-9_-]{43}$/.test(x)) throw new BadKey('a peer key is "ed25519:" and 43 base64url characters (32 bytes)');
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  } catch {
    throw new BadKey('that is not an Ed25519 public key');
  }
}

/** The canonical form of a key given by an operator (trimmed, re-encoded), for storing and comparing. */
export const normalizePublicKey = (text: string): string => encodePublicKey(parsePublicKey(text));

export const signWith = (privateKeyPem: string, message: Buffer): Buffer => sign(null, message, createPrivateKey(privateKeyPem));

export function verifyWith(publicKey: string, message: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, message, parsePublicKey(publicKey), signature);
  } catch {
    return false;
  }
}
