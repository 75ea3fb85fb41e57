// Softmax regression from tensor ops alone: the forward pass, the cross-entropy gradient and the update, each one
// call: gemm for the forward product and, with a transposed operand, for the weight gradient.
import {
  addRowVector,
  argmax,
  axpy,
  gemm,
  oneHot,
  Random,
  randomNormal,
  softmax,
  sub,
  sum,
  Tensor,
} from '@mnist/tensor';

const classes = 3;
const features = 2;
const perClass = 200;
const rng = new Random(7);

// Three Gaussian blobs around the corners of a triangle.
const centres = [
  [0, 2],
  [-2, -1],
  [2, -1],
];
const n = classes * perClass;
const x = Tensor.zeros([n, features]);
const labels = new Uint8Array(n);
for (let i = 0; i < n; i++) {
  const label = i % classes;
  labels[i] = label;
  x.set(centres[label][0] + rng.normal(0, 0.8), i, 0);
  x.set(centres[label][1] + rng.normal(0, 0.8), i, 1);
}
const targets = oneHot(labels, classes);

const weight = randomNormal([features, classes], rng, 0, 0.1);
const bias = Tensor.zeros([classes]);
const logits = Tensor.zeros([n, classes]);
const probabilities = Tensor.zeros([n, classes]);
const dLogits = Tensor.zeros([n, classes]);
const dWeight = Tensor.zeros([features, classes]);
const dBias = Tensor.zeros([classes]);
const learningRate = 0.5;

for (let step = 0; step <= 100; step++) {
  gemm(x, weight, logits); //                               [n, 2]·[2, 3] → [n, 3]
  addRowVector(logits, bias, logits);
  softmax(logits, probabilities);
  // Cross-entropy through softmax has the gradient (p − y) / n with respect to the logits.
  sub(probabilities, targets, dLogits);
  gemm(x, dLogits, dWeight, { transA: true, alpha: 1 / n }); // [n, 2]ᵀ·[n, 3] → [2, 3]
  sum(dLogits, 0, dBias);
  axpy(-learningRate / n, dBias, bias);
  axpy(-learningRate, dWeight, weight);

  if (step % 20 === 0) {
    let loss = 0;
    for (let i = 0; i < n; i++) loss -= Math.log(probabilities.get(i, labels[i]) + 1e-12);
    const predicted = argmax(probabilities);
    const correct = predicted.filter((p, i) => p === labels[i]).length;
    console.log(
      `step ${String(step).padStart(3)}  loss ${(loss / n).toFixed(4)}  accuracy ${((100 * correct) / n).toFixed(1)}%`,
    );
  }
}
