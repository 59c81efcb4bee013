/**
 * The hunt dialogs' frame: a modal that takes the focus when it opens (its first field), keeps Tab
 * inside it, closes on Escape, and gives the focus back to what had it before.
 */
import type { ReactNode } from 'react';
import { useModalKeys } from '../../../components/useModalKeys.js';

export function HuntModal({ title, testId, onClose, children }: { title: string; testId: string; onClose: () => void; children: ReactNode }) {
  const { box, onKeyDown } = useModalKeys(onClose);
  return (
    <div className="hunt-modal-backdrop" onKeyDown={onKeyDown}>
      <div className="card hunt-modal" role="dialog" aria-modal="true" aria-labelledby={`${testId}-title`} ref={box} data-testid={testId}>
        <div className="side-head">
          <h2 id={`${testId}-title`}>{title}</h2>
          <button className="btn small" onClick={onClose} aria-label="Close" data-testid={`${testId}-close`}>
            ✕
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}

/** A bar for a long step: how far, in percent, with what is happening. */
export function ProgressBar({ label, done, total }: { label: string; done: number; total: number }) {
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : undefined;
  return (
    <div className="hunt-progress" data-testid="import-progress">
      <div className="muted small">
        {label}
        {pct !== undefined ? ` ${pct}%` : '…'}
      </div>
      <progress max={100} value={pct} aria-label={label} />
    </div>
  );
}

/** What the server's stream calls each step (http/importAnswer.ts), in words; `sending` is the upload. */
export const phaseLabel = (phase: string) => ({ sending: 'Sending the file', parse: 'Reading the file', save: 'Saving' })[phase] ?? `Importing (${phase})`;
