// coral_mock.mjs — the kernel's `coral` interface, mocked in JavaScript for
// testing the Wasm userland under node (V8). It follows docs/abi.md:
// handles are JS objects (externrefs), a VMA is bytes, module_create and
// component_add_instance really compile and instantiate, component_call
// really calls and turns V8's traps into Atoll trap kinds.
//
// Two differences from the kernel, both harmless for the shim:
//  - The kernel fills a module's first defined externref table with its
//    memory handles before the start function runs. JS cannot reach into an
//    instance being made, so the mock fills it after instantiation, and only
//    if the table is exported (env.wasm exports it as sdk_handles; its start
//    function never reads slot 0).
//  - component_call runs the export at once on the caller's JS stack instead
//    of on the component's own thread.
//  - ready events (events_watch) come after a call of the component's
//    code returns: a started call, a component_call, or an export the test
//    calls through Kernel.drive (as the kernel delivers init, tick and
//    press_key; boot's exports are driven so); at most READY_ROUNDS per
//    return, so a component that never clears a ready entry cannot hang a
//    test (the kernel would report it again later).
//  - component_start queues the call, component_add_start the add; they
//    run when the test calls Kernel.step() (a scheduler round), all at
//    once, unless the test holds the component (Kernel.held: instance
//    names whose components do not run, like a program in an endless
//    loop) or the add (Kernel.heldAdds: instance names whose start
//    functions never return). CPU time is 1 ms a call.

import { wasmInfo, exportFuncType } from './wasm_info.mjs';

export const OK = 0, EINVAL = 1, EINTERNAL = 2, EUNKNOWN = 3, ETRAPPED = 4;
export const ERIGHTS = 5, EWOULDBLOCK = 6, EPEER = 7, ETIMEDOUT = 8, ETOOSMALL = 9;
export const EREVOKED = 10, EBUSY = 11;
export const KIND_INVALID = 0, KIND_VMA = 1, KIND_MODULE = 2, KIND_COMPONENT = 3;
export const KIND_CHANNEL = 4, KIND_WAITSET = 5, KIND_REVOKER = 6;
export const KIND_IOPORTS = 7, KIND_IRQ = 8;
export const RIGHT_READ = 1, RIGHT_WRITE = 2, RIGHT_TRANSFER = 4, RIGHT_DUPLICATE = 8;
export const RIGHT_WAIT = 16, RIGHT_CONTROL = 32;
export const SIGNAL_READABLE = 1, SIGNAL_WRITABLE = 2, SIGNAL_PEER_CLOSED = 4, SIGNAL_ENDED = 8;
export const SIGNAL_REVOKED = 16;
const MSG_MAX = 65536n, MSG_HANDLES = 4, QUEUE_MSGS = 64, QUEUE_BYTES = 4 * 65536;
const VMA_MAX = 64n << 20n;
const LOG_MAX = 65536n;
const NAME_MAX = 64n;
export const READY_ROUNDS = 64;

// What a handle to each kind may carry (kern/object.c).
const KIND_RIGHTS = [0, 15, 13, 61, 31, 26, 44, 47, 60];

// Device capabilities (kern/devcap.c): the ports and ISA lines the kernel
// lets drivers have. Ports here are latches, as in the hosted build (a
// read gives what was last written); no line ever fires.
const GRANTABLE_PORTS = [[0x70, 2], [0x170, 8], [0x1f0, 8], [0x2e8, 8], [0x2f8, 8],
                         [0x376, 1], [0x378, 8], [0x3e8, 8], [0x3f6, 1]];
const KERNEL_LINES = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 4);
const portsGrantable = (port, n) =>
  GRANTABLE_PORTS.some(([f, c]) => port >= f && n <= c && port - f <= c - n);
const inRange = (o, port, n) => port >= o.first && n <= o.count && port - o.first <= o.count - n;
// The roots userboot is granted (CORAL_BOOT_GRANT IOPORTS, IRQS).
export const rootPorts = () => new Handle({ kind: KIND_IOPORTS, first: 0, count: 0x10000 });
export const rootIrqs = () => new Handle({ kind: KIND_IRQ, lines: 0xffff & ~KERNEL_LINES, line: -1 });

// A handle: one reference to a kernel object, with rights; handle_drop
// ends it (so does sending it in a message).
// A revocable handle and every handle made from it share `rev` ({ cut });
// once it is cut they read as invalid here (the kernel says "revoked").
export class Handle {
  constructor(obj, rights = -1, rev = null) {
    this.obj = obj;
    this.rev = rev;
    this.dropped = false;
    this.rights = rights & KIND_RIGHTS[obj.kind];
    if (obj.handles !== undefined) obj.handles++;
  }
  get kind() { return this.dropped ? 0 : this.obj.kind; }
  copy(rights = this.rights) { return new Handle(this.obj, rights, this.rev); }
  drop() {
    this.dropped = true;
    if (this.obj.handles !== undefined && --this.obj.handles === 0 && this.obj.close)
      this.obj.close();
  }
}

