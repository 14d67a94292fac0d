// test_userboot.mjs — userboot booted as the kernel boots it (env.wasm, then
// userboot.wasm, in one component, the screen granted as handle 0), driven
// through its exports init, tick and press_key, and judged by the screen and
// the serial log.

import { Kernel, Handle, Vma, OK } from './coral_mock.mjs';
import { wasmInfo } from './wasm_info.mjs';
import { group, check, eq, loadWasm, screenRow, screenRows, attrAt, scancodes, SC } from './harness.mjs';

const PROMPT = 'atoll> ';
const LINE_MAX = 72; // 80 columns - prompt - the cursor cell

// A booted userboot. screenBytes: the size of the granted screen VMA (0:
// nothing granted).
function boot(dir, { screenBytes = 4000, init = true, hz = 100 } = {}) {
  const k = new Kernel({ hz });
  const screen = new Uint8Array(screenBytes);
  const grants = screenBytes ? [new Handle(new Vma(screen))] : [];
  const { exports: x } = k.boot(
    { env: loadWasm(dir, 'env.wasm'), userboot: loadWasm(dir, 'userboot.wasm') }, 'userboot', grants);
  const m = {
    k, x, screen,
    initResult: init ? x.init() : undefined,
    row: (r) => screenRow(screen, r),
    rows: () => screenRows(screen),
    keys: (codes) => { for (const c of codes) x.press_key(c); },
    type: (text) => m.keys(scancodes(text)),
    ticks: (n) => { for (let i = 0; i < n; i++) x.tick(); },
    // The row the cursor is on (the one cell drawn black on grey), or -1.
    cursor: () => {
      for (let r = 1; r < 25; r++)
        for (let c = 0; c < 80; c++) if (attrAt(screen, r, c) === 0x70) return [r, c];
      return [-1, -1];
    },
  };
  return m;
}

