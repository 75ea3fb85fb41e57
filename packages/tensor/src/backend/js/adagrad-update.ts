/**
 * One AdaGrad step (Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic
 * Optimization", JMLR 12, 2011, diagonal form): `G ← G + g²;  θ ← θ − α·g / (√G + ε)`. Fused: one pass.
 */
export function adagradUpdate(
  n: number,
  learningRate: number,
  epsilon: number,
  g: Float32Array,
  accumulator: Float32Array,
  theta: Float32Array,
): void {
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const sum = accumulator[i] + gi * gi;
    accumulator[i] = sum;
    theta[i] -= (learningRate * gi) / (Math.sqrt(sum) + epsilon);
  }
}
