// v8_compile.mjs: V8's compile and instantiate times on one module, for
// comparison with Atoll's bench-compile (bench/compile/measure.py runs it
// in a fresh node per run, with the tier chosen by flags:
// --liftoff-only or --no-liftoff, always with --no-wasm-lazy-compilation
// so that every function is compiled up front, as Atoll does).
//
//   node [FLAGS] v8_compile.mjs FILE.wasm
//
// Prints one line of JSON: bytes, compile_ms (wall), compile_cpu_ms (CPU
// time of the whole process: all of V8's compile threads), instantiate_ms.
// Imports are stubs (functions returning zeros), memories and tables made
// to fit the declared limits.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const bytes = readFileSync(process.argv[2]);
const c0 = process.cpuUsage();
const t0 = performance.now();
const module = new WebAssembly.Module(bytes);
const t1 = performance.now();
const c1 = process.cpuUsage(c0);
const imports = {};
for (const imp of WebAssembly.Module.imports(module)) {
  const ns = (imports[imp.module] ??= {});
  if (imp.kind === 'function') ns[imp.name] = () => 0;
  else if (imp.kind === 'memory') ns[imp.name] = new WebAssembly.Memory({ initial: 256 });
  else if (imp.kind === 'table') ns[imp.name] = new WebAssembly.Table({ initial: 4096, element: 'anyfunc' });
  else if (imp.kind === 'global') ns[imp.name] = new WebAssembly.Global({ value: 'i32', mutable: false }, 0);
}
const t2 = performance.now();
new WebAssembly.Instance(module, imports);
const t3 = performance.now();
console.log(JSON.stringify({
  bytes: bytes.length,
  compile_ms: t1 - t0,
  compile_cpu_ms: (c1.user + c1.system) / 1000,
  instantiate_ms: t3 - t2,
}));
