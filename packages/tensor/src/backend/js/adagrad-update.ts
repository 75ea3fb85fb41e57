import type { Backend } from '../backend.js';

/**
 * One AdaGrad step (Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic
 * Optimization", JMLR 12, 2011, diagonal form): `G ← G + g²;  θ ← θ − α·g / (√G + ε)`. Fused: one pass.
 */
export const adagradUpdate: Backend['adagradUpdate'] = (n, step, g, accumulator, theta) => {
  const { learningRate, epsilon } = step;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const sum = accumulator[i] + gi * gi;
    accumulator[i] = sum;
    theta[i] -= (learningRate * gi) / (Math.sqrt(sum) + epsilon);
  }
};
