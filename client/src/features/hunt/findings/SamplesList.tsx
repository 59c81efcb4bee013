/**
 * A finding's malware samples (server: hunt/samples/routes.ts): the list with the hashes the server
 * computed, an upload button (multipart, 64 MB at most, checked here first so a too-large file is not
 * sent at all) and a download link to the password-protected ZIP (password `infected`).
 */
import { useCallback, useEffect, useState } from 'react';
import { SAMPLE_LIMITS, type FindingView, type SampleUploaded, type SampleView } from '@huntroom/shared';
import { csrfHeaders, get, toApiError } from '../../../lib/api.js';
import { ErrorBanner } from '../../../components/forms.js';
import { useHunt } from '../useHuntBoard.js';

export function SamplesList({ finding, readOnly }: { finding: FindingView; readOnly: boolean }) {
  const board = useHunt();
  const base = `/api/workspaces/${finding.workspaceId}/findings/${finding.id}/samples`;
  const [items, setItems] = useState<SampleView[]>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const load = useCallback(() => get<{ items: SampleView[] }>(base).then((r) => setItems(r.items), setError), [base]);
  // Reload when a sample of this finding is added or removed on the plane (by anyone).
  const seq = board.store.samplesSeq.get(finding.id) ?? 0;
  useEffect(() => void load(), [load, seq]);

  async function upload(file: File) {
    setError(undefined);
    setNotice(undefined);
    if (file.size > SAMPLE_LIMITS.maxBytes) return setError(new Error(`${file.name} is ${Math.ceil(file.size / 1048576)} MB; samples are limited to 64 MB.`));
    setBusy(true);
    try {
      const body = new FormData();
      body.append('file', file);
      const res = await fetch(base, { method: 'POST', body, credentials: 'same-origin', headers: { ...csrfHeaders(), 'idempotency-key': crypto.randomUUID() } });
      const parsed = (await res.json().catch(() => undefined)) as SampleUploaded | undefined;
      if (!res.ok) throw toApiError(res.status, parsed, res.headers.get('retry-after'));
      setNotice(`Stored ${parsed!.filename} zipped with the password "${SAMPLE_LIMITS.zipPassword}". SHA-256 ${parsed!.sha256}.`);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="samples" data-testid={`samples-${finding.id}`}>
      <h4>Samples</h4>
      <ErrorBanner error={error} />
      {notice && (
        <p className="notice small" role="status">
          {notice}
        </p>
      )}
      {items?.length === 0 && <p className="muted small">No sample.</p>}
      <ul className="sample-list small">
        {items?.map((s) => (
          <li key={s.id} data-testid={`sample-${s.filename}`}>
            <strong>{s.filename}</strong>{' '}
            <span className="muted">
              {s.size.toLocaleString()} bytes · {s.team.code}
            </span>
            <div className="mono hash" title="SHA-256">
              {s.sha256}
            </div>
            <a href={`${base}/${s.id}`} download data-testid="sample-download">
              Download ZIP (password {SAMPLE_LIMITS.zipPassword})
            </a>
          </li>
        ))}
      </ul>
      {!readOnly && (
        <label className="btn small upload-btn">
          {busy ? 'Uploading…' : 'Upload sample'}
          <input type="file" className="sr-only" disabled={busy} onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0])} data-testid="sample-file" />
        </label>
      )}
    </div>
  );
}
