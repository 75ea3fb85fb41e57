/**
 * Thrown by {@link Sequential.fit}, before the first step, when the training or validation data holds a value that
 * training cannot use: an input or target that is NaN or infinite, or a class index outside the model's outputs. The
 * message names the data (`fit` or `fit (validationData)`), where the value is, what was expected and what was found.
 */
export class TrainingDataError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingDataError';
  }
}
