// simd_diff.mjs: V8's side of tests/runtime/simd_diff.py.
//   node simd_diff.mjs JOB.json
// JOB: {arg, res, modules: [{wasm, cases: [[wrapper, argHex, resBytes]]}]}.
// JavaScript cannot pass or take a v128 (nor keep a signalling NaN in a
// number), so every test function f<i> has a wrapper w<i> without
// parameters or results: it loads f's arguments from memory at `arg`
// (16 bytes a parameter), calls f and stores its results at `res` (16
// bytes a result). Here the argument bytes go in, the wrapper runs, and the
// result bytes come out as hex; a trap prints as "trap: MESSAGE".
// Prints one JSON array of those strings, the cases in order.
import { readFileSync } from 'node:fs';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const out = [];
for (const m of job.modules) {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(m.wasm)), {});
  // No module grows its memory, so this view stays valid.
  const mem = new Uint8Array(inst.exports.mem.buffer);
  for (const [wrapper, argHex, resBytes] of m.cases) {
    mem.set(Buffer.from(argHex, 'hex'), job.arg);
    mem.fill(0, job.res, job.res + resBytes);
    try {
      inst.exports[wrapper]();
      out.push(Buffer.from(mem.subarray(job.res, job.res + resBytes)).toString('hex'));
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError))
        throw e;
      out.push('trap: ' + e.message);
    }
  }
}
process.stdout.write(JSON.stringify(out));
