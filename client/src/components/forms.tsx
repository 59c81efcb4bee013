/** Form helpers: labelled fields with their server-side error, and an error banner. */
import type { InputHTMLAttributes, ReactNode } from 'react';
import { ApiError } from '../lib/api.js';

export function Field({ label, error, hint, ...input }: { label: string; error?: string | undefined; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const id = input.id ?? `f-${input.name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={!!error} aria-describedby={error ? `${id}-err` : undefined} {...input} />
      {hint && !error && <div className="hint">{hint}</div>}
      {error && (
        <div className="field-error" id={`${id}-err`}>
          {error}
        </div>
      )}
    </div>
  );
}

export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      {message}
    </div>
  );
}

/** Field errors of an ApiError keyed by field name. */
export const fieldErrors = (err: unknown): Record<string, string> => (err instanceof ApiError ? err.fields : {});
