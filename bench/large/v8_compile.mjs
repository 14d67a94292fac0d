// v8_compile.mjs: V8's compile of one module with WebAssembly.compile
// (bench/large/measure.py runs it in a fresh node per run; the tier and
// laziness come from node's flags). Unlike bench/compile/v8_compile.mjs
// (new WebAssembly.Module, no memory figures), this one is the async API
// a program would use and reports memory: RSS before and after the
// compile and the process's peak RSS (resourceUsage().maxRSS), so the
// compile's cost shows against node's own baseline.
//
//   node [FLAGS] v8_compile.mjs FILE.wasm
//
// Prints one line of JSON: bytes, compile_ms (wall), compile_cpu_ms (CPU
// of the whole process), rss_before_kib, rss_after_kib, max_rss_kib.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const bytes = readFileSync(process.argv[2]);
const rss0 = process.memoryUsage.rss();
const c0 = process.cpuUsage();
const t0 = performance.now();
const module = await WebAssembly.compile(bytes);
const t1 = performance.now();
const c1 = process.cpuUsage(c0);
const rss1 = process.memoryUsage.rss();
if (WebAssembly.Module.exports(module).length === 0) throw new Error('no exports');
console.log(JSON.stringify({
  bytes: bytes.length,
  compile_ms: t1 - t0,
  compile_cpu_ms: (c1.user + c1.system) / 1000,
  rss_before_kib: Math.round(rss0 / 1024),
  rss_after_kib: Math.round(rss1 / 1024),
  max_rss_kib: process.resourceUsage().maxRSS,
}));
