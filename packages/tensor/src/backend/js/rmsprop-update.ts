import type { Backend } from '../backend.js';

/**
 * One RMSprop step (Hinton, Neural Networks for Machine Learning, lecture 6e, 2012), with ε outside the square root
 * and optional momentum as in PyTorch's `RMSprop`:
 *
 * `s ← ρ·s + (1−ρ)·g²;` then `θ ← θ − α·g / (√s + ε)` when `μ = 0`, or `b ← μ·b + g / (√s + ε); θ ← θ − α·b`.
 *
 * With `μ = 0`, `velocity` (`b`) is neither read nor written. Fused: one pass over the arrays.
 */
export const rmspropUpdate: Backend['rmspropUpdate'] = (n, step, g, meanSquare, velocity, theta) => {
  const { learningRate, rho, epsilon, momentum } = step;
  const keep = 1 - rho;
  if (momentum === 0) {
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const si = rho * meanSquare[i] + keep * gi * gi;
      meanSquare[i] = si;
      theta[i] -= (learningRate * gi) / (Math.sqrt(si) + epsilon);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const si = rho * meanSquare[i] + keep * gi * gi;
    meanSquare[i] = si;
    const bi = momentum * velocity[i] + gi / (Math.sqrt(si) + epsilon);
    velocity[i] = bi;
    theta[i] -= learningRate * bi;
  }
};
