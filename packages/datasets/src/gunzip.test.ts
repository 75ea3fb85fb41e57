import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gunzip } from './gunzip.js';
import {
  expectIdxFormatError,
  gzipMutations,
  mutateGzip,
  PROPERTY_TIMEOUT,
  propertyRuns,
  zlibGunzip,
} from './idx-mutations.test-helper.js';
import { CHUNK_SLACK, meterInflation } from './inflation-meter.test-helper.js';

describe('gunzip on random damage (fast-check)', () => {
  it(
    'inflates damaged gzip as zlib does, up to maxBytes, or rejects it with an IdxFormatError',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 4096 }),
          fc.integer({ min: 0, max: 9 }),
          gzipMutations,
          fc.integer({ min: 0, max: 1024 * 1024 }),
          async (content, level, mutations, maxBytes) => {
            const zipped = mutations.reduce(mutateGzip, new Uint8Array(gzipSync(content, { level })));
            const expected = zlibGunzip(zipped);
            const { outcome, streams, largestAllocation } = await meterInflation(() =>
              gunzip(zipped, { name: 'damaged.gz', maxBytes }),
            );
            // Memory: the output buffer never outgrows maxBytes, nor the decompressor runs far past it.
            expect(streams).toHaveLength(1);
            expect(streams[0].delivered).toBeLessThanOrEqual(maxBytes + CHUNK_SLACK);
            expect(largestAllocation).toBeLessThanOrEqual(maxBytes);
            if (outcome.status === 'fulfilled') {
              expect(expected).toBeDefined();
              expect(Buffer.compare(outcome.value, expected as Uint8Array)).toBe(0);
            } else {
              expectIdxFormatError(outcome.reason, 'damaged.gz');
              if (expected !== undefined) expect(expected.length).toBeGreaterThan(maxBytes);
            }
          },
        ),
        propertyRuns(200),
      );
    },
    PROPERTY_TIMEOUT,
  );
});
