/**
 * Thrown by an optimizer's `step` when it is given a parameter whose name it already knows for another tensor: one
 * optimizer stepping two models. Its step count (the `t` of a schedule and of Adam's bias correction) would advance
 * for both, and its saved state would hold one entry per name for two tensors, so it is refused before anything moves.
 */
export class SharedOptimizerError extends Error {
  /** The parameter name both tensors have, such as `0.weight`. */
  readonly param: string;

  /**
   * @param optimizer - the optimizer's type, such as `Momentum`
   * @param param - the parameter name both tensors have
   */
  constructor(optimizer: string, param: string) {
    super(
      `${optimizer}: this optimizer already updates another tensor named '${param}'; it keeps its per-parameter state ` +
        'by name and one step count, so give each model its own optimizer',
    );
    this.name = 'SharedOptimizerError';
    this.param = param;
  }
}
