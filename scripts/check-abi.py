#!/usr/bin/env python3
"""check-abi.py -- the copies of the Coral interface against its one table.

abi/coral.def describes the `coral` import module: functions with their
types, result codes, object kinds, component states, the keys of
component_info, component_limit and sys_info, and userboot's grants. The
kernel is built from it; the other sides write the same facts by hand in
their own language, so this script compares each with the table:

  kernel     kern/coral.c, component.h, object.h and userboot.h take their
             numbers from the table, and type none themselves
  env.wat    imports each coral function with exactly the table's types,
             no other, and exports its SDK version (atoll_NAME)
  atoll.h    constants (and program_abi.h's boot grants) with the table's
             names and values, none extra; a declaration of every function
             with the SDK's signature
  atoll.rs   the same constants and extern declarations, in Rust
  the mock   tests/user/coral_mock.mjs implements every function; its
             constants have the table's values
  abi.md     a section per function, under Coral's interface or Atoll's
             extensions, with the table's signature; each key table lists
             exactly the table's keys

The SDK's signature of a function: its parameters (a handle as an SDK
index), then an out pointer per result after the first, which is returned.

Prints each failure, then "N passed, N failed"; exits 1 on any failure.
Usage: scripts/check-abi.py [ROOT]   (default: the repository holding it)
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))

passed = 0
failed = 0


def check(ok, what):
    """Counts one check; prints it when it fails."""
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what)
    return ok


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


# ---- the table ----------------------------------------------------------

TYPES = {"I32": "i32", "I64": "i64", "EXT": "externref"}
KEY_MACROS = ["CORAL_RESULT", "CORAL_KIND", "CORAL_STATUS", "CORAL_INFO",
              "CORAL_LIMIT", "CORAL_SYS_INFO", "CORAL_BOOT_GRANT", "CORAL_RIGHT",
              "CORAL_SIGNAL"]


def macro_args(text, start):
    """The arguments of the macro call whose '(' is just before start, split
    at top-level commas; and where the call ends."""
    args, cur, depth, i = [], "", 1, start
    while depth:
        c = text[i]
        if c == '"':
            j = text.index('"', i + 1)
            cur += text[i:j + 1]
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if not depth:
                break
        if c == "," and depth == 1:
            args.append(cur.strip())
            cur = ""
        else:
            cur += c
        i += 1
    args.append(cur.strip())
    return args, i + 1


def unquote(s):
    if not (len(s) >= 2 and s[0] == '"' and s[-1] == '"'):
        raise ValueError("expected a string: " + s)
    return s[1:-1]


def types(s):
    words = s.split()
    if words == ["NONE"]:
        return []
    return [TYPES[w] for w in words]


def parse_table():
    text = re.sub(r"/\*.*?\*/", " ", read("abi/coral.def"), flags=re.S)
    text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#"))
    funcs, keys = [], {m: [] for m in KEY_MACROS}
    pos = 0
    for m in re.finditer(r"\b(CORAL_[A-Z_]+)\s*\(", text):
        if m.start() < pos:
            continue
        args, pos = macro_args(text, m.end())
        if m.group(1) == "CORAL_FUNC":
            origin, name, handler, params, pnames, results, doc = args
            funcs.append(dict(origin=origin, name=name, handler=handler,
                              params=types(params), pnames=unquote(pnames).split(),
                              results=types(results), doc=unquote(doc)))
        elif m.group(1) in keys:
            name, value, doc = args
            keys[m.group(1)].append((name, int(value, 0), unquote(doc)))
        else:
            raise ValueError("abi/coral.def: unknown macro " + m.group(1))
    return funcs, keys


def check_table(funcs, keys):
    names = [f["name"] for f in funcs]
    check(len(set(names)) == len(names), "abi/coral.def: a function name repeats")
    for f in funcs:
        check(f["origin"] in ("CORAL", "ATOLL"), "abi/coral.def: %s: origin %s"
              % (f["name"], f["origin"]))
        check(len(f["pnames"]) == len(f["params"]),
              "abi/coral.def: %s: %d parameter names for %d types"
              % (f["name"], len(f["pnames"]), len(f["params"])))
    for macro, entries in keys.items():
        check(entries, "abi/coral.def: no %s entries" % macro)
        for what in (0, 1):
            col = [e[what] for e in entries]
            check(len(set(col)) == len(col), "abi/coral.def: %s: a %s repeats"
                  % (macro, "name" if what == 0 else "value"))


# ---- the kernel ---------------------------------------------------------

def check_kernel(funcs):
    coral = read("kern/coral.c")
    handlers = coral + "".join(read(os.path.join("kern", n))
                               for n in sorted(os.listdir(os.path.join(ROOT, "kern")))
                               if n.startswith("coral_") and n.endswith(".c"))
    for f in funcs:
        check(re.search(r"^int %s\(void \*env, uint64_t \*vals\)" % f["handler"], handlers,
                        re.M),
              "kern/coral*.c: no handler %s for %s" % (f["handler"], f["name"]))
    # Each kernel file that numbers part of the ABI does it from the table.
    users = {"kern/coral.c": ["CORAL_FUNC", "CORAL_SYS_INFO"],
             "kern/component.h": ["CORAL_RESULT", "CORAL_STATUS", "CORAL_INFO", "CORAL_LIMIT"],
             "kern/object.h": ["CORAL_KIND", "CORAL_RIGHT", "CORAL_SIGNAL"],
             "kern/userboot.h": ["CORAL_BOOT_GRANT"]}
    for path, macros in users.items():
        text = read(path)
        for macro in macros:
            check(re.search(r"#define %s\((?:.*\\\n)*.*\n#include \"abi/coral.def\"" % macro,
                            text),
                  "%s: does not build its %s names from abi/coral.def" % (path, macro))
    # ... and none types a number of its own.
    owned = re.compile(r"\b(CORAL_(OK|E[A-Z]+)|KOBJ_[A-Z]+|COMPONENT_(STATUS|INFO|LIMIT)_\w+"
                       r"|SYS_INFO_\w+|USERBOOT_GRANT_\w+|RIGHT_[A-Z]+|SIGNAL_[A-Z_]+)\s*=\s*[-(\d]")
    for path in sorted(os.listdir(os.path.join(ROOT, "kern"))):
        if path.endswith((".c", ".h")):
            for n, line in enumerate(read("kern/" + path).splitlines(), 1):
                if owned.search(line):
                    check(False, "kern/%s:%d: an ABI number typed by hand: %s"
                          % (path, n, line.strip()))
    body = re.search(r"^int sys_sys_info\(.*?\n}\n", coral, re.S | re.M)
    check(body and not re.search(r"case\s+-?\d", body.group(0)),
          "kern/coral.c: sys_sys_info switches on numbers instead of SYS_INFO_* names")


# ---- env.wat ------------------------------------------------------------

def wat_parse(text):
    """The WAT text as nested lists of atoms (comments dropped)."""
    text = re.sub(r"\(;.*?;\)", " ", text, flags=re.S)
    toks = re.findall(r'"(?:[^"\\]|\\.)*"|;;[^\n]*|[()]|[^\s()";]+', text)
    stack = [[]]
    for t in toks:
        if t.startswith(";;"):
            continue
        if t == "(":
            stack.append([])
        elif t == ")":
            done = stack.pop()
            stack[-1].append(done)
        else:
            stack[-1].append(t)
    return stack[0]


def wat_sig(form):
    """(params, results) of a func form: the types in its leading param and
    result lists, names skipped."""
    params, results = [], []
    for child in form:
        if isinstance(child, list) and child and child[0] in ("param", "result"):
            ts = [a for a in child[1:] if isinstance(a, str) and not a.startswith("$")]
            (params if child[0] == "param" else results).extend(ts)
        elif isinstance(child, list) and child and child[0] not in ("export", "type"):
            break
    return params, results


def sdk_sig(f):
    """The SDK's version of f: (params, out pointers, return type), in
    kinds "handle", "i32", "i64"."""
    kind = {"externref": "handle", "i32": "i32", "i64": "i64"}
    params = [kind[t] for t in f["params"]]
    outs = ["*" + kind[t] for t in f["results"][1:]]
    ret = kind[f["results"][0]] if f["results"] else "void"
    return params + outs, ret


def check_env_wat(funcs):
    path = "user/sdk/env.wat"
    module = next(x for x in wat_parse(read(path)) if isinstance(x, list) and x[0] == "module")
    imports, exports = {}, {}
    for form in module:
        if not isinstance(form, list) or not form:
            continue
        if form[0] == "import" and form[1] == '"coral"':
            desc = form[3]
            if desc[0] == "func":
                imports[form[2].strip('"')] = wat_sig(desc)
        elif form[0] == "func":
            for child in form:
                if isinstance(child, list) and child[:1] == ["export"]:
                    exports[child[1].strip('"')] = wat_sig(form)
    for f in funcs:
        got = imports.get(f["name"])
        check(got == (f["params"], f["results"]),
              "%s: coral.%s is %s, the table says %s" % (path, f["name"], got,
                                                       (f["params"], f["results"])))
        params, ret = sdk_sig(f)
        want = (["i64" if p == "i64" else "i32" for p in params],
                [] if ret == "void" else ["i64" if ret == "i64" else "i32"])
        got = exports.get("atoll_" + f["name"])
        check(got == want, "%s: export atoll_%s is %s, the SDK signature is %s"
              % (path, f["name"], got, want))
    for name in imports:
        check(name in {f["name"] for f in funcs},
              "%s: imports coral.%s, which the table does not have" % (path, name))


# ---- constants in C, Rust and JavaScript --------------------------------

# Per key table: the names atoll.h (or program_abi.h), atoll.rs and the mock
# give its entries; a pattern for names that would be extra entries.
SIDES = {
    "CORAL_RESULT": dict(c="ATOLL_{}", rust="{}", mock="{}", extra=r"(OK|E[A-Z]+)$"),
    "CORAL_KIND": dict(c="ATOLL_KIND_{}", rust="KIND_{}", mock="KIND_{}", extra=r"KIND_\w+$"),
    "CORAL_STATUS": dict(c="ATOLL_STATE_{}", rust="STATE_{}", mock="{}",
                         extra=r"STATE_\w+$"),
    "CORAL_INFO": dict(c="ATOLL_COMP_{}", rust="COMP_{}", extra=r"COMP_\w+$"),
    "CORAL_LIMIT": dict(c="ATOLL_LIMIT_{}", rust="LIMIT_{}", extra=r"LIMIT_\w+$"),
    "CORAL_SYS_INFO": dict(c="ATOLL_INFO_{}", rust="INFO_{}", extra=r"INFO_\w+$"),
    "CORAL_BOOT_GRANT": dict(c="ATOLL_BOOT_GRANT_{}", c_file="user/sdk/program_abi.h",
                             rust="BOOT_GRANT_{}", extra=r"BOOT_GRANT_\w+$"),
    "CORAL_RIGHT": dict(c="ATOLL_RIGHT_{}", rust="RIGHT_{}", mock="RIGHT_{}",
                        extra=r"RIGHT_[A-Z]+$"),
    "CORAL_SIGNAL": dict(c="ATOLL_SIGNAL_{}", rust="SIGNAL_{}", mock="SIGNAL_{}",
                         extra=r"SIGNAL_\w+$"),
}


def c_constants(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    consts = {}
    for m in re.finditer(r"\b(ATOLL_\w+)\s*=\s*(-?\w+)\s*[,}]", text):
        consts[m.group(1)] = m.group(2)
    for m in re.finditer(r"#define\s+(ATOLL_\w+)\s+(-?\w+)\s*$", text, re.M):
        consts[m.group(1)] = m.group(2)
    return consts


def rust_constants(text):
    return {m.group(1): m.group(2) for m in re.finditer(
        r"^\s*(?:pub\s+)?const\s+(\w+)\s*:\s*i32\s*=\s*(-?\w+)\s*;", text, re.M)}


def mock_constants(text):
    consts = {}
    for line in re.findall(r"^export const (.*);", text, re.M):
        for m in re.finditer(r"(\w+)\s*=\s*(-?\d+)\b", line):
            consts[m.group(1)] = m.group(2)
    return consts


def as_int(s):
    try:
        return int(s.rstrip("uU"), 0)
    except ValueError:
        return None


def check_constants(keys):
    files = {"user/sdk/atoll.h": c_constants(read("user/sdk/atoll.h")),
             "user/sdk/program_abi.h": c_constants(read("user/sdk/program_abi.h")),
             "user/sdk/rust/atoll.rs": rust_constants(read("user/sdk/rust/atoll.rs")),
             "tests/user/coral_mock.mjs": mock_constants(read("tests/user/coral_mock.mjs"))}
    for macro, entries in keys.items():
        side = SIDES[macro]
        places = [(side.get("c_file", "user/sdk/atoll.h"), side["c"], "ATOLL_"),
                  ("user/sdk/rust/atoll.rs", side["rust"], "")]
        if "mock" in side:
            places.append(("tests/user/coral_mock.mjs", side["mock"], ""))
        for path, fmt, prefix in places:
            consts = files[path]
            want = {fmt.format(name): value for name, value, _ in entries}
            for name, value in want.items():
                got = consts.get(name)
                check(got is not None and as_int(got) == value,
                      "%s: %s is %s, the table (%s) says %d" % (path, name, got, macro, value))
            if path == "tests/user/coral_mock.mjs":
                continue        # the mock's names are short; it has others
            extra = re.compile(prefix + side["extra"])
            for name in consts:
                if extra.match(name) and name not in want:
                    check(False, "%s: %s is not in the table (%s)" % (path, name, macro))


# ---- declarations in C and Rust -----------------------------------------

C_KINDS = {"atoll_handle": "handle", "int32_t": "i32", "int64_t": "i64", "void": "void"}
RUST_KINDS = {"i32": "i32", "i64": "i64", "*mut i32": "*i32", "*mut i64": "*i64"}


def c_decl(text, name):
    # An attribute may follow the parameters (atoll_exit's noreturn).
    m = re.search(r"ATOLL_IMPORT\(%s\)\s*(\w+)\s+%s\s*\((.*?)\)\s*"
                  r"(?:__attribute__\(\(\w+\)\)\s*)?;" % (name, name), text, re.S)
    if not m:
        return None
    params = []
    for p in m.group(2).split(","):
        p = " ".join(p.split())
        if p == "void":
            continue
        pm = re.match(r"(\w+)\s*(\*?)\s*\w+$", p)
        if not pm:
            return "unparsed parameter " + p
        params.append(pm.group(2) + C_KINDS.get(pm.group(1), pm.group(1)))
    return params, C_KINDS.get(m.group(1), m.group(1))


def rust_decl(text, name):
    m = re.search(r"\bfn\s+%s\s*\((.*?)\)\s*(?:->\s*(\w+))?\s*;" % name, text, re.S)
    if not m:
        return None
    params = []
    for p in filter(None, (p.strip() for p in m.group(1).split(","))):
        t = " ".join(p.split(":", 1)[1].split())
        params.append(RUST_KINDS.get(t, t))
    return params, m.group(2) or "void"


def check_declarations(funcs):
    atoll_h = read("user/sdk/atoll.h")
    rust = read("user/sdk/rust/atoll.rs")
    for f in funcs:
        name = "atoll_" + f["name"]
        params, ret = sdk_sig(f)
        got = c_decl(atoll_h, name)
        check(got == (params, ret), "user/sdk/atoll.h: %s is %s, the SDK signature is %s"
              % (name, got, (params, ret)))
        # Rust has no handle type: an SDK index is an i32.
        rparams = [p.replace("handle", "i32") for p in params]
        got = rust_decl(rust, name)
        check(got == (rparams, ret.replace("handle", "i32")),
              "user/sdk/rust/atoll.rs: %s is %s, the SDK signature is %s"
              % (name, got, (rparams, ret)))


def check_mock(funcs):
    text = read("tests/user/coral_mock.mjs")
    for f in funcs:
        check(re.search(r"^\s+%s\(.*\)\s*\{" % f["name"], text, re.M),
              "tests/user/coral_mock.mjs: no function %s" % f["name"])


# ---- docs/abi.md --------------------------------------------------------

def md_sections(text):
    """[(level, title, body)] for every heading."""
    out, cur = [], None
    for line in text.splitlines():
        m = re.match(r"(#+) (.*)$", line)
        if m:
            cur = [len(m.group(1)), m.group(2).strip(), []]
            out.append(cur)
        elif cur:
            cur[2].append(line)
    return [(lvl, title, body) for lvl, title, body in out]


def md_first_table(body, column):
    """The cells of a column of the first table in body, as integers."""
    rows, seen = [], False
    for line in body:
        if line.startswith("|"):
            seen = True
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif seen:
            break
    values = []
    for r in rows[2:]:
        v = as_int(r[column]) if column < len(r) else None
        values.append(v if v is not None else r[column])
    return values


DOC_KEYS = {"CORAL_RESULT": ("Results", 0), "CORAL_KIND": ("Handles", 1),
            "CORAL_STATUS": ("component_status", 0), "CORAL_INFO": ("component_info", 0),
            "CORAL_LIMIT": ("component_limit", 0), "CORAL_SYS_INFO": ("sys_info", 0),
            "CORAL_RIGHT": ("Rights", 1), "CORAL_SIGNAL": ("Signals", 1)}
ORIGIN_TITLES = {"CORAL": "Coral's interface", "ATOLL": "Atoll's extensions"}
SIG = re.compile(r"`(\w+)\((.*?)\)(?: -> (.+?))?`$")


def doc_types(s):
    """([types], [names or None]) of "externref src, i64 len" or "(i32, i64)"."""
    s = s.strip()
    if s.startswith("(") and s.endswith(")"):
        s = s[1:-1]
    ts, ns = [], []
    for p in filter(None, (p.strip() for p in s.split(","))):
        w = p.split()
        ts.append(w[0])
        ns.append(w[1] if len(w) > 1 else None)
    return ts, ns


def check_docs(funcs, keys):
    path = "docs/abi.md"
    sections = md_sections(read(path))
    docs, part = {}, None
    for lvl, title, body in sections:
        if lvl == 2:
            part = title
        m = SIG.match(title) if lvl == 3 else None
        if m:
            docs[m.group(1)] = (part, m, body)
    by_name = {f["name"]: f for f in funcs}
    for f in funcs:
        d = docs.get(f["name"])
        if not check(d, "%s: no section for %s" % (path, f["name"])):
            continue
        part, m, _ = d
        check(part == ORIGIN_TITLES[f["origin"]], "%s: %s is under \"%s\", not \"%s\""
              % (path, f["name"], part, ORIGIN_TITLES[f["origin"]]))
        ptypes, pnames = doc_types(m.group(2))
        rtypes, _ = doc_types(m.group(3) or "")
        check(ptypes == f["params"] and rtypes == f["results"],
              "%s: %s is documented as (%s) -> (%s), the table says (%s) -> (%s)"
              % (path, f["name"], ", ".join(ptypes), ", ".join(rtypes),
                 ", ".join(f["params"]), ", ".join(f["results"])))
        check(all(n is None or n == w for n, w in zip(pnames, f["pnames"])),
              "%s: %s's parameters are named %s, the table says %s"
              % (path, f["name"], pnames, f["pnames"]))
    for name in docs:
        check(name in by_name, "%s: a section for %s, which the table does not have"
              % (path, name))
    for macro, (where, column) in DOC_KEYS.items():
        if where in docs:
            body = docs[where][2]
        else:
            body = next((b for lvl, t, b in sections if t == where), [])
        got = md_first_table(body, column)
        want = [value for _, value, _ in keys[macro]]
        check(sorted(got, key=str) == sorted(want, key=str),
              "%s: the table in %s lists %s, the table (%s) has %s"
              % (path, where, got, macro, want))
    body = "\n".join(next((b for lvl, t, b in sections if t.startswith("userboot")), []))
    for name, value, _ in keys["CORAL_BOOT_GRANT"]:
        check("handles[%d]" % value in body, "%s: userboot's section does not say what "
              "handles[%d] (%s) is" % (path, value, name))


def main():
    funcs, keys = parse_table()
    check_table(funcs, keys)
    check_kernel(funcs)
    check_env_wat(funcs)
    check_constants(keys)
    check_declarations(funcs)
    check_mock(funcs)
    check_docs(funcs, keys)
    print("check-abi: %d functions, %d keys in abi/coral.def"
          % (len(funcs), sum(len(e) for e in keys.values())))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
