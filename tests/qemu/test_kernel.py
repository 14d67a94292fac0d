"""The kernel core under QEMU: in-kernel tests, the fault reports, and
booting through both Multiboot paths with modules and odd machines."""
import os
import re
import tempfile

from atollqemu import EXIT_FAIL, EXIT_PANIC, EXIT_PASS, Boot, make_iso, run_ktest


def expect(cond, what, output):
    if not cond:
        tail = "\n".join(output.splitlines()[-40:])
        raise AssertionError("%s\n--- serial (last lines) ---\n%s" % (what, tail))


def test_ktests_all():
    code, out = run_ktest("all")
    expect(code == EXIT_PASS, "in-kernel tests failed (exit %s)" % code, out)
    m = re.search(r"^(\d+) passed, (\d+) failed$", out, re.M)
    expect(m and int(m.group(1)) >= 5 and m.group(2) == "0", "no summary line", out)


def test_unknown_test_name_fails():
    code, out = run_ktest("no_such_test")
    expect(code == EXIT_FAIL and "no test matches" in out, "unknown test not reported", out)


def fatal(name, *patterns):
    code, out = run_ktest(name)
    expect(code == EXIT_PANIC, "%s: expected a panic exit, got %s" % (name, code), out)
    expect(len(re.findall(r"^atoll: panic: ", out, re.M)) == 1, "%s: not one panic line" % name, out)
    for p in patterns:
        expect(re.search(p, out, re.M), "%s: report lacks /%s/" % (name, p), out)
    return out


def test_report_stack_overflow():
    # Caught on the page-fault IST stack, named, never a triple fault.
    fatal("stack_overflow",
          r"exception 14 \(#PF page fault\)",
          r"cr2 ffffc[0-9a-f]+ +\(not present, write, kernel\)",
          r"guard page of kernel stack 'kmain': kernel stack overflow",
          r"handler stack: page-fault IST",
          r"#0 +ffffffff[0-9a-f]+ +recurse_forever\+0x",
          r"repeated \d+ more times",
          r"ktest_run\+0x",
          r"^atoll: panic: kernel stack overflow on kernel stack 'kmain' at recurse_forever\+")


def test_report_guard_page():
    fatal("fault_guard_page",
          r"rip ffffffff[0-9a-f]+ +ktest_fn_fault_guard_page\+0x",
          r"cr2 is in the guard page of kernel stack 'test victim'$",
          r"^atoll: panic: access to the guard page of kernel stack 'test victim'")


def test_report_null_pointer():
    fatal("fault_null",
          r"cr2 0000000000000010 +\(not present, read, kernel\)",
          r"rax [0-9a-f]{16} rbx",
          r"^atoll: panic: page fault at ktest_fn_fault_null\+0x[0-9a-f]+ \(cr2 0x10")


def test_report_invalid_opcode():
    fatal("fault_invalid_opcode", r"exception 6 \(#UD invalid opcode\)",
          r"^atoll: panic: #UD invalid opcode at ktest_fn_fault_invalid_opcode\+0x")


def test_report_divide_error():
    fatal("fault_divide", r"exception 0 \(#DE divide error\)",
          r"^atoll: panic: #DE divide error at ktest_fn_fault_divide\+0x")


def test_report_panic_backtrace():
    fatal("panic_backtrace", r"#0 +ffffffff[0-9a-f]+ +deep_panic\+0x",
          r"repeated 2 more times", r"ktest_fn_panic_backtrace\+0x",
          r"^atoll: panic: deliberate panic from a test$")


def banner_checks(out, modules):
    expect(re.search(r"^Atoll \S+ \(x86_64\)", out, re.M), "no banner", out)
    expect(re.search(r"^  memory: \d+ MiB usable", out, re.M), "no memory line", out)
    expect(re.search(r"^  boot time: [\d.]+ ms since kernel entry", out, re.M), "no boot time", out)
    for i, (size, cmd) in enumerate(modules):
        expect(re.search(r'^    module %d: %d bytes at 0x[0-9a-f]+, "%s"$' % (i, size, re.escape(cmd)),
                         out, re.M), "module %d (%s) not listed" % (i, cmd), out)


def make_module(tmp, name, size):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(bytes(i % 251 for i in range(size)))
    return path


def test_multiboot1_modules():
    tmp = tempfile.mkdtemp()
    a = make_module(tmp, "a.bin", 5000)
    b = make_module(tmp, "b.bin", 123)
    with Boot(append="loglevel=3", modules=[a + " first arg", b]) as q:
        expect(q.wait_for("boot time:", 60), "no banner", q.serial)
        # The harness passes each file by a short link to it (see Boot).
        expect(q.modules == ["0/a.bin first arg", "1/b.bin"], "staged as %r" % q.modules, "")
        banner_checks(q.serial, [(5000, "0/a.bin first arg"), (123, "1/b.bin")])
        expect("Multiboot1 from qemu" in q.serial, "wrong protocol", q.serial)


