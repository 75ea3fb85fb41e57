"""One system of `src/training.ts`, for orientation: the 784-128-64-10 network written by hand in NumPy, as the issue's
reference figure was (float32, batch 64, ReLU, softmax cross-entropy, momentum v = 0.9·v + 0.1·g, W -= 0.1·v).

`python3 src/numpy_mlp.py <mnist data directory> <batches>` warms up, times `batches` training batches (each gathered
from the IDX bytes and converted to float32 inside the timed step, as the other systems do), and prints the
milliseconds per batch as JSON. Run it with OPENBLAS_NUM_THREADS=1 for the one-thread figure.
"""

import json
import os
import sys
import time

import numpy as np


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


data_dir, batches = sys.argv[1], int(sys.argv[2])
images = read_idx(os.path.join(data_dir, "train-images-idx3-ubyte")).reshape(-1, 784)
labels = read_idx(os.path.join(data_dir, "train-labels-idx1-ubyte"))
count = images.shape[0]
rng = np.random.default_rng(1)
sizes = [784, 128, 64, 10]
weights = [(rng.standard_normal((n, m)) * np.sqrt(2 / n)).astype(np.float32) for n, m in zip(sizes, sizes[1:])]
biases = [np.zeros(m, np.float32) for m in sizes[1:]]
velocities = [np.zeros_like(p) for p in weights + biases]
learning_rate, beta = np.float32(0.1), np.float32(0.9)
one_hot = np.eye(10, dtype=np.float32)
order, position = rng.permutation(count), 0


def step():
    global order, position
    if position + 64 > count:
        order, position = rng.permutation(count), 0
    index = order[position : position + 64]
    position += 64
    x = images[index].astype(np.float32) / np.float32(255)
    h1 = np.maximum(x @ weights[0] + biases[0], 0)
    h2 = np.maximum(h1 @ weights[1] + biases[1], 0)
    z = h2 @ weights[2] + biases[2]
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    d3 = (p - one_hot[labels[index]]) / np.float32(64)
    d2 = (d3 @ weights[2].T) * (h2 > 0)
    d1 = (d2 @ weights[1].T) * (h1 > 0)
    grads = [x.T @ d1, h1.T @ d2, h2.T @ d3, d1.sum(0), d2.sum(0), d3.sum(0)]
    for param, velocity, grad in zip(weights + biases, velocities, grads):
        velocity *= beta
        velocity += (np.float32(1) - beta) * grad
        param -= learning_rate * velocity


# Warm-up as for the other systems (src/training-system.ts): 300 batches and at least two seconds.
warm_until = time.perf_counter() + 2
warmed = 0
while warmed < 300 or time.perf_counter() < warm_until:
    step()
    warmed += 1
start = time.perf_counter()
for _ in range(batches):
    step()
elapsed = time.perf_counter() - start
print(json.dumps({"system": "numpy", "msPerBatch": 1000 * elapsed / batches, "numpy": np.__version__}))
