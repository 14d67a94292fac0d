#!/usr/bin/env python3
"""The kernel's layer order, checked (make check-layers, part of make test).

Each folder of the kernel is a layer and may use only layers below it, by
include and by call; docs/architecture.md draws the same order:

    lib < base < boot < arch/x86 < mm < dev < wasm < kern < tests/kernel

- A few headers hold only CPU instructions or types and include nothing of
  the project (LEAVES): any layer may include them. The boot code's call of
  kmain is the one call up (ENTRIES).
- The engine (wasm/) includes only its own headers, and calls out only
  through the host interface it declares (wasm/host.h: wasm_host_*, which
  kern/wasm_host.c implements) and the C routines of lib/. Inside it, a
  pipeline stage includes only itself and the stages before it (STAGES,
  the order of docs/engine.md's table); the public headers at the top of
  wasm/ come first. Calls between its objects follow the same order, but
  for the decoder handing each function body to the validator (HANDOFFS):
  a helper that both use lives in a stage below both.
- Calls are read from the kernel's objects (nm): a symbol an object uses
  must be defined by an object of its own layer or a lower one. Layers
  that must reach upward do it through a hook the upper layer registers
  (a function pointer), which no symbol table shows: that is the point.

    scripts/check-layers.py [BUILD_DIR]

Prints one line per violation and ends with "N passed, N failed".
"""
import os
import re
import subprocess
import sys

ORDER = ["lib", "base", "boot", "arch/x86", "mm", "dev", "wasm", "kern", "tests/kernel"]
RANK = {name: i for i, name in enumerate(ORDER)}
LEAVES = {"arch/x86/cpu.h", "arch/x86/io.h", "mm/phys.h"}
# The boot code hands over to the kernel by calling its main: the one call
# that goes up by design.
ENTRIES = {"kmain"}
# Generated data (the console font) belongs to the screen's layer.
GENERATED = {"gen": "dev"}
# The engine's folders in include order ("" is wasm/ itself: wasm.h, host.h).
STAGES = ["", "core", "decode", "validate", "x64", "runtime", "compile"]
# Decoding and validation are one pass: the decoder calls the validator on
# each body and frees its state, the only calls to a later stage. Nothing
# else may: a decoder helper defined in the validator makes a cycle.
HANDOFFS = {"wasm_validate_func", "wasm_vstate_free"}
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(path):
    """The layer of a path relative to the repository (None: not kernel)."""
    best = None
    for name in ORDER:
        if path == name or path.startswith(name + "/"):
            if best is None or len(name) > len(best):
                best = name
    return best


def stage_of(path):
    """The engine stage of a path under wasm/ (None: not a known stage)."""
    rest = path[len("wasm/"):]
    stage = rest.split("/")[0] if "/" in rest else ""
    return stage if stage in STAGES else None


def check_includes(root):
    passed, failures = 0, []
    for name in ORDER:
        folder = os.path.join(root, name)
        for dirpath, _, files in os.walk(folder):
            for f in sorted(files):
                if not f.endswith((".c", ".h", ".S", ".def")):
                    continue
                path = os.path.relpath(os.path.join(dirpath, f), root)
                mine = layer_of(path)
                with open(os.path.join(root, path), errors="replace") as fh:
                    text = fh.read()
                for inc in INCLUDE.findall(text):
                    if "/" not in inc or inc.startswith("."):
                        # relative to the file's folder: its own layer
                        target = os.path.normpath(os.path.join(os.path.dirname(path), inc))
                    else:
                        target = inc
                    theirs = layer_of(target)
                    if theirs is None:
                        continue            # a generated file or a system header
                    if mine == "wasm" and theirs != "wasm":
                        failures.append("%s includes %s: the engine includes no kernel header"
                                        % (path, inc))
                    elif mine == "wasm":
                        a, b = stage_of(path), stage_of(target)
                        if a is None or b is None or STAGES.index(b) > STAGES.index(a):
                            failures.append("%s includes %s: a later stage of the engine"
                                            " (or one not in STAGES)" % (path, inc))
                        else:
                            passed += 1
                    elif target in LEAVES or RANK[theirs] <= RANK[mine]:
                        passed += 1
                    else:
                        failures.append("%s (%s) includes %s (%s), a layer above it"
                                        % (path, mine, inc, theirs))
    return passed, failures


