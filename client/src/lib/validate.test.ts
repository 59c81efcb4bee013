import { describe, expect, it } from 'vitest';
import { createInviteSchema, createWorkspaceSchema, loginSchema } from '@huntroom/shared';
import { ApiError } from './api.js';
import { checked } from './validate.js';

describe('checked', () => {
  it('returns what the shared schema produces, normalized as the server would', () => {
    expect(checked(loginSchema, { username: '  Alice ', password: 'x' })).toEqual({ username: 'alice', password: 'x' });
  });

  it('throws a validation ApiError with a message per field before anything is sent', () => {
    let err: unknown;
    try {
      checked(createWorkspaceSchema, { name: '   ', defaultTlp: 'AMBER' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect([e.status, e.code, e.message]).toEqual([400, 'validation_failed', 'check name']);
    expect(e.fields).toEqual({ name: 'a workspace needs a name' });
  });

  it('keys nested and several fields by their path', () => {
    try {
      checked(createInviteSchema, { role: 'admin', team: 'C A', expiresInHours: 0 });
      expect.unreachable();
    } catch (e) {
      expect(Object.keys((e as ApiError).fields).sort()).toEqual(['expiresInHours', 'role', 'team']);
    }
  });
});
