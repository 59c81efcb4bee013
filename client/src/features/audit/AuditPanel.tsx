/** The workspace's audit trail: who, which team, when, what. */
import { get } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { ErrorBanner } from '../../components/forms.js';
import { useWorkspace } from '../workspaces/context.js';

interface AuditEntry {
  id: number;
  at: string;
  actorUsername: string | null;
  teamCode: string | null;
  action: string;
  detail: Record<string, unknown>;
}

/** One line of detail, without quotes and braces, for reading at a glance. */
const summarize = (detail: Record<string, unknown>) =>
  Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');

export function AuditPanel() {
  const ws = useWorkspace();
  const audit = useAsync(() => get<{ entries: AuditEntry[] }>(`/api/workspaces/${ws.id}/audit`).then((r) => r.entries), [ws.id]);
  return (
    <section className="card">
      <div className="page-head">
        <h1>Audit trail</h1>
        <button className="btn small" onClick={audit.reload}>Refresh</button>
      </div>
      <ErrorBanner error={audit.error} />
      <table className="table" data-testid="audit-table">
        <thead>
          <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Team</th><th scope="col">What</th><th scope="col">Detail</th></tr>
        </thead>
        <tbody>
          {audit.data?.map((e) => (
            <tr key={e.id}>
              <td className="nowrap">{new Date(e.at).toLocaleString()}</td>
              <td>{e.actorUsername ?? 'system'}</td>
              <td>{e.teamCode ?? ''}</td>
              <td><code>{e.action}</code></td>
              <td className="muted">{summarize(e.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
