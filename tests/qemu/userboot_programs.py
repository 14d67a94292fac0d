"""Builds the Wasm programs the userboot tests boot (tests/qemu/wasm/*.wat)
with wabt's wat2wasm, into a temporary folder."""
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
WAT_DIR = os.path.join(HERE, "wasm")
_tmp = None


def _dir():
    global _tmp
    if _tmp is None:
        _tmp = tempfile.mkdtemp(prefix="atoll-wasm-")
    return _tmp


def wat2wasm(src, name):
    """src: WAT text; returns the path of the binary."""
    wat = os.path.join(_dir(), name + ".wat")
    out = os.path.join(_dir(), name + ".wasm")
    with open(wat, "w") as f:
        f.write(src)
    r = subprocess.run(["wat2wasm", "--debug-names", wat, "-o", out], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    assert r.returncode == 0, "wat2wasm %s:\n%s" % (name, r.stdout.decode())
    return out


def build(name, wat_dir=WAT_DIR):
    with open(os.path.join(wat_dir, name + ".wat")) as f:
        return wat2wasm(f.read(), name)


BUILD = os.environ.get("BUILD", os.path.join(HERE, "..", "..", "build"))


def keyboard_modules():
    """The boot modules that give a Coral-style userboot its keys: the
    keyboard driver ps2kbd, which the kernel starts for it, and the SDK's
    env it imports ("FILE NAME" strings, as Boot's modules)."""
    files = [os.path.join(BUILD, "user", "programs", "ps2kbd.wasm"),
             os.path.join(BUILD, "user", "env.wasm")]
    for f in files:
        assert os.path.exists(f), "%s is missing: run make" % f
    return [files[0] + " ps2kbd", files[1] + " env"]


def wat_bytes(data):
    return "".join("\\%02x" % b for b in data)


def with_children(name, children, base=16384, wat_dir=WAT_DIR):
    """Builds WAT program `name` with the child programs' bytes in its
    memory: @CHILDREN@ becomes data segments and $<child>_off/_len
    globals (the "child_" prefix dropped; a (name, bytes) pair is taken as
    it is), and @LIB@ / @LIB_STARTED@ / @LIB_SPAWN@ the shared helpers of
    wasm/lib_checks.wat, wasm/lib_started.wat and wasm/lib_spawn.wat."""
    parts, off = [], base
    for child in children:
        if isinstance(child, tuple):        # (name, bytes): made by the caller
            short, data = child
        else:
            with open(build(child, wat_dir), "rb") as f:
                data = f.read()
            short = child[len("child_"):] if child.startswith("child_") else child
        parts.append('(global $%s_off i64 (i64.const %d)) (global $%s_len i64 (i64.const %d))'
                     % (short, off, short, len(data)))
        parts.append('(data (i32.const %d) "%s")' % (off, wat_bytes(data)))
        off += (len(data) + 15) & ~15
    with open(os.path.join(wat_dir, name + ".wat")) as f:
        src = f.read().replace("@CHILDREN@", "\n  ".join(parts))
    for marker, lib in (("@LIB@", "lib_checks.wat"), ("@LIB_STARTED@", "lib_started.wat"),
                        ("@LIB_SPAWN@", "lib_spawn.wat")):
        if marker in src:
            with open(os.path.join(WAT_DIR, lib)) as f:
                src = src.replace(marker, f.read())
    return wat2wasm(src, name)
