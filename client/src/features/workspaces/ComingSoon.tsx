/** An honest placeholder for an area that is not in this release yet. */
export function ComingSoon({ area }: { area: string }) {
  return (
    <section className="card empty-state" data-testid="coming-soon">
      <h2>{area}</h2>
      <p className="muted">Not in this release yet. It will appear here, in this workspace, when it ships.</p>
    </section>
  );
}
