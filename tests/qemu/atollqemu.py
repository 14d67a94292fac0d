"""Boot Atoll under QEMU for tests: serial captured, monitor on a socket,
isa-debug-exit for results, and a deadline on everything.

    with Boot(append="test=heap_stress") as b:
        code = b.wait_exit(60)          # 33 pass, 35 fail, 37 panic
        assert "1 passed" in b.serial

The kernel is booted through Multiboot1 (`-kernel build/atoll.elf`, with
-append and -initrd) unless iso= is given (GRUB, Multiboot2). TCG is the
default accelerator: on the machines this project runs on, nested KVM is
far slower (see FACTS.md); set ATOLL_KVM=1 to try KVM elsewhere.
"""
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("BUILD", os.path.join(ROOT, "build"))
if not os.path.isabs(BUILD):
    BUILD = os.path.join(ROOT, BUILD)
KERNEL = os.path.join(BUILD, "atoll.elf")
ISO = os.path.join(BUILD, "atoll.iso")
OVMF = "/usr/share/ovmf/OVMF.fd"

EXIT_PASS, EXIT_FAIL, EXIT_PANIC = 33, 35, 37


class BootError(Exception):
    pass


def terminal_text(raw):
    """raw serial output with the terminal's erasures applied: "\b \b"
    removes the character before it on its line, and "\r\n" is "\n"."""
    raw = raw.replace("\r\n", "\n")
    if "\b \b" not in raw:
        return raw
    pieces = raw.split("\b \b")
    out = [pieces[0]]
    for part in pieces[1:]:
        j = len(out) - 1
        while j > 0 and not out[j]:
            j -= 1
        if out[j] and out[j][-1] != "\n":
            out[j] = out[j][:-1]
        out.append(part)
    return "".join(out)


