import { afterEach, describe, expect, it, vi } from 'vitest';
import { matmul } from '../ops/gemm.js';
import { Tensor } from '../tensor.js';
import type { Backend } from './backend.js';
import { backendFallbackReason, defaultBackend, getBackend, KERNELS, setBackend } from './current.js';
import { jsBackend } from './js/index.js';
import { webAssembly } from './wasm/kernels.js';

describe('getBackend', () => {
  it('starts on wasm-simd where the engine has WebAssembly SIMD (Node.js 20 does)', () => {
    expect(getBackend().name).toBe('wasm-simd');
    expect(getBackend()).toBe(getBackend());
  });
});

describe('defaultBackend', () => {
  const withBackendVariable = (value: string, run: () => void) => {
    const saved = process.env.MNIST_BACKEND;
    process.env.MNIST_BACKEND = value;
    try {
      run();
    } finally {
      if (saved === undefined) delete process.env.MNIST_BACKEND;
      else process.env.MNIST_BACKEND = saved;
    }
  };

  it('is the reference backend when MNIST_BACKEND=js', () => {
    withBackendVariable('js', () => expect(defaultBackend()).toBe(jsBackend));
  });

  it('rejects a malformed MNIST_THREADS instead of quietly falling back', () => {
    const saved = process.env.MNIST_THREADS;
    process.env.MNIST_THREADS = 'two';
    try {
      expect(() => defaultBackend()).toThrow(/MNIST_THREADS: expected an integer from 1 to 8, found 'two'/);
    } finally {
      if (saved === undefined) delete process.env.MNIST_THREADS;
      else process.env.MNIST_THREADS = saved;
    }
  });

  it('rejects an unknown MNIST_BACKEND, naming what it accepts', () => {
    withBackendVariable('gpu', () =>
      expect(() => defaultBackend()).toThrow(/expected 'js' or 'wasm-simd', found 'gpu'/),
    );
  });
});

describe('setBackend', () => {
  it('routes ops through the new backend and returns the previous one', () => {
    let gemmCalls = 0;
    const counting: Backend = {
      ...jsBackend,
      name: 'counting',
      gemm(...args) {
        gemmCalls++;
        jsBackend.gemm(...args);
      },
    };
    const previous = setBackend(counting);
    try {
      expect(previous.name).toBe('wasm-simd');
      expect(getBackend()).toBe(counting);
      const y = matmul(
        Tensor.fromArray([
          [1, 2],
          [3, 4],
        ]),
        Tensor.fromArray([[1], [1]]),
      );
      expect(gemmCalls).toBe(1);
      expect(Array.from(y.data)).toEqual([3, 7]);
    } finally {
      expect(setBackend(previous)).toBe(counting);
    }
    expect(getBackend()).toBe(previous);
    matmul(Tensor.zeros([1, 1]), Tensor.zeros([1, 1]));
    expect(gemmCalls).toBe(1);
  });

  const initial = getBackend();

  it('rejects a backend lacking kernels with a TypeError listing each missing one', () => {
    const partial = { name: 'partial', gemm: jsBackend.gemm, add: jsBackend.add } as unknown as Backend;
    let error: unknown;
    try {
      setBackend(partial);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    const message = (error as Error).message;
    expect(message).toContain("'partial'");
    const missing = KERNELS.filter((k) => k !== 'gemm' && k !== 'add');
    expect(message).toContain(missing.join(', '));
    expect(message).not.toMatch(/\bgemm\b/);
    expect(getBackend()).toBe(initial);
  });

  it('rejects something that is not an object with a TypeError', () => {
    expect(() => setBackend(null as unknown as Backend)).toThrow(TypeError);
    expect(() => setBackend('js' as unknown as Backend)).toThrow(/found string/);
    expect(getBackend()).toBe(initial);
  });

  it('rejects a kernel that is present but not a function', () => {
    const broken = { ...jsBackend, name: 'broken', softmaxRows: 42 } as unknown as Backend;
    expect(() => setBackend(broken)).toThrow(/lacks kernels: softmaxRows;/);
    expect(getBackend()).toBe(initial);
  });
});

describe('KERNELS', () => {
  it('is frozen and lists every function of the reference backend', () => {
    expect(Object.isFrozen(KERNELS)).toBe(true);
    const functions = Object.keys(jsBackend).filter(
      (k) => typeof (jsBackend as unknown as Record<string, unknown>)[k] === 'function',
    );
    expect([...KERNELS].sort()).toEqual(functions.sort());
    expect(new Set(KERNELS).size).toBe(KERNELS.length);
  });
});

describe('backendFallbackReason', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('is undefined while the default backend is the preferred one, wasm-simd', () => {
    expect(getBackend().name).toBe('wasm-simd');
    expect(backendFallbackReason()).toBeUndefined();
  });

  it('says why the default fell back to the reference backend when WebAssembly memory cannot be had', () => {
    // What V8 throws under a limit on virtual memory (`ulimit -v`), where it cannot reserve a wasm memory.
    const Memory = function Memory() {
      throw new RangeError('WebAssembly.Memory(): could not allocate memory');
    };
    const { Module, Instance, validate } = webAssembly() as NonNullable<ReturnType<typeof webAssembly>>;
    vi.stubGlobal('WebAssembly', { Module, Instance, validate, Memory });
    const fallback = defaultBackend();
    vi.unstubAllGlobals();
    expect(fallback.name).toBe('js');
    const reason =
      'wasm-simd could not start (RangeError: WebAssembly.Memory(): could not allocate memory), so the js ' +
      'reference backend runs, whose results differ in the last bits';
    expect(fallback.fallbackReason).toBe(reason);
    // The reference kernels themselves, so it conforms exactly as jsBackend does.
    expect(fallback.gemm).toBe(jsBackend.gemm);
    const previous = setBackend(fallback);
    try {
      expect(backendFallbackReason()).toBe(reason);
    } finally {
      setBackend(previous);
    }
    expect(backendFallbackReason()).toBeUndefined();
  });

  it('says so when the engine has no WebAssembly SIMD', () => {
    const { Module, Instance, Memory } = webAssembly() as NonNullable<ReturnType<typeof webAssembly>>;
    vi.stubGlobal('WebAssembly', { Module, Instance, Memory, validate: () => false });
    const fallback = defaultBackend();
    vi.unstubAllGlobals();
    expect(fallback.name).toBe('js');
    expect(fallback.fallbackReason).toBe(
      'this JavaScript engine has no WebAssembly SIMD, so the js reference backend runs',
    );
  });

  it('is undefined for a backend chosen on purpose: MNIST_BACKEND=js, or setBackend(jsBackend)', () => {
    const saved = process.env.MNIST_BACKEND;
    process.env.MNIST_BACKEND = 'js';
    try {
      expect(defaultBackend().fallbackReason).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.MNIST_BACKEND;
      else process.env.MNIST_BACKEND = saved;
    }
    const previous = setBackend(jsBackend);
    try {
      expect(backendFallbackReason()).toBeUndefined();
    } finally {
      setBackend(previous);
    }
  });

  it('is the current backend’s own fallbackReason, for a backend that reports one', () => {
    const previous = setBackend({ ...jsBackend, name: 'degraded', fallbackReason: 'half its cores are gone' });
    try {
      expect(backendFallbackReason()).toBe('half its cores are gone');
    } finally {
      setBackend(previous);
    }
  });
});
