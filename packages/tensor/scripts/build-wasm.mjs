// Assembles wasm/kernels.wat with wabt (from npm, pinned) into src/backend/wasm/kernels.generated.ts, in two
// arithmetics: exact, as written, and relaxed, where the gemm's multiply-adds (`(f32x4.add ACC (f32x4.mul X Y))` in
// the functions of RELAXED_FUNCTIONS) become `f32x4.relaxed_madd`, which engines with relaxed SIMD run as one fused
// multiply-add where the processor has one. Each is assembled importing a shared memory (for worker threads); the
// plain-memory module (pages that are not cross-origin isolated) differs from it in one byte, the memory import's
// flags, which `kernels.ts` clears at run time: the build checks that byte against wabt's own plain assembly.
// The output is a pure function of the .wat file and the wabt version, so `node scripts/build-wasm.mjs --check` can
// verify in CI that the committed bytes are the ones the source produces.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import createWabt from 'wabt';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourcePath = join(root, 'wasm', 'kernels.wat');
const outputPath = join(root, 'src', 'backend', 'wasm', 'kernels.generated.ts');

/** The functions whose accumulating multiply-adds the relaxed module fuses: the gemm's dense and sparse inner loops. */
const RELAXED_FUNCTIONS = ['$tile', '$tile4', '$sparseRow'];

/** @param {string} text @param {string} name @param {boolean} relaxed */
async function assemble(wabt, text, name, relaxed) {
  const features = { simd: true, threads: true, bulk_memory: true, relaxed_simd: relaxed };
  const module = wabt.parseWat(name, text, features);
  try {
    module.validate(features);
    return Buffer.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}

/** The end (exclusive) of the balanced s-expression that starts at `text[start]` ('('); `;;` comments are skipped. */
function expressionEnd(text, start) {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text.startsWith(';;', i)) {
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? text.length : newline;
    } else if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i + 1;
  }
  throw new Error(`unbalanced expression at ${start}`);
}

/** The operands of the expression `(op A B …)` at `start`: their [start, end) ranges. */
function operands(text, start) {
  const ranges = [];
  let i = text.indexOf(' ', start);
  const end = expressionEnd(text, start) - 1;
  while (i < end) {
    while (/\s/.test(text[i])) i++;
    if (i >= end) break;
    if (text[i] !== '(') throw new Error(`expected an expression operand at ${i}`);
    const stop = expressionEnd(text, i);
    ranges.push([i, stop]);
    i = stop;
  }
  return ranges;
}

/**
 * The source with each `(f32x4.add ACC (f32x4.mul X Y))` inside the functions of RELAXED_FUNCTIONS written as
 * `(f32x4.relaxed_madd X Y ACC)`. ACC, X and Y are read without side effects in those loops (locals and loads), so
 * evaluating ACC last changes nothing but the rounding.
 */
function relaxedSource(source) {
  let text = source;
  for (const name of RELAXED_FUNCTIONS) {
    const header = `(func ${name} `;
    const at = text.indexOf(header);
    if (at < 0 || text.indexOf(header, at + 1) >= 0) throw new Error(`expected one function ${name}`);
    const end = expressionEnd(text, at);
    let body = text.slice(at, end);
    let rewritten = 0;
    for (let i = body.indexOf('(f32x4.add '); i >= 0; i = body.indexOf('(f32x4.add ', i + 1)) {
      const [accumulator, product, ...rest] = operands(body, i);
      if (rest.length > 0 || !product || !body.startsWith('(f32x4.mul ', product[0])) continue;
      if (!body.startsWith('(local.get ', accumulator[0])) continue;
      const factors = operands(body, product[0]);
      if (factors.length !== 2) continue;
      const [x, y] = factors.map(([from, to]) => body.slice(from, to));
      const madd = `(f32x4.relaxed_madd ${x} ${y} ${body.slice(accumulator[0], accumulator[1])})`;
      body = body.slice(0, i) + madd + body.slice(expressionEnd(body, i));
      rewritten++;
    }
    if (rewritten === 0) throw new Error(`${name}: no multiply-add to relax`);
    text = text.slice(0, at) + body + text.slice(end);
  }
  return text;
}

/** Where the memory import's flags byte is: the one byte in which the shared and plain assemblies differ. */
function memoryFlagsOffset(sharedBytes, plainBytes, name) {
  const differing = [];
  if (sharedBytes.length === plainBytes.length) {
    for (let i = 0; i < sharedBytes.length; i++) if (sharedBytes[i] !== plainBytes[i]) differing.push(i);
  }
  if (differing.length !== 1 || sharedBytes[differing[0]] !== 3 || plainBytes[differing[0]] !== 1) {
    throw new Error(`${name}: expected the plain module to differ from the shared one in the memory flags alone`);
  }
  return differing[0];
}

export async function generate() {
  const wabt = await createWabt();
  const exact = readFileSync(sourcePath, 'utf8');
  const sharedImport = '(memory 1 65536 shared)';
  if (exact.split(sharedImport).length !== 2) throw new Error(`${sourcePath}: expected one '${sharedImport}'`);
  const lines = [
    '// Generated by scripts/build-wasm.mjs from wasm/kernels.wat. Do not edit; run `pnpm --filter @mnist/tensor build:wasm`.',
    '',
  ];
  for (const [kind, source, relaxed] of [
    ['EXACT', exact, false],
    ['RELAXED', relaxedSource(exact), true],
  ]) {
    const name = `kernels.wat (${kind.toLowerCase()})`;
    const sharedBytes = await assemble(wabt, source, name, relaxed);
    const plainBytes = await assemble(wabt, source.replace(sharedImport, '(memory 1 65536)'), name, relaxed);
    const flags = memoryFlagsOffset(sharedBytes, plainBytes, name);
    const arithmetic = relaxed ? 'fused multiply-adds (relaxed SIMD)' : 'exact arithmetic';
    lines.push(
      `/** The kernels module with ${arithmetic}, importing a shared memory (${sharedBytes.length} bytes), base64. */`,
      // The string on its own line, as the formatter (biome) lays out a long initialiser.
      `export const ${kind}_MODULE =`,
      `  '${sharedBytes.toString('base64')}';`,
      '',
      `/** The byte of {@link ${kind}_MODULE} that flags its memory import shared (3); 1 imports a plain memory. */`,
      `export const ${kind}_MEMORY_FLAGS_AT = ${flags};`,
      '',
    );
  }
  return lines.join('\n');
}

let output;
try {
  output = await generate();
} catch (error) {
  // wabt's messages name the line and column in the .wat; its stack trace is minified noise.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
if (process.argv.includes('--check')) {
  if (readFileSync(outputPath, 'utf8') !== output) {
    console.error(`${outputPath} is stale: run \`pnpm --filter @mnist/tensor build:wasm\` and commit the result`);
    process.exit(1);
  }
  console.log(`${outputPath} matches wasm/kernels.wat`);
} else {
  writeFileSync(outputPath, output);
  console.log(`wrote ${outputPath}`);
}
