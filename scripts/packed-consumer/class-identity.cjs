// The class-identity checks on the CommonJS builds: `node class-identity.cjs` in the project check-consumer.mjs
// installs.
const { runIdentityChecks } = require('./class-identity-checks.cjs');

runIdentityChecks('CommonJS', {
  '@mnist/tensor': require('@mnist/tensor'),
  '@mnist/tensor/testing': require('@mnist/tensor/testing'),
  '@mnist/nn': require('@mnist/nn'),
  '@mnist/nn/testing': require('@mnist/nn/testing'),
  '@mnist/nn/node': require('@mnist/nn/node'),
  '@mnist/datasets': require('@mnist/datasets'),
  '@mnist/datasets/node': require('@mnist/datasets/node'),
  '@mnist/onnx': require('@mnist/onnx'),
  '@mnist/onnx/node': require('@mnist/onnx/node'),
}).then((failures) => {
  process.exitCode = failures > 0 ? 1 : 0;
});
