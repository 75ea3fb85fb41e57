// Elementwise reference kernels. Plain indexed loops: V8 compiles them to tight scalar code, and a SIMD backend
// replaces them wholesale.

/** `out = a + b`. */
export function add(n: number, a: Float32Array, b: Float32Array, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
}

/** `out = a − b`. */
export function sub(n: number, a: Float32Array, b: Float32Array, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
}

/** `out = a · b`. */
export function mul(n: number, a: Float32Array, b: Float32Array, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
}

/** `out = a / b`. */
export function div(n: number, a: Float32Array, b: Float32Array, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
}

/** `out = α·x`. */
export function scale(n: number, alpha: number, x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = alpha * x[i];
}

/** `out = x + α`. */
export function addScalar(n: number, alpha: number, x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = x[i] + alpha;
}

/** `out = min(max(x, low), high)`; `Math.max` and `Math.min` return NaN for NaN, so NaN passes through. */
export function clamp(n: number, low: number, high: number, x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = Math.min(Math.max(x[i], low), high);
}

/** `y += α·x`. */
export function axpy(n: number, alpha: number, x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < n; i++) y[i] += alpha * x[i];
}

/** `out = value`. */
export function fill(n: number, value: number, out: Float32Array): void {
  out.fill(value, 0, n);
}

/** `out[i, j] = x[i, j] + v[j]`. */
export function addRowVector(rows: number, cols: number, x: Float32Array, v: Float32Array, out: Float32Array): void {
  for (let i = 0, o = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++, o++) out[o] = x[o] + v[j];
  }
}
