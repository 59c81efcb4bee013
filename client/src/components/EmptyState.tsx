/**
 * What an empty list or board says instead of a blank box: what belongs here and how to get it there
 * (add, import, paste), with the actions as buttons. For any screen: the indicator board, notes,
 * hunt lists. Example:
 *   <EmptyState title="No indicators yet" actions={<button className="btn" onClick={add}>Add an indicator</button>}>
 *     Paste tool output or a report, or import CSV, STIX 2.1 or MISP JSON.
 *   </EmptyState>
 */
import type { ReactNode } from 'react';
import './emptyState.css';

export function EmptyState({ title, children, actions, testId = 'empty-state' }: { title: string; children?: ReactNode; actions?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" role="status" data-testid={testId}>
      <p className="empty-state-title">{title}</p>
      {children && <div className="empty-state-body muted">{children}</div>}
      {actions && <div className="empty-state-actions">{actions}</div>}
    </div>
  );
}
