/**
 * Counts the kernel calls of one `wasm-simd` backend that ran on the reference kernel because WebAssembly memory could
 * not grow to stage their operands, for the kernels whose reference results differ from the WebAssembly ones (gemm
 * and the momentum update accumulate in float32 there, in float64 in the reference), and the batches of products that
 * ran one product at a time for the same reason (a summed batch then adds its products in another order). A run that hit one no longer
 * gives the bits another run with the same seed gives, and {@link ReferenceFallbacks.reason} says so.
 */
export class ReferenceFallbacks {
  private readonly calls = new Map<string, number>();

  /** Notes one call of `kernel` that ran on the reference. */
  record(kernel: string): void {
    this.calls.set(kernel, (this.calls.get(kernel) ?? 0) + 1);
  }

  /** One line saying which kernels fell back how often, or `undefined` when none did. */
  reason(): string | undefined {
    if (this.calls.size === 0) return undefined;
    const counts = [...this.calls].map(([kernel, count]) => `${count} ${kernel}`).join(' and ');
    return (
      `WebAssembly memory could not grow, so ${counts} calls ran on the reference kernels (or, for a batch of ` +
      'products, one product at a time), whose results differ in the last bits'
    );
  }
}
