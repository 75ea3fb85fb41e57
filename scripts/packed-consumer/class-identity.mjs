// The class-identity checks on the ESM builds: `node class-identity.mjs` in the project check-consumer.mjs installs.
import * as datasets from '@mnist/datasets';
import * as datasetsNode from '@mnist/datasets/node';
import * as nn from '@mnist/nn';
import * as nnNode from '@mnist/nn/node';
import * as nnTesting from '@mnist/nn/testing';
import * as onnx from '@mnist/onnx';
import * as onnxNode from '@mnist/onnx/node';
import * as tensor from '@mnist/tensor';
import * as tensorTesting from '@mnist/tensor/testing';
import { runIdentityChecks } from './class-identity-checks.cjs';

process.exitCode =
  (await runIdentityChecks('ESM', {
    '@mnist/tensor': tensor,
    '@mnist/tensor/testing': tensorTesting,
    '@mnist/nn': nn,
    '@mnist/nn/testing': nnTesting,
    '@mnist/nn/node': nnNode,
    '@mnist/datasets': datasets,
    '@mnist/datasets/node': datasetsNode,
    '@mnist/onnx': onnx,
    '@mnist/onnx/node': onnxNode,
  })) > 0
    ? 1
    : 0;
