// `pnpm bench`, part 5: peak memory of training the 784-128-64-10 MLP on the full 60 000-image training set (one epoch,
// batch 64, momentum, default backend), in a process of its own so nothing else counts: the operating system's peak
// resident set size for the whole process, and for comparison the same process's size before it loaded any data.
import { BatchLoader } from '@mnist/datasets';
import { loadMnist } from '@mnist/datasets/node';
import { Momentum } from '@mnist/nn';
import { getBackend, Random } from '@mnist/tensor';
import { machine } from './measure.js';
import { mlp } from './models.js';

const mb = (kilobytes: number) => `${(kilobytes / 1024).toFixed(0)} MB`;
const before = process.resourceUsage().maxRSS;
const { train, test } = await loadMnist();
const model = mlp()
  .to(getBackend())
  .compile({
    loss: 'categoricalCrossEntropy',
    optimizer: new Momentum({ learningRate: 0.1, momentum: 0.9 }),
  });
await model.fit(new BatchLoader(train, { batchSize: 64, rng: new Random(1) }), { epochs: 1 });
// The test set is evaluated from its bytes a batch at a time, as the example does, not as one 31 MB float tensor.
const { accuracy } = model.evaluate(new BatchLoader(test, { batchSize: 256, rng: new Random(1) }));
const peak = process.resourceUsage().maxRSS;
console.log(
  `\nPeak memory, training the MLP for one epoch on ${train.length} images (${getBackend().name}); ${machine()}`,
);
console.log(
  `peak resident set size ${mb(peak)} (the process was ${mb(before)} before loading data); test accuracy ${(100 * accuracy).toFixed(2)}%`,
);