class Boot:
    """One QEMU instance. Use as a context manager: QEMU is always killed."""

    def __init__(self, append="", modules=(), iso=None, uefi=False, memory="256M",
                 cpu="max", timeout=120, extra=(), kernel=KERNEL, smp=1, serial_input=False):
        self.tmp = tempfile.mkdtemp(prefix="atoll-qemu-")
        self.monitor_path = os.path.join(self.tmp, "monitor.sock")
        self.serial_path = os.path.join(self.tmp, "serial.log")
        self.timeout = timeout
        self.started = time.monotonic()
        # The modules' command lines as the kernel receives them.
        self.modules = self._stage_modules(modules) if modules and not iso else list(modules)
        # serial_input: the serial line is a pair of FIFOs (QEMU's pipe
        # chardev), so that serial_write can type into it; a thread copies
        # what the guest sends to serial.log, as the file backend would.
        self._serial_in = None
        if serial_input:
            base = os.path.join(self.tmp, "serial")
            os.mkfifo(base + ".in")
            os.mkfifo(base + ".out")
            serial_args = ["-chardev", "pipe,id=ser0,path=" + base, "-serial", "chardev:ser0"]
        else:
            serial_args = ["-serial", "file:" + self.serial_path]
        args = ["qemu-system-x86_64", "-m", memory, "-display", "none", "-no-reboot",
                "-smp", str(smp)] + serial_args + [
                "-monitor", "unix:%s,server,nowait" % self.monitor_path,
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        if os.environ.get("ATOLL_KVM") == "1":
            args += ["-enable-kvm", "-cpu", "host,-arch-capabilities"]
        else:
            args += ["-cpu", cpu]
        if uefi:
            args += ["-bios", OVMF]
        if iso:
            args += ["-cdrom", iso]
        else:
            # QEMU puts the kernel's file name first on its command line
            # (512 bytes kept): a short link keeps that independent of
            # where the build lies, as for modules below.
            os.symlink(os.path.abspath(kernel), os.path.join(self.tmp, "atoll.elf"))
            args += ["-kernel", "atoll.elf"]
            if append:
                args += ["-append", append]
            if modules:
                # QEMU's Multiboot1 -initrd: "file args,file args"; a comma
                # in a path or argument is written ",,".
                args += ["-initrd", ",".join(m.replace(",", ",,") for m in self.modules)]
        args += list(extra)
        self.args = args
        self.proc = subprocess.Popen(args, cwd=self.tmp, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self._qemu_out = b""
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()
        self._mon = None
        if serial_input:
            # Opened read-write: neither open waits for QEMU's.
            self._serial_in = os.open(base + ".in", os.O_RDWR)
            out = os.open(base + ".out", os.O_RDWR)
            threading.Thread(target=self._copy_serial, args=(out,), daemon=True).start()

    def _copy_serial(self, fd):
        with open(self.serial_path, "ab", buffering=0) as log:
            while True:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    return
                if not chunk:
                    return
                log.write(chunk)

    def serial_write(self, data, gap=0.0):
        """Types data (str or bytes) into the serial line, byte by byte
        gap seconds apart (0: at once). Needs serial_input=True."""
        assert self._serial_in is not None, "Boot(serial_input=True) is needed"
        if isinstance(data, str):
            data = data.encode()
        if not gap:
            os.write(self._serial_in, data)
            return
        for i in range(len(data)):
            os.write(self._serial_in, data[i:i + 1])
            time.sleep(gap)

    def _stage_modules(self, modules):
        """Links each module "FILE ARGS" as <i>/<basename of FILE> in this
        boot's folder (QEMU's working directory) and returns "<i>/<basename>
        ARGS" for each. QEMU makes "FILE ARGS" the module's command line,
        which the kernel keeps up to 255 bytes of: this way it is as long
        wherever the repository or the temporary folder lies. The basename
        stays, since a module with no NAME argument is named after it.
        Relative FILEs are taken from the caller's working directory."""
        staged = []
        for i, m in enumerate(modules):
            path, sep, rest = m.partition(" ")
            os.mkdir(os.path.join(self.tmp, str(i)))
            short = os.path.join(str(i), os.path.basename(path))
            os.symlink(os.path.abspath(path), os.path.join(self.tmp, short))
            staged.append(short + sep + rest)
        return staged

    def _drain(self):
        for chunk in iter(lambda: self.proc.stdout.read(4096), b""):
            self._qemu_out += chunk

    # -- serial ---------------------------------------------------------
    @property
    def serial(self):
        """What the serial line showed, as a terminal would: userboot's
        console reaches it as a terminal stream ("\r\n" line ends, "\b \b"
        to erase the character before the cursor), here resolved to text."""
        try:
            with open(self.serial_path, "rb") as f:
                raw = f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""
        return terminal_text(raw)

    @property
    def qemu_output(self):
        return self._qemu_out.decode("utf-8", "replace")

    def wait_for(self, text, timeout=None):
        """Waits until `text` appears on serial; False on timeout or exit."""
        deadline = time.monotonic() + (timeout if timeout is not None else self.timeout)
        while time.monotonic() < deadline:
            if text in self.serial:
                return True
            if self.proc.poll() is not None:
                return text in self.serial
            time.sleep(0.02)
        return False

    def wait_exit(self, timeout=None):
        """Waits for QEMU to exit and returns its status; kills it on timeout
        and returns None."""
        try:
            return self.proc.wait(timeout if timeout is not None else self.timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    # -- monitor --------------------------------------------------------
    def monitor(self, command, timeout=10):
        """Sends a human-monitor command and returns its output."""
        if self._mon is None:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    s.connect(self.monitor_path)
                    break
                except OSError:
                    s.close()
                    if time.monotonic() > deadline or self.proc.poll() is not None:
                        raise BootError("no QEMU monitor at " + self.monitor_path)
                    time.sleep(0.05)
            s.settimeout(timeout)
            self._mon = s
            self._read_prompt()
        self._mon.sendall((command + "\n").encode())
        return self._read_prompt()

    def _read_prompt(self):
        buf = b""
        while not buf.endswith(b"(qemu) "):
            chunk = self._mon.recv(4096)
            if not chunk:
                break
            buf += chunk
        text = buf.decode("utf-8", "replace")
        # Drop the echoed command line and the prompt.
        lines = text.replace("\r", "").split("\n")
        return "\n".join(l for l in lines[1:-1] if not l.startswith("QEMU "))

    # The screen is read with screen_ocr.read_screen(boot, mode): VGA text
    # cells or a framebuffer screendump decoded glyph by glyph.

    def send_keys(self, keys, gap=0.15, hold=None):
        """Presses keys one by one (monitor names: 'a', 'ret', 'shift-7'),
        each held hold ms (QEMU's default: 100)."""
        for k in keys:
            self.monitor("sendkey " + k + (" %d" % hold if hold else ""))
            time.sleep(gap)

    # -- teardown -------------------------------------------------------
    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self._serial_in is not None:
            os.close(self._serial_in)
            self._serial_in = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        if self._mon:
            self._mon.close()
        return False

    def elapsed(self):
        return time.monotonic() - self.started


def run_ktest(names, timeout=120, **kw):
    """Boots with test=names and returns (exit status, serial output)."""
    with Boot(append="test=" + names, timeout=timeout, **kw) as b:
        code = b.wait_exit()
        return code, b.serial


def make_iso(cmdline="", modules=(), gfxpayload=None):
    """A GRUB ISO of build/atoll.elf with its own kernel command line, boot
    modules ((path, module command line) pairs) and, under UEFI, video
    mode. Returns its path; the caller may remove its folder."""
    if not os.path.exists(KERNEL):
        raise BootError("%s is missing: run make kernel" % KERNEL)
    tmp = tempfile.mkdtemp(prefix="atoll-iso-")
    root = os.path.join(tmp, "root")
    os.makedirs(os.path.join(root, "boot", "grub"))
    shutil.copy(KERNEL, os.path.join(root, "boot", "atoll.elf"))
    lines = []
    for path, cmd in modules:
        shutil.copy(path, os.path.join(root, "boot", os.path.basename(path)))
        lines.append("  module2 /boot/%s %s\n" % (os.path.basename(path), cmd))
    with open(os.path.join(root, "boot", "grub", "grub.cfg"), "w") as f:
        f.write("set timeout=0\nset default=0\ninsmod all_video\n")
        if gfxpayload:
            f.write("set gfxpayload=%s\n" % gfxpayload)
        f.write('menuentry "Atoll" {\n  multiboot2 /boot/atoll.elf %s\n%s  boot\n}\n'
                % (cmdline, "".join(lines)))
    iso = os.path.join(tmp, "atoll.iso")
    r = subprocess.run(["grub-mkrescue", "-o", iso, root],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    if r.returncode != 0:
        raise BootError("grub-mkrescue failed:\n" + r.stdout.decode(errors="replace"))
    return iso
