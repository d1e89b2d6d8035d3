/**
 * Finds, compiles and instantiates the WASM kernel (`build/kernel.wasm`).
 *
 * The module is compiled once per process and handed to workers, which share its code; each
 * instance imports the one shared memory that holds the logs.
 */
import { LedgerflowError } from '../errors.js';
import { compileBuiltWasm } from '../wasm-file.js';

/** The parameter-block version the JS side lays out (see assembly/params.ts). */
export const KERNEL_VERSION = 8;
/** Pages of 64 KiB: the kernel declares this maximum (asconfig.json). */
export const MAX_PAGES = 65536;

/** The exports of one kernel instance. */
export interface KernelExports {
  mineRange(params: number): void;
  /** Groups the range's variants after a stats pass (see assembly/groups.ts). */
  groupRange(params: number): void;
  /** Merges the ranges' groups into ranked variants (see assembly/merge.ts). */
  mergeVariants(block: number): void;
  kernelVersion(): number;
  KEY_CHUNK: WebAssembly.Global;
  PARAM_SLOTS: WebAssembly.Global;
}

// src/engine under vitest, dist/src/engine once compiled: the build folder is at the root.
const CANDIDATES = ['../../build/kernel.wasm', '../../../build/kernel.wasm'];

let compiled: WebAssembly.Module | null = null;

/** The compiled kernel module (compiled on first use). */
export function kernelModule(): WebAssembly.Module {
  compiled ??= compileBuiltWasm(import.meta.url, CANDIDATES);
  return compiled;
}

/** Instantiates the kernel over a shared memory and checks its layout version. */
export function instantiateKernel(
  module: WebAssembly.Module, memory: WebAssembly.Memory,
): KernelExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const kernel = instance.exports as unknown as KernelExports;
  if (kernel.kernelVersion() !== KERNEL_VERSION) {
    throw new LedgerflowError('LF_ERR_ENGINE_WORKER_FAILED',
      `build/kernel.wasm has layout version ${kernel.kernelVersion()}, expected ` +
      `${KERNEL_VERSION}; rebuild it with \`npm run build:wasm\``);
  }
  return kernel;
}

/** A new shared memory the kernel can import. */
export function createSharedMemory(initialPages = 16): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: initialPages, maximum: MAX_PAGES, shared: true });
}
