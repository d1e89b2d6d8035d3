// Entry of the WASM kernels (built into build/kernel.wasm by `npm run build:wasm`).
// Memory assumption: the module imports one shared memory and never allocates in it (runtime
// stub, no heap use); every region it touches is laid out by the JS engine.
export { mineRange, KEY_CHUNK } from "./mine";
export { PARAM_SLOTS } from "./params";
export { groupRange } from "./groups";
export { mergeVariants } from "./merge";

/** Version of the parameter-block layout; the JS side refuses a kernel of another version. */
export function kernelVersion(): i32 {
  return 8;
}
