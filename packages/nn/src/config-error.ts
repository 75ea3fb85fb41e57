/**
 * Thrown by a layer's `fromConfig` when a config field is missing or invalid. Loading a model turns it into a
 * {@link ModelFormatError} that points at the field's JSON path.
 */
export class ConfigError extends Error {
  /** The offending field of the config. */
  readonly field: string;

  /**
   * @param layer - the layer type whose config was read
   * @param field - the field that is missing or invalid
   * @param expected - what the field should hold
   * @param found - a description of what it holds
   */
  constructor(layer: string, field: string, expected: string, found: string) {
    super(`${layer} config: '${field}' must be ${expected}, found ${found}`);
    this.name = 'ConfigError';
    this.field = field;
  }
}
