/**
 * The dialog's commit: the content it previewed goes to the server's import route, which reads it
 * with the same shared parseImport and saves it through indicator:bulkCreate. The answer is the
 * progress stream (NDJSON): progress lines for the bar, then the result or the error.
 */
import { IMPORT_STREAM_TYPE, type ImportPhase, type ImportRequest, type ImportResult, type ImportStreamLine } from '@huntroom/shared';
import { ApiError, csrfHeaders, reportSessionLost, toApiError } from '../../lib/api.js';

export type ImportProgress = { phase: ImportPhase; done: number; total: number };

export async function postImport(workspaceId: string, body: ImportRequest, onProgress: (p: ImportProgress) => void): Promise<ImportResult> {
  let res: Response;
  try {
    res = await fetch(`/api/workspaces/${workspaceId}/indicators/import`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: IMPORT_STREAM_TYPE, ...csrfHeaders() },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'cannot reach the server; check your connection');
  }
  if (!res.ok || !res.body) {
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (res.status === 401) reportSessionLost();
    throw toApiError(res.status, parsed, res.headers.get('retry-after'));
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffered += value;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (!line) continue;
      const m = JSON.parse(line) as ImportStreamLine;
      if ('progress' in m) onProgress(m.progress);
      else if ('result' in m) return m.result;
      else throw new ApiError(m.error.status, m.error.code, m.error.message, m.error.fields ?? {});
    }
    if (done) throw new ApiError(0, 'network', 'the connection closed before the import finished; check the board before importing again');
  }
}
