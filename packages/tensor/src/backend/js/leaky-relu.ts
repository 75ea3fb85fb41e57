import type { Backend } from '../backend.js';

/** `out = x > 0 ? x : slope·x`. NaN fails `x > 0` and stays NaN through `slope·x`. */
export const leakyRelu: Backend['leakyRelu'] = (n, slope, x, out) => {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = v > 0 ? v : slope * v;
  }
};

/** `dx = x > 0 ? dy : slope·dy`, where `x` is the forward input (the subgradient at 0 is taken as `slope`). */
export const leakyReluBackward: Backend['leakyReluBackward'] = (n, slope, x, dy, dx) => {
  for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : slope * dy[i];
};
