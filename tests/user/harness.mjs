// harness.mjs — what the user tests share: pass/fail counting, the screen
// as text, and typing through PS/2 set-1 scancodes.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const results = { passed: 0, failed: 0 };

// One check: prints a line only when it fails (and a summary per group).
export function check(name, ok, detail = '') {
  if (ok) {
    results.passed++;
  } else {
    results.failed++;
    console.log(`FAIL ${name}${detail ? `: ${detail}` : ''}`);
  }
}

export function eq(name, got, want) {
  const ok = Object.is(got, want) || (typeof got === 'bigint' && got === want);
  check(name, ok, ok ? '' : `got ${JSON.stringify(String(got))}, want ${JSON.stringify(String(want))}`);
}

// Runs a group of checks; an exception counts as one failure.
export function group(name, fn) {
  const before = results.failed;
  try {
    fn();
  } catch (e) {
    check(`${name} (threw)`, false, e.stack);
  }
  console.log(`${results.failed === before ? 'ok  ' : 'FAIL'} ${name}`);
}

export function loadWasm(dir, name) {
  return readFileSync(join(dir, name));
}

// The 80x25 text screen: 2 bytes a cell, character then attribute.
export const COLS = 80, ROWS = 25;

export function screenRow(screen, r) {
  let s = '';
  for (let c = 0; c < COLS; c++) s += String.fromCharCode(screen[(r * COLS + c) * 2] || 0x20);
  return s.trimEnd();
}

export function screenRows(screen) {
  const rows = [];
  for (let r = 0; r < ROWS; r++) rows.push(screenRow(screen, r));
  return rows;
}

export function attrAt(screen, r, c) {
  return screen[(r * COLS + c) * 2 + 1];
}

// US layout set-1 make codes: [code, shifted] for each character.
const LAYOUT = [
  [0x02, '1!'], [0x03, '2@'], [0x04, '3#'], [0x05, '4$'], [0x06, '5%'], [0x07, '6^'],
  [0x08, '7&'], [0x09, '8*'], [0x0a, '9('], [0x0b, '0)'], [0x0c, '-_'], [0x0d, '=+'],
  [0x10, 'qQ'], [0x11, 'wW'], [0x12, 'eE'], [0x13, 'rR'], [0x14, 'tT'], [0x15, 'yY'],
  [0x16, 'uU'], [0x17, 'iI'], [0x18, 'oO'], [0x19, 'pP'], [0x1a, '[{'], [0x1b, ']}'],
  [0x1e, 'aA'], [0x1f, 'sS'], [0x20, 'dD'], [0x21, 'fF'], [0x22, 'gG'], [0x23, 'hH'],
  [0x24, 'jJ'], [0x25, 'kK'], [0x26, 'lL'], [0x27, ';:'], [0x28, '\'"'], [0x29, '`~'],
  [0x2b, '\\|'], [0x2c, 'zZ'], [0x2d, 'xX'], [0x2e, 'cC'], [0x2f, 'vV'], [0x30, 'bB'],
  [0x31, 'nN'], [0x32, 'mM'], [0x33, ',<'], [0x34, '.>'], [0x35, '/?'], [0x39, '  '],
];
const KEYS = new Map();
for (const [code, pair] of LAYOUT) {
  if (!KEYS.has(pair[0])) KEYS.set(pair[0], [code, false]);
  if (!KEYS.has(pair[1])) KEYS.set(pair[1], [code, true]);
}
export const SC = { ENTER: 0x1c, BACKSPACE: 0x0e, LSHIFT: 0x2a, RSHIFT: 0x36, CAPS: 0x3a, LCTRL: 0x1d };

// The scancodes (make and break) a keyboard sends for text; '\n' is Enter,
// '\b' Backspace. Shifted characters are wrapped in left Shift.
export function scancodes(text) {
  const out = [];
  for (const ch of text) {
    if (ch === '\n') { out.push(SC.ENTER, SC.ENTER | 0x80); continue; }
    if (ch === '\b') { out.push(SC.BACKSPACE, SC.BACKSPACE | 0x80); continue; }
    const k = KEYS.get(ch);
    if (!k) throw new Error(`no key for ${JSON.stringify(ch)}`);
    const [code, shift] = k;
    if (shift) out.push(SC.LSHIFT);
    out.push(code, code | 0x80);
    if (shift) out.push(SC.LSHIFT | 0x80);
  }
  return out;
}

// Assembles WebAssembly text with wabt's wat2wasm (a build dependency).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

export function wat(text) {
  const dir = mkdtempSync(join(tmpdir(), 'atoll-user-'));
  try {
    writeFileSync(join(dir, 'm.wat'), text);
    execFileSync('wat2wasm', [join(dir, 'm.wat'), '-o', join(dir, 'm.wasm')]);
    return readFileSync(join(dir, 'm.wasm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
