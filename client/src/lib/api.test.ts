import { describe, expect, it } from 'vitest';
import { ApiError, toApiError } from './api.js';

describe('toApiError', () => {
  it('keeps the server code, message and field errors', () => {
    const e = toApiError(400, { error: { code: 'validation_failed', message: 'Invalid input', fields: { name: 'required' } } });
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message, e.fields]).toEqual([400, 'validation_failed', 'Invalid input', { name: 'required' }]);
  });

  it('falls back to a generic error for bodies that are not ours', () => {
    const e = toApiError(502, '<html>bad gateway</html>');
    expect([e.code, e.message]).toEqual(['internal', 'the server answered 502']);
  });
});
