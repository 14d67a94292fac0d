// test_launcher.mjs — userboot as a launcher: the programs archive granted
// as its second handle (a ustar archive built here), and the shell's ls,
// run (foreground and &), ps, kill, Ctrl+C and history, with small test
// programs written in WAT that follow the program model (program_abi.h).
// The mock runs started adds and calls at each Kernel.step(); a program
// that should run on (an endless loop) is held instead (Kernel.held), and
// so is an add whose start function never returns (Kernel.heldAdds). The
// shell adds a program's instances one per tick, then starts it.

import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kernel, Handle, Vma, RUNNING, KILLED } from './coral_mock.mjs';
import { group, check, eq, loadWasm, screenRows, scancodes, SC } from './harness.mjs';

const PROMPT = 'atoll> ';
// program_abi.h
const CON = { MAGIC: 0x314e4f43, ARGC: 4, ARGS_LEN: 8, RING_LEN: 12, HEAD: 16, TAIL: 20,
  ARGS: 64, RING: 4096, RING_SIZE: 32768 };
const UP = [0xe0, 0x48, 0xe0, 0xc8], DOWN = [0xe0, 0x50, 0xe0, 0xd0];
const CTRL_C = [SC.LCTRL, 0x2e, 0xae, SC.LCTRL | 0x80];

