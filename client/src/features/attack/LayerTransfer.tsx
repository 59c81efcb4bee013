/**
 * ATT&CK Navigator layers on the board. Export downloads the marks of the heat map's team (or of all
 * teams) for the domain on screen, from GET /attack/layer. Import reads a layer file, checks it here
 * with the same parser the server uses (so a bad file is refused before anything is sent, with the
 * same message), says what it will do, and only then posts it to POST /attack/layer, which replaces
 * that team's marks on the board. Observers see no import control (the server refuses them anyway).
 */
import { useRef, useState } from 'react';
import { ATTACK_DOMAINS, importLayer, parseLayer, type AttackDomain, type Team } from '@huntroom/shared';
import { csrfHeaders, toApiError } from '../../lib/api.js';
import { ErrorBanner } from '../../components/forms.js';

interface Props {
  workspaceId: string;
  domain: AttackDomain;
  /** Team whose marks the export holds; all teams when undefined. */
  exportTeam: string | undefined;
  canImport: boolean;
  isOwner: boolean;
  myTeam: string;
  teams: Team[];
  /** Current marks per team on the board, to say how many an import replaces. */
  marksOf: (team: string) => number;
  onImported: (domain: AttackDomain) => void;
}

interface Pending {
  fileName: string;
  text: string;
  domain: AttackDomain;
  name: string;
  marks: number;
}

export function LayerTransfer(p: Props) {
  const [pending, setPending] = useState<Pending>();
  const [team, setTeam] = useState(p.myTeam);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<string>();
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const base = `/api/workspaces/${p.workspaceId}/attack/layer`;
  const exportHref = `${base}?domain=${p.domain}${p.exportTeam ? `&team=${encodeURIComponent(p.exportTeam)}` : ''}`;

  async function choose(file: File) {
    setError(undefined);
    setResult(undefined);
    setPending(undefined);
    const text = await file.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return setError(new Error(`${file.name} is not a JSON file: a Navigator layer is saved as .json from the Navigator's "download layer as json".`));
    }
    const parsed = parseLayer(json);
    if (!parsed.ok) return setError(new Error(`${file.name} is not a usable Navigator layer: ${parsed.error}`));
    const domain = ATTACK_DOMAINS.find((d) => d === parsed.domain);
    if (!domain) return setError(new Error(`${file.name} is a layer for "${parsed.domain}", which Huntroom does not have (${ATTACK_DOMAINS.join(', ')}).`));
    const marks = importLayer(json, team, domain);
    if (!marks.ok) return setError(new Error(`${file.name}: ${marks.error}`));
    const name = typeof (json as { name?: unknown }).name === 'string' ? (json as { name: string }).name : file.name;
    setPending({ fileName: file.name, text, domain, name, marks: marks.marks.length });
  }

  async function send(what: Pending) {
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch(`${base}?domain=${what.domain}&team=${encodeURIComponent(team)}`, {
        method: 'POST',
        body: what.text,
        credentials: 'same-origin',
        headers: { ...csrfHeaders(), 'content-type': 'application/json', accept: 'application/json' },
      });
      const body = (await res.json().catch(() => undefined)) as { team: string; marks: number } | undefined;
      if (!res.ok) throw toApiError(res.status, body, res.headers.get('retry-after'));
      setResult(`Imported "${what.name}": ${body!.marks} mark${body!.marks === 1 ? '' : 's'} for ${body!.team} (${what.domain.replace('-attack', '')}).`);
      setPending(undefined);
      p.onImported(what.domain);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const cancel = () => {
    setPending(undefined);
    if (fileInput.current) fileInput.current.value = '';
  };

  return (
    <div className="layer-transfer">
      <a className="btn small" href={exportHref} download data-testid="layer-export" title="ATT&CK Navigator layer (4.5) of the marks on this board">
        Export layer ({p.exportTeam ?? 'all teams'})
      </a>
      {p.canImport && (
        <label className="btn small file-button">
          Import layer…
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            className="sr-only"
            onChange={(e) => e.target.files?.[0] && void choose(e.target.files[0])}
            data-testid="layer-file"
          />
        </label>
      )}
      {pending && (
        <div className="layer-confirm card" role="group" aria-label="Import a Navigator layer" data-testid="layer-confirm">
          <p className="small">
            <strong>{pending.name}</strong> ({pending.domain.replace('-attack', '')}): {pending.marks} technique{pending.marks === 1 ? '' : 's'} become the marks of
            {p.isOwner ? (
              <select aria-label="Team the layer's marks belong to" value={team} onChange={(e) => setTeam(e.target.value)} data-testid="layer-team">
                {p.teams.map((t) => (
                  <option key={t.code} value={t.code}>
                    {t.code}
                  </option>
                ))}
              </select>
            ) : (
              <strong> {team}</strong>
            )}
            , replacing its {p.marksOf(team)} current mark{p.marksOf(team) === 1 ? '' : 's'} on this board.
          </p>
          <div className="button-row">
            <button className="btn primary small" disabled={busy} onClick={() => void send(pending)} data-testid="layer-import">
              {busy ? 'Importing…' : 'Import'}
            </button>
            <button className="btn small" onClick={cancel}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {result && (
        <p className="small notice-ok" role="status" data-testid="layer-result">
          {result}
        </p>
      )}
      <ErrorBanner error={error} />
    </div>
  );
}