export function run(dir) {
  group('userboot: imports only from env, exports init, tick, press_key', () => {
    const info = wasmInfo(loadWasm(dir, 'userboot.wasm'));
    const mods = [...new Set(info.imports.map((i) => i.module))];
    eq('import modules', mods.join(), 'env');
    const mem = info.imports.find((i) => i.kind === 'memory');
    check('imports its memory from env', mem && mem.name === 'memory');
    check('asks for at most the 16 pages env has', mem && mem.memory.min <= 16, mem && mem.memory.min);
    const names = info.exports.filter((e) => e.kind === 'func').map((e) => e.name).sort();
    for (const n of ['init', 'press_key', 'tick']) check(`exports ${n}`, names.includes(n));
  });

  group('userboot: init draws the title bar and the prompt', () => {
    const m = boot(dir);
    eq('init returns 0', m.initResult, 0);
    check('title', m.row(0).includes('Atoll 0.1'), m.row(0));
    eq('title bar is white on blue', attrAt(m.screen, 0, 0), 0x1f);
    eq('row 1 is the prompt', m.row(1), PROMPT.trimEnd());
    eq('cursor after the prompt', m.cursor().join(), '1,7');
    check('rows 2..24 are empty', m.rows().slice(2).every((r) => r === ''));
    check('the title is logged', m.k.log.includes('Atoll 0.1'), m.k.log);
    check('one screen write for init', m.k.calls.vma_write === 1, m.k.calls.vma_write);
  });

  group('userboot: tick turns the spinner, and touches only the title bar', () => {
    const m = boot(dir, { hz: 100 }); // 8 steps a second: every 12 ticks
    const spin = () => m.row(0).slice(-1);
    eq('spinner at init', spin(), '|');
    const rest = m.rows().slice(1).join('\n');
    m.ticks(11);
    eq('11 ticks: not yet', spin(), '|');
    m.ticks(1);
    eq('12 ticks: one step', spin(), '/');
    m.ticks(24);
    eq('36 ticks: three steps', spin(), '\\');
    m.ticks(12);
    eq('48 ticks: round', spin(), '|');
    eq('text area untouched', m.rows().slice(1).join('\n'), rest);
    const slow = boot(dir, { hz: 3 });
    slow.ticks(1);
    eq('slow timer: a step per tick', slow.row(0).slice(-1), '/');
  });

  group('userboot: typing echoes, Backspace erases', () => {
    const m = boot(dir);
    m.type('hello');
    eq('echo', m.row(1), PROMPT + 'hello');
    eq('cursor follows', m.cursor().join(), '1,12');
    m.type('\b\b');
    eq('two backspaces', m.row(1), PROMPT + 'hel');
    eq('cursor back', m.cursor().join(), '1,10');
    m.type('\b\b\b\b\b');
    eq('backspace stops at the prompt', m.row(1), PROMPT.trimEnd());
    eq('cursor at the prompt', m.cursor().join(), '1,7');
    m.type('x');
    eq('typing again', m.row(1), PROMPT + 'x');
  });

  group('userboot: Shift and Caps Lock', () => {
    const m = boot(dir);
    m.type('Hi! a-Z_9(');
    eq('left shift', m.row(1), PROMPT + 'Hi! a-Z_9(');
    m.type('\b'.repeat(10));
    m.keys([SC.RSHIFT, 0x1e, 0x9e, SC.RSHIFT | 0x80, 0x1e, 0x9e]);
    eq('right shift, then released', m.row(1), PROMPT + 'Aa');
    m.keys([SC.CAPS, SC.CAPS | 0x80]);
    m.type('abc1;');
    eq('caps lock: letters only', m.row(1), PROMPT + 'AaABC1;');
    m.type('X');
    eq('caps lock + shift: lower case', m.row(1), PROMPT + 'AaABC1;x');
    m.keys([SC.CAPS, SC.CAPS | 0x80]);
    m.type('d');
    eq('caps lock off', m.row(1), PROMPT + 'AaABC1;xd');
  });

  group('userboot: echo, help, unknown command', () => {
    const m = boot(dir);
    m.type('echo hi\n');
    eq('command line stays', m.row(1), PROMPT + 'echo hi');
    eq('echo output', m.row(2), 'hi');
    eq('new prompt', m.row(3), PROMPT.trimEnd());
    m.type('echo   two  spaces \n');
    eq('echo keeps inner spaces', m.row(4), 'two  spaces');
    m.type('help\n');
    const text = m.rows().join('\n');
    for (const c of ['help', 'echo', 'clear', 'mem', 'uptime', 'demo'])
      check(`help lists ${c}`, new RegExp(`^  ${c} `, 'm').test(text), text);
    m.type('frobnicate now\n');
    check('unknown command', m.rows().includes('unknown command: frobnicate (try help)'), m.rows().join('\n'));
    m.type('   \n');
    const last = m.rows().filter((r) => r !== '');
    eq('blank line: just a new prompt', last.slice(-2).join('|'), `${PROMPT.trimEnd()}|${PROMPT.trimEnd()}`);
  });

  group('userboot: the serial log mirrors the screen, line by line', () => {
    const m = boot(dir);
    m.type('echo hx\bi\n');
    const lines = m.k.log.split('\n');
    check('the typed line, as corrected', lines.includes(PROMPT + 'echo hi'), JSON.stringify(m.k.log));
    check('the output line', lines.includes('hi'), JSON.stringify(m.k.log));
    check('no partial lines logged', !m.k.log.includes('echo h\n'), JSON.stringify(m.k.log));
  });

  group('userboot: mem and uptime', () => {
    const m = boot(dir);
    m.type('mem\n');
    const text = m.rows().join('\n');
    check('total RAM', /total RAM\s+131072 KiB/.test(text), text);
    check('free RAM', /free RAM\s+114688 KiB/.test(text), text);
    check('kernel heap', /kernel heap used\s+1205 KiB/.test(text), text);
    check('components', /live components\s+1$/m.test(text), text);
    m.k.clock = 12_345_678_901n;
    m.ticks(5);
    m.type('uptime\n');
    check('uptime', m.rows().includes('up 12.345 s, 5 ticks'), m.rows().join('\n'));
  });

  group('userboot: demo', () => {
    const m = boot(dir);
    m.type('demo\n');
    const text = m.rows().join('\n');
    const size = loadWasm(dir, 'demo.wasm').length;
    const want = [
      new RegExp(`^demo: module_create\\(demo\\.wasm, ${size} bytes\\) = 0 ok, kind 2 \\(module\\)$`, 'm'),
      /^demo: component_create\(\) = 0 ok, kind 3 \(component\)$/m,
      /^demo: component_add_instance\(\) = 0 ok, instance 0$/m,
      /^demo: call answer\(\) = 0 ok, result 42$/m,
      /^demo: call square\(12\) = 0 ok, result 144$/m,
      /^demo: call boom\(\) = 4 trapped, trap 1 \(unreachable\)$/m,
      /^demo: handle_drop\(component\) = 0$/m,
      /^demo: handle_drop\(module\) = 0$/m,
    ];
    for (const re of want) check(`demo ${re.source}`, re.test(text), text);
    eq('a component was made', m.k.components.length, 2);
    m.type('clear\ndemo\n');
    check('demo runs again', /result 42/.test(m.rows().join('\n')), m.rows().join('\n'));
    check('and the log has it', m.k.log.includes('demo: call answer() = 0 ok, result 42\n'));
  });

  group('userboot: demo reports a failing kernel call', () => {
    const m = boot(dir);
    m.k.failModuleCreate = true;
    m.type('demo\n');
    const text = m.rows().join('\n');
    check('module_create failure', /module_create\(demo\.wasm, \d+ bytes\) = 1 invalid parameters/.test(text), text);
    check('stops there', !/component_create/.test(text), text);
  });

  group('userboot: clear', () => {
    const m = boot(dir);
    m.type('echo a\necho b\nclear\n');
    eq('prompt on row 1', m.row(1), PROMPT.trimEnd());
    check('the rest is empty', m.rows().slice(2).every((r) => r === ''), m.rows().join('\n'));
    check('title kept', m.row(0).includes('Atoll'));
    eq('cursor after the prompt', m.cursor().join(), '1,7');
  });

  group('userboot: the text area scrolls, the title bar stays', () => {
    const m = boot(dir);
    for (let i = 0; i < 30; i++) m.type(`echo line${i}\n`);
    eq('last row: the prompt', m.row(24), PROMPT.trimEnd());
    eq('row 23: the last output', m.row(23), 'line29');
    eq('row 22: its command', m.row(22), PROMPT + 'echo line29');
    check('title kept', m.row(0).includes('Atoll'), m.row(0));
    eq('title attribute kept', attrAt(m.screen, 0, 0), 0x1f);
    eq('cursor on the last row', m.cursor().join(), '24,7');
    eq('exactly one cursor cell', m.screen.filter((b, i) => i % 2 === 1 && b === 0x70).length, 1);
  });

  group('userboot (hostile): a very long line', () => {
    const m = boot(dir);
    m.type('a'.repeat(200));
    eq('the line stops at the row end', m.row(1), PROMPT + 'a'.repeat(LINE_MAX));
    eq('nothing spilled to row 2', m.row(2), '');
    m.type('\b');
    eq('backspace still works', m.row(1), PROMPT + 'a'.repeat(LINE_MAX - 1));
    m.type('b\n');
    const text = m.rows().join('');
    check('runs as an unknown command', text.includes(`unknown command: ${'a'.repeat(LINE_MAX - 1)}b`), text);
    m.type('echo ok\n');
    check('the shell goes on', m.rows().includes('ok'), m.rows().join('\n'));
  });

  group('userboot (hostile): scancodes that are not characters', () => {
    const m = boot(dir);
    m.type('x');
    const before = m.row(1);
    const junk = [
      0x00, 0xff, 0xfa, 0xaa, 0x01, 0x0f, 0x3b, 0x44, 0x57, 0x58, 0x59, 0x7f, // error, ack, Esc, Tab, F-keys, beyond
      0x47, 0x48, 0x4e, 0x52,                 // keypad without Num Lock
      0xe0, 0x48, 0xe0, 0xc8,                 // Up, make and break
      0xe0, 0x1c, 0xe0, 0x9c,                 // keypad Enter: not Enter
      0xe0, 0x35, 0xe0, 0xb5,                 // keypad '/'
      0xe0, 0x2a, 0xe0, 0x37, 0xe0, 0xb7, 0xe0, 0xaa, // Print Screen (fake shifts)
      0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5,     // Pause
      0x9e, 0x9f,                             // breaks without makes
      -1, 256, 0x7fffffff, -0x80000000,       // not bytes at all
    ];
    m.keys(junk);
    eq('nothing typed', m.row(1), before);
    eq('no command ran', m.row(2), '');
    m.type('y');
    eq('keys work after: prefixes were all consumed, no shift stuck', m.row(1), PROMPT + 'xy');
    m.keys([SC.LCTRL, 0x2e, 0xae, SC.LCTRL | 0x80]);
    eq('Ctrl+C types nothing', m.row(1), PROMPT + 'xy');
    m.type('c');
    eq('c after Ctrl is released', m.row(1), PROMPT + 'xyc');
  });

  group('userboot (hostile): 20000 random scancodes and ticks', () => {
    const m = boot(dir);
    let seed = 12345; // a fixed xorshift sequence, so a failure repeats
    const next = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed >>> 0; };
    for (let i = 0; i < 20000; i++) {
      if (next() % 16 === 0) m.x.tick();
      else m.x.press_key(next() % 7 === 0 ? SC.ENTER : next() & 0xff);
    }
    check('title kept', m.row(0).startsWith(' Atoll 0.1'), m.row(0));
    eq('exactly one cursor cell', m.screen.filter((b, i) => i % 2 === 1 && b === 0x70).length, 1);
    // Back to a known state: bytes that a pending 0xE0/0xE1 prefix may
    // swallow (breaks of unused keys), modifiers let go, the line emptied.
    m.keys([0xd0, 0xd0, SC.LSHIFT | 0x80, SC.RSHIFT | 0x80, SC.LCTRL | 0x80]);
    m.type('\b'.repeat(80) + 'a');
    const [r, c] = m.cursor();
    if (m.row(r)[c - 1] === 'A') m.keys([SC.CAPS, SC.CAPS | 0x80]); // Caps Lock was on
    m.type('\b\nclear\necho alive\n');
    eq('the shell still answers', m.row(2), 'alive');
  });

  group('userboot (hostile): no screen, or one too small', () => {
    for (const size of [0, 100]) {
      const m = boot(dir, { screenBytes: size });
      eq(`screen ${size}: init returns 0`, m.initResult, 0);
      check(`screen ${size}: says so in the log`, m.k.log.includes('serial only'), m.k.log);
      m.type('echo still here\n');
      check(`screen ${size}: the shell works on serial`, m.k.log.includes('\nstill here\n'), m.k.log);
      check(`screen ${size}: never wrote the screen`, !m.k.calls.vma_write, m.k.calls.vma_write);
    }
  });
}
