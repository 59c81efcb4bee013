/**
 * argon2id password hashing. The parameters are OWASP's first recommended set (19 MiB, 2 passes,
 * 1 lane): a login costs tens of milliseconds, and the login rate limit bounds how many run at once.
 */
import argon2 from 'argon2';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, OPTIONS);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a random password, verified against when the username does not exist, so a login for a
 * missing account takes as long as one for a real account and does not reveal which usernames exist.
 */
let dummyHash: Promise<string> | undefined;
export const timingDummyHash = (): Promise<string> => (dummyHash ??= hashPassword(`dummy-${Math.random()}`));