def symbols(obj):
    """(defined, undefined) global symbols of an object or archive."""
    out = subprocess.run(["nm", obj], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         universal_newlines=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBRWVG":
            defined.add(parts[2])
    return defined, undefined


def check_calls(build):
    kobj = os.path.join(build, "kernel")
    if not os.path.isdir(kobj):
        return 0, ["no kernel objects in %s: build the kernel first" % kobj]
    objects = {}
    for dirpath, _, files in os.walk(kobj):
        for f in files:
            if f.endswith(".o") or f == "libwasm.a":
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, kobj)
                top = rel.split("/")[0]
                layer = "wasm" if f == "libwasm.a" else GENERATED.get(top, layer_of(rel))
                # An object whose source is gone (moved) is stale: not linked.
                source = rel[:-2] if rel.endswith(".o") else None
                stale = source and top not in GENERATED and \
                    not os.path.exists(os.path.join(os.path.dirname(build), source)) and \
                    not os.path.exists(os.path.join(ROOT, source))
                if layer and not rel.startswith("wasm/") and not stale:
                    objects[rel] = (layer, symbols(path))
    where = {}
    for rel, (layer, (defined, _)) in objects.items():
        for sym in defined:
            where.setdefault(sym, layer)
    passed, failures = 0, []
    for rel, (layer, (_, undefined)) in sorted(objects.items()):
        for sym in sorted(undefined):
            theirs = where.get(sym)
            if theirs is None:
                continue                    # the linker script's symbols, ksyms
            if layer == "wasm":
                ok = theirs == "lib" or theirs == "wasm" or sym.startswith("wasm_host_")
            else:
                ok = RANK[theirs] <= RANK[layer] or (layer == "boot" and sym in ENTRIES)
            if ok:
                passed += 1
            else:
                failures.append("%s (%s) calls %s, defined in %s" % (rel, layer, sym, theirs))
    return passed, failures


def check_stage_calls(build):
    """The engine's objects call only their own stage and earlier ones."""
    kobj = os.path.join(build, "kernel")
    wobj = os.path.join(kobj, "wasm")
    if not os.path.isdir(wobj):
        return 0, ["no engine objects in %s: build the kernel first" % wobj]
    objects = {}
    for dirpath, _, files in os.walk(wobj):
        for f in files:
            if not f.endswith(".o"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, f), kobj)   # wasm/<stage>/x.c.o
            source = rel[:-2]
            if not os.path.exists(os.path.join(ROOT, source)):
                continue                    # stale: its source moved or went
            stage = stage_of(source)
            if stage is None:
                return 0, ["%s: engine folder not in STAGES" % source]
            objects[source] = (stage, symbols(os.path.join(dirpath, f)))
    where = {}
    for source, (stage, (defined, _)) in objects.items():
        for sym in defined:
            where.setdefault(sym, (stage, source))
    passed, failures = 0, []
    for source, (stage, (_, undefined)) in sorted(objects.items()):
        for sym in sorted(undefined):
            if sym not in where:
                continue                    # lib/ or the host interface
            theirs, their_source = where[sym]
            if STAGES.index(theirs) <= STAGES.index(stage) or sym in HANDOFFS:
                passed += 1
            else:
                failures.append("%s calls %s, defined in %s, a later stage of the engine"
                                % (source, sym, their_source))
    return passed, failures


def check_diagram(root):
    """docs/architecture.md's layer diagram names the layers of ORDER, top
    down, and every folder of kernel sources is one of them."""
    text = open(os.path.join(root, "docs", "architecture.md"), encoding="utf-8").read()
    m = re.search(r"## Layers\n.*?```\n(.*?)```", text, re.S)
    drawn = [l.split()[0] for l in (m.group(1).splitlines() if m else [])
             if l and not l[0].isspace()]
    passed, failures = 0, []
    if drawn == list(reversed(ORDER)):
        passed += 1
    else:
        failures.append("docs/architecture.md draws the layers %s, the order is %s"
                        % (" > ".join(drawn), " > ".join(reversed(ORDER))))
    for top in sorted(os.listdir(root)):
        if top in ("build", "host", "user", "tests", "bench", "scripts", "tools") or \
                top.startswith(".") or not os.path.isdir(os.path.join(root, top)):
            continue
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            if not any(f.endswith((".c", ".S")) for f in files):
                continue
            rel = os.path.relpath(dirpath, root)
            if any(rel == o or rel.startswith(o + "/") for o in ORDER):
                passed += 1
            else:
                failures.append("%s holds kernel sources but is no layer" % rel)
    return passed, failures


def main(argv):
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    build = argv[1] if len(argv) > 1 else os.path.join(root, "build")
    p1, f1 = check_includes(root)
    p2, f2 = check_calls(build)
    p3, f3 = check_stage_calls(build)
    p4, f4 = check_diagram(root)
    p3, f3 = p3 + p4, f3 + f4
    for line in f1 + f2 + f3:
        print("layers: " + line)
    print("%d passed, %d failed" % (p1 + p2 + p3, len(f1) + len(f2) + len(f3)))
    return 1 if f1 or f2 or f3 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
