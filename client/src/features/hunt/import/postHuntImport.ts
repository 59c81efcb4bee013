/**
 * Sends a hunt import (`POST …/hosts/import` or `…/timeline/import`) and reports how far it is. The
 * request goes by XMLHttpRequest because fetch cannot report how much of a large body was sent; the
 * answer is read as it arrives, so both shapes the route may give work: one JSON answer, or an NDJSON
 * stream of `{progress}` lines ending with `{result}` or `{error}` (as the indicator import streams).
 */
import { IMPORT_STREAM_TYPE, type HuntImportResult } from '@huntroom/shared';
import { ApiError, csrfHeaders, reportSessionLost, toApiError } from '../../../lib/api.js';

export interface ImportProgressStep {
  /** `sending` while the body uploads, then whatever phase the server names (`reading`, `saving`...). */
  phase: string;
  done: number;
  total: number;
}

interface StreamLine {
  progress?: ImportProgressStep;
  result?: HuntImportResult;
  error?: { status?: number; code?: string; message?: string; fields?: Record<string, string> };
}

export function postHuntImport(path: string, body: Record<string, unknown>, onProgress: (p: ImportProgressStep) => void): Promise<HuntImportResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', 'application/json');
    xhr.setRequestHeader('accept', `${IMPORT_STREAM_TYPE}, application/json`);
    for (const [k, v] of Object.entries(csrfHeaders())) xhr.setRequestHeader(k, v);
    // Every import saves under one key, so a retry by the browser saves nothing twice.
    xhr.setRequestHeader('idempotency-key', crypto.randomUUID());
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress({ phase: 'sending', done: e.loaded, total: e.total });
    let consumed = 0;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    const streaming = () => (xhr.getResponseHeader('content-type') ?? '').includes('ndjson');
    /** Reads the complete lines of an NDJSON answer that arrived since the last call. */
    const readLines = () => {
      const text = xhr.responseText;
      let nl: number;
      while ((nl = text.indexOf('\n', consumed)) >= 0) {
        const line = text.slice(consumed, nl).trim();
        consumed = nl + 1;
        if (line) handle(line);
      }
    };
    const handle = (line: string) => {
      let m: StreamLine;
      try {
        m = JSON.parse(line) as StreamLine;
      } catch {
        return finish(() => reject(new ApiError(0, 'internal', 'the server sent an answer that cannot be read')));
      }
      if (m.progress) onProgress(m.progress);
      else if (m.result) finish(() => resolve(m.result!));
      else if (m.error) finish(() => reject(toApiError(m.error!.status ?? 500, { error: m.error })));
    };
    xhr.onprogress = () => {
      if (xhr.status >= 200 && xhr.status < 300 && streaming()) readLines();
    };
    xhr.onerror = () => finish(() => reject(new ApiError(0, 'network', 'cannot reach the server; check your connection')));
    xhr.onload = () => {
      if (xhr.status === 401) reportSessionLost();
      if (xhr.status >= 200 && xhr.status < 300 && streaming()) {
        readLines();
        const rest = xhr.responseText.slice(consumed).trim();
        if (rest) handle(rest);
        return finish(() => reject(new ApiError(0, 'network', 'the connection closed before the import finished; look at the hosts and timeline before importing again')));
      }
      let parsed: unknown;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && parsed) finish(() => resolve(parsed as HuntImportResult));
      else finish(() => reject(toApiError(xhr.status, parsed, xhr.getResponseHeader('retry-after'))));
    };
    xhr.send(JSON.stringify(body));
  });
}