def test_many_modules_are_counted():
    tmp = tempfile.mkdtemp()
    mods = [make_module(tmp, "m%d" % i, 10 + i) for i in range(40)]
    with Boot(modules=mods) as q:
        expect(q.wait_for("boot time:", 60), "no banner", q.serial)
        expect("modules: 32 (more were given than the kernel keeps)" in q.serial,
               "dropped modules not reported", q.serial)


# The smallest valid Wasm module: magic and version.
EMPTY_WASM = b"\0asm\1\0\0\0"


def test_module_deep_in_the_file_system():
    # A module's command line does not depend on where its file lies: one
    # more than 255 bytes of folders down is decoded like any other.
    tmp = tempfile.mkdtemp()
    deep = os.path.join(tmp, *["a-long-folder-name-%02d" % i for i in range(14)])
    os.makedirs(deep)
    path = os.path.join(deep, "empty.wasm")
    with open(path, "wb") as f:
        f.write(EMPTY_WASM)
    assert len(path) > 300
    with Boot(append="test=wasm_decode_modules", modules=[path + " valid"]) as q:
        code = q.wait_exit(60)
        expect(code == EXIT_PASS, "exit %s" % code, q.serial)
        expect("    1 modules" in q.serial, "module not decoded", q.serial)


def test_cut_module_command_line_is_an_error():
    # A module whose command line is longer than the kernel keeps is named
    # in a warning, and a test that reads verdicts from command lines fails
    # on it instead of skipping it unseen.
    tmp = tempfile.mkdtemp()
    path = make_module(tmp, "m.wasm", 0)
    with open(path, "wb") as f:
        f.write(EMPTY_WASM)
    mods = [path + " valid", path + " " + "x" * 300 + " valid"]
    with Boot(append="test=wasm_decode_modules", modules=mods) as q:
        code = q.wait_exit(60)
        out = q.serial
        expect(code == EXIT_FAIL, "exit %s" % code, out)
        expect("warning: boot: module 1's command line was cut" in out, "no boot warning", out)
        expect(re.search(r"module 1's command line was cut .*cannot tell what it should decode to",
                         out), "the test did not fail on module 1", out)


def test_userboot_with_a_cut_command_line_is_reported():
    # userboot is found by name: when the module that might be it has no
    # name, the kernel says which module and why, not just "no userboot".
    tmp = tempfile.mkdtemp()
    path = make_module(tmp, "userboot.wasm", 16)
    with Boot(append="loglevel=2", modules=[path + " " + "y" * 300 + " userboot"]) as q:
        expect(q.wait_for("userboot: not started; idling", 60), "no idling line", q.serial)
        expect('no boot module is named "userboot", and module 0\'s command line was cut'
               in q.serial, "module 0 not named", q.serial)


def test_long_command_line():
    with Boot(append="x" * 2000 + " test=all") as q:
        expect(q.wait_for("boot time:", 60), "no banner with a 2000-byte command line", q.serial)


def test_small_and_large_memory():
    for mem, lo in (("32M", 20), ("6G", 6000)):
        with Boot(append="test=heap_stress,region_8gib", memory=mem) as q:
            code = q.wait_exit(120)
            expect(code == EXIT_PASS, "-m %s: exit %s" % (mem, code), q.serial)
            m = re.search(r"memory: (\d+) MiB usable", q.serial)
            expect(m and int(m.group(1)) >= lo, "-m %s: memory not seen" % mem, q.serial)


def iso_boot(uefi):
    tmp = tempfile.mkdtemp()
    mod = make_module(tmp, "hello.txt", 777)
    iso = make_iso("loglevel=3", [(mod, "hello world")])
    with Boot(iso=iso, uefi=uefi) as q:
        expect(q.wait_for("boot time:", 120), "no banner (uefi=%s)" % uefi, q.serial)
        out = q.serial
        banner_checks(out, [(777, "hello world")])
        expect("Multiboot2 from GRUB" in out, "not booted by GRUB via Multiboot2", out)
        return out


def test_iso_bios():
    out = iso_boot(False)
    expect("screen: VGA text 80x25" in out, "BIOS boot is not in text mode", out)


def test_iso_uefi():
    out = iso_boot(True)
    expect(re.search(r"screen: framebuffer \d+x\d+, (24|32) bpp", out), "UEFI boot has no framebuffer", out)


def test_more_cpus_than_used():
    # The other CPUs stay parked in firmware; the boot CPU must not care.
    with Boot(append="test=all", smp=4) as q:
        code = q.wait_exit(120)
        expect(code == EXIT_PASS, "-smp 4: exit %s" % code, q.serial)
