// test_programs.mjs — make test-programs: the program model
// (user/sdk/program_abi.h, docs/programs.md) under the mock of the kernel.
//   node tests/user/test_programs.mjs BUILD/user
//
// Each program is launched as the shell launches it: from the programs
// archive, in a new component, env first, then the modules it imports from
// by name, then the program; its console (a memory area laid out as
// program_abi.h says) granted as handle 0. The examples are WASI commands
// on wasi-libc or Rust's std, run on the real WASI layer (user/wasi) with
// its start message; the tests of the freestanding runtime (programs_test,
// rust_ipc_test) are started at atoll_start. The launcher's side is played
// here: it reads the output ring and moves tail.
// Ends with "N passed, N failed".

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, isMainThread, workerData } from 'node:worker_threads';
import { Kernel, Handle, Vma, Module, Component, Endpoint, OK, ETRAPPED, EXITED } from './coral_mock.mjs';
import { wasmInfo, exportFuncType } from './wasm_info.mjs';
import { results, group, check, eq } from './harness.mjs';

// ---- The layout, read from the header itself ----

// program_abi.h's #defines, evaluated (values refer to earlier names).
function abiConstants() {
  const text = readFileSync(new URL('../../user/sdk/program_abi.h', import.meta.url), 'latin1');
  const c = {};
  for (const m of text.matchAll(/^#define[ \t]+(ATOLL_\w+)[ \t]+(.+?)[ \t]*(?:\/\*.*)?$/gm)) {
    let v = m[2].trim();
    if (v.startsWith('"')) { c[m[1]] = JSON.parse(v); continue; }
    v = v.replace(/\b(0x[0-9a-f]+|\d+)u\b/gi, '$1').replace(/\bATOLL_\w+\b/g, (n) => {
      if (!(n in c)) throw new Error(`program_abi.h: ${n} used before it is defined`);
      return String(c[n]);
    });
    if (!/^[\d\sx()+\-*a-f]+$/i.test(v)) throw new Error(`program_abi.h: cannot read ${m[1]}`);
    c[m[1]] = Function(`return (${v});`)();
  }
  return c;
}
const A = abiConstants();

// ---- The programs archive (ustar) ----

// { name: bytes } of a ustar archive; throws on anything but flat files.
function readTar(bytes) {
  const files = {};
  for (let off = 0; off + 512 <= bytes.length;) {
    const h = bytes.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a, n) => Buffer.from(h.subarray(a, a + n)).toString('latin1').replace(/\0.*$/s, '');
    if (str(257, 6) !== 'ustar') throw new Error(`tar: no ustar magic at ${off}`);
    const name = str(345, 155) ? `${str(345, 155)}/${str(0, 100)}` : str(0, 100);
    const size = parseInt(str(124, 12).trim(), 8);
    const type = String.fromCharCode(h[156] || 0x30);
    if (type !== '0') throw new Error(`tar: ${name} is not a plain file (type ${type})`);
    files[name] = bytes.slice(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

// ---- The launcher ----

// A kernel whose vma_write lets the test watch the console: a read of tail
// (the program waiting for room) and a write of head (the program
// publishing bytes) call the launcher's hooks first.
class WatchedKernel extends Kernel {
  coral(comp, info) {
    const imports = super.coral(comp, info);
    if (!imports) return imports;
    const write = imports.vma_write;
    imports.vma_write = (src, dst, srcOff, dstOff, len) => {
      const con = this.console;
      if (con && src === con.handle && srcOff === BigInt(A.ATOLL_CON_OFF_TAIL)) con.onTailRead(len);
      if (con && dst === con.handle) con.onWrite(src, srcOff, dstOff, len, this);
      return write(src, dst, srcOff, dstOff, len);
    };
    return imports;
  }
}

// A console memory area with these arguments; what the program wrote is
// collected in `out` as the launcher drains the ring.
class Console {
  // opts.ringLen: the ring's size (header and area); opts.bytes: a buffer
  // (a SharedArrayBuffer's view, for the spin test); opts.header: changes
  // to the header fields before the start.
  constructor(args, { ringLen = A.ATOLL_CON_RING_SIZE, bytes, header = {}, drain = 'full' } = {}) {
    this.bytes = bytes ?? new Uint8Array(A.ATOLL_CON_OFF_RING + ringLen);
    this.dv = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    this.handle = new Handle(new Vma(this.bytes));
    this.ringLen = ringLen;
    const block = Buffer.concat(args.map((a) => Buffer.concat([Buffer.from(a, 'utf8'), Buffer.from([0])])));
    if (block.length > A.ATOLL_CON_ARGS_MAX) throw new Error('arguments too long');
    this.bytes.set(block, A.ATOLL_CON_OFF_ARGS);
    const h = { magic: A.ATOLL_CON_MAGIC, argc: args.length, args_len: block.length,
                ring_len: ringLen, head: 0, tail: 0, ...header };
    this.set(A.ATOLL_CON_OFF_MAGIC, h.magic);
    this.set(A.ATOLL_CON_OFF_ARGC, h.argc);
    this.set(A.ATOLL_CON_OFF_ARGS_LEN, h.args_len);
    this.set(A.ATOLL_CON_OFF_RING_LEN, h.ring_len);
    this.set(A.ATOLL_CON_OFF_HEAD, h.head);
    this.set(A.ATOLL_CON_OFF_TAIL, h.tail);
    this.drainWhen = drain; // 'full': only when the ring is full; 'never'
    this.chunks = [];
    this.waits = 0;          // tail reads that found the ring full
    this.published = h.head; // head as the program last wrote it
    this.next = h.head;      // where its next ring write must start
    this.errors = [];        // protocol breaches the program made
  }
  get(off) { return this.dv.getUint32(off, true); }
  set(off, v) { this.dv.setUint32(off, v >>> 0, true); }
  get head() { return this.get(A.ATOLL_CON_OFF_HEAD); }
  get tail() { return this.get(A.ATOLL_CON_OFF_TAIL); }

  // The launcher's read: everything between tail and head, then tail = head.
  drain() {
    let tail = this.tail;
    const head = this.head;
    while (tail !== head) {
      this.chunks.push(this.bytes[A.ATOLL_CON_OFF_RING + (tail & (this.ringLen - 1))]);
      tail = (tail + 1) >>> 0;
    }
    this.set(A.ATOLL_CON_OFF_TAIL, tail);
  }
  get out() { this.drain(); return Buffer.from(this.chunks); }
  get text() { return this.out.toString('utf8'); }

  onTailRead(len) {
    if (len !== 4n) this.errors.push(`tail read of ${len} bytes`);
    if (((this.head - this.tail) >>> 0) === this.ringLen) {
      this.waits++;
      if (this.waits > 1e6) throw new Error('the program waits forever');
      // Drain at every third read that finds it full, so that the program
      // sees a full ring twice and must wait, as for a launcher's tick.
      if (this.drainWhen === 'full' && this.waits % 3 === 0) this.drain();
    }
  }

  // Every write into the console must go to the free part of the ring
  // right after what was written before, or be the one 4-byte head write;
  // a head write may publish only bytes already in the ring.
  onWrite(src, srcOff, dstOff, len, k) {
    const off = Number(dstOff), n = Number(len);
    if (off === A.ATOLL_CON_OFF_HEAD && n === 4) {
      const from = k.range(src, srcOff, 4n);
      if (!from) return;
      const head = new DataView(from.buffer, from.byteOffset, 4).getUint32(0, true);
      if (head !== this.next) this.errors.push(`head ${head} publishes to ${this.next}`);
      if (((head - this.tail) >>> 0) > this.ringLen) this.errors.push(`head ${head} past the ring`);
      this.published = head;
      return;
    }
    const at = A.ATOLL_CON_OFF_RING + (this.next & (this.ringLen - 1));
    if (off !== at || off + n > A.ATOLL_CON_OFF_RING + this.ringLen)
      this.errors.push(`write of ${n} bytes at ${off}, not at ${at} in the ring`);
    const used = (this.next - this.tail) >>> 0;
    if (n > this.ringLen - used) this.errors.push(`write of ${n} bytes with ${this.ringLen - used} free`);
    this.next = (this.next + n) >>> 0;
  }
}

// The launcher, as the shell's (user/userboot/programs.c): env first, then
// the modules the program imports from by name (but coral and env), from
// the archive as NAME.wasm, then the program. A WASI command (it exports
// _start) gets the WASI layer right after the first env, on that env; if
// it imports from env itself (it calls the kernel), a second env, its own,
// follows the layer. Its grants get a fourth, the layer's start channel,
// holding the start message: the magic, an empty environment and the
// program's memory. Returns
// { status, value, con, comp, k, deps }: status OK and the exit status
// when the entry returned or the program exited, ETRAPPED and the trap
// kind when it trapped.
function launch(files, name, args = [name], opts = {}) {
  const k = new WatchedKernel();
  const comp = new Component();
  k.components.push(comp);
  const con = opts.console ?? (opts.noConsole ? null : new Console(args, opts));
  comp.grants = opts.grants ?? (con ? [con.handle] : []);
  k.console = con;
  const mod = (n) => {
    if (!files[`${n}.wasm`]) throw new Error(`launch: no ${n}.wasm`);
    return new Module(files[`${n}.wasm`]);
  };
  const prog = mod(name);
  const wasi = exportFuncType(prog.info, A.ATOLL_WASI_ENTRY) && !exportFuncType(prog.info, A.ATOLL_ENTRY);
  const usesEnv = prog.info.imports.some((i) => i.module === 'env');
  const deps = [...new Set(prog.info.imports.map((i) => i.module))]
    .filter((m) => m !== 'coral' && m !== 'env' && m !== A.ATOLL_WASI_LAYER);
  let start = null;
  const plan = [['env', mod('env')]];
  if (wasi) {
    while (comp.grants.length < A.ATOLL_WASI_START_GRANT) comp.grants.push(null);
    [start, comp.grants[A.ATOLL_WASI_START_GRANT]] = channel();
    plan.push([A.ATOLL_WASI_LAYER, mod(A.ATOLL_WASI_LAYER)]);
    if (usesEnv) plan.push(['env', mod('env')]);
  }
  for (const [n, m] of [...plan, ...deps.map((d) => [d, mod(d)])]) {
    const [st] = k.addInstance(comp, m, n);
    if (st !== OK) throw new Error(`launch: adding ${n} failed: ${st}`);
  }
  const [st, index] = k.addInstance(comp, prog, name);
  if (st !== OK) throw new Error(`launch: adding ${name} failed: ${st}`);
  if (!wasi) {
    const [status, value] = k.call(comp.instances[index], A.ATOLL_ENTRY, 0n);
    return { status, value: Number(value), con, comp, k, deps };
  }
  // The start message (program_abi.h): the magic, the environment's
  // length (none), no preopened folders; its handle, the program's
  // memory, its own or its env's.
  const inst = comp.instances[index];
  const memExport = inst.info.exports.find((e) => e.kind === 'memory');
  const mem = memExport ? inst.instance.exports[memExport.name]
    : comp.instances.findLast((i) => i.name === 'env').instance.exports.memory;
  const msg = Buffer.concat([u32(A.ATOLL_WASI_START_MAGIC), u32(0), u32(A.ATOLL_WASI_TTY_ALL)]);
  start.peer.queue.push({ bytes: msg, handles: [new Handle(new Vma(mem))] });
  start.peer.bytes += msg.length;
  const [status, value] = k.call(inst, A.ATOLL_WASI_ENTRY, 0n, comp, index);
  if (comp.state === EXITED) return { status: OK, value: Number(comp.value), con, comp, k, deps };
  return { status, value: status === OK ? 0 : Number(value), con, comp, k, deps };
}

// What user/examples/vectors prints (tests/qemu/test_programs.py expects
// the same from the kernel).
const VECTORS_OUT = 'dot product 354.000, bytes 0x1b69, reversed "!DMIS olleh"\nvectors: all 3 agree\n';

const EXAMPLES = ['hello', 'rust-hello', 'pair', 'pairlib', 'spin', 'vectors', 'pingd', 'ping',
                  'upper', 'rust-upper', 'rust-ping', 'rust-pingd'];

// A channel as two endpoints, the launcher's end first: messages queued
// on the program's end (each { bytes, handles }) before it starts, and
// the launcher's end closed if `close` (end of input).
function channel(queued = [], close = false) {
  const mine = new Endpoint(), theirs = new Endpoint();
  mine.peer = theirs;
  theirs.peer = mine;
  for (const m of queued) {
    const bytes = Buffer.from(m.bytes ?? m);
    theirs.queue.push({ bytes, handles: m.handles ?? [] });
    theirs.bytes += bytes.length;
  }
  if (close) mine.closed = true;
  return [mine, new Handle(theirs)];
}
function u32(v) { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; }

// ---- The spin test's worker: launches spin on its own thread ----

if (!isMainThread) {
  const { dir, conBuf, flag } = workerData;
  const files = programFiles(dir);
  const f = new Int32Array(flag);
  try {
    launch(files, 'spin', ['spin'], { bytes: new Uint8Array(conBuf), drain: 'never' });
    Atomics.store(f, 0, 1); // returned: it should not
  } catch (e) {
    Atomics.store(f, 0, 2);
  }
} else {
  main(process.argv[2] ?? 'build/user');
}

function programFiles(dir) {
  const files = readTar(readFileSync(join(dir, 'programs.tar')));
  files['programs_test.wasm'] = readFileSync(join(dir, 'programs', 'programs_test.wasm'));
  files['rust_ipc_test.wasm'] = readFileSync(join(dir, 'programs', 'rust_ipc_test.wasm'));
  return files;
}

function sleep(ms) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); }

function main(dir) {
  let files;
  group('programs.tar: ustar, flat, env and every example', () => {
    const tar = readTar(readFileSync(join(dir, 'programs.tar')));
    for (const n of ['env', ...EXAMPLES]) check(`archive holds ${n}.wasm`, `${n}.wasm` in tar);
    for (const n of Object.keys(tar)) check(`${n}: a flat .wasm name`, /^[^/]+\.wasm$/.test(n));
    eq('env.wasm is the built shim', Buffer.compare(tar['env.wasm'], readFileSync(join(dir, 'env.wasm'))), 0);
    files = programFiles(dir);
  });
  if (!files) return finish();

  group('examples: WASI commands; env and its memory only for the kernel\'s calls', () => {
    // Programs that call the kernel (atoll.h, atoll.rs) import their
    // memory from their env; the others are plain WASI commands.
    const calls = ['ping', 'pingd', 'rust-ping', 'rust-pingd'];
    for (const n of ['hello', 'rust-hello', 'pair', 'spin', 'vectors', 'upper', 'rust-upper',
                     'stats', 'wasi-hello', ...calls]) {
      const info = wasmInfo(files[`${n}.wasm`]);
      const t = exportFuncType(info, A.ATOLL_WASI_ENTRY);
      check(`${n} exports _start() -> ()`, t && t.params.length === 0 && t.results.length === 0);
      check(`${n} does not export ${A.ATOLL_ENTRY}`, !exportFuncType(info, A.ATOLL_ENTRY));
      const mem = info.imports.find((i) => i.kind === 'memory');
      const mods = new Set(info.imports.map((i) => i.module));
      const want = [A.ATOLL_WASI_LAYER, ...(n === 'pair' ? ['pairlib'] : []),
                    ...(calls.includes(n) ? ['env'] : [])].sort();
      eq(`${n} imports from ${want.join(', ')}`, [...mods].sort().join(','), want.join(','));
      if (calls.includes(n)) {
        check(`${n} imports env.memory`, mem && mem.module === 'env' && mem.name === 'memory');
        check(`${n} asks for at most env's 16 pages`, mem && mem.memory.min <= 16);
      } else {
        check(`${n} has its own memory`, !mem && info.memories.length === 1);
      }
    }
    const lib = wasmInfo(files['pairlib.wasm']);
    eq('pairlib imports nothing', lib.imports.length, 0);
    check('pairlib has its own memory', lib.memories.length === 1 && !lib.memories[0].imported);
  });

  group('hello: greeting, arguments, status 0', () => {
    let r = launch(files, 'hello');
    eq('hello returns', r.status, OK);
    eq('exit status', r.value, 0);
    eq('output', r.con.text, 'Hello, World!\n');
    eq('no protocol breach', r.con.errors.join('; '), '');
    r = launch(files, 'hello', ['hello', 'one', 'two words', '']);
    eq('with arguments', r.con.text, 'Hello, World!\nargv[1] = one\nargv[2] = two words\nargv[3] = \n');
    eq('logged nothing', r.k.log, '');
  });

  group('rust-hello: std (Vec, format!) and arguments', () => {
    let r = launch(files, 'rust-hello');
    eq('returns', r.status, OK);
    eq('exit status', r.value, 0);
    eq('output', r.con.text, 'Hello from Rust!\nthe first 10 squares add up to 385\n');
    r = launch(files, 'rust-hello', ['rust-hello', 'a', 'é']);
    eq('with arguments', r.con.text,
       'Hello from Rust!\nthe first 10 squares add up to 385\narg 1: a\narg 2: é\n');
    r = launch(files, 'rust-hello', ['rust-hello', 'x'.repeat(40)], { ringLen: 16 });
    eq('through a 16-byte ring', r.con.text,
       `Hello from Rust!\nthe first 10 squares add up to 385\narg 1: ${'x'.repeat(40)}\n`);
    check('it waited for room', r.con.waits > 0);
    eq('no protocol breach', r.con.errors.join('; '), '');
    r = launch(files, 'rust-hello', [], { noConsole: true });
    eq('no console: to the log', r.k.log, 'Hello from Rust!\nthe first 10 squares add up to 385\n');
  });

  group('rust-upper: input in whole messages, upper-cased, until its end', () => {
    const long = 'x'.repeat(300) + '\n';  // longer than its 256-byte buffer
    const lines = ['abc\n', 'Hello World 42\n', long, 'é z\n'];
    const run = (name) => {
      const con = new Console([name], {});
      const [, input] = channel(lines, true);
      return launch(files, name, [name], { grants: [con.handle, null, input], console: con });
    };
    const r = run('rust-upper');
    eq('returns', r.status, OK);
    eq('exit status 0 at the end of input', r.value, 0);
    eq('output', r.con.text, 'ABC\nHELLO WORLD 42\n' + long.toUpperCase() + 'é Z\n');
    eq('the same as upper (C)', r.con.text, run('upper').con.text);
    eq('no protocol breach', r.con.errors.join('; '), '');
    const none = launch(files, 'rust-upper');
    eq('no input channel: status 1', none.value, 1);
    // The layer answers fd_read with no input channel EIO (29).
    eq('no input channel: says so', none.con.text, 'rust-upper: no input: I/O error (os error 29)\n');
  });

  group('rust-ping: looks up "ping" through the registry, sends, prints the answer', () => {
    // The registry's answer and pingd's echo are queued before it starts.
    const [pingd, conn] = channel(['hello world']);
    const [registry, reg] = channel([{ bytes: u32(0), handles: [conn] }]);
    const con = new Console(['rust-ping', 'hello', 'world'], {});
    let r = launch(files, 'rust-ping', ['rust-ping', 'hello', 'world'],
                   { grants: [con.handle, reg, null], console: con });
    eq('exit status', r.value, 0);
    check('output: pong and round trip', /^pong: hello world\nround trip: \d+ us\n$/.test(r.con.text));
    const req = registry.queue[0];
    eq('one request to the registry', registry.queue.length, 1);
    eq('request: LOOKUP "ping"', req && Buffer.concat([req.bytes]).toString('latin1'),
       u32(A.ATOLL_REG_LOOKUP).toString('latin1') + 'ping');
    eq('request: no handle', req && req.handles.length, 0);
    eq('pingd got the arguments', pingd.queue[0] && Buffer.from(pingd.queue[0].bytes).toString(), 'hello world');
    eq('it dropped its connection', pingd.peer.handles, 0);
    // nobody registered "ping"
    const [, reg2] = channel([{ bytes: u32(A.ATOLL_REG_NO_NAME) }]);
    const con2 = new Console(['rust-ping'], {});
    r = launch(files, 'rust-ping', ['rust-ping'], { grants: [con2.handle, reg2, null], console: con2 });
    eq('no service: status 1', r.value, 1);
    eq('no service: says so', r.con.text,
       'rust-ping: no service "ping" (not registered): start it with run pingd &\n');
  });

  group('rust_ipc_test: atoll.rs\'s channel, wait, rights and registry calls', () => {
    const r = launch(files, 'rust_ipc_test');
    eq('returns', r.status, OK);
    eq('no trap', r.comp.why, '');
    eq('output', r.con.text, 'rust_ipc_test: 33 checks, 0 failed\n');
    eq('exit status', r.value, 0);
  });

  group('rust-pingd: registers "ping", accepts a connection, echoes, ends with the registry', () => {
    // The registry is played by hooks on the queues (the mock has one
    // thread): a REGISTER is answered OK and followed by a CONNECT carrying
    // a connection with "hello" queued; once the echo is back, the
    // registry drops the service's channel, which ends rust-pingd.
    const [registry, reg] = channel();
    const [client, conn] = channel(['hello']);
    const requests = [];
    let listen = null;
    registry.queue.push = function (m) {
      requests.push(m);
      listen = m.handles[0];
      reg.obj.queue.push({ bytes: u32(A.ATOLL_REG_OK), handles: [] });
      reg.obj.bytes += 4;
      if (listen) {
        listen.obj.peer.queue.push({ bytes: u32(A.ATOLL_REG_CONNECT), handles: [conn] });
        listen.obj.peer.bytes += 4;
      }
      return Array.prototype.push.call(this, m);
    };
    client.queue.push = function (m) {
      if (listen && !listen.dropped) listen.drop();
      return Array.prototype.push.call(this, m);
    };
    const con = new Console(['rust-pingd'], {});
    let r = launch(files, 'rust-pingd', ['rust-pingd'], { grants: [con.handle, reg, null], console: con });
    eq('returns', r.status, OK);
    eq('exit status 0 when the registry is gone', r.value, 0);
    eq('output', r.con.text, 'rust-pingd: serving ping\n');
    eq('one request', requests.length, 1);
    eq('request: REGISTER "ping"', requests[0] && Buffer.from(requests[0].bytes).toString('latin1'),
       u32(A.ATOLL_REG_REGISTER).toString('latin1') + 'ping');
    eq('request: one handle, a channel', requests[0] && requests[0].handles.map((h) => h.obj.kind).join(), '4');
    eq('the client got its echo', client.queue[0] && Buffer.from(client.queue[0].bytes).toString(), 'hello');
    // the name is taken
    const [, reg2] = channel([{ bytes: u32(A.ATOLL_REG_TAKEN) }]);
    const con2 = new Console(['rust-pingd'], {});
    r = launch(files, 'rust-pingd', ['rust-pingd'], { grants: [con2.handle, reg2, null], console: con2 });
    eq('taken: status 1', r.value, 1);
    eq('taken: says so', r.con.text, 'rust-pingd: cannot register ping (2)\n');
  });

  group('stats: ordinary C on wasi-libc (malloc, qsort, printf %.2f, time)', () => {
    let r = launch(files, 'stats', ['stats', '3', '1.5', '2', '-4.25']);
    eq('exit status', r.value, 0);
    const lines = r.con.text.split('\n');
    eq('sorted', lines[0], '4 numbers: -4.25 1.50 2.00 3.00');
    eq('floats', lines[1], 'min -4.25, median 1.75, mean 0.56, max 3.00, stddev 2.83');
    check('the time', /^sorted in \d+ us; time\(\) says \d+ s$/.test(lines[2]), lines[2]);
    r = launch(files, 'stats', ['stats', '-n', '20000']);
    eq('20000 numbers: status', r.value, 0);
    check('20000 numbers: sorted, in order', /^20000 numbers: 0\.\d\d /.test(r.con.text), r.con.text);
    r = launch(files, 'stats', ['stats', 'x']);
    eq('not a number: status 2', r.value, 2);
    eq('...says so (stderr)', r.con.text, 'stats: not a number: x\n');
  });

  group('upper: stdin through the layer, until the end of input', () => {
    const con = new Console(['upper'], {});
    const [, input] = channel(['abc\n', 'é z\n'], true);
    const r = launch(files, 'upper', ['upper'], { grants: [con.handle, null, input], console: con });
    eq('exit status', r.value, 0);
    eq('output', r.con.text, 'ABC\né Z\n');
  });

  group('ping: a WASI command that calls the kernel has an env of its own', () => {
    const [, conn] = channel(['hi']);
    const [, reg] = channel([{ bytes: u32(0), handles: [conn] }]);
    const con = new Console(['ping', 'hi'], {});
    const r = launch(files, 'ping', ['ping', 'hi'], { grants: [con.handle, reg, null], console: con });
    eq('exit status', r.value, 0);
    check('pong', /^pong: hi\nround trip: \d+ us\n$/.test(r.con.text), r.con.text);
    eq('instances: env, the layer, env, ping', r.comp.instances.map((i) => i.name).join(','),
       `env,${A.ATOLL_WASI_LAYER},env,ping`);
    const [layerEnv, , ownEnv] = r.comp.instances.map((i) => i.instance.exports);
    check('its memory is its env\'s, not the layer\'s', ownEnv.memory !== layerEnv.memory);
    // A string of ping's data, never printed here: in its memory alone.
    const data = Buffer.from('start it with run pingd');
    check('ping\'s data is in its own memory', Buffer.from(ownEnv.memory.buffer).includes(data));
    check('...and not in the layer\'s', !Buffer.from(layerEnv.memory.buffer).includes(data));
  });

  group('vectors: built with -msimd128, vector and scalar sums agree', () => {
    const r = launch(files, 'vectors');
    eq('returns', r.status, OK);
    eq('exit status', r.value, 0);
    eq('output', r.con.text, VECTORS_OUT);
  });

  group('pair: a call across two instances of one component', () => {
    const r = launch(files, 'pair');
    eq('the launcher adds pairlib', r.deps.join(','), 'pairlib');
    eq('instances: env, the layer, pairlib, pair', r.comp.instances.map((i) => i.name).join(','),
       `env,${A.ATOLL_WASI_LAYER},pairlib,pair`);
    eq('returns', r.status, OK);
    eq('exit status', r.value, 0);
    eq('output', r.con.text,
       'pairlib says 6 * 7 = 42\npairlib says gcd(1071, 462) = 21\npairlib counted 2 calls\n');
    const [env, layer, lib, pair] = r.comp.instances.map((i) => i.instance.exports);
    check('pairlib\'s memory is its own', lib.memory !== env.memory && lib.memory !== pair.memory);
    check('pair\'s memory is its own, not the layer\'s', pair.memory && pair.memory !== env.memory &&
          !Object.values(layer).includes(pair.memory));
    eq('pairlib kept its count', lib.calls(), 2);
  });

  group('arguments: argc, argv[argc], the header\'s argc and block', () => {
    const t = (args, opts) => launch(files, 'programs_test', args, opts);
    let r = t(['programs_test', 'args', '', 'sp ace', 'ünï']);
    eq('all arguments', r.con.text, '[programs_test]\n[args]\n[]\n[sp ace]\n[ünï]\n');
    eq('status = argc, argv[argc] NULL', r.value, 5);
    r = t(['programs_test', 'args', 'x', 'y'], { header: { argc: 3 } });
    eq('header argc 3 of 4 strings', r.con.text, '[programs_test]\n[args]\n[x]\n');
    r = t(['programs_test', 'args', 'x'], { header: { argc: 50 } });
    eq('header argc past the strings: the strings', r.value, 3);
    r = t(['programs_test', 'args', 'abc'], { header: { args_len: 20 } });
    eq('block cut inside a string: whole strings', r.con.text, '[programs_test]\n[args]\n[a]\n');
    r = t(['programs_test', 'args', 'x'], { header: { args_len: A.ATOLL_CON_ARGS_MAX + 1 } });
    eq('block too long: argc 1, no name', r.value, 2);
    check('...its usage line', r.con.text.startsWith('programs_test: args'));
    r = t(['programs_test', 'args', 'x'], { header: { argc: 0 } });
    eq('argc 0', r.value, 2);
    check('...its usage line', r.con.text.startsWith('programs_test: args'));
    const many = Array.from({ length: 1000 }, (_, i) => String(i % 10));
    r = t(['programs_test', 'args', ...many]);
    eq('1002 arguments', r.value, 1002);
    eq('...all printed', r.con.text.split('\n').length, 1003);
  });

  group('exit status', () => {
    for (const [arg, want] of [['0', 0], ['42', 42], ['300', 300], ['2147483647', 2147483647]]) {
      const r = launch(files, 'programs_test', ['programs_test', 'exit', arg]);
      eq(`exit ${arg}`, r.value, want);
    }
    eq('main returning -1', launch(files, 'programs_test', ['programs_test', 'exit']).value, -1);
  });

  group('output: the ring wraps, fills and waits for the launcher', () => {
    // 64000 bytes through a 32 KiB ring drained only when full.
    let r = launch(files, 'programs_test', ['programs_test', 'flood', '1000']);
    const lines = r.con.text.split('\n');
    eq('1000 lines and the end', lines.length, 1001);
    check('every line in order', lines.slice(0, 1000).every((l, i) =>
      l === `line ${String(i).padStart(6)} ${'.'.repeat(51)}`), lines[999]);
    check('it waited for room', r.con.waits > 0);
    eq('head counts every byte', r.con.head, 64000);
    eq('no protocol breach', r.con.errors.join('; '), '');
    // Exact bytes, a ring of 64, pieces of 4096 split around the wrap.
    r = launch(files, 'programs_test', ['programs_test', 'bytes', '10000'], { ringLen: 64 });
    const out = r.con.out;
    eq('10000 bytes', out.length, 10000);
    check('in order', out.every((b, i) => b === i % 251));
    eq('no protocol breach', r.con.errors.join('; '), '');
    // head and tail near 2^32: the counters wrap too.
    r = launch(files, 'programs_test', ['programs_test', 'bytes', '300'],
               { ringLen: 128, header: { head: 0xffffff80, tail: 0xffffff80 } });
    eq('across head = 2^32', r.con.out.length, 300);
    check('...in order', r.con.out.every((b, i) => b === i % 251));
    eq('head wrapped', r.con.head, (0xffffff80 + 300) >>> 0);
    // printf has no length limit.
    r = launch(files, 'programs_test', ['programs_test', 'printf']);
    eq('a 612-byte printf', r.con.text, `start|${'0'.repeat(598)}42|end\n`);
  });

  group('output: no console means the serial log', () => {
    let r = launch(files, 'hello', [], { noConsole: true });
    eq('no grant: status', r.value, 0);
    eq('no grant: log', r.k.log, 'Hello, World!\n');
    r = launch(files, 'programs_test', ['x'], { grants: [new Handle(new Vma(new Uint8Array(4000)))], noConsole: true });
    eq('a screen, not a console: no arguments', r.value, 2);
    check('...usage to the log', r.k.log.startsWith('programs_test: args'));
    for (const [what, header, ringLen] of [['bad magic', { magic: 0x12345678 }],
      ['ring length 0', { ring_len: 0 }], ['ring length 100', { ring_len: 100 }],
      ['ring past the area', { ring_len: 2 * A.ATOLL_CON_RING_SIZE }], ['ring 64 in 64', {}, 64]]) {
      r = launch(files, 'programs_test', ['programs_test', 'console'], { header, ringLen });
      const log = r.k.log, text = r.con.text;
      if (what === 'ring 64 in 64') eq(`${what}: a console`, text, 'console=1\n');
      else check(`${what}: the log, and no arguments`, log.startsWith('programs_test: args') && text === '',
                 `${log}|${text}`);
    }
  });

  group('trap: output before it is kept, the trap kind is reported', () => {
    const r = launch(files, 'programs_test', ['programs_test', 'trap']);
    eq('status: trapped', r.status, ETRAPPED);
    eq('kind: integer divide by zero', r.value, 3);
    eq('the line before it', r.con.text, 'about to divide by zero\n');
  });

  group('spin: prints its line, then loops (on a thread of its own)', () => {
    const conBuf = new SharedArrayBuffer(A.ATOLL_CON_SIZE);
    const flag = new SharedArrayBuffer(4);
    const con = new Uint8Array(conBuf);
    const dv = new DataView(conBuf);
    const worker = new Worker(new URL(import.meta.url), { workerData: { dir, conBuf, flag } });
    // The worker writes the header itself; wait for spin's line.
    let text = '';
    for (let t = 0; t < 200 && !text.includes('\n'); t++) {
      sleep(25);
      const head = dv.getUint32(A.ATOLL_CON_OFF_HEAD, true);
      text = Buffer.from(con.subarray(A.ATOLL_CON_OFF_RING, A.ATOLL_CON_OFF_RING + head)).toString();
    }
    eq('its line', text, 'spin: looping forever (kill me)\n');
    sleep(300);
    eq('still running 300 ms later', Atomics.load(new Int32Array(flag), 0), 0);
    worker.terminate();
  });

  finish();
}

function finish() {
  console.log(`${results.passed} passed, ${results.failed} failed`);
  process.exit(results.failed ? 1 : 0);
}
