/**
 * Where an added item goes when it is not dropped at a point: the free spot nearest the middle of
 * what the user sees, so a second "Add" does not land on the first one. Candidates are tried ring by
 * ring around the centre on a grid one shape (plus a gap) apart; the first whose box, with the gap,
 * touches no element on the board wins. Pure, for tests.
 */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const GAP = 16;
/** Rings searched before giving up and cascading from the centre (13 x 13 grid positions). */
const RINGS = 6;

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;

/** Ring r around (0, 0): the grid cells at Chebyshev distance r, nearest to the centre first. */
function ring(r: number): [number, number][] {
  if (r === 0) return [[0, 0]];
  const cells: [number, number][] = [];
  for (let i = -r; i <= r; i++) for (let j = -r; j <= r; j++) if (Math.max(Math.abs(i), Math.abs(j)) === r) cells.push([i, j]);
  return cells.sort((a, b) => Math.hypot(a[0], a[1]) - Math.hypot(b[0], b[1]));
}

/**
 * The centre point of a free `size` box near `centre`, among the (non-deleted) `taken` boxes. Rotated
 * shapes are taken by their unrotated box, which is close enough to keep labels apart.
 */
export function freeSpot(centre: { x: number; y: number }, size: { width: number; height: number }, taken: readonly Box[]): { x: number; y: number } {
  const stepX = size.width + GAP;
  const stepY = size.height + GAP;
  for (let r = 0; r <= RINGS; r++) {
    for (const [i, j] of ring(r)) {
      const x = centre.x + i * stepX;
      const y = centre.y + j * stepY;
      const box = { x: x - size.width / 2, y: y - size.height / 2, ...size };
      if (!taken.some((t) => overlaps(box, t))) return { x, y };
    }
  }
  // A crowded board: cascade down and right from the centre, so the new shape at least shows an edge.
  const n = taken.length % 10;
  return { x: centre.x + (n + 1) * 24, y: centre.y + (n + 1) * 24 };
}
