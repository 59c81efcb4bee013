/** /w/:workspaceId/handoff: present live to a partner team, and hand over files releasable to it. */
import { ExportPanel } from './ExportPanel.js';
import { SessionPanel } from './SessionPanel.js';
import './handoff.css';

export function HandoffArea() {
  return (
    <section className="stack">
      <div className="page-head">
        <h1>Handoff</h1>
      </div>
      <SessionPanel />
      <ExportPanel />
    </section>
  );
}