// One endpoint of a channel: the messages written by its peer, to read.
export class Endpoint {
  constructor() { this.kind = KIND_CHANNEL; this.queue = []; this.bytes = 0; this.peer = null;
                  this.closed = false; this.handles = 0; }
  get signals() {
    const p = this.peer;
    return (this.queue.length ? SIGNAL_READABLE : 0) |
           (p && !p.closed && p.queue.length < QUEUE_MSGS &&
            p.bytes + Number(MSG_MAX) <= QUEUE_BYTES ? SIGNAL_WRITABLE : 0) |
           (!p || p.closed ? SIGNAL_PEER_CLOSED : 0);
  }
  close() {
    this.closed = true;
    const q = this.queue;
    this.queue = [];
    this.bytes = 0;
    for (const m of q) for (const h of m.handles) h.drop();
  }
}

export class WaitSet {
  constructor() { this.kind = KIND_WAITSET; this.entries = new Map(); this.cursor = 0; }
}

export class Vma {
  // bytes: a Uint8Array, or a WebAssembly.Memory (whose buffer moves on grow).
  constructor(bytes) { this.kind = KIND_VMA; this.src = bytes; }
  get bytes() {
    return this.src instanceof WebAssembly.Memory ? new Uint8Array(this.src.buffer) : this.src;
  }
}

export class Module {
  constructor(bytes) {
    this.kind = KIND_MODULE;
    this.module = new WebAssembly.Module(bytes); // throws on invalid bytes
    this.info = wasmInfo(bytes);
  }
}

// Component states (component_status).
export const IDLE = 0, RUNNING = 1, TRAPPED = 2, KILLED = 3, EXITED = 4;

// What the mock's exit throws to unwind the program's JS-visible stack.
class MockExit extends Error {
  constructor(status) { super(`exit ${status}`); this.status = status; }
}

export class Component {
  constructor(id = 0) {
    this.kind = KIND_COMPONENT;
    this.id = id;
    this.grants = [];    // Handles, in grant order
    this.instances = []; // { instance, info, name }
    this.queue = [];     // started calls not yet run: { inst, name, arg },
                         // and started adds: { mod, name, add: true }
    this.state = IDLE;   // IDLE, RUNNING (while queue is not empty), TRAPPED, KILLED
    this.value = 0n;     // last result (IDLE) or trap kind (TRAPPED)
    this.why = '';       // component_describe's text after a trap
    this.addFailed = ''; // ... when idle after a started add failed
    this.cpuNs = 0n;
    this.calls = 0;      // exports called
    this.watch = null;   // the WaitSet events_watch names (the kernel's reference)
    this.depth = 0;      // calls of its code under way
    this.delivering = false; // its ready events are being called
  }
  get ended() { return this.state === TRAPPED || this.state === KILLED || this.state === EXITED; }
  // Bytes of linear memory its instances define (an imported memory is
  // counted where it is defined).
  get memoryBytes() {
    let n = 0;
    for (const i of this.instances) {
      for (const e of i.info.exports) {
        if (e.kind !== 'memory') continue;
        const m = i.info.memories[e.index];
        if (m && !m.imported) n += i.instance.exports[e.name].buffer.byteLength;
      }
    }
    return BigInt(n);
  }
}

// V8's trap messages (node 20) to Atoll trap kinds.
const TRAPS = [
  ['unreachable', 1], ['memory access out of bounds', 2], ['divide by zero', 3],
  ['remainder by zero', 3], ['divide result unrepresentable', 4],
  ['float unrepresentable', 5], ['table index is out of bounds', 10],
  ['null function', 8], ['signature mismatch', 8], ['element segment', 6],
];

// Trap kinds' names, as the kernel words them (docs/abi.md, Traps).
export const TRAP_NAMES = ['?', 'unreachable', 'out of bounds memory access',
  'integer divide by zero', 'integer overflow', 'invalid conversion to integer',
  'undefined element', 'uninitialized element', 'indirect call type mismatch',
  'call stack exhausted', 'out of bounds table access', 'host', 'interrupted'];

