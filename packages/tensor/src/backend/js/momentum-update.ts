/**
 * One momentum step, fused into a single pass: `v ← β·v + c·g`, then `θ ← θ − α·v`, or with Nesterov's look-ahead
 * `θ ← θ − α·(β·v + c·g)` using the new `v`. `c` is `1 − β` for the averaging form and 1 for the heavy ball.
 */
export function momentumUpdate(
  n: number,
  learningRate: number,
  momentum: number,
  gradScale: number,
  nesterov: boolean,
  g: Float32Array,
  velocity: Float32Array,
  theta: Float32Array,
): void {
  if (nesterov) {
    for (let i = 0; i < n; i++) {
      const step = gradScale * g[i];
      const vi = momentum * velocity[i] + step;
      velocity[i] = vi;
      theta[i] -= learningRate * (momentum * vi + step);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const vi = momentum * velocity[i] + gradScale * g[i];
    velocity[i] = vi;
    theta[i] -= learningRate * vi;
  }
}
