/** /w/:workspaceId/handoff: hand results over to a partner team, as files releasable to it. */
import { ExportPanel } from './ExportPanel.js';
import './handoff.css';

export function HandoffArea() {
  return (
    <section className="stack">
      <div className="page-head">
        <h1>Handoff</h1>
      </div>
      <ExportPanel />
    </section>
  );
}
