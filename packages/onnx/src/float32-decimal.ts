/**
 * The shortest decimal that rounds to the same float32 as `x`: `0.01` for the float32 nearest 0.01
 * (0.009999999776482582). ONNX stores float attributes (a LeakyReLU slope, a batch-norm epsilon) as float32, so reading
 * one back gives a double that differs from the value the layer was built with; the shortest decimal restores it,
 * which keeps export → import bit for bit, and is the value a person wrote in any case. @internal
 */
export function shortestFloat32Decimal(x: number): number {
  const target = Math.fround(x);
  if (!Number.isFinite(target) || target === 0) return target;
  // Nine significant digits always identify a float32 (IEEE 754-2008, §5.12.2).
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(target.toPrecision(digits));
    if (Math.fround(candidate) === target) return candidate;
  }
  return Number(target.toPrecision(9));
}
