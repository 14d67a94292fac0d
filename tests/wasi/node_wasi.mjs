// Runs one WASI preview-1 program under node's built-in node:wasi, with the
// wasmtime-like command line that tests/wasi/run.py gives every runtime:
//
//   node tests/wasi/node_wasi.mjs [--dir HOST::GUEST]... [--env K=V]... PROG.wasm ARGS...
//
// It is the reference the suite is checked against before atoll-run can
// run WASI: a runner bug shows up here first, not as an Atoll bug.
// The exit status is the program's (proc_exit or a return from _start);
// a trap or a bad module exits 134, as wasmtime does on Unix, so that a
// crash is never taken for an expected exit code.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { WASI } from 'node:wasi';

function usage(msg) {
    process.stderr.write(`node_wasi: ${msg}\n` +
        'usage: node_wasi.mjs [--dir HOST::GUEST]... [--env K=V]... PROG.wasm ARGS...\n');
    process.exit(2);
}

const argv = process.argv.slice(2);
const preopens = {};
const env = {};
let i = 0;
for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { i++; break; }
    if (a === '--dir' || a === '--env') {
        if (i + 1 >= argv.length) usage(`${a} needs a value`);
        const v = argv[++i];
        if (a === '--dir') {
            // HOST alone preopens HOST under its own name, as wasmtime does.
            const sep = v.indexOf('::');
            const host = sep < 0 ? v : v.slice(0, sep);
            const guest = sep < 0 ? v : v.slice(sep + 2);
            preopens[guest] = host;
        } else {
            const eq = v.indexOf('=');
            if (eq < 0) usage(`--env ${v}: no '='`);
            env[v.slice(0, eq)] = v.slice(eq + 1);
        }
        continue;
    }
    if (a.startsWith('--')) usage(`unknown option ${a}`);
    break;
}
if (i >= argv.length) usage('no program');
const prog = argv[i];
// argv[0] is the program's name, as wasmtime passes it; the suite's tests
// look only at the arguments after it.
const args = [basename(prog), ...argv.slice(i + 1)];

const wasi = new WASI({
    version: 'preview1',
    args,
    env,
    preopens,
    returnOnExit: true,
    stdin: 0,
    stdout: 1,
    stderr: 2,
});

let code;
try {
    const module = await WebAssembly.compile(readFileSync(prog));
    const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
    code = wasi.start(instance);
} catch (e) {
    process.stderr.write(`node_wasi: ${prog}: ${e && e.stack ? e.stack : e}\n`);
    code = 134;
}
process.exitCode = code;
