/**
 * The link handshake's signatures (docs/federation.md section 4): each side signs both nonces and the
 * direction, so a signature can be neither replayed in a later session (fresh nonces) nor reflected back
 * to its maker (the direction differs). No timestamps: the peers' clocks may differ by minutes.
 */
import { randomBytes } from 'node:crypto';
import { signWith, verifyWith } from './keys.js';

export const newNonce = (): string => randomBytes(32).toString('base64url');

/** What `signer` signs to prove itself to `verifier`: its own nonce last, so the two proofs differ. */
export function challenge(signer: string, verifier: string, verifierNonce: string, signerNonce: string): Buffer {
  return Buffer.from(`huntroom-federation-v1\n${signer}->${verifier}\n${verifierNonce}\n${signerNonce}`, 'utf8');
}

export function prove(me: { name: string; privateKeyPem: string }, peerName: string, peerNonce: string, myNonce: string): string {
  return signWith(me.privateKeyPem, challenge(me.name, peerName, peerNonce, myNonce)).toString('base64url');
}

/** True when `proof` shows that whoever holds `peer.publicKey` answered this session's nonces. */
export function checkProof(peer: { name: string; publicKey: string }, myName: string, myNonce: string, peerNonce: string, proof: string): boolean {
  return verifyWith(peer.publicKey, challenge(peer.name, myName, myNonce, peerNonce), Buffer.from(proof, 'base64url'));
}
