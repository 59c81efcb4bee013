/**
 * One row of the import preview: tick box, type, value, count and warning on the first line; for
 * free text, the line the value came from (as pasted, defanged as it was), and for any format the ports
 * the value was seen with or the path written with it, on a second, muted line, so a hunter can judge a value by where it stood without a tooltip.
 */
import { portsOfTags, type Candidate } from '@huntroom/shared';

/** Height of a row in pixels (two lines): the virtualized list's fixed estimate. */
export const PREVIEW_ROW_HEIGHT = 46;

export function PreviewRow({
  c,
  index,
  top,
  included,
  warn,
  onToggle,
}: {
  c: Candidate;
  index: number;
  top: number;
  included: boolean;
  warn: string;
  onToggle: (index: number) => void;
}) {
  // Every port the value was seen with (its port:<n> tags, saved with it), else the one written with it.
  const ports = portsOfTags(c.tags ?? []);
  const portText = ports.length > 1 ? `ports ${ports.join(', ')}` : ports.length ? `port ${ports[0]}` : c.port !== undefined ? `port ${c.port}` : '';
  const extra = [portText, c.path && c.type !== 'url' ? `path ${c.path}` : ''].filter(Boolean).join(' · ');
  return (
    <label className={`preview-row ${c.error ? 'bad' : c.benign ? 'warn' : ''}`} style={{ transform: `translateY(${top}px)` }} data-testid={`preview-row-${index}`}>
      <input type="checkbox" checked={included} disabled={!!c.error} onChange={() => onToggle(index)} />
      <span className="mono small">{c.type}</span>
      <span className="mono value-cell">{c.value}</span>
      <span className="small">{c.count > 1 ? `×${c.count}` : ''}</span>
      <span className="small muted">{warn}</span>
      <span className="preview-source small muted mono" data-testid="preview-source">
        {extra ? <span className="preview-context">{extra} · </span> : null}
        {c.line ?? ''}
      </span>
    </label>
  );
}
