import { describe, expect, it } from 'vitest';
import { generateKeyPair, normalizePublicKey, parsePublicKey } from './keys.js';
import { checkProof, newNonce, prove } from './handshake.js';

describe('federation handshake signatures', () => {
  const us = { name: 'us-cert', ...generateKeyPair() };
  const lv = { name: 'lv-cert', ...generateKeyPair() };

  it('proves each side to the other over fresh nonces', () => {
    const [nUs, nLv] = [newNonce(), newNonce()];
    const lvProof = prove(lv, 'us-cert', nUs, nLv);
    expect(checkProof(lv, 'us-cert', nUs, nLv, lvProof)).toBe(true);
    const usProof = prove(us, 'lv-cert', nLv, nUs);
    expect(checkProof(us, 'lv-cert', nLv, nUs, usProof)).toBe(true);
  });

  it('refuses a proof from another key, for other nonces, or reflected back to its maker', () => {
    const [nUs, nLv] = [newNonce(), newNonce()];
    const lvProof = prove(lv, 'us-cert', nUs, nLv);
    const intruder = { name: 'lv-cert', ...generateKeyPair() };
    expect(checkProof({ name: 'lv-cert', publicKey: intruder.publicKey }, 'us-cert', nUs, nLv, lvProof)).toBe(false);
    // A recorded proof does not answer a later session's nonce.
    expect(checkProof(lv, 'us-cert', newNonce(), nLv, lvProof)).toBe(false);
    // LV's proof to US is not a proof of US to LV, though the same nonces are in it.
    expect(checkProof({ name: 'us-cert', publicKey: lv.publicKey }, 'lv-cert', nLv, nUs, lvProof)).toBe(false);
    expect(checkProof(lv, 'us-cert', nUs, nLv, 'not base64 at all!')).toBe(false);
  });

  it('reads keys only in their ed25519: form, and gives the operator a reason otherwise', () => {
    expect(normalizePublicKey(`  ${us.publicKey}\n`)).toBe(us.publicKey);
    expect(() => parsePublicKey(us.publicKey.slice('ed25519:'.length))).toThrow(/starts with "ed25519:"/);
    expect(() => parsePublicKey('ed25519:abc')).toThrow(/43 base64url characters/);
    expect(() => parsePublicKey(us.privateKeyPem)).toThrow(/starts with/);
  });
});
