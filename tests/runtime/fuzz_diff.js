// fuzz_diff.js: node's side of the differential fuzzer, printing the same
// lines as fuzz_run.c for the same modules (see there for the format).
//   node --liftoff-only fuzz_diff.js SIGS FILE.wasm...
// With FUZZ_DUMP=PREFIX in the environment, each exported memory's final
// bytes go to PREFIX.NAME as well.
// SIGS is `fuzz-run --sig` over the same files: node 20 cannot tell a
// function's or a global's type.
// An export with a v128 in its type is listed but not called ("call NAME",
// "uncalled: v128"), like fuzz-run does: JavaScript cannot pass or take one.
'use strict';
const fs = require('fs');
const buf = new ArrayBuffer(8), f32 = new Float32Array(buf), f64 = new Float64Array(buf);
const u32 = new Uint32Array(buf), u64 = new BigUint64Array(buf);

function show(v, t) {
  if (t === 'i') return ' ' + (v | 0);
  if (t === 'I') return ' ' + BigInt.asIntN(64, BigInt(v));
  if (t === 'r') return v === null ? ' null' : ' ref';
  if (Number.isNaN(v)) return ' nan';
  if (t === 'f') { f32[0] = v; return ' f32:' + u32[0].toString(16).padStart(8, '0'); }
  f64[0] = v; return ' f64:' + u64[0].toString(16).padStart(16, '0');
}

// V8's trap messages, folded into fuzz_run.c's classes.
function trapClass(err) {
  if (err instanceof RangeError && /call stack/.test(err.message)) return 'stack';
  if (!(err instanceof WebAssembly.RuntimeError)) return 'host ' + err;
  const m = err.message;
  if (/unreachable/.test(m)) return 'unreachable';
  if (/memory access out of bounds|data segment/.test(m)) return 'memory';
  if (/divide by zero|remainder by zero/.test(m)) return 'div';
  if (/divide result unrepresentable/.test(m)) return 'overflow';
  if (/float unrepresentable/.test(m)) return 'convert';
  if (/table index is out of bounds|invalid index into function table|element segment/.test(m)) return 'table';
  if (/signature mismatch|null function/.test(m)) return 'indirect';
  return 'host ' + m;
}

// fuzzing-support.log-v128 takes a v128, which a JavaScript function
// cannot receive (node refuses to link it). It is this Wasm function
// instead, which hands the four i32 lanes to JavaScript:
//   (module
//     (import "js" "log" (func $log (param i32 i32 i32 i32)))
//     (func (export "log-v128") (param v128)
//       (call $log (i32x4.extract_lane 0 (local.get 0)) ... lane 3)))
const logV128 = new WebAssembly.Module(new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x0c, 0x02, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x00,    // types: (i32 x4), (v128)
  0x60, 0x01, 0x7b, 0x00,
  0x02, 0x0a, 0x01, 0x02, 0x6a, 0x73, 0x03, 0x6c, 0x6f, 0x67,    // import js.log, type 0
  0x00, 0x00,
  0x03, 0x02, 0x01, 0x01,                                        // one function, type 1
  0x07, 0x0c, 0x01, 0x08, 0x6c, 0x6f, 0x67, 0x2d, 0x76, 0x31,    // export "log-v128"
  0x32, 0x38, 0x00, 0x01,
  0x0a, 0x1a, 0x01, 0x18, 0x00,                                  // code: no locals
  0x20, 0x00, 0xfd, 0x1b, 0x00, 0x20, 0x00, 0xfd, 0x1b, 0x01,    // lanes 0, 1
  0x20, 0x00, 0xfd, 0x1b, 0x02, 0x20, 0x00, 0xfd, 0x1b, 0x03,    // lanes 2, 3
  0x10, 0x00, 0x0b,                                              // call 0, end
]));
const hex32 = (x) => (x >>> 0).toString(16).padStart(8, '0');

function hash(bytes) {
  let h = 2166136261;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 16777619);
  return (h >>> 0).toString(16).padStart(8, '0');
}

// module FILE -> { funcs: {name: {p, r}}, globals: {name: t} }
const sigs = {};
let cur = null;
for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\n')) {
  let m;
  if ((m = line.match(/^module (.*)$/))) sigs[m[1]] = cur = { funcs: {}, globals: {} };
  else if (cur && (m = line.match(/^global (\S*) (\S)$/))) cur.globals[m[1]] = m[2];
  else if (cur && (m = line.match(/^(.*) -(\S*) -(\S*)$/))) cur.funcs[m[1]] = { p: m[2], r: m[3] };
}

function runOne(file, sig, out) {
  out.push('module ' + file);
  const log = (t) => (v) => { out.push('log' + show(v, t)); };
  const v128 = new WebAssembly.Instance(logV128, { js: { log: (a, b, c, d) => {
    out.push('log v128:' + [a, b, c, d].map(hex32).join(' '));
  } } });
  const imports = { 'fuzzing-support': { 'log-i32': log('i'), 'log-i64': log('I'),
                                        'log-f32': log('f'), 'log-f64': log('F'),
                                        'log-v128': v128.exports['log-v128'] } };
  let mod, inst;
  try { mod = new WebAssembly.Module(fs.readFileSync(file)); }
  catch (e) { out.push('invalid: ' + e.message); return; }
  if (!sig) { out.push('skip: no signatures'); return; }
  try { inst = new WebAssembly.Instance(mod, imports); }
  catch (e) {
    out.push(e instanceof WebAssembly.RuntimeError || e instanceof RangeError
             ? 'instantiate: trap ' + trapClass(e) : 'instantiate: error ' + e.message);
    return;
  }
  const exps = WebAssembly.Module.exports(mod);
  for (const e of exps) {
    const s = sig.funcs[e.name];
    if (e.kind !== 'function' || !s) continue;
    out.push('call ' + e.name);
    if (s.p.includes('v') || s.r.includes('v')) { out.push('uncalled: v128'); continue; }
    if (s.p.length > 64 || s.r.length > 64) { out.push('uncalled: over 64 values'); continue; }
    try {
      const args = [...s.p].map((t) => (t === 'I' ? 0n : t === 'r' ? null : 0));
      let r = inst.exports[e.name](...args);
      if (s.r.length === 1) r = [r];
      out.push('result' + [...s.r].map((t, i) => show(r[i], t)).join(''));
    } catch (err) {
      out.push('trap ' + trapClass(err));
    }
  }
  for (const e of exps) {
    if (e.kind === 'global' && sig.globals[e.name] && sig.globals[e.name] !== 'v')
      out.push('global ' + e.name + show(inst.exports[e.name].value, sig.globals[e.name]));
    if (e.kind === 'memory') {
      const b = new Uint8Array(inst.exports[e.name].buffer);
      out.push('memory ' + e.name + ' ' + (b.length >> 16) + ' ' + hash(b));
      if (process.env.FUZZ_DUMP) fs.writeFileSync(process.env.FUZZ_DUMP + '.' + e.name, b);
    }
  }
}

for (const file of process.argv.slice(3)) {
  const out = [];
  runOne(file, sigs[file], out);
  process.stdout.write(out.join('\n') + '\n');
}
