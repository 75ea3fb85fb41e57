// Pen strokes that trace real MNIST digits, so a drawing test knows which digit it drew: a test image is thresholded,
// thinned to a one-pixel skeleton (Zhang and Suen, "A fast parallel algorithm for thinning digital patterns",
// CACM 27(3), 1984), and the skeleton's pixels are walked into polylines.

/** A stroke: points in the 28×28 image's pixel coordinates (pixel centres at +0.5). */
export type Stroke = [x: number, y: number][];

const SIDE = 28;

/** The skeleton of a 28×28 image's pixels brighter than `threshold`, as a 0/1 grid. */
export function skeleton(pixels: Uint8Array, threshold = 128): Uint8Array {
  const grid = Uint8Array.from(pixels, (v) => (v > threshold ? 1 : 0));
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= SIDE || y >= SIDE ? 0 : grid[y * SIDE + x]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const pass of [0, 1]) {
      const remove: number[] = [];
      for (let y = 0; y < SIDE; y++) {
        for (let x = 0; x < SIDE; x++) {
          if (!grid[y * SIDE + x]) continue;
          // Neighbours P2…P9, clockwise from north.
          const p = [
            at(x, y - 1),
            at(x + 1, y - 1),
            at(x + 1, y),
            at(x + 1, y + 1),
            at(x, y + 1),
            at(x - 1, y + 1),
            at(x - 1, y),
            at(x - 1, y - 1),
          ];
          const b = p.reduce((s, v) => s + v, 0);
          let a = 0;
          for (let i = 0; i < 8; i++) if (p[i] === 0 && p[(i + 1) % 8] === 1) a++;
          const [p2, , p4, , p6, , p8] = p;
          const ok = pass === 0 ? p2 * p4 * p6 === 0 && p4 * p6 * p8 === 0 : p2 * p4 * p8 === 0 && p2 * p6 * p8 === 0;
          if (b >= 2 && b <= 6 && a === 1 && ok) remove.push(y * SIDE + x);
        }
      }
      for (const i of remove) grid[i] = 0;
      changed ||= remove.length > 0;
    }
  }
  return grid;
}

/**
 * Walks a skeleton into strokes: each stroke starts at an end (a pixel with one neighbour) while there is one, else
 * anywhere (a loop, such as a 0), and follows unvisited links between 8-connected neighbours, straight ones first,
 * until it runs out. Every link is drawn once; a lone pixel is a dot.
 */
export function strokesOf(grid: Uint8Array): Stroke[] {
  const on = (x: number, y: number) => x >= 0 && y >= 0 && x < SIDE && y < SIDE && grid[y * SIDE + x] === 1;
  const steps = [
    [1, 0],
    [0, 1],
    [-1, 0],
    [0, -1],
    [1, 1],
    [-1, 1],
    [-1, -1],
    [1, -1],
  ];
  const visited = new Set<string>();
  const link = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);
  const open = (x: number, y: number) =>
    steps
      .map(([dx, dy]) => [x + dx, y + dy])
      .filter(([nx, ny]) => on(nx, ny) && !visited.has(link(y * SIDE + x, ny * SIDE + nx)));
  const pixels: [number, number][] = [];
  for (let i = 0; i < grid.length; i++) if (grid[i]) pixels.push([i % SIDE, Math.floor(i / SIDE)]);
  const strokes: Stroke[] = [];
  for (;;) {
    const ends = pixels.filter(([x, y]) => open(x, y).length === 1);
    const start = ends[0] ?? pixels.find(([x, y]) => open(x, y).length > 0);
    if (!start) break;
    const stroke: Stroke = [[start[0] + 0.5, start[1] + 0.5]];
    let [x, y] = start;
    for (let next = open(x, y)[0]; next; next = open(x, y)[0]) {
      visited.add(link(y * SIDE + x, next[1] * SIDE + next[0]));
      [x, y] = next;
      stroke.push([x + 0.5, y + 0.5]);
    }
    strokes.push(stroke);
  }
  for (const [x, y] of pixels) {
    if (!strokes.some((s) => s.some(([sx, sy]) => sx === x + 0.5 && sy === y + 0.5)))
      strokes.push([[x + 0.5, y + 0.5]]);
  }
  return strokes.map((stroke) => simplify(stroke, 0.5));
}

/**
 * Drops the points of a polyline that lie within `tolerance` pixels of the line through their neighbours
 * (Ramer–Douglas–Peucker): a pixel staircase becomes a few straight segments, and the pen makes a few moves, not one
 * per pixel.
 */
export function simplify(stroke: Stroke, tolerance: number): Stroke {
  if (stroke.length <= 2) return stroke;
  const [ax, ay] = stroke[0];
  const [bx, by] = stroke[stroke.length - 1];
  const length = Math.hypot(bx - ax, by - ay);
  let farthest = 0;
  let at = 0;
  for (let i = 1; i < stroke.length - 1; i++) {
    const [px, py] = stroke[i];
    // Distance to the chord, or to its start point when the stroke is a loop (the chord has no length).
    const d =
      length === 0 ? Math.hypot(px - ax, py - ay) : Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length;
    if (d > farthest) {
      farthest = d;
      at = i;
    }
  }
  if (farthest <= tolerance) return [stroke[0], stroke[stroke.length - 1]];
  return [...simplify(stroke.slice(0, at + 1), tolerance).slice(0, -1), ...simplify(stroke.slice(at), tolerance)];
}
