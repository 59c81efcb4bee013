/** A secret or link shown once: read-only, selected on focus, with a Copy button that says it worked. */
import { useRef, useState } from 'react';
import { copyText } from './forms.js';

export function CopyField({ value, label, testId }: { value: string; label: string; testId: string }) {
  const field = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    setState((await copyText(value, field.current)) ? 'copied' : 'failed');
  }
  return (
    <div className="copy-field">
      <input ref={field} readOnly value={value} aria-label={label} data-testid={testId} onFocus={(e) => e.target.select()} />
      <button type="button" className="btn" onClick={() => void copy()} data-testid={`${testId}-copy`}>
        {state === 'copied' ? 'Copied ✓' : 'Copy'}
      </button>
      <span className="sr-only" role="status">
        {state === 'copied' ? 'Copied to the clipboard' : state === 'failed' ? 'Could not copy; press Ctrl+C' : ''}
      </span>
    </div>
  );
}
