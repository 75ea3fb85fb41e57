import type { Backend } from '../backend.js';

/**
 * One Adam step (Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1), with AdamW's
 * decoupled weight decay (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019) folded in:
 *
 * `m ← β₁·m + (1−β₁)·g;  v ← β₂·v + (1−β₂)·g²;  θ ← θ·(1 − α·λ) − α·m̂ / (√v̂ + ε)`
 *
 * with `m̂ = m / c₁` and `v̂ = v / c₂`, where the caller passes the bias corrections `c₁ = 1 − β₁ᵗ`, `c₂ = 1 − β₂ᵗ`.
 * Fused so that the four arrays are read and written once per step instead of once per elementwise op. Arithmetic is
 * in float64 locals; only the stores round to float32.
 */
export const adamUpdate: Backend['adamUpdate'] = (n, step, g, m, v, theta) => {
  const { learningRate, beta1, beta2, epsilon, weightDecay, correction1, correction2 } = step;
  const decay = 1 - learningRate * weightDecay;
  const stepSize = learningRate / correction1; // α·m̂ = (α/c₁)·m
  const sqrtCorrection2 = Math.sqrt(correction2); // √v̂ = √v/√c₂
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = beta1 * m[i] + keep1 * gi;
    const vi = beta2 * v[i] + keep2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    theta[i] = theta[i] * decay - (stepSize * mi) / (Math.sqrt(vi) / sqrtCorrection2 + epsilon);
  }
};
