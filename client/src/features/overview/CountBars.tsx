/** A ranked list of counts as horizontal bars (by type, status, team or host state). */
export interface CountBar {
  key: string;
  label: string;
  count: number;
  color?: string | undefined;
}

export function CountBars({ items, testId }: { items: CountBar[]; testId: string }) {
  const max = Math.max(1, ...items.map((i) => i.count));
  if (!items.length) return <p className="muted">Nothing yet.</p>;
  return (
    <ul className="count-bars" data-testid={testId}>
      {items.map((i) => (
        <li key={i.key} data-key={i.key}>
          <span className="count-label">{i.label}</span>
          <span className="count-track" aria-hidden>
            <span className="count-fill" style={{ width: `${(i.count / max) * 100}%`, ...(i.color ? { background: i.color } : {}) }} />
          </span>
          <span className="count-value">{i.count.toLocaleString()}</span>
        </li>
      ))}
    </ul>
  );
}