// wat2wasm with --debug-names, so traps name their functions.
function wasm(text) {
  const dir = mkdtempSync(join(tmpdir(), 'atoll-launch-'));
  try {
    writeFileSync(join(dir, 'm.wat'), text);
    execFileSync('wat2wasm', ['--debug-names', join(dir, 'm.wat'), '-o', join(dir, 'm.wasm')]);
    return readFileSync(join(dir, 'm.wasm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A program in WAT: the console is SDK handle 1, our memory SDK handle 0
// (env's memory, imported). $print writes bytes to the ring, then head;
// $args copies the argument block to 0x1000 and returns its length.
function program(body, imports = '') {
  return wasm(`(module
    (import "env" "memory" (memory 16))
    (import "env" "atoll_vma_write" (func $vw (param i32 i32 i64 i64 i64) (result i32)))
    ${imports}
    (global $head (mut i32) (i32.const 0))
    (func $print (param $p i32) (param $n i32)
      (drop (call $vw (i32.const 0) (i32.const 1) (i64.extend_i32_u (local.get $p))
        (i64.extend_i32_u (i32.add (i32.const ${CON.RING})
          (i32.and (global.get $head) (i32.const ${CON.RING_SIZE - 1}))))
        (i64.extend_i32_u (local.get $n))))
      (global.set $head (i32.add (global.get $head) (local.get $n)))
      (i32.store (i32.const 0x8000) (global.get $head))
      (drop (call $vw (i32.const 0) (i32.const 1) (i64.const 0x8000) (i64.const ${CON.HEAD}) (i64.const 4))))
    (func $args (result i32)
      (drop (call $vw (i32.const 1) (i32.const 0) (i64.const ${CON.ARGS_LEN}) (i64.const 0x8004) (i64.const 4)))
      (drop (call $vw (i32.const 1) (i32.const 0) (i64.const ${CON.ARGS}) (i64.const 0x1000)
        (i64.extend_i32_u (i32.load (i32.const 0x8004)))))
      (i32.load (i32.const 0x8004)))
    (func $argc (result i32)
      (drop (call $vw (i32.const 1) (i32.const 0) (i64.const ${CON.ARGC}) (i64.const 0x8008) (i64.const 4)))
      (i32.load (i32.const 0x8008)))
    ${body})`);
}

const PROGRAMS = {
  // Prints "hi there" and exits 0.
  'hi.wasm': () => program(`
    (data (i32.const 0x2000) "hi there\\n")
    (func (export "atoll_start") (result i32) (call $print (i32.const 0x2000) (i32.const 9)) (i32.const 0))`),
  // Prints its argument block, NULs as spaces, and exits with argc.
  'echoargs.wasm': () => program(`
    (func (export "atoll_start") (result i32)
      (local $n i32) (local $i i32)
      (local.set $n (call $args))
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.eqz (i32.load8_u (i32.add (i32.const 0x1000) (local.get $i))))
          (then (i32.store8 (i32.add (i32.const 0x1000) (local.get $i)) (i32.const 32))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (i32.store8 (i32.add (i32.const 0xfff) (local.get $n)) (i32.const 10))
      (call $print (i32.const 0x1000) (local.get $n))
      (call $argc))`),
  // Says something, then divides by zero two calls deep.
  'boom.wasm': () => program(`
    (data (i32.const 0x2000) "about to fail")
    (func $divide (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
    (func $main (export "atoll_start") (result i32)
      (call $print (i32.const 0x2000) (i32.const 13))
      (call $divide (i32.const 0)))`),
  // Runs for ever (the tests hold it).
  'spinner.wasm': () => program(`
    (func (export "atoll_start") (result i32) (loop $l (br $l)) (i32.const 0))`),
  // Its start function stands for one that never returns: the tests hold
  // its add (Kernel.heldAdds; V8 would not give the thread back).
  'stuck.wasm': () => program(`
    (func $forever) (start $forever)
    (func (export "atoll_start") (result i32) (i32.const 0))`),
  // A library whose start function traps, and a program that needs it.
  'traplib.wasm': () => wasm(`(module (func $s unreachable) (start $s)
    (func (export "f") (result i32) (i32.const 1)))`),
  'usestrap.wasm': () => program(`(func (export "atoll_start") (result i32) (call $f))`,
    `(import "traplib" "f" (func $f (result i32)))`),
  // Imports from a library what it does not export: a link error.
  'badlink.wasm': () => program(`(func (export "atoll_start") (result i32) (call $f))`,
    `(import "mathbase" "nosuch" (func $f (result i32)))`),
  // A program with two levels of libraries: usesmath -> mathlib -> mathbase.
  'usesmath.wasm': () => program(`
    (data (i32.const 0x2000) "twice(21) = ")
    (func (export "atoll_start") (result i32)
      (call $print (i32.const 0x2000) (i32.const 12))
      (i32.store8 (i32.const 0x2010) (i32.add (i32.const 48) (i32.div_u (call $twice (i32.const 21)) (i32.const 10))))
      (i32.store8 (i32.const 0x2011) (i32.add (i32.const 48) (i32.rem_u (call $twice (i32.const 21)) (i32.const 10))))
      (i32.store8 (i32.const 0x2012) (i32.const 10))
      (call $print (i32.const 0x2010) (i32.const 3))
      (i32.const 0))`, `(import "mathlib" "twice" (func $twice (param i32) (result i32)))`),
  'mathlib.wasm': () => wasm(`(module
    (import "mathbase" "add" (func $add (param i32 i32) (result i32)))
    (func (export "twice") (param i32) (result i32) (call $add (local.get 0) (local.get 0))))`),
  'mathbase.wasm': () => wasm(`(module
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`),
  // Import cycles, a missing library, bytes that are not Wasm.
  'cyc1.wasm': () => program(`(func (export "atoll_start") (result i32) (call $c2))`,
    `(import "cyc2" "c2" (func $c2 (result i32)))`),
  'cyc2.wasm': () => wasm(`(module (import "cyc1" "atoll_start" (func $c1 (result i32)))
    (func (export "c2") (result i32) (i32.const 2)))`),
  'lonely.wasm': () => program(`(func (export "atoll_start") (result i32) (call $f))`,
    `(import "nosuchlib" "f" (func $f (result i32)))`),
  'junk.wasm': () => Buffer.from('this is not a wasm module at all'),
  'readme.txt': () => Buffer.from('not a program\n'),
};

// ---- ustar archives --------------------------------------------------

function octal(n, width) { return n.toString(8).padStart(width - 1, '0') + '\0'; }

// One 512-byte header; opts can damage it: sum (a wrong checksum), size
// (the size field's text), name (raw 100 bytes), magic, type.
function header(name, size, opts = {}) {
  const h = Buffer.alloc(512);
  if (opts.rawName) opts.rawName.copy(h, 0); else h.write(name, 0, 100, 'latin1');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(opts.size ?? octal(size, 12), 124, 12, 'latin1');
  h.write(octal(0, 12), 136);
  h.write(opts.type ?? '0', 156);
  h.write(opts.magic ?? 'ustar\0', 257);
  h.write('00', 263);
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum + (opts.sumDelta ?? 0), 7) + ' ', 148, 8, 'latin1');
  return h;
}

// files: [[name, bytes, opts?]]; end: the two zero blocks (default).
function tar(files, { end = true } = {}) {
  const parts = [];
  for (const [name, data, opts] of files) {
    parts.push(header(name, data.length, opts ?? {}));
    parts.push(data);
    parts.push(Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  if (end) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

let built;
function standardFiles(dir) {
  if (!built) {
    built = [['env.wasm', loadWasm(dir, 'env.wasm')]];
    for (const [name, make] of Object.entries(PROGRAMS)) built.push([name, make()]);
  }
  return built;
}

// ---- a booted userboot with an archive -------------------------------

function boot(dir, archive, { grant = true } = {}) {
  const k = new Kernel();
  const screen = new Uint8Array(4000);
  const grants = [new Handle(new Vma(screen))];
  if (grant) grants.push(archive === null ? null : new Handle(new Vma(archive)));
  const { exports: x } = k.boot(
    { env: loadWasm(dir, 'env.wasm'), userboot: loadWasm(dir, 'userboot.wasm') }, 'userboot', grants);
  x.init();
  const m = {
    k, x, screen,
    rows: () => screenRows(screen),
    text: () => screenRows(screen).join('\n'),
    keys: (codes) => { for (const c of codes) x.press_key(c); },
    type: (t) => m.keys(scancodes(t)),
    ticks: (n = 1) => { for (let i = 0; i < n; i++) { k.step(); x.tick(); } },
    // The last non-empty screen row.
    last: () => screenRows(screen).filter((r) => r !== '').at(-1),
    // A child component by the name of its last instance (the newest).
    child: (name) => k.components.findLast((c) => c.instances.at(-1)?.name === name),
    // Ticks until the newest component has its instances up to `name`
    // and its entry started (at most max ticks); returns it.
    loaded: (name, max = 40) => {
      const c = k.components.at(-1);
      for (let i = 0; i < max && !(c.instances.at(-1)?.name === name &&
                                    c.queue.some((q) => !q.add)) && !c.ended; i++) m.ticks(1);
      return c;
    },
    clear: () => m.type('clear\n'),
  };
  return m;
}

// The handles in userboot's SDK table (its env instance's).
function sdkHandles(m) {
  const t = m.k.components[0].instances[0].instance.exports.sdk_handles;
  const out = [];
  for (let i = 0; i < t.length; i++) out.push(t.get(i));
  return out;
}

function psRow(m, name) {
  return m.rows().find((r) => new RegExp(`^\\s*\\d+\\s+${name}\\s`).test(r));
}

export function run(dir) {
  const files = standardFiles(dir);
  const archive = tar(files);

  group('launcher: ls lists the programs, sizes, libraries marked, env hidden', () => {
    const m = boot(dir, archive);
    check('the log counts the files', m.k.log.includes(`userboot: ${files.length} files in the programs archive`), m.k.log);
    m.type('ls\n');
    const rows = m.rows();
    const line = (n) => rows.find((r) => r.trimStart().startsWith(n + ' '));
    const size = (n) => files.find(([f]) => f === n + '.wasm')[1].length;
    for (const n of ['hi', 'echoargs', 'boom', 'spinner', 'usesmath']) {
      check(`ls shows ${n}`, line(n) && line(n).includes(`${size(n)} bytes`) && !line(n).includes('library'), rows.join('\n'));
    }
    for (const n of ['mathlib', 'mathbase'])
      check(`ls marks ${n} a library`, line(n) && line(n).endsWith('(library)'), rows.join('\n'));
    check('env is hidden', !line('env'), rows.join('\n'));
    check('junk is marked', line('junk') && line('junk').endsWith('(not a module)'), rows.join('\n'));
    check('non-.wasm files are hidden', !rows.some((r) => r.includes('readme')), rows.join('\n'));
    check('help lists the new commands', (m.type('clear\nhelp\n'), ['ls', 'run', 'ps', 'kill'].every(
      (c) => new RegExp(`^  ${c} `, 'm').test(m.text()))), m.text());
  });

  group('launcher: run in the foreground, output on screen and serial', () => {
    const m = boot(dir, archive);
    m.type('run hi\n');
    eq('no prompt while it loads', m.last(), PROMPT + 'run hi');
    const hi = m.k.components.at(-1);
    eq('a component was made, env\'s add queued', hi.queue.map((q) => q.add && q.name).join(), 'env');
    eq('...nothing added yet', hi.instances.length, 0);
    m.loaded('hi');
    eq('no prompt while it runs', m.last(), PROMPT + 'run hi');
    eq('instances: env, then the program, by name', hi.instances.map((i) => i.name).join(), 'env,hi');
    const con = hi.grants[0].obj.bytes;
    const dv = new DataView(con.buffer, con.byteOffset);
    eq('console size', con.length, CON.RING + CON.RING_SIZE);
    eq('magic', dv.getUint32(0, true), CON.MAGIC);
    eq('argc', dv.getUint32(CON.ARGC, true), 1);
    eq('ring size', dv.getUint32(CON.RING_LEN, true), CON.RING_SIZE);
    eq('argv[0]', Buffer.from(con.subarray(CON.ARGS, CON.ARGS + 3)).toString('latin1'), 'hi\0');
    eq('the start was queued', hi.state, RUNNING);
    m.ticks(1);
    const rows = m.rows();
    eq('its output follows the command', rows[2], 'hi there');
    eq('then the prompt, no status for 0', rows[3], PROMPT.trimEnd());
    check('output on serial', m.k.log.includes('\nhi there\n'), m.k.log);
    eq('tail moved to head', dv.getUint32(CON.TAIL, true), 9);
    check('its component and console handles were dropped', sdkHandles(m).every(
      (h) => h === null || (h.obj !== hi && h.obj !== hi.grants[0].obj)));
    m.type('echo after\n');
    check('the shell goes on', m.rows().includes('after'), m.text());
    m.type('run hi\n');
    m.loaded('hi');
    m.ticks(1);
    eq('a second run', m.rows().filter((r) => r === 'hi there').length, 2);
    eq('env was compiled once, the program once',
      m.k.calls.module_create, 2);
  });

  group('launcher: arguments and a non-zero exit status', () => {
    const m = boot(dir, archive);
    m.type('run echoargs one two  three\n');
    m.loaded('echoargs');
    m.ticks(1);
    const rows = m.rows();
    check('arguments printed', rows.includes('echoargs one two three'), rows.join('\n'));
    check('exit status reported', rows.includes('echoargs: exit status 4'), rows.join('\n'));
    eq('prompt back', m.last(), PROMPT.trimEnd());
    m.type('run echoargs.wasm x\n');
    m.loaded('echoargs');
    m.ticks(1);
    check('NAME.wasm works too, argv[0] is the name', m.rows().includes('echoargs x'), m.text());
    check('serial has the status', m.k.log.includes('echoargs: exit status 2\n'), m.k.log);
  });

  group('launcher: libraries are found by import name, recursively, each once', () => {
    const m = boot(dir, archive);
    m.type('run usesmath\n');
    const c = m.loaded('usesmath');
    eq('instances in dependency order', c.instances.map((i) => i.name).join(), 'env,mathbase,mathlib,usesmath');
    m.ticks(1);
    check('the cross-instance calls worked', m.rows().includes('twice(21) = 42'), m.text());
  });

  group('launcher: a trapping program is reported with kind and function', () => {
    const m = boot(dir, archive);
    m.type('run boom\n');
    m.loaded('boom');
    m.ticks(1);
    const rows = m.rows();
    check('its output first', rows.includes('about to fail'), rows.join('\n'));
    check('the trap, kind and function name',
      rows.includes('boom: trapped in instance 1 (boom), function 4 (divide): integer divide by zero'),
      rows.join('\n'));
    eq('prompt back', m.last(), PROMPT.trimEnd());
    m.type('run boom &\n');
    m.loaded('boom');
    m.ticks(1);
    check('in the background: with its job id (on serial: the row wraps)',
      /\n\[\d+\] boom: trapped in instance 1 \(boom\), function 4 \(divide\): integer divide by zero\n/.test(m.k.log),
      m.k.log);
    m.type('echo alive\n');
    check('the shell goes on', m.rows().includes('alive'));
  });

  group('launcher: a library of a WASI command may not import env (it would get the layer\'s)', () => {
    const layer = wasm(`(module (func (export "proc_exit") (param i32)))`);
    const lib = wasm(`(module (import "env" "memory" (memory 1))
      (func (export "f") (result i32) (i32.const 7)))`);
    const cmd = wasm(`(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
      (import "wenvlib" "f" (func (result i32))) (memory 1) (func (export "_start")))`);
    const m = boot(dir, tar([files[0], ['wasi_snapshot_preview1.wasm', layer],
                             ['wenvlib.wasm', lib], ['wsneaky.wasm', cmd]]));
    m.type('run wsneaky\n');
    m.ticks(2);
    check('refused with the reason',
          m.k.log.includes('run: wsneaky: wenvlib imports from env but wsneaky does not: ' +
                           'it would share the WASI layer\'s'), m.k.log);
    eq('no component made', m.k.components.length, 1);
  });

  group('launcher: unknown programs and bad ones are refused cleanly', () => {
    const m = boot(dir, archive);
    const want = {
      'run nosuch': 'run: nosuch: no such program',
      'run mathlib': 'run: mathlib: mathlib.wasm exports neither atoll_start nor _start: not a program',
      'run lonely': 'run: lonely: lonely imports from nosuchlib, which is not among the programs',
      'run cyc1': 'run: cyc1: cyc1 imports itself (through cyc2)',
      'run junk': 'run: junk: junk.wasm: is not a Wasm module (bad header)',
      'run readme.txt': 'run: readme.txt: no such program',
      'run': 'usage: run [--dir DIR[::NAME]]... [NAME=value...] PROGRAM [ARGS...] [&]',
      'run &': 'usage: run [--dir DIR[::NAME]]... [NAME=value...] PROGRAM [ARGS...] [&]',
      'run ../hi': 'run: ../hi: no such program',
    };
    for (const [cmd, line] of Object.entries(want)) {
      m.clear();
      m.type(cmd + '\n');
      m.ticks(1);
      check(cmd, m.rows().includes(line), m.text());
      eq(`${cmd}: prompt back`, m.last(), PROMPT.trimEnd());
    }
    const live = m.k.components.filter((c) => c.id !== 1);
    check('every component made was dropped again (none queued)', live.every((c) => c.queue.length === 0));
    m.clear();
    m.type('ps\n');
    eq('no jobs left', m.rows().filter((r) => /^\s+\d+ /.test(r)).length, 1);
  });

  group('launcher: background job, ps, kill', () => {
    const m = boot(dir, archive);
    m.k.held.add('spinner');
    m.type('run spinner &\n');
    const c = m.k.components.at(-1);
    check('job id printed', m.rows().includes(`[${c.id}] spinner`), m.text());
    eq('the prompt comes back at once', m.last(), PROMPT.trimEnd());
    m.loaded('spinner');
    m.ticks(3);
    m.type('ps\n');
    const row = psRow(m, 'spinner');
    check('ps lists it running', row && /^\s*\d+\s+spinner\s+running\s/.test(row), m.text());
    check('ps: id', row && row.trimStart().startsWith(String(c.id)), row);
    check('ps: memory 1024 KiB (env\'s), 2 instances', row && /\s1024\s+2$/.test(row), row);
    check('ps lists the shell', !!psRow(m, 'userboot'), m.text());
    check('ps has a header', m.rows().some((r) => /ID\s+NAME\s+STATE\s+CPU ms\s+MEM KiB\s+INST/.test(r)), m.text());
    m.type('run hi &\n');
    m.loaded('hi');
    m.ticks(1);
    check('another job finishes meanwhile', /^\[\d+\] hi exited with status 0$/m.test(m.text()), m.text());
    check('with its output', m.rows().includes('hi there'), m.text());
    m.clear();
    m.type('kill 99\nkill 1\nkill x\n');
    check('kill: no such job', m.rows().includes('kill: no job or driver 99'), m.text());
    check('kill: not the shell', m.rows().includes('kill: 1 is the shell'), m.text());
    check('kill: usage', m.rows().some((r) => r.startsWith('usage: kill ID')), m.text());
    m.type(`kill ${c.id}\n`);
    eq('killed', c.state, KILLED);
    m.ticks(1);
    check('reported', m.rows().includes(`[${c.id}] spinner killed`), m.text());
    m.clear();
    m.type('ps\n');
    check('ps no longer lists it', !psRow(m, 'spinner'), m.text());
  });

  group('launcher: a foreground job blocks the prompt; Ctrl+C kills it', () => {
    const m = boot(dir, archive);
    m.k.held.add('spinner');
    m.type('run spinner\n');
    m.loaded('spinner');
    m.ticks(2);
    m.type('echo x\n');
    check('keys typed meanwhile are its input, echoed', m.rows().includes('echo x'), m.text());
    eq('sent on its input channel', m.k.queuedInput(m.k.components.at(-1)), 'echo x\n');
    m.keys(CTRL_C);
    m.ticks(1);
    const rows = m.rows();
    check('^C and the report', rows.includes('^C') && rows.includes('spinner: killed'), rows.join('\n'));
    eq('prompt back, the keys typed ahead dropped', m.last(), PROMPT.trimEnd());
    check('echo x did not run', !m.rows().includes('x'), m.text());
    m.type('echo back\n');
    check('the shell goes on', m.rows().includes('back'), m.text());
  });

  group('launcher: a start function that never returns: Ctrl+C, ps, kill', () => {
    const m = boot(dir, archive);
    m.k.heldAdds.add('stuck');
    m.type('run stuck\n');
    const c = m.k.components.at(-1);
    m.ticks(10);
    eq('loading: no prompt', m.last(), PROMPT + 'run stuck');
    eq('env added', c.instances.map((i) => i.name).join(), 'env');
    eq('stuck\'s add runs on', c.queue.map((q) => q.name).join(), 'stuck');
    m.type('echo x\n');
    check('keys typed meanwhile are its input', m.rows().includes('echo x'), m.text());
    m.keys(CTRL_C);
    eq('Ctrl+C kills it', c.state, KILLED);
    m.ticks(1);
    let rows = m.rows();
    check('^C and the report', rows.includes('^C') && rows.includes('stuck: killed'), rows.join('\n'));
    eq('prompt back', m.last(), PROMPT.trimEnd());
    check('echo x did not run', !rows.includes('x'), m.text());
    m.type('echo back\n');
    check('the shell goes on', m.rows().includes('back'), m.text());
    check('its handles were dropped', sdkHandles(m).every((h) => h === null || h.obj !== c));

    m.clear();
    m.type('run stuck &\n');
    const b = m.k.components.at(-1);
    check('in the background: its job id', m.rows().includes(`[${b.id}] stuck`), m.text());
    eq('...and the prompt at once', m.last(), PROMPT.trimEnd());
    m.ticks(5);
    m.type('ps\n');
    const row = psRow(m, 'stuck');
    check('ps shows it loading', row && /^\s*\d+\s+stuck\s+loading\s/.test(row), m.text());
    check('...with env added', row && /\s1$/.test(row), row);
    m.type('echo alive\n');
    check('the shell answers', m.rows().includes('alive'), m.text());
    m.type(`kill ${b.id}\n`);
    eq('kill ends it', b.state, KILLED);
    m.ticks(1);
    check('reported', m.rows().includes(`[${b.id}] stuck killed`), m.text());
    m.clear();
    m.type('ps\n');
    check('ps no longer lists it', !psRow(m, 'stuck'), m.text());
  });

  group('launcher: an add that fails is reported with the kernel\'s reason', () => {
    const m = boot(dir, archive);
    m.type('run usestrap\n');
    m.ticks(5);
    check('a library whose start function traps', m.k.log.includes(
      '\nrun: usestrap: traplib.wasm did not instantiate: start function trapped: unreachable\n'),
      m.k.log);
    eq('prompt back', m.last(), PROMPT.trimEnd());
    m.type('run badlink\n');
    m.ticks(5);
    check('a link error', /\nrun: badlink: badlink\.wasm did not instantiate: \S.*\n/.test(m.k.log),
      m.k.log);
    eq('prompt back', m.last(), PROMPT.trimEnd());
    m.type('run usestrap &\n');
    const b = m.k.components.at(-1);
    m.ticks(5);
    check('in the background: with its job id', m.k.log.includes(
      `\n[${b.id}] run: usestrap: traplib.wasm did not instantiate: start function trapped: unreachable\n`),
      m.k.log);
    check('the components were dropped', sdkHandles(m).every(
      (h) => h === null || h.obj.kind !== 3));
    m.clear();
    m.type('ps\n');
    eq('no jobs left', m.rows().filter((r) => /^\s+\d+ /.test(r)).length, 1);
  });

  group('launcher: keys typed during a foreground job are its input, not commands', () => {
    const m = boot(dir, archive);
    m.type('run echoargs 1\nrun hi\nech');
    const c = m.k.components.at(-1);
    eq('its input so far', m.k.queuedInput(c), 'run hi\n');
    m.loaded('echoargs');
    m.ticks(1);
    const rows = m.rows();
    check('the job ran and ended', rows.includes('echoargs: exit status 2'), rows.join('\n'));
    check('its input was not run as a command', !rows.includes('hi there'), rows.join('\n'));
    eq('the prompt is back, the unsent line gone', m.last(), PROMPT.trimEnd());
    m.type('echo done\n');
    check('the shell goes on', m.rows().includes('done'), m.text());
  });

  group('launcher: background output does not mix with the line being typed', () => {
    const m = boot(dir, archive);
    m.type('run hi &\n');
    m.type('echo half');
    m.loaded('hi');
    m.ticks(1);
    const rows = m.rows();
    check('output on its own row', rows.includes('hi there'), rows.join('\n'));
    eq('the typed line is shown again, last', m.last(), PROMPT + 'echo half');
    m.type('way\n');
    check('and still runs', m.rows().includes('halfway'), m.text());
    check('serial has no broken prompt line', !m.k.log.includes('atoll> echo halfhi'), m.k.log);
  });

  group('launcher: the console ring, wrapped, and a program that lies about head', () => {
    const m = boot(dir, archive);
    m.k.held.add('spinner');
    m.type('run spinner &\n');
    const c = m.loaded('spinner');
    const con = c.grants[0].obj.bytes;
    const dv = new DataView(con.buffer, con.byteOffset);
    // Write "line N\n" lines into the ring as a program would, past the wrap.
    let head = 0, sent = '';
    const write = (s) => {
      for (const ch of Buffer.from(s)) { con[CON.RING + (head % CON.RING_SIZE)] = ch; head = (head + 1) >>> 0; }
      sent += s;
      dv.setUint32(CON.HEAD, head, true);
    };
    let n = 0;
    while (head < CON.RING_SIZE - 100) write(`line ${n++}\n`);
    m.ticks(5);
    eq('drained all of it (tail = head)', dv.getUint32(CON.TAIL, true), head);
    write('across the end of the ring '.repeat(8) + '\n');
    write('after the wrap\n');
    m.ticks(1);
    eq('tail = head again', dv.getUint32(CON.TAIL, true), head);
    check('the wrapped line whole on serial', m.k.log.includes('across the end of the ring across'), m.k.log.slice(-300));
    check('the line after the wrap', m.rows().includes('after the wrap'), m.text());
    check('every line made it to serial', m.k.log.includes(`line ${n - 1}\n`) && m.k.log.includes('\nline 0\n'));
    // A head a long way ahead of tail: at most one ring's worth is shown.
    dv.setUint32(CON.HEAD, (head + 10 * CON.RING_SIZE) >>> 0, true);
    m.ticks(10);
    eq('tail caught up', dv.getUint32(CON.TAIL, true), (head + 10 * CON.RING_SIZE) >>> 0);
    dv.setUint32(CON.HEAD, (dv.getUint32(CON.TAIL, true) - 1) >>> 0, true); // head behind tail
    m.ticks(2);
    m.keys([]); m.type(`kill ${c.id}\n`);
    m.ticks(1);
    check('the job ends normally', m.rows().includes(`[${c.id}] spinner killed`), m.text());
    m.type('echo ok\n');
    check('the shell goes on', m.rows().includes('ok'));
  });

  group('launcher: history with Up and Down', () => {
    const m = boot(dir, archive);
    m.type('echo one\necho two\necho two\n');
    m.keys(UP);
    eq('Up: the last line', m.last(), PROMPT + 'echo two');
    m.keys(UP);
    eq('Up: the one before (duplicates kept once)', m.last(), PROMPT + 'echo one');
    m.keys(UP);
    eq('Up at the oldest: stays', m.last(), PROMPT + 'echo one');
    m.keys(DOWN);
    eq('Down', m.last(), PROMPT + 'echo two');
    m.keys(DOWN);
    eq('Down past the newest: the empty line', m.last(), PROMPT.trimEnd());
    m.type('ech');
    m.keys(UP);
    m.keys(DOWN);
    eq('the draft comes back', m.last(), PROMPT + 'ech');
    m.type('\b\b\b');
    m.keys(UP);
    m.keys(UP);
    m.type('!\n');
    check('a recalled line can be edited and run', m.rows().includes('one!'), m.text());
    m.keys(UP);
    eq('and it is the newest now', m.last(), PROMPT + 'echo one!');
    m.type('\b'.repeat(9));
    for (let i = 0; i < 20; i++) m.type(`echo ${i}\n`);
    m.clear();
    for (let i = 0; i < 30; i++) m.keys(UP);
    eq('16 lines are kept', m.last(), PROMPT + 'echo 5');
  });

  group('launcher (hostile): archives that are damaged', () => {
    const env = files[0], hi = files.find(([f]) => f === 'hi.wasm');
    const cases = [
      ['bad checksum on the second header', tar([env, [hi[0], hi[1], { sumDelta: 1 }]]), 'offset', 'bad header checksum', false],
      ['a size past the end', tar([env, [hi[0], hi[1], { size: octal(1 << 20, 12) }]], { end: false }), 'runs past the end', '', false],
      ['a size of 8 GiB', tar([env, [hi[0], hi[1], { size: '77777777777\0' }]]), 'runs past the end', '', false],
      ['a size that is not octal', tar([env, [hi[0], hi[1], { size: '00000009999\0' }]]), 'bad size field', '', false],
      ['a name without NUL', tar([env, ['x', hi[1], { rawName: Buffer.alloc(100, 0x61) }], hi]), 'name without NUL', '', true],
      ['not ustar', tar([env, [hi[0], hi[1], { magic: 'tar\0\0\0' }]]), 'not a ustar header', '', false],
      ['no end marker, padding cut', tar([env, hi], { end: false }).subarray(0, 512 * 2 + Math.ceil(env[1].length / 512) * 512 + hi[1].length), '', '', true],
      ['random bytes', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff)), 'not a ustar header', '', false],
      ['empty', Buffer.alloc(1), '', '', false],
    ];
    for (const [what, bytes, problem, problem2, hiOk] of cases) {
      const m = boot(dir, bytes);
      m.type('ls\n');
      const text = m.text();
      if (problem) check(`${what}: ls says why`, text.includes(problem) && text.includes(problem2), text);
      m.type('run hi\n');
      m.ticks(4);
      const ran = m.rows().includes('hi there');
      check(`${what}: hi ${hiOk ? 'runs' : 'is not run'}`, ran === hiOk, m.text());
      m.type('echo alive\n');
      check(`${what}: the shell goes on`, m.rows().includes('alive'), m.text());
    }
  });

  group('launcher (hostile): 150 archives with random bytes changed', () => {
    let seed = 4242; // xorshift: a failure repeats
    const next = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed >>> 0; };
    const small = tar(files.filter(([f]) => ['env.wasm', 'hi.wasm', 'usesmath.wasm', 'mathlib.wasm',
      'mathbase.wasm'].includes(f)));
    let ran = 0;
    for (let i = 0; i < 150; i++) {
      const bytes = Buffer.from(small);
      for (let n = 1 + (next() % 6); n > 0; n--) {
        // mostly headers and the modules' first bytes, where the readers look
        const at = next() % 3 ? (next() % 8) * 512 + (next() % 600) : next() % bytes.length;
        bytes[at % bytes.length] = next() & 0xff;
      }
      const m = boot(dir, bytes);
      m.type('ls\nrun usesmath\n');
      m.ticks(6);
      if (m.rows().includes('twice(21) = 42')) ran++;
      m.type('run hi\n');
      m.ticks(4);
      m.type('echo alive\n');
      if (!m.rows().includes('alive')) { check(`archive ${i}: the shell goes on`, false, m.text()); break; }
    }
    check('some of them still run', ran > 0, `${ran}`);
  });

  group('launcher (hostile): no archive, a null grant, a screen-only boot', () => {
    for (const [what, m] of [['null grant', boot(dir, null)], ['no grant', boot(dir, null, { grant: false })]]) {
      m.type('ls\n');
      check(`${what}: ls`, m.rows().includes('no programs in this image'), m.text());
      m.type('run hi\n');
      check(`${what}: run`, m.rows().includes('run: hi: this image has no programs'), m.text());
      eq(`${what}: prompt back`, m.last(), PROMPT.trimEnd());
    }
  });

  group('launcher (hostile): modules whose import section lies', () => {
    const env = files[0];
    const head = Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    const bad = {
      // import section claiming 2^32-1 imports, then nothing
      'many.wasm': Buffer.concat([head, Buffer.from([2, 5, 0xff, 0xff, 0xff, 0xff, 0x0f])]),
      // a section size past the end
      'long.wasm': Buffer.concat([head, Buffer.from([2, 0x80, 0x80, 0x04, 1])]),
      // a LEB128 that never ends
      'leb.wasm': Buffer.concat([head, Buffer.from([2, 6, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81])]),
      // a module name of 65 bytes
      'longname.wasm': Buffer.concat([head, Buffer.from([2, 70, 1, 65]), Buffer.alloc(65, 0x62), Buffer.from([1, 0x66, 0, 0])]),
      // a module name with a slash
      'slash.wasm': program(`(func (export "atoll_start") (result i32) (call $f))`, `(import "../etc" "f" (func $f (result i32)))`),
      'short.wasm': Buffer.from([0, 0x61, 0x73]),
    };
    const m = boot(dir, tar([env, ...Object.entries(bad)]));
    for (const name of Object.keys(bad)) {
      m.clear();
      m.type(`run ${name.replace('.wasm', '')}\n`);
      m.ticks(1);
      check(`${name}: refused`, m.rows().some((r) => r.startsWith(`run: ${name.replace('.wasm', '')}: `)), m.text());
      eq(`${name}: prompt back`, m.last(), PROMPT.trimEnd());
    }
    m.clear();
    m.type('ls\n');
    check('ls survives them', m.rows().length > 0 && m.last() === PROMPT.trimEnd(), m.text());
  });

  group('launcher (hostile): more jobs than the table holds', () => {
    const m = boot(dir, archive);
    m.k.held.add('spinner');
    for (let i = 0; i < 17; i++) m.type('run spinner &\n');
    check('the 17th is refused', m.rows().some((r) => r.startsWith('run: 16 jobs already run')), m.text());
    m.clear();
    m.type('ps\n');
    eq('16 jobs and the shell', m.rows().filter((r) => /^\s+\d+ /.test(r)).length, 17);
  });

  // The real examples (user/examples), when they have been built.
  const progDir = join(dir, 'programs');
  // WASI commands all: the archive carries the layer they run on.
  const examples = ['hello', 'pair', 'pairlib', 'spin', 'rust-hello', 'ping', 'stats',
                    'wasi_snapshot_preview1'];
  if (examples.every((e) => existsSync(join(progDir, `${e}.wasm`)))) {
    group('launcher: the examples of user/examples', () => {
      const arch = tar([files[0], ...examples.map((e) => [`${e}.wasm`, readFileSync(join(progDir, `${e}.wasm`))])]);
      const m = boot(dir, arch);
      m.type('run hello\n');
      m.ticks(4);
      check('hello', m.rows().includes('Hello, World!'), m.text());
      m.type('run pair\n');
      m.ticks(5);
      check('pair', m.rows().some((r) => r.includes('6 * 7 = 42')), m.text());
      m.type('run rust-hello\n');
      m.ticks(4);
      eq('rust-hello ends', m.last(), PROMPT.trimEnd());
      m.type('run stats 2 1\n');
      m.ticks(5);
      check('stats', m.rows().includes('min 1.00, median 1.50, mean 1.50, max 2.00, stddev 0.50'), m.text());
      // ping calls the kernel: planned env, the layer, its own env, ping.
      // (It then waits for the registry's answer inside one call, which
      // this one-threaded mock cannot serve: only the plan is checked.)
      m.type('run ping\n');
      m.ticks(6);
      const ping = m.k.components.find((c) => c.instances.some((i) => i.name === 'ping'));
      eq('ping: env, the layer, its own env, ping', ping && ping.instances.map((i) => i.name).join(','),
         'env,wasi_snapshot_preview1,env,ping');
      m.k.held.add('spin');
      m.type('run spin &\n');
      m.ticks(4);
      m.type('ps\n');
      check('spin running', /spin\s+running/.test(m.text()), m.text());
    });
  } else {
    console.log('skip launcher: the examples of user/examples (not built)');
  }
}
