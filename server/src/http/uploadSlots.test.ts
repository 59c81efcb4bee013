import { describe, expect, it } from 'vitest';
import { UploadSlots } from './uploadSlots.js';
import { AppError } from './errors.js';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as AppError).code;
  }
  return 'taken';
};

describe('UploadSlots', () => {
  it('one upload per account, a few per address and per node; a slot given back is free again', () => {
    const slots = new UploadSlots({ perAccount: 1, perAddress: 2, perNode: 3 });
    const a = slots.take('alice', '10.0.0.1');
    expect(code(() => slots.take('alice', '10.0.0.2'))).toBe('rate_limited');
    const b = slots.take('ben', '10.0.0.1');
    expect(code(() => slots.take('carol', '10.0.0.1'))).toBe('rate_limited');
    slots.take('carol', '10.0.0.3');
    expect(code(() => slots.take('dave', '10.0.0.4'))).toBe('unavailable');
    a();
    a();
    expect(code(() => slots.take('alice', '10.0.0.5'))).toBe('taken');
    b();
  });
});
