/** Form helpers: labelled fields with their server-side error, and an error banner. */
import { useCallback, useMemo, useState, type InputHTMLAttributes, type KeyboardEvent, type ReactNode } from 'react';
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

/** The text values of a form by key, a setter and a reset: the state `BoundField` binds a field to. */
export interface FormValues<K extends string> {
  values: Record<K, string>;
  set: (key: K, value: string) => void;
  /** Back to the first values: all of them, or only `keys`. */
  reset: (...keys: K[]) => void;
}

export function useFormValues<K extends string>(initial: Record<K, string>): FormValues<K> {
  const [first] = useState(initial);
  const [values, setValues] = useState(initial);
  const set = useCallback((key: K, value: string) => setValues((v) => ({ ...v, [key]: value })), []);
  const reset = useCallback((...keys: K[]) => setValues((v) => (keys.length ? { ...v, ...Object.fromEntries(keys.map((k) => [k, first[k]])) } : first)), [first]);
  return useMemo(() => ({ values, set, reset }), [values, set, reset]);
}

/**
 * One labelled text field of a form row bound to `state.values[field]`: its value, its change and its
 * server-side error (`errors[field]`, or `errors[errorKey]` where the API names it otherwise) follow
 * from the key, so each form lists only what differs (label, name, placeholder, test id).
 */
export function BoundField<K extends string>({
  state,
  field,
  errors,
  errorKey,
  testId,
  ...input
}: {
  state: FormValues<K>;
  field: NoInfer<K>;
  errors: Record<string, string>;
  errorKey?: string;
  testId: string;
  label: string;
  name: string;
  hint?: ReactNode;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'form'>) {
  return <Field {...input} value={state.values[field]} onChange={(e) => state.set(field, e.target.value)} error={errors[errorKey ?? field]} data-testid={testId} />;
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
