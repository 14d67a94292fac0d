// test_env.mjs — the SDK shim (env.wasm) on its own: its handle table, the
// checks it makes before calling the kernel, and each call's results.

import { Kernel, Handle, Vma, Module, Component, OK, EINVAL, EINTERNAL, ETRAPPED, ERIGHTS,
         EBUSY, KIND_IOPORTS, KIND_IRQ, KIND_WAITSET, RIGHT_WRITE, RIGHT_DUPLICATE,
         SIGNAL_READABLE, TRAPPED, READY_ROUNDS, rootPorts, rootIrqs } from './coral_mock.mjs';
import { group, check, eq, loadWasm, wat } from './harness.mjs';

// A fresh kernel and an env instance with these grants; the shim's exports,
// its memory as bytes, and helpers to read out values.
function setup(dir, grants = [], tableMin) {
  const k = new Kernel();
  const comp = new Component();
  comp.grants = grants;
  const mod = new Module(loadWasm(dir, 'env.wasm'));
  if (tableMin !== undefined) mod.info.imports.find((i) => i.name === 'handles').table.min = tableMin;
  const [st, idx] = k.addInstance(comp, mod, 'env');
  if (st !== OK) throw new Error(`env.wasm did not instantiate: ${st}`);
  const x = comp.instances[idx].instance.exports;
  const mem = () => new Uint8Array(x.memory.buffer);
  const dv = () => new DataView(x.memory.buffer);
  const OUT = 1024; // scratch out-pointer address
  return {
    k, comp, x, mem, OUT,
    i32: (p = OUT) => dv().getInt32(p, true),
    i64: (p = OUT) => dv().getBigInt64(p, true),
    setI32: (v, p = OUT) => dv().setInt32(p, v, true),
    put: (p, data) => mem().set(data, p), // bytes into the shim's memory
  };
}

const vma = (n) => new Handle(new Vma(new Uint8Array(n)));

