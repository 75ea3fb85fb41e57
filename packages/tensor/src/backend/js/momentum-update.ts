import type { Backend } from '../backend.js';

/**
 * One momentum step, fused into a single pass: `v ← β·v + c·g`, then `θ ← θ − α·v`, or with Nesterov's look-ahead
 * `θ ← θ − α·(β·v + c·g)` using the new `v`. `c` is `1 − β` for the averaging form and 1 for the heavy ball.
 */
export const momentumUpdate: Backend['momentumUpdate'] = (n, step, g, velocity, theta) => {
  const { learningRate, momentum, gradScale, nesterov } = step;
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
};
