/** An honest placeholder for an area that is not in this release yet: what it will be, and that it is not here. */
export function ComingSoon({ area, what }: { area: string; what: string }) {
  return (
    <section className="card empty-state" data-testid="coming-soon">
      <h1>{area}</h1>
      <p>{what}</p>
      <p className="muted">Coming in a later release; this area does nothing yet.</p>
    </section>
  );
}
