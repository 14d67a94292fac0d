// fuzz_diff.js: node's side of the differential fuzzer, printing the same
// lines as fuzz_run.c for the same module.
//   node --liftoff-only fuzz_diff.js FILE.wasm SIGS   (SIGS: fuzz-run --sig)
const fs = require('fs');
const buf = new ArrayBuffer(8), f32 = new Float32Array(buf), f64 = new Float64Array(buf);
const u32 = new Uint32Array(buf), u64 = new BigUint64Array(buf);
function show(v, t) {
  if (t === 'i') return ' ' + (v | 0);
  if (t === 'I') return ' ' + BigInt.asIntN(64, BigInt(v));
  if (t === 'r') return ' ref';
  if (Number.isNaN(v)) return ' nan';
  if (t === 'f') { f32[0] = v; return ' f32:' + u32[0].toString(16).padStart(8, '0'); }
  f64[0] = v; return ' f64:' + u64[0].toString(16).padStart(16, '0');
}
const sigs = {};
for (const line of fs.readFileSync(process.argv[3], 'utf8').split('\n')) {
  const m = line.match(/^(.*) -(\S*) -(\S*)$/);
  if (m) sigs[m[1]] = { p: m[2], r: m[3] };
}
const out = [];
const log = (t) => (v) => { out.push('log' + show(v, t)); };
const imports = { 'fuzzing-support': { 'log-i32': log('i'), 'log-i64': log('I'),
                                      'log-f32': log('f'), 'log-f64': log('F') } };
const mod = new WebAssembly.Module(fs.readFileSync(process.argv[2]));
let inst;
try { inst = new WebAssembly.Instance(mod, imports); }
catch (e) { console.log('instantiate: trap'); process.exit(0); }
for (const e of WebAssembly.Module.exports(mod)) {
  const s = sigs[e.name];
  if (e.kind !== 'function' || !s) continue;
  out.push('call ' + e.name);
  try {
    const args = [...s.p].map((t) => (t === 'I' ? 0n : t === 'r' ? null : 0));
    let r = inst.exports[e.name](...args);
    if (s.r.length === 1) r = [r];
    out.push('result' + [...s.r].map((t, i) => show(r[i], t)).join(''));
  } catch (err) {
    if (!(err instanceof WebAssembly.RuntimeError) && !(err instanceof RangeError)) throw err;
    out.push('trap');
  }
}
console.log(out.join('\n'));
