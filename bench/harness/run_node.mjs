// run_node.mjs: runs one benchmark module under node (V8) and times it.
//
//   node [V8 FLAGS] run_node.mjs FILE.wasm N [WARMUP]
//
// Prints one JSON line: the checksum run(N) returned, and in milliseconds
// the compile (WebAssembly.compile: V8's baseline tier, or its only tier
// with --liftoff-only), the instantiation, and the timed call of run(N).
// With WARMUP=1 run(ceil(N/4)) is called first, timed apart as first_ms:
// V8 tiers up a hot function in the background and swaps the new code in
// at its next call, never in the middle of one (no OSR for Wasm), so the
// call of run(N) that follows is V8's steady state. A quarter of N spends
// the tier-up budget of every hot function many times over, at a quarter
// of the cost of a full warm-up call.
import { readFileSync } from 'fs';

const [file, nArg, warmArg] = process.argv.slice(2);
const n = Number(nArg);
const bytes = readFileSync(file);

const t0 = performance.now();
const module = await WebAssembly.compile(bytes);
const t1 = performance.now();
const instance = await WebAssembly.instantiate(module, {});
const t2 = performance.now();
const run = instance.exports.run;

let first_ms = null;
if (warmArg === '1') {
    const w0 = performance.now();
    run(Math.ceil(n / 4));
    first_ms = performance.now() - w0;
}
const r0 = performance.now();
const checksum = run(n) >>> 0; // the C side returns uint32_t
const r1 = performance.now();

console.log(JSON.stringify({
    checksum, compile_ms: t1 - t0, instantiate_ms: t2 - t1,
    first_ms, run_ms: r1 - r0,
}));
