/** Form helpers: labelled fields with their server-side error, and an error banner. */
import type { InputHTMLAttributes, KeyboardEvent, ReactNode } from 'react';
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
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      {message}
    </div>
  );
}

/** Field errors of an ApiError keyed by field name. */
export const fieldErrors = (err: unknown): Record<string, string> => (err instanceof ApiError ? err.fields : {});

/** Enter makes a new line in a textarea; Ctrl+Enter (Cmd+Enter) submits its form, as Enter does elsewhere. */
export function submitOnCtrlEnter(e: KeyboardEvent<HTMLTextAreaElement>): void {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    e.currentTarget.form?.requestSubmit();
  }
}

/**
 * Copies text to the clipboard. navigator.clipboard exists only in secure contexts (https,
 * localhost); on a plain-http site network fall back to selecting the field and execCommand.
 */
export async function copyText(text: string, field?: HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* denied: try the old way */
  }
  if (!field) return false;
  field.focus();
  field.select();
  // Deprecated but still the only way without a secure context; the selection stays for Ctrl+C.
  return document.execCommand('copy');
}