export function run(dir) {
  group('env: exports and memory', () => {
    const { x } = setup(dir);
    const want = ['memory', 'sdk_handles', 'atoll_handle_count', 'atoll_handle_kind',
      'atoll_handle_drop', 'atoll_vma_write', 'atoll_module_create',
      'atoll_component_create', 'atoll_component_add_instance', 'atoll_vma_create',
      'atoll_vma_size', 'atoll_clock_ns', 'atoll_log_write', 'atoll_sys_info',
      'atoll_component_grant', 'atoll_component_add_named', 'atoll_component_call',
      'atoll_component_start', 'atoll_component_add_start', 'atoll_component_status',
      'atoll_component_kill',
      'atoll_component_info', 'atoll_component_describe'];
    for (const name of want) check(`env exports ${name}`, name in x);
    eq('memory is 16 pages', x.memory.buffer.byteLength, 16 * 65536);
  });

  group('env: SDK table = own memory, then the grants', () => {
    const a = vma(10), b = vma(20);
    const e = setup(dir, [a, b]);
    eq('count', e.x.atoll_handle_count(), 3);
    eq('slot 0 is a VMA', e.x.atoll_handle_kind(0), 1);
    eq('slot 0 is this memory', e.x.atoll_vma_size(0, e.OUT), OK);
    eq('slot 0 size', e.i64(), 16n * 65536n);
    eq('slot 1 = grant 0', e.x.sdk_handles.get(1), a);
    eq('slot 2 = grant 1', e.x.sdk_handles.get(2), b);
    eq('past the end: -1', e.x.atoll_handle_kind(3), -1);
    eq('negative: -1', e.x.atoll_handle_kind(-1), -1);
    eq('huge: -1', e.x.atoll_handle_kind(0x7fffffff), -1);
  });

  group('env: a null among grants keeps indices, trailing nulls are not copied', () => {
    const a = vma(1), b = vma(2);
    const e = setup(dir, [a, null, b, null, null]);
    eq('count', e.x.atoll_handle_count(), 4);
    eq('slot 2 is the null grant', e.x.atoll_handle_kind(2), 0);
    eq('slot 3 = grant 2', e.x.sdk_handles.get(3), b);
  });

  group('env: no grants, and a handles table bigger than the grants', () => {
    eq('no grants: count 1', setup(dir).x.atoll_handle_count(), 1);
    eq('min 8, 1 grant: count 2', setup(dir, [vma(1)], 8).x.atoll_handle_count(), 2);
  });

  group('env: vma_create, vma_size, vma_write', () => {
    const e = setup(dir);
    e.setI32(-7);
    eq('vma_create(0) refused', e.x.atoll_vma_create(0n, e.OUT), EINVAL);
    eq('...out untouched', e.i32(), -7);
    eq('vma_create(64 MiB + 1) refused', e.x.atoll_vma_create((64n << 20n) + 1n, e.OUT), EINVAL);
    eq('vma_create(100)', e.x.atoll_vma_create(100n, e.OUT), OK);
    const h = e.i32();
    eq('new handle appended', h, 1);
    eq('its kind', e.x.atoll_handle_kind(h), 1);
    eq('vma_size', e.x.atoll_vma_size(h, e.OUT), OK);
    eq('vma_size value', e.i64(), 100n);
    e.put(2000, [1, 2, 3, 4]);
    eq('vma_write self -> vma', e.x.atoll_vma_write(0, h, 2000n, 96n, 4n), OK);
    eq('copied', Array.from(e.x.sdk_handles.get(h).obj.bytes.slice(96)).join(), '1,2,3,4');
    eq('vma_write past the end', e.x.atoll_vma_write(0, h, 2000n, 97n, 4n), EINVAL);
    eq('vma_write negative offset', e.x.atoll_vma_write(0, h, -1n, 0n, 4n), EINVAL);
    eq('vma_write bad index', e.x.atoll_vma_write(0, 99, 0n, 0n, 1n), EINVAL);
    eq('vma_size bad index', e.x.atoll_vma_size(99, e.OUT), EINVAL);
  });

  group('env: out pointers are checked before the kernel is called', () => {
    const e = setup(dir);
    const end = 16 * 65536;
    const before = e.k.calls.vma_create ?? 0;
    eq('out at the last 2 bytes', e.x.atoll_vma_create(8n, end - 2), EINVAL);
    eq('out past memory', e.x.atoll_vma_create(8n, -4), EINVAL);
    eq('kernel not called', e.k.calls.vma_create ?? 0, before);
    eq('nothing added', e.x.atoll_handle_count(), 1);
    eq('out in the last 4 bytes is fine', e.x.atoll_vma_create(8n, end - 4), OK);
    eq('i64 out needs 8 bytes', e.x.atoll_vma_size(0, end - 4), EINVAL);
    eq('component_create out past memory', e.x.atoll_component_create(end), EINVAL);
    eq('component_call out past memory', e.x.atoll_component_call(0, 0, 0, 0n, 1n, 0n, end - 7), EINVAL);
  });

  group('env: device capabilities (ports latched, as the hosted build)', () => {
    const e = setup(dir, [rootPorts(), rootIrqs()]);
    const P = 1, Q = 2;   // the grants' SDK indices
    eq('port root kind', e.x.atoll_handle_kind(P), KIND_IOPORTS);
    eq('line root kind', e.x.atoll_handle_kind(Q), KIND_IRQ);
    eq('the RTC range', e.x.atoll_ioport_range(P, 0x70, 2, e.OUT), OK);
    const rtc = e.i32();
    eq('a byte out', e.x.atoll_port_out(rtc, 0x71, 1, 0x1a5), OK);
    eq('and back in', e.x.atoll_port_in(rtc, 0x71, 1, e.OUT), OK);
    eq('its low byte', e.i32(), 0xa5);
    eq('a width of 3', e.x.atoll_port_in(rtc, 0x70, 3, e.OUT), EINVAL);
    eq('past the range', e.x.atoll_port_in(rtc, 0x71, 2, e.OUT), ERIGHTS);
    eq('wider than its parent', e.x.atoll_ioport_range(rtc, 0x70, 3, e.OUT), ERIGHTS);
    eq('COM1, the kernel\'s', e.x.atoll_ioport_range(P, 0x3f8, 8, e.OUT), ERIGHTS);
    eq('port_in out pointer past memory', e.x.atoll_port_in(rtc, 0x70, 1, -4), EINVAL);
    eq('line 8', e.x.atoll_irq_line(Q, 8, e.OUT), OK);
    const q = e.i32();
    eq('line 8 again', e.x.atoll_irq_line(Q, 8, e.OUT), EBUSY);
    eq('the timer\'s line', e.x.atoll_irq_line(Q, 0, e.OUT), ERIGHTS);
    eq('ack', e.x.atoll_irq_ack(q, e.OUT), OK);
    eq('no interrupt taken', e.i64(), 0n);
    eq('ack on the set', e.x.atoll_irq_ack(Q, e.OUT), EINVAL);
    eq('ack out pointer needs 8 bytes', e.x.atoll_irq_ack(q, 16 * 65536 - 4), EINVAL);
    eq('drop the line', e.x.atoll_handle_drop(q), OK);
    eq('line 8 free again', e.x.atoll_irq_line(Q, 8, e.OUT), OK);
  });

  group('env: events_watch refusals (the shim, then the kernel)', () => {
    const e = setup(dir);
    const called = () => e.k.calls.events_watch ?? 0;
    eq('an index past the table', e.x.atoll_events_watch(99), EINVAL);
    eq('-2', e.x.atoll_events_watch(-2), EINVAL);
    eq('...the kernel not called', called(), 0);
    eq('-1 (null): stop, nothing watched', e.x.atoll_events_watch(-1), OK);
    eq('...the kernel called', called(), 1);
    eq('waitset_create', e.x.atoll_waitset_create(e.OUT), OK);
    const ws = e.i32();
    eq('its kind', e.x.atoll_handle_kind(ws), KIND_WAITSET);
    eq('no ready export in the component', e.x.atoll_events_watch(ws), EINVAL);
    eq('...nothing watched', e.comp.watch, null);
    eq('not a wait set (own memory)', e.x.atoll_events_watch(0), EINVAL);
    eq('a copy without wait', e.x.atoll_handle_duplicate(ws, RIGHT_WRITE | RIGHT_DUPLICATE, e.OUT), OK);
    eq('...refused for the right', e.x.atoll_events_watch(e.i32()), ERIGHTS);
    eq('drop the set', e.x.atoll_handle_drop(ws), OK);
    const before = called();
    eq('a dropped slot is refused (the kernel would read it as -1)', e.x.atoll_events_watch(ws), EINVAL);
    eq('...the kernel not called', called(), before);

    const wrong = setup(dir);
    const odd = wat(`(module (func (export "ready") (param i32)))`);
    eq('a ready of another type', wrong.k.addInstance(wrong.comp, new Module(odd), undefined)[0], OK);
    wrong.x.atoll_waitset_create(wrong.OUT);
    eq('...refused', wrong.x.atoll_events_watch(wrong.i32()), EINVAL);
  });

  group('env: events_watch calls ready(key, signals) for each ready entry', () => {
    const e = setup(dir);
    // A program on the shim: a channel, end a watched for readable under
    // key 42; ready counts its calls, keeps the last key and signals, and
    // reads one message unless told to skip some calls.
    const prog = wat(`(module
      (import "env" "memory" (memory 1))
      (import "env" "atoll_channel_create" (func $cc (param i32 i32) (result i32)))
      (import "env" "atoll_channel_write"
        (func $cw (param i32 i32 i64 i64 i32 i32 i32 i32) (result i32)))
      (import "env" "atoll_channel_read"
        (func $cr (param i32 i32 i64 i64 i32 i32 i32 i32 i32 i32) (result i32)))
      (import "env" "atoll_waitset_create" (func $wc (param i32) (result i32)))
      (import "env" "atoll_waitset_add" (func $wa (param i32 i32 i32 i64) (result i32)))
      (import "env" "atoll_events_watch" (func $ew (param i32) (result i32)))
      (import "env" "atoll_handle_drop" (func $hd (param i32) (result i32)))
      (global $calls (mut i32) (i32.const 0))
      (global $key (mut i64) (i64.const 0))
      (global $sig (mut i32) (i32.const 0))
      (global $skip (mut i32) (i32.const 0))
      (func (export "setup") (result i32)
        (drop (call $cc (i32.const 0x100) (i32.const 0x104)))
        (drop (call $wc (i32.const 0x108)))
        (drop (call $wa (i32.load (i32.const 0x108)) (i32.load (i32.const 0x100))
                        (i32.const 1) (i64.const 42)))
        (call $ew (i32.load (i32.const 0x108))))
      (func (export "send") (result i32)
        (call $cw (i32.load (i32.const 0x104)) (i32.const 0) (i64.const 0x200) (i64.const 3)
                  (i32.const -1) (i32.const -1) (i32.const -1) (i32.const -1)))
      (func (export "watch") (param i32) (result i32) (call $ew (local.get 0)))
      (func (export "watched") (result i32) (i32.load (i32.const 0x108)))
      (func (export "drop_set") (result i32) (call $hd (i32.load (i32.const 0x108))))
      (func (export "skip") (param i32) (global.set $skip (local.get 0)))
      (func (export "calls") (result i32) (global.get $calls))
      (func (export "key") (result i64) (global.get $key))
      (func (export "sig") (result i32) (global.get $sig))
      (func (export "ready") (param $k i64) (param $s i32)
        (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
        (global.set $key (local.get $k))
        (global.set $sig (local.get $s))
        (if (global.get $skip)
          (then (global.set $skip (i32.sub (global.get $skip) (i32.const 1))) (return)))
        (drop (call $cr (i32.load (i32.const 0x100)) (i32.const 0) (i64.const 0x300) (i64.const 64)
                        (i32.const 0x400) (i32.const 0x408) (i32.const 0x40c) (i32.const 0x410)
                        (i32.const 0x414) (i32.const 0x418)))))`);
    const [st, idx] = e.k.addInstance(e.comp, new Module(prog), undefined);
    eq('the program links to the shim', st, OK);
    // p: calls as the kernel's events, each followed by ready; r: the
    // program's exports called bare (reading its counters delivers nothing).
    const r = e.comp.instances[idx].instance.exports;
    const p = e.k.drive(e.comp, r);
    eq('watch', p.setup(), OK);
    eq('nothing ready, no call', r.calls(), 0);
    eq('a message to end a', p.send(), OK);
    eq('ready called once (it read the message)', r.calls(), 1);
    eq('...with the entry\'s key', r.key(), 42n);
    check('...and readable among the signals', (r.sig() & SIGNAL_READABLE) !== 0, `signals ${r.sig()}`);
    p.skip(1);
    eq('another message', p.send(), OK);
    eq('level-triggered: still ready after a call that did not read, called again', r.calls(), 3);
    p.skip(1000);
    p.send();
    eq('a ready that never reads: bounded here', r.calls(), 3 + READY_ROUNDS);
    p.skip(0);
    eq('the next return of its code: called again, reads it', r.calls(), 4 + READY_ROUNDS);
    const n = r.calls();
    const set = r.watched();
    eq('drop the set\'s handle', p.drop_set(), OK);
    eq('...a message', p.send(), OK);
    eq('...still watched: ready called', r.calls(), n + 1);
    eq('an empty set', e.x.atoll_waitset_create(e.OUT), OK);
    const empty = e.i32();
    eq('...watched instead', p.watch(empty), OK);
    eq('...a message', p.send(), OK);
    eq('...the new watch replaced the old: not reported', r.calls(), n + 1);
    eq('stop with -1', p.watch(-1), OK);
    eq('...nothing watched', e.comp.watch, null);
    eq('...ready not called', r.calls(), n + 1);
    eq('the dropped set\'s slot cannot be watched again', p.watch(set), EINVAL);

    // A started call (a request, Kernel.step) is followed by ready too.
    const w = wat(`(module
      (import "env" "memory" (memory 1))
      (import "env" "atoll_channel_create" (func $cc (param i32 i32) (result i32)))
      (import "env" "atoll_channel_write"
        (func $cw (param i32 i32 i64 i64 i32 i32 i32 i32) (result i32)))
      (import "env" "atoll_waitset_create" (func $wc (param i32) (result i32)))
      (import "env" "atoll_waitset_add" (func $wa (param i32 i32 i32 i64) (result i32)))
      (import "env" "atoll_events_watch" (func $ew (param i32) (result i32)))
      (global $calls (mut i32) (i32.const 0))
      (func (export "setup") (result i32)
        (drop (call $cc (i32.const 0x100) (i32.const 0x104)))
        (drop (call $wc (i32.const 0x108)))
        (drop (call $wa (i32.load (i32.const 0x108)) (i32.load (i32.const 0x100))
                        (i32.const 1) (i64.const 7)))
        (drop (call $cw (i32.load (i32.const 0x104)) (i32.const 0) (i64.const 0x200)
                        (i64.const 1) (i32.const -1) (i32.const -1) (i32.const -1) (i32.const -1)))
        (call $ew (i32.load (i32.const 0x108))))
      (func (export "calls") (result i32) (global.get $calls))
      (func (export "ready") (param i64 i32)
        (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
        (if (i32.ge_u (global.get $calls) (i32.const 2)) (then unreachable))))`);
    const e2 = setup(dir);
    const [st2, i2] = e2.k.addInstance(e2.comp, new Module(w), undefined);
    eq('a second program', st2, OK);
    e2.comp.queue.push({ inst: i2, name: 'setup', arg: 0n });
    e2.k.components.push(e2.comp);
    e2.k.step();
    eq('...then ready, until a trap in it ended the component', e2.comp.instances[i2].instance.exports.calls(), 2);
    eq('...trapped', e2.comp.state, TRAPPED);
    eq('...unreachable', e2.comp.value, 1n);
    eq('...and the watch with it', e2.comp.watch, null);
  });

  group('env: handle_drop', () => {
    const e = setup(dir);
    e.x.atoll_vma_create(8n, e.OUT);
    const h = e.i32();
    eq('drop', e.x.atoll_handle_drop(h), OK);
    eq('slot empty', e.x.atoll_handle_kind(h), 0);
    eq('drop again: invalid', e.x.atoll_handle_drop(h), EINVAL);
    eq('drop past the end', e.x.atoll_handle_drop(99), EINVAL);
    e.x.atoll_vma_create(8n, e.OUT);
    check('indices are not reused', e.i32() === h + 1, `got ${e.i32()}`);
  });

  group('env: module_create, component_*, component_call', () => {
    const e = setup(dir);
    const lib = wat(`(module
      (func (export "seven") (result i64) (i64.const 7))
      (func (export "neg") (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
      (func (export "div0") (result i32) (i32.div_s (i32.const 1) (i32.const 0))))`);
    e.put(4096, lib);
    const str = (p, s) => { e.put(p, Buffer.from(s)); return [BigInt(p), BigInt(s.length)]; };
    eq('module_create of junk', e.x.atoll_module_create(0, 4097n, 10n, e.OUT), EINVAL);
    eq('module_create out of bounds', e.x.atoll_module_create(0, BigInt(16 * 65536 - 4), 10n, e.OUT), EINVAL);
    eq('module_create', e.x.atoll_module_create(0, 4096n, BigInt(lib.length), e.OUT), OK);
    const mod = e.i32();
    eq('module kind', e.x.atoll_handle_kind(mod), 2);
    eq('component_create', e.x.atoll_component_create(e.OUT), OK);
    const comp = e.i32();
    eq('component kind', e.x.atoll_handle_kind(comp), 3);
    eq('add_instance with swapped handles', e.x.atoll_component_add_instance(mod, comp, e.OUT), EINVAL);
    eq('add_instance', e.x.atoll_component_add_instance(comp, mod, e.OUT), OK);
    eq('instance 0', e.i32(), 0);
    const call = (name, arg = 0n, inst = 0) => {
      const [off, len] = str(8192, name);
      return e.x.atoll_component_call(comp, inst, 0, off, len, arg, e.OUT);
    };
    eq('call seven', call('seven'), OK);
    eq('seven = 7', e.i64(), 7n);
    eq('call neg(5)', call('neg', 5n), OK);
    eq('neg(5) = -5, sign-extended', e.i64(), -5n);
    eq('call div0', call('div0'), ETRAPPED);
    eq('trap kind 3', e.i64(), 3n);
    eq('call missing export', call('nope'), EINVAL);
    eq('call bad instance', call('seven', 0n, 5), EINVAL);

    // A second module that imports the first by name.
    const user = wat(`(module
      (import "lib" "seven" (func $seven (result i64)))
      (func (export "fourteen") (result i64) (i64.add (call $seven) (call $seven))))`);
    e.put(12288, user);
    eq('module_create user', e.x.atoll_module_create(0, 12288n, BigInt(user.length), e.OUT), OK);
    const umod = e.i32();
    eq('add_instance: unresolved import', e.x.atoll_component_add_instance(comp, umod, e.OUT), EINVAL);
    const [noff, nlen] = str(8192, 'lib');
    eq('add_named with empty name', e.x.atoll_component_add_named(comp, mod, 0, noff, 0n, e.OUT), EINVAL);
    eq('add_named lib', e.x.atoll_component_add_named(comp, mod, 0, noff, nlen, e.OUT), OK);
    eq('instance 1', e.i32(), 1);
    eq('add_instance user', e.x.atoll_component_add_instance(comp, umod, e.OUT), OK);
    eq('instance 2', e.i32(), 2);
    eq('call fourteen', call('fourteen', 0n, 2), OK);
    eq('fourteen = 14', e.i64(), 14n);

    eq('grant', e.x.atoll_component_grant(comp, 0, e.OUT), OK);
    eq('grant index 0', e.i32(), 0);
    eq('grant bad handle', e.x.atoll_component_grant(comp, 77, e.OUT), EINVAL);
  });

  group('env: component_start, status, info, describe, kill', () => {
    const e = setup(dir);
    const prog = wat(`(module
      (func (export "five") (result i32) (i32.const 5))
      (func (export "div0") (result i32) (i32.div_s (i32.const 1) (i32.const 0)))
      (func (export "f32") (result f32) (f32.const 1)))`);
    e.put(4096, prog);
    const str = (p, s) => { e.put(p, Buffer.from(s)); return [BigInt(p), BigInt(s.length)]; };
    e.x.atoll_module_create(0, 4096n, BigInt(prog.length), e.OUT);
    const mod = e.i32();
    const fresh = () => {
      e.x.atoll_component_create(e.OUT);
      const c = e.i32();
      e.x.atoll_component_add_instance(c, mod, e.OUT);
      return c;
    };
    const start = (c, name, inst = 0) => { const [o, l] = str(8192, name); return e.x.atoll_component_start(c, inst, 0, o, l, 0n); };
    const comp = fresh();
    eq('status before any start: idle', e.x.atoll_component_status(comp, e.OUT), 0);
    eq('...value 0', e.i64(), 0n);
    eq('start five', start(comp, 'five'), OK);
    eq('status: running (queued)', e.x.atoll_component_status(comp, e.OUT), 1);
    e.k.step();
    eq('status after it ran: idle', e.x.atoll_component_status(comp, e.OUT), 0);
    eq('...with its result', e.i64(), 5n);
    eq('start a missing export', start(comp, 'nope'), EINVAL);
    eq('start an f32 export', start(comp, 'f32'), EINVAL);
    eq('start on a bad instance', start(comp, 'five', 3), EINVAL);
    eq('start on a bad index', e.x.atoll_component_start(99, 0, 0, 8192n, 4n, 0n), EINVAL);
    eq('start with a module handle', start(mod, 'five'), EINVAL);
    eq('info id', e.x.atoll_component_info(comp, 0, e.OUT), OK);
    check('...a number', e.i64() > 0n);
    eq('info instances', e.x.atoll_component_info(comp, 4, e.OUT), OK);
    eq('...1', e.i64(), 1n);
    eq('info calls', e.x.atoll_component_info(comp, 5, e.OUT), OK);
    eq('...1', e.i64(), 1n);
    eq('info ended', e.x.atoll_component_info(comp, 7, e.OUT), OK);
    eq('...0', e.i64(), 0n);
    eq('info bad key', e.x.atoll_component_info(comp, 9, e.OUT), EINVAL);
    eq('info bad handle', e.x.atoll_component_info(0, 0, e.OUT), EINVAL);
    eq('info out past memory', e.x.atoll_component_info(comp, 0, 16 * 65536 - 4), EINVAL);
    eq('describe', e.x.atoll_component_describe(comp, 0, 9000n, 64n, e.OUT), OK);
    eq('...4 bytes', e.i64(), 4n);
    eq('...idle', Buffer.from(e.mem().subarray(9000, 9004)).toString(), 'idle');
    const boom = fresh();
    start(boom, 'div0');
    e.k.step();
    eq('a trap: status 2', e.x.atoll_component_status(boom, e.OUT), 2);
    eq('...kind 3', e.i64(), 3n);
    eq('describe, cut to 10 bytes', e.x.atoll_component_describe(boom, 0, 9000n, 10n, e.OUT), OK);
    eq('...10', e.i64(), 10n);
    eq('...text', Buffer.from(e.mem().subarray(9000, 9010)).toString(), 'trapped in');
    eq('describe out of range', e.x.atoll_component_describe(boom, 0, BigInt(16 * 65536 - 2), 10n, e.OUT), EINVAL);
    eq('start after the trap: refused', start(boom, 'five'), EINVAL);
    const k2 = fresh();
    eq('kill', e.x.atoll_component_kill(k2), OK);
    eq('status: killed', e.x.atoll_component_status(k2, e.OUT), 3);
    eq('kill a VMA', e.x.atoll_component_kill(0), EINVAL);
    eq('kill a bad index', e.x.atoll_component_kill(99), EINVAL);
    e.setI32(-7);
    eq('status of a VMA: -1', e.x.atoll_component_status(0, e.OUT), -1);
    eq('...out untouched', e.i32(), -7);
    eq('status with a bad out pointer: -1', e.x.atoll_component_status(comp, 16 * 65536 - 4), -1);
  });

  group('env: component_add_start, its status and reason, kill while it runs', () => {
    const e = setup(dir);
    const good = wat(`(module (func (export "five") (result i32) (i32.const 5)))`);
    const unlinked = wat(`(module (import "nolib" "f" (func)))`);
    const traps = wat(`(module (func $s unreachable) (start $s))`);
    const mods = [good, unlinked, traps].map((bytes, i) => {
      e.put(4096 + i * 1024, bytes);
      eq(`module ${i}`, e.x.atoll_module_create(0, BigInt(4096 + i * 1024), BigInt(bytes.length), e.OUT), OK);
      return e.i32();
    });
    const [mod, bad, trapping] = mods;
    e.put(8192, Buffer.from('lib'));
    e.x.atoll_component_create(e.OUT);
    const c = e.i32();
    const status = () => [e.x.atoll_component_status(c, e.OUT), e.i64()];
    const describe = () => {
      e.x.atoll_component_describe(c, 0, 9000n, 200n, e.OUT);
      return Buffer.from(e.mem().subarray(9000, 9000 + Number(e.i64()))).toString();
    };
    eq('bad component index', e.x.atoll_component_add_start(99, mod, 0, 0n, 0n), EINVAL);
    eq('bad module index', e.x.atoll_component_add_start(c, 99, 0, 0n, 0n), EINVAL);
    eq('bad name area index', e.x.atoll_component_add_start(c, mod, 99, 0n, 3n), EINVAL);
    eq('a module that is a component', e.x.atoll_component_add_start(c, c, 0, 0n, 0n), EINVAL);
    eq('a name of 65 bytes', e.x.atoll_component_add_start(c, mod, 0, 8192n, 65n), EINVAL);
    eq('a negative name length', e.x.atoll_component_add_start(c, mod, 0, 8192n, -1n), EINVAL);
    eq('a name past the memory', e.x.atoll_component_add_start(c, mod, 0, BigInt(16 * 65536 - 1), 3n), EINVAL);
    eq('nothing queued', status()[0], 0);
    eq('named add', e.x.atoll_component_add_start(c, mod, 0, 8192n, 3n), OK);
    eq('running while queued', status()[0], 1);
    eq('describe: running', describe(), 'running');
    e.k.step();
    eq('done: idle, index 0', status().join(), '0,0');
    eq('its name', e.k.components.at(-1).instances[0].name, 'lib');
    eq('unnamed add (the area not read)', e.x.atoll_component_add_start(c, mod, 0, -9n, 0n), OK);
    e.k.step();
    eq('index 1', status().join(), '0,1');
    eq('describe: idle', describe(), 'idle');
    eq('a link error is queued', e.x.atoll_component_add_start(c, bad, 0, 0n, 0n), OK);
    e.k.step();
    eq('...then idle, -1', status().join(), '0,-1');
    check('...described', describe().startsWith('add failed: '), describe());
    eq('...the component lives on', e.x.atoll_component_info(c, 7, e.OUT), OK);
    eq('...not ended', e.i64(), 0n);
    e.x.atoll_component_add_start(c, trapping, 0, 0n, 0n);
    e.k.step();
    eq('a start function that traps: -1', status().join(), '0,-1');
    eq('...described', describe(), 'add failed: start function trapped: unreachable');
    e.put(8300, Buffer.from('five'));
    eq('a started call', e.x.atoll_component_start(c, 0, 0, 8300n, 4n, 0n), OK);
    e.k.step();
    eq('...clears the reason', describe(), 'idle');
    eq('...its value', status().join(), '0,5');
    e.k.heldAdds.add('lib');
    eq('an add whose start function never returns', e.x.atoll_component_add_start(c, mod, 0, 8192n, 3n), OK);
    e.k.step();
    eq('...runs on', status()[0], 1);
    eq('kill', e.x.atoll_component_kill(c), OK);
    eq('...killed', status()[0], 3);
    eq('...ended', (e.x.atoll_component_info(c, 7, e.OUT), e.i64()), 1n);
    eq('an add into an ended component', e.x.atoll_component_add_start(c, mod, 0, 0n, 0n), EINVAL);
  });

  group('env: clock, log, sys_info', () => {
    const e = setup(dir);
    e.k.clock = 123456789n;
    eq('clock_ns', e.x.atoll_clock_ns(), 123456789n);
    e.put(100, Buffer.from('hello\n'));
    eq('log_write', e.x.atoll_log_write(0, 100n, 6n), OK);
    eq('logged', e.k.log, 'hello\n');
    eq('log_write too long', e.x.atoll_log_write(0, 0n, 65537n), EINVAL);
    eq('log_write bad index', e.x.atoll_log_write(5, 0n, 1n), EINVAL);
    eq('sys_info tick rate', e.x.atoll_sys_info(4), 100n);
    eq('sys_info unknown key', e.x.atoll_sys_info(99), -1n);
  });

  group('env: a full SDK table drops the new handle and says 2', () => {
    const e = setup(dir);
    const max = 65536;
    let st = OK;
    for (let i = e.x.atoll_handle_count(); i < max && st === OK; i++) st = e.x.atoll_vma_create(1n, e.OUT);
    eq('filled the table', e.x.atoll_handle_count(), max);
    const drops = e.k.calls.handle_drop ?? 0;
    e.setI32(-7);
    eq('one more: internal error', e.x.atoll_vma_create(1n, e.OUT), EINTERNAL);
    eq('the new handle was dropped', (e.k.calls.handle_drop ?? 0) - drops, 1);
    eq('out untouched', e.i32(), -7);
  });
}

// atoll.h against env.wasm: sdk_all.wasm (tests/user/sdk_all.c) calls every
// function the header declares.
export function runHeader(dir) {
  group('atoll.h matches env.wasm', () => {
    const k = new Kernel();
    const comp = new Component();
    const env = new Module(loadWasm(dir, 'env.wasm'));
    const all = new Module(loadWasm(dir, 'sdk_all.wasm'));
    eq('env instantiates', k.addInstance(comp, env, 'env')[0], OK);
    eq('every prototype links to the shim, types checked', k.addInstance(comp, all, undefined)[0], OK);
    const declared = all.info.imports.filter((i) => i.kind === 'func').map((i) => `${i.module}.${i.name}`).sort();
    const shim = env.info.exports.filter((e) => e.kind === 'func').map((e) => `env.${e.name}`).sort();
    eq('the header declares every shim function', declared.join(' '), shim.join(' '));
  });
}
