// wasm_info.mjs — reads what the mock kernel needs from a module's bytes
// and JavaScript's API does not show: function types of imports and exports,
// and table element types and limits. Only the sections it needs (type,
// import, function, table, memory, export); the rest are skipped.

const VALTYPES = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64',
                   0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };
const KINDS = ['func', 'table', 'memory', 'global'];

class Reader {
  constructor(bytes, pos = 0, end = bytes.length) {
    this.b = bytes; this.pos = pos; this.end = end;
  }
  byte() {
    if (this.pos >= this.end) throw new Error(`wasm_info: unexpected end at ${this.pos}`);
    return this.b[this.pos++];
  }
  u32() {
    let v = 0, shift = 0, b;
    do { b = this.byte(); v += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return v;
  }
  name() {
    const n = this.u32();
    const s = Buffer.from(this.b.subarray(this.pos, this.pos + n)).toString('utf8');
    this.pos += n;
    return s;
  }
  valtype() {
    const t = this.byte();
    if (!(t in VALTYPES)) throw new Error(`wasm_info: bad value type 0x${t.toString(16)}`);
    return VALTYPES[t];
  }
  limits() {
    const flags = this.byte();
    const min = this.u32();
    return { min, max: flags & 1 ? this.u32() : undefined };
  }
}

// Returns { types, imports, funcs, tables, memories, exports } where
// imports are { module, name, kind, type? (func type), table?, memory? },
// funcs is every function's type (imports first), tables every table
// ({ elem, min, max, imported }), exports { name, kind, index }.
export function wasmInfo(bytes) {
  bytes = new Uint8Array(bytes);
  const r = new Reader(bytes, 8);
  const info = { types: [], imports: [], funcs: [], tables: [], memories: [], exports: [] };
  while (r.pos < r.end) {
    const id = r.byte();
    const size = r.u32();
    const s = new Reader(bytes, r.pos, r.pos + size);
    r.pos += size;
    if (id === 1) {
      for (let n = s.u32(); n > 0; n--) {
        if (s.byte() !== 0x60) throw new Error('wasm_info: bad function type');
        const params = []; for (let k = s.u32(); k > 0; k--) params.push(s.valtype());
        const results = []; for (let k = s.u32(); k > 0; k--) results.push(s.valtype());
        info.types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = s.u32(); n > 0; n--) {
        const imp = { module: s.name(), name: s.name(), kind: KINDS[s.byte()] };
        if (imp.kind === 'func') {
          imp.type = info.types[s.u32()];
          info.funcs.push(imp.type);
        } else if (imp.kind === 'table') {
          imp.table = { elem: s.valtype(), ...s.limits(), imported: true };
          info.tables.push(imp.table);
        } else if (imp.kind === 'memory') {
          imp.memory = { ...s.limits(), imported: true };
          info.memories.push(imp.memory);
        } else {
          s.valtype(); s.byte();
        }
        info.imports.push(imp);
      }
    } else if (id === 3) {
      for (let n = s.u32(); n > 0; n--) info.funcs.push(info.types[s.u32()]);
    } else if (id === 4) {
      for (let n = s.u32(); n > 0; n--) info.tables.push({ elem: s.valtype(), ...s.limits(), imported: false });
    } else if (id === 5) {
      for (let n = s.u32(); n > 0; n--) info.memories.push({ ...s.limits(), imported: false });
    } else if (id === 7) {
      for (let n = s.u32(); n > 0; n--) info.exports.push({ name: s.name(), kind: KINDS[s.byte()], index: s.u32() });
    }
  }
  return info;
}

// The type of export `name` if it is a function, else undefined.
export function exportFuncType(info, name) {
  const e = info.exports.find((x) => x.name === name && x.kind === 'func');
  return e ? info.funcs[e.index] : undefined;
}