// The innermost Wasm frame of a trap's stack: [function index, name or ''].
function trapFrame(e) {
  const m = /at (?:(\S+) \()?wasm:\/\/wasm\/[^:]*:wasm-function\[(\d+)\]/.exec(e.stack ?? '');
  return m ? [Number(m[2]), m[1] ?? ''] : [-1, ''];
}

export function trapKind(e) {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 9;
  if (e instanceof WebAssembly.RuntimeError) {
    for (const [text, kind] of TRAPS) if (e.message.includes(text)) return kind;
  }
  return 11; // host
}

export class Kernel {
  // opts.hz: timer ticks per second; opts.ram: total RAM bytes.
  constructor(opts = {}) {
    this.hz = opts.hz ?? 100;
    this.ram = opts.ram ?? 128 * 1024 * 1024;
    this.clock = 0n;     // clock_ns, set by the tests
    this.logBytes = [];  // what log_write wrote
    this.calls = {};     // how often each coral function was called
    this.components = [];
    this.failModuleCreate = false; // to test userboot's error paths
    this.held = new Set();         // instance names whose components do not run
    this.heldAdds = new Set();     // instance names whose adds never end
    this.nextId = 1;               // component numbers, as the kernel's
    this.ports = new Uint8Array(0x10000 + 3); // port latches (port_in, port_out)
    this.claimed = new Set();      // ISA lines a line object holds
  }

  // What waits on a component's input channel (its grant 2, program_abi.h),
  // as text: the lines the shell sent it.
  queuedInput(comp) {
    const h = comp.grants[2];
    if (!h) return null;
    return h.obj.queue.map((m) => Buffer.from(m.bytes).toString('latin1')).join('');
  }

  newComponent() {
    const c = new Component(this.nextId++);
    this.components.push(c);
    return c;
  }

  // A scheduler round: every component that is not held runs the calls
  // and adds started on it (component_start, component_add_start), in
  // order; an add that is held stays running, and what is queued behind it.
  step() {
    for (const c of this.components) {
      if (c.instances.some((i) => this.held.has(i.name))) continue;
      while (c.queue.length && !c.ended) {
        if (c.queue[0].add && this.heldAdds.has(c.queue[0].name)) break;
        const item = c.queue.shift();
        if (item.add) {
          const [st, index, why] = this.addInstance(c, item.mod, item.name);
          c.value = st === OK ? BigInt(index) : st === EINTERNAL ? -2n : -1n;
          c.addFailed = st === OK ? '' : `add failed: ${why}`;
          c.state = c.queue.length ? RUNNING : IDLE;
          continue;
        }
        const { inst, name, arg } = item;
        const [st, v] = this.call(c.instances[inst], name, arg, c, inst);
        if (st === OK && !c.ended) { // (a ready event after it may have trapped)
          c.state = c.queue.length ? RUNNING : IDLE;
          c.value = v;
          c.addFailed = '';
        }
      }
    }
  }

  get log() { return Buffer.from(this.logBytes).toString('latin1'); }

  count(name) { this.calls[name] = (this.calls[name] ?? 0) + 1; }

  // An object's signals now (kern/wait.h).
  signalsOf(o) {
    if (o.kind === KIND_CHANNEL) return o.signals;
    if (o.kind === KIND_COMPONENT) return o.ended ? SIGNAL_ENDED : 0;
    return 0;
  }

  // The next ready entry of a wait set, entries in turn (waitset_wait's
  // scan): [key, signals], or null when none is.
  nextReady(set) {
    const list = [...set.entries];
    for (let i = 0; i < list.length; i++) {
      const [key, e] = list[(set.cursor + i) % list.length];
      const now = this.signalsOf(e.obj);
      if (now & e.signals) {
        set.cursor = (set.cursor + i + 1) % list.length;
        return [key, now];
      }
    }
    return null;
  }

  // The instance whose `ready` export events_watch calls: the first that
  // exports one, if its type is (i64, i32) -> (); else null.
  readyExport(comp) {
    const inst = comp.instances.find((i) => exportFuncType(i.info, 'ready'));
    const t = inst && exportFuncType(inst.info, 'ready');
    return t && t.params.join() === 'i64,i32' && t.results.length === 0 ? inst : null;
  }

  // comp's ready events, once no call of its code is under way: while its
  // watched set has a ready entry, ready(key, signals), at most
  // READY_ROUNDS calls. A trap ends comp, and the watch with it.
  deliverReady(comp) {
    if (comp.depth || comp.delivering) return;
    comp.delivering = true;
    try {
      for (let n = 0; n < READY_ROUNDS && comp.watch && !comp.ended; n++) {
        const inst = this.readyExport(comp);
        const r = inst && this.nextReady(comp.watch);
        if (!r) break;
        this.run(inst, 'ready', r, [], comp, comp.instances.indexOf(inst));
      }
      if (comp.ended) comp.watch = null;
    } finally {
      comp.delivering = false;
    }
  }

  // A test's calls of comp's exports, as the kernel delivers events (init,
  // tick, press_key): each one, then comp's ready events. Other exports
  // (memory, tables) as they are.
  drive(comp, exports) {
    const out = {};
    for (const [name, v] of Object.entries(exports)) {
      out[name] = typeof v !== 'function' ? v : (...args) => {
        comp.depth++;
        let r;
        try { r = v(...args); } finally { comp.depth--; }
        this.deliverReady(comp);
        return r;
      };
    }
    return out;
  }

  // port_in / port_out's decode (kern/devcap.c's port_args).
  portArgs(p, port, width, need) {
    if (!this.valid(p, KIND_IOPORTS)) return EINVAL;
    if (!(p.rights & need)) return ERIGHTS;
    port >>>= 0;
    if ((width !== 1 && width !== 2 && width !== 4) || port > 0xffff) return EINVAL;
    if (!inRange(p.obj, port, width) || !portsGrantable(port, width)) return ERIGHTS;
    return OK;
  }

  valid(h, kind) {
    return h instanceof Handle && h.kind !== 0 && !(h.rev && h.rev.cut) &&
      (kind === undefined || h.kind === kind);
  }

  // The bytes [off, off + len) of VMA handle h, or null if out of bounds.
  range(h, off, len) {
    if (!this.valid(h, KIND_VMA) || off < 0n || len < 0n) return null;
    const bytes = h.obj.bytes;
    if (off + len > BigInt(bytes.length)) return null;
    return bytes.subarray(Number(off), Number(off + len));
  }

  // The `coral` import object for one new instance of comp.
  coral(comp, info) {
    const k = this;
    const decl = info.imports.find((i) => i.module === 'coral' && i.name === 'handles');
    const min = decl ? decl.table.min : 0;
    const size = Math.max(min, comp.grants.length);
    if (decl && decl.table.max !== undefined && size > decl.table.max) return null;
    const handles = new WebAssembly.Table({ element: 'externref', initial: size }, null);
    comp.grants.forEach((h, i) => handles.set(i, h));
    const fns = {
      handle_kind(h) { return h instanceof Handle ? h.kind : 0; },
      handle_drop(h) {
        if (!k.valid(h)) return EINVAL;
        h.drop();
        return OK;
      },
      handle_rights(h) {
        if (!k.valid(h)) return [EINVAL, 0];
        return [OK, h.rights];
      },
      handle_duplicate(h, rights) {
        if (!k.valid(h)) return [EINVAL, null];
        if (!(h.rights & RIGHT_DUPLICATE) || (rights & ~h.rights)) return [ERIGHTS, null];
        return [OK, h.copy(rights)];
      },
      handle_revocable(h, rights) {
        if (!k.valid(h)) return [EINVAL, null, null];
        if (!(h.rights & RIGHT_DUPLICATE) || (rights & ~h.rights)) return [ERIGHTS, null, null];
        const rev = { cut: false };
        return [OK, new Handle(h.obj, rights, rev), new Handle({ kind: KIND_REVOKER, rev })];
      },
      ioport_range(p, first, count) {
        if (!k.valid(p, KIND_IOPORTS)) return [EINVAL, null];
        if (!(p.rights & RIGHT_CONTROL)) return [ERIGHTS, null];
        first >>>= 0; count >>>= 0;
        if (count === 0 || first > 0xffff || count > 0x10000 - first) return [EINVAL, null];
        if (!inRange(p.obj, first, count) || !portsGrantable(first, count)) return [ERIGHTS, null];
        return [OK, new Handle({ kind: KIND_IOPORTS, first, count }, p.rights)];
      },
      port_in(p, port, width) {
        const st = k.portArgs(p, port, width, RIGHT_READ);
        if (st) return [st, 0];
        let v = 0;
        for (let i = 0; i < width; i++) v |= k.ports[port + i] << (8 * i);
        return [OK, v];
      },
      port_out(p, port, width, value) {
        const st = k.portArgs(p, port, width, RIGHT_WRITE);
        if (st) return st;
        for (let i = 0; i < width; i++) k.ports[port + i] = (value >>> (8 * i)) & 0xff;
        return OK;
      },
      irq_line(q, line) {
        if (!k.valid(q, KIND_IRQ)) return [EINVAL, null];
        if (!(q.rights & RIGHT_CONTROL)) return [ERIGHTS, null];
        line >>>= 0;
        if (line >= 16) return [EINVAL, null];
        if (!(q.obj.lines & (1 << line)) || (KERNEL_LINES & (1 << line))) return [ERIGHTS, null];
        if (k.claimed.has(line)) return [EBUSY, null];
        const o = { kind: KIND_IRQ, lines: 1 << line, line, handles: 0 };
        o.close = () => k.claimed.delete(line);
        k.claimed.add(line);
        return [OK, new Handle(o, q.rights)];
      },
      irq_ack(q) {
        if (!k.valid(q, KIND_IRQ)) return [EINVAL, 0n];
        if (!(q.rights & RIGHT_WAIT)) return [ERIGHTS, 0n];
        return q.obj.line < 0 ? [EINVAL, 0n] : [OK, 0n];   // no line fires here
      },
      revoke(r) {
        if (!k.valid(r, KIND_REVOKER)) return EINVAL;
        r.obj.rev.cut = true;
        return OK;
      },
      channel_create() {
        const a = new Endpoint(), b = new Endpoint();
        a.peer = b;
        b.peer = a;
        return [OK, new Handle(a), new Handle(b)];
      },
      channel_write(ch, vma, off, len, ...hs) {
        if (!k.valid(ch, KIND_CHANNEL) || !k.valid(vma, KIND_VMA)) return EINVAL;
        if (!(ch.rights & RIGHT_WRITE) || !(vma.rights & RIGHT_READ)) return ERIGHTS;
        const bytes = len <= MSG_MAX ? k.range(vma, off, len) : null;
        if (!bytes) return EINVAL;
        const moved = hs.filter((h) => h !== null);
        for (const [i, h] of moved.entries()) {
          if (!k.valid(h) || moved.indexOf(h) !== i || h.obj === ch.obj) return EINVAL;
          if (!(h.rights & RIGHT_TRANSFER)) return ERIGHTS;
        }
        const p = ch.obj.peer;
        if (!p || p.closed) return EPEER;
        if (p.queue.length >= QUEUE_MSGS || p.bytes + bytes.length > QUEUE_BYTES) return EWOULDBLOCK;
        // In flight, a handle is the message's: a new one, the sender's gone.
        const carried = moved.map((h) => { const n = h.copy(); h.drop(); return n; });
        p.queue.push({ bytes: bytes.slice(), handles: carried });
        p.bytes += bytes.length;
        return OK;
      },
      channel_read(ch, vma, off, cap) {
        const none = [0n, 0, null, null, null, null];
        if (!k.valid(ch, KIND_CHANNEL) || !k.valid(vma, KIND_VMA)) return [EINVAL, ...none];
        if (!(ch.rights & RIGHT_READ) || !(vma.rights & RIGHT_WRITE)) return [ERIGHTS, ...none];
        const to = k.range(vma, off, cap);
        if (!to) return [EINVAL, ...none];
        const e = ch.obj, m = e.queue[0];
        if (!m) return [e.peer && !e.peer.closed ? EWOULDBLOCK : EPEER, ...none];
        if (m.bytes.length > to.length) return [ETOOSMALL, BigInt(m.bytes.length), 0, null, null, null, null];
        e.queue.shift();
        e.bytes -= m.bytes.length;
        to.set(m.bytes);
        const hs = [...m.handles, null, null, null, null].slice(0, MSG_HANDLES);
        return [OK, BigInt(m.bytes.length), m.handles.length, ...hs];
      },
      channel_call(ch, vma, off, len, replyOff, cap, deadline, ...hs) {
        const none = [0n, 0, null, null, null, null];
        if (!k.valid(ch, KIND_CHANNEL) || !k.valid(vma, KIND_VMA)) return [EINVAL, ...none];
        const need = RIGHT_READ | RIGHT_WRITE | RIGHT_WAIT;
        if ((ch.rights & need) !== need || (vma.rights & (RIGHT_READ | RIGHT_WRITE)) !==
            (RIGHT_READ | RIGHT_WRITE)) return [ERIGHTS, ...none];
        if (!k.range(vma, replyOff, cap) || hs.some((h) => h !== null && h.obj === vma.obj))
          return [EINVAL, ...none];
        const st = fns.channel_write(ch, vma, off, len, ...hs);
        if (st !== OK) return [st, ...none];
        const [ws] = fns.wait_one(ch, SIGNAL_READABLE | SIGNAL_PEER_CLOSED, deadline);
        if (ws !== OK) return [ws, ...none];
        return fns.channel_read(ch, vma, replyOff, cap);
      },
      wait_one(h, signals, deadline) {
        if (!k.valid(h)) return [EINVAL, 0];
        if (!(h.rights & RIGHT_WAIT)) return [ERIGHTS, 0];
        const now = () => k.signalsOf(h.obj);
        if (now() & signals) return [OK, now()];
        // One thread: nothing else can run while this waits, so only the
        // deadline can end it; the mock's clock jumps there.
        if (deadline < 0n) throw new Error('wait_one would block forever in the mock');
        if (deadline > k.clock) k.clock = deadline;
        return [ETIMEDOUT, now()];
      },
      waitset_create() { return [OK, new Handle(new WaitSet())]; },
      waitset_add(ws, h, signals, key) {
        if (!k.valid(ws, KIND_WAITSET) || !k.valid(h)) return EINVAL;
        if (!(ws.rights & RIGHT_WRITE) || !(h.rights & RIGHT_WAIT)) return ERIGHTS;
        if (!signals || ws.obj.entries.has(key) || ws.obj.entries.size >= 1024) return EINVAL;
        ws.obj.entries.set(key, { obj: h.obj, signals });
        return OK;
      },
      waitset_remove(ws, key) {
        if (!k.valid(ws, KIND_WAITSET)) return EINVAL;
        if (!(ws.rights & RIGHT_WRITE)) return ERIGHTS;
        return ws.obj.entries.delete(key) ? OK : EINVAL;
      },
      waitset_wait(ws, deadline) {
        if (!k.valid(ws, KIND_WAITSET)) return [EINVAL, 0n, 0];
        if (!(ws.rights & RIGHT_WAIT)) return [ERIGHTS, 0n, 0];
        const r = k.nextReady(ws.obj);
        if (r) return [OK, ...r];
        if (deadline < 0n) throw new Error('waitset_wait would block forever in the mock');
        if (deadline > k.clock) k.clock = deadline;
        return [ETIMEDOUT, 0n, 0];
      },
      events_watch(ws) {
        if (ws === null) { comp.watch = null; return OK; }
        if (!k.valid(ws, KIND_WAITSET)) return EINVAL;
        if (!(ws.rights & RIGHT_WAIT)) return ERIGHTS;
        if (!k.readyExport(comp)) return EINVAL;
        comp.watch = ws.obj; // the set, not the handle: a drop leaves it watched
        return OK;
      },
      sleep_until(deadline) {
        if (deadline > k.clock) k.clock = deadline;
        return OK;
      },
      yield() { k.step(); },
      vma_write(src, dst, srcOff, dstOff, len) {
        const from = k.range(src, srcOff, len), to = k.range(dst, dstOff, len);
        if (!from || !to) return EINVAL;
        to.set(from.slice()); // slice: overlapping copies within one VMA
        return OK;
      },
      vma_create(size) {
        if (size < 1n || size > VMA_MAX) return [EINVAL, null];
        return [OK, new Handle(new Vma(new Uint8Array(Number(size))))];
      },
      vma_size(h) {
        if (!k.valid(h, KIND_VMA)) return [EINVAL, 0n];
        return [OK, BigInt(h.obj.bytes.length)];
      },
      module_create(vma, off, len) {
        const bytes = k.range(vma, off, len);
        if (!bytes || k.failModuleCreate) return [EINVAL, null];
        try {
          return [OK, new Handle(new Module(bytes.slice()))];
        } catch (e) {
          return [EINVAL, null];
        }
      },
      component_create() {
        return [OK, new Handle(k.newComponent())];
      },
      component_grant(c, h) {
        if (!k.valid(c, KIND_COMPONENT) || !k.valid(h) || c.obj.ended) return [EINVAL, 0];
        if (!(c.rights & RIGHT_CONTROL) || !(h.rights & RIGHT_TRANSFER)) return [ERIGHTS, 0];
        // The component gets a handle of its own, as in the kernel.
        c.obj.grants.push(h.copy());
        return [OK, c.obj.grants.length - 1];
      },
      component_add_instance(c, m) {
        if (!k.valid(c, KIND_COMPONENT) || !k.valid(m, KIND_MODULE) || c.obj.ended) return [EINVAL, 0];
        return k.addInstance(c.obj, m.obj, undefined).slice(0, 2);
      },
      component_add_named(c, m, nameVma, off, len) {
        const name = k.range(nameVma, off, len);
        if (!k.valid(c, KIND_COMPONENT) || !k.valid(m, KIND_MODULE) || !name ||
            len < 1n || len > NAME_MAX || c.obj.ended) return [EINVAL, 0];
        return k.addInstance(c.obj, m.obj, Buffer.from(name).toString('utf8')).slice(0, 2);
      },
      component_call(c, inst, nameVma, off, len, arg) {
        const name = k.range(nameVma, off, len);
        if (!k.valid(c, KIND_COMPONENT) || !name || inst < 0 || inst >= c.obj.instances.length ||
            c.obj.state === KILLED)
          return [EINVAL, 0n];
        return k.call(c.obj.instances[inst], Buffer.from(name).toString('utf8'), arg);
      },
      component_start(c, inst, nameVma, off, len, arg) {
        const name = k.range(nameVma, off, len);
        if (!k.valid(c, KIND_COMPONENT) || !name || len < 1n || len > NAME_MAX ||
            inst < 0 || inst >= c.obj.instances.length || c.obj.ended)
          return EINVAL;
        const text = Buffer.from(name).toString('utf8');
        if (!k.callable(c.obj.instances[inst], text)) return EINVAL;
        c.obj.queue.push({ inst, name: text, arg });
        c.obj.state = RUNNING;
        return OK;
      },
      component_add_start(c, m, nameVma, off, len) {
        const name = len === 0n ? null : k.range(nameVma, off, len);
        if (!k.valid(c, KIND_COMPONENT) || !k.valid(m, KIND_MODULE) || len < 0n ||
            len > NAME_MAX || (len > 0n && !name) || c.obj.ended) return EINVAL;
        c.obj.queue.push({ add: true, mod: m.obj,
                           name: name ? Buffer.from(name).toString('utf8') : undefined });
        c.obj.state = RUNNING;
        return OK;
      },
      component_status(c) {
        if (!k.valid(c, KIND_COMPONENT)) return [-1, 0n];
        const o = c.obj;
        return [o.state, o.state === IDLE || o.state === TRAPPED ? o.value : 0n];
      },
      exit(status) { throw new MockExit(status); },
      random(vma, off, len) {
        if (!k.valid(vma, KIND_VMA)) return EINVAL;
        if (!(vma.rights & RIGHT_WRITE)) return ERIGHTS;
        const to = len <= 65536n ? k.range(vma, off, len) : null;
        if (!to) return EINVAL;
        for (let i = 0; i < to.length; i++) to[i] = Math.floor(Math.random() * 256);
        return OK;
      },
      component_kill(c) {
        if (!k.valid(c, KIND_COMPONENT)) return EINVAL;
        if (!c.obj.ended) { c.obj.state = KILLED; c.obj.value = 0n; c.obj.queue = []; }
        return OK;
      },
      component_limit(c, key, value) {
        if (!k.valid(c, KIND_COMPONENT) || key < 0 || key > 3 || value < 0n) return EINVAL;
        return OK;
      },
      component_info(c, key) {
        if (!k.valid(c, KIND_COMPONENT)) return [EINVAL, 0n];
        const o = c.obj;
        switch (key) {
          case 0: return [OK, BigInt(o.id)];
          case 1: return [OK, BigInt(o.state)];
          case 2: return [OK, o.cpuNs];
          case 3: return [OK, o.memoryBytes];
          case 4: return [OK, BigInt(o.instances.length)];
          case 5: return [OK, BigInt(o.calls)];
          case 6: return [OK, 0n];
          case 7: return [OK, o.ended ? 1n : 0n];
          case 8: return [OK, o.state === KILLED ? 0n : -1n];
          default: return [EINVAL, 0n];
        }
      },
      // The instance's memory 0, as the kernel's: one it exports, or the
      // one it imported (a program on its env's memory).
      component_memory(c, index) {
        if (!k.valid(c, KIND_COMPONENT)) return [EINVAL, null];
        if (!(c.rights & RIGHT_CONTROL)) return [ERIGHTS, null];
        const inst = c.obj.instances[index];
        if (!inst || c.obj.ended) return [EINVAL, null];
        const e = inst.info.exports.find((x) => x.kind === 'memory');
        const imp = inst.info.imports.find((x) => x.kind === 'memory');
        const mem = e ? inst.instance.exports[e.name] : imp && inst.imports[imp.module]?.[imp.name];
        return mem ? [OK, new Handle(new Vma(mem))] : [EINVAL, null];
      },
      component_describe(c, vma, off, len) {
        const to = k.range(vma, off, len);
        if (!k.valid(c, KIND_COMPONENT) || !to) return [EINVAL, 0n];
        const o = c.obj;
        const text = Buffer.from(o.state === TRAPPED ? o.why
          : o.state === IDLE && o.addFailed ? o.addFailed : ['idle', 'running', '', 'killed'][o.state]);
        const n = Math.min(text.length, to.length);
        to.set(text.subarray(0, n));
        return [OK, BigInt(n)];
      },
      clock_ns() { return k.clock; },
      log_write(vma, off, len) {
        const bytes = len <= LOG_MAX ? k.range(vma, off, len) : null;
        if (!bytes) return EINVAL;
        k.logBytes.push(...bytes);
        return OK;
      },
      sys_info(key) {
        switch (key) {
          case 0: return BigInt(k.ram);
          case 1: return BigInt(k.ram - 16 * 1024 * 1024);
          case 2: return 1234567n;
          case 3: return BigInt(k.components.length);
          case 4: return BigInt(k.hz);
          default: return -1n;
        }
      },
    };
    const imports = { handles };
    for (const [name, fn] of Object.entries(fns))
      imports[name] = (...args) => { k.count(name); return fn(...args); };
    return imports;
  }

  // Instantiates mod in comp: "coral" is the kernel, any other module name
  // the latest earlier instance of comp with that name. Returns [status,
  // index, why] (why: the reason of a failure, worded as the kernel's).
  addInstance(comp, mod, name) {
    const info = mod.info;
    const imports = {};
    for (const imp of info.imports) {
      if (imports[imp.module]) continue;
      if (imp.module === 'coral') {
        imports.coral = this.coral(comp, info);
        if (!imports.coral) return [EINVAL, 0, 'coral.handles: the grants do not fit its maximum'];
      } else {
        const from = comp.instances.findLast((i) => i.name === imp.module);
        if (!from) return [EINVAL, 0, `unknown import: no module "${imp.module}" (for "${imp.name}")`];
        imports[imp.module] = from.instance.exports;
      }
    }
    let instance;
    try {
      instance = new WebAssembly.Instance(mod.module, imports);
    } catch (e) {
      if (e instanceof WebAssembly.LinkError) return [EINVAL, 0, e.message];
      // the start function trapped
      return [ETRAPPED, 0, `start function trapped: ${TRAP_NAMES[trapKind(e)]}`];
    }
    this.fillSelfTable(info, instance, imports);
    comp.instances.push({ instance, info, name, imports, comp });
    return [OK, comp.instances.length - 1];
  }

  // The first defined externref table gets handles to the instance's
  // memories (see the file comment for why it happens after start here).
  fillSelfTable(info, instance, imports) {
    const t = info.tables.findIndex((x) => !x.imported && x.elem === 'externref');
    if (t < 0) return;
    const exp = info.exports.find((e) => e.kind === 'table' && e.index === t);
    if (!exp) return;
    const table = instance.exports[exp.name];
    info.memories.forEach((m, i) => {
      let mem;
      if (m.imported) {
        const imp = info.imports.filter((x) => x.kind === 'memory')[i];
        mem = imports[imp.module][imp.name];
      } else {
        const e = info.exports.find((x) => x.kind === 'memory' && x.index === i);
        mem = e && instance.exports[e.name];
      }
      if (mem && i < table.length) table.set(i, new Handle(new Vma(mem)));
    });
  }

  // The type rules of component_call: () or one i32/i64 in, nothing or one out.
  callable(inst, name) {
    const type = exportFuncType(inst.info, name);
    if (!type) return null;
    const p = type.params, r = type.results;
    if (p.length > 1 || (p.length === 1 && p[0] !== 'i32' && p[0] !== 'i64') ||
        r.length > 1 || (r.length === 1 && r[0] !== 'i32' && r[0] !== 'i64'))
      return null;
    return type;
  }

  // component_call on one instance: the type rules of the ABI, then the call.
  // With comp (a started call), a trap ends comp and words its report as
  // component_describe gives it.
  call(inst, name, arg, comp, index) {
    const type = this.callable(inst, name);
    if (!type) return [EINVAL, 0n];
    const p = type.params;
    const args = p.length === 0 ? [] : p[0] === 'i32' ? [Number(BigInt.asIntN(32, arg))] : [arg];
    const res = this.run(inst, name, args, type.results, comp, index);
    if (inst.comp) this.deliverReady(inst.comp);
    return res;
  }

  // Calls export name of inst with args (its type checked): [status, value]
  // as call's. The instance's component counts it as work under way.
  run(inst, name, args, r, comp, index) {
    if (comp) { comp.calls++; comp.cpuNs += 1000000n; }
    const owner = inst.comp;
    if (owner) owner.depth++;
    try {
      const v = inst.instance.exports[name](...args);
      return [OK, r.length === 0 ? 0n : BigInt(v)];
    } catch (e) {
      if (e instanceof MockExit) {
        if (comp) {
          comp.state = EXITED;
          comp.value = BigInt(e.status);
          comp.queue = [];
        }
        return [ETRAPPED, 12n];
      }
      const kind = trapKind(e);
      if (comp) {
        let [fn, fname] = trapFrame(e);
        if (!fname) fname = inst.info.exports.find((x) => x.kind === 'func' && x.index === fn)?.name ?? '';
        comp.state = TRAPPED;
        comp.value = BigInt(kind);
        comp.queue = [];
        comp.why = `trapped in instance ${index} (${inst.name ?? 'unnamed'}), function ${fn}` +
          `${fname ? ` (${fname})` : ''}: ${TRAP_NAMES[kind]}`;
      }
      return [ETRAPPED, BigInt(kind)];
    } finally {
      if (owner) owner.depth--;
    }
  }

  // Boots a program as the kernel does: boot modules by name; the import
  // module names of `first` other than "coral" are instantiated first, under
  // their names, in the same component; `grants` are its handles.
  boot(bootModules, first, grants) {
    const comp = this.newComponent();
    comp.grants = grants.slice();
    const mods = {};
    for (const [name, bytes] of Object.entries(bootModules)) mods[name] = new Module(bytes);
    const deps = [...new Set(mods[first].info.imports.map((i) => i.module))]
      .filter((m) => m !== 'coral');
    for (const dep of deps) {
      if (!mods[dep]) throw new Error(`boot: no boot module named ${dep}`);
      const [st] = this.addInstance(comp, mods[dep], dep);
      if (st !== OK) throw new Error(`boot: instantiating ${dep} failed: ${st}`);
    }
    const [st, index] = this.addInstance(comp, mods[first], first);
    if (st !== OK) throw new Error(`boot: instantiating ${first} failed: ${st}`);
    return { comp, exports: this.drive(comp, comp.instances[index].instance.exports) };
  }
}
