# The kernel image: build/atoll.elf (Multiboot1+2) and build/atoll.iso.
#
# The kernel is linked twice: the first link has an empty .ksyms section,
# its symbols become the table of the second. .ksyms follows .data, so the
# second link moves no function (checked below).

KCC     ?= gcc
KLD     ?= ld
KOBJ    := $(BUILD)/kernel
KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
           -mno-red-zone -mcmodel=kernel -mgeneral-regs-only \
           -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
           -fno-asynchronous-unwind-tables -fno-common \
           -Wall -Wextra -Werror -nostdinc -isystem $(shell $(KCC) -print-file-name=include) \
           -I. -MMD -MP
KASFLAGS := $(filter-out -std=gnu11,$(KCFLAGS)) -D__ASSEMBLY__
KLDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments

KERNEL_DIRS := base boot arch/x86 mm kern dev lib tests/kernel
KERNEL_SRCS := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c $(d)/*.S))
KERNEL_OBJS := $(patsubst %,$(KOBJ)/%.o,$(KERNEL_SRCS))

# The Wasm engine, built with the kernel's flags into an archive: the link
# takes only the objects the kernel reaches, so engine parts whose host
# hooks the kernel does not provide yet cannot break it.
KENGINE_SRCS := $(sort $(wildcard wasm/*/*.c))
KENGINE_OBJS := $(patsubst %,$(KOBJ)/%.o,$(KENGINE_SRCS))
KENGINE_LIB  := $(KOBJ)/libwasm.a

$(KENGINE_LIB): $(KENGINE_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(KOBJ)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(KCC) $(KCFLAGS) -c $< -o $@

$(KOBJ)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(KCC) $(KASFLAGS) -c $< -o $@

$(KOBJ)/kernel.ld: boot/kernel.ld boot/boot.h
	@mkdir -p $(dir $@)
	$(KCC) -E -P -x c -I. -D__ASSEMBLY__ $< -o $@

$(KOBJ)/ksyms0.S: scripts/gen-ksyms.py
	@mkdir -p $(dir $@)
	python3 scripts/gen-ksyms.py > $@

$(KOBJ)/ksyms0.o: $(KOBJ)/ksyms0.S
	$(KCC) $(KASFLAGS) -c $< -o $@

$(KOBJ)/atoll.pass1.elf: $(KERNEL_OBJS) $(KENGINE_LIB) $(KOBJ)/ksyms0.o $(KOBJ)/kernel.ld
	$(KLD) $(KLDFLAGS) -T $(KOBJ)/kernel.ld -o $@ $(KERNEL_OBJS) $(KENGINE_LIB) $(KOBJ)/ksyms0.o

$(KOBJ)/ksyms.S: $(KOBJ)/atoll.pass1.elf scripts/gen-ksyms.py
	python3 scripts/gen-ksyms.py $< > $@

$(KOBJ)/ksyms.o: $(KOBJ)/ksyms.S
	$(KCC) $(KASFLAGS) -c $< -o $@

$(BUILD)/atoll.elf: $(KERNEL_OBJS) $(KENGINE_LIB) $(KOBJ)/ksyms.o $(KOBJ)/kernel.ld $(KOBJ)/atoll.pass1.elf
	$(KLD) $(KLDFLAGS) -T $(KOBJ)/kernel.ld -o $@ $(KERNEL_OBJS) $(KENGINE_LIB) $(KOBJ)/ksyms.o
	@nm -n $(KOBJ)/atoll.pass1.elf | grep ' [Tt] ' > $(KOBJ)/text1.sym; \
	 nm -n $@ | grep ' [Tt] ' > $(KOBJ)/text2.sym; \
	 cmp -s $(KOBJ)/text1.sym $(KOBJ)/text2.sym || \
	   { echo "kernel: the symbol table moved code between links"; rm -f $@; exit 1; }

-include $(KERNEL_OBJS:.o=.d) $(KENGINE_OBJS:.o=.d)

# ---- The ISO (GRUB, Multiboot2, BIOS and UEFI) ----

# Boot modules of the ISO, each "path" or "path:name" (the name the kernel
# knows it by; default: the file's name). The first program is USERBOOT,
# booted as the module named "userboot" (docs/design.md); USERBOOT_ENV, the C
# SDK's instance, goes with it and is instantiated only if userboot imports
# from "env". MODULES adds more.
USERBOOT     ?= $(BUILD)/user/userboot.wasm
USERBOOT_ENV ?= $(BUILD)/user/env.wasm
MODULES ?=
CMDLINE ?=
# The programs of the image, granted to userboot: the archive mk/programs.mk
# builds (PROGRAMS= adds to it), as the module named "programs".
PROGRAMS_TAR ?=
BOOT_MODULES = $(USERBOOT):userboot $(USERBOOT_ENV):env \
               $(if $(PROGRAMS_TAR),$(PROGRAMS_TAR):programs) $(MODULES)
BOOT_MODULE_FILES = $(foreach m,$(BOOT_MODULES),$(firstword $(subst :, ,$m)))

ISO_DIR := $(BUILD)/iso

# Module i is copied as boot/modules/i-FILE, so two files of one name
# cannot collide. The module list is expanded once every makefile is read
# (PROGRAMS_TAR comes from a later one).
.SECONDEXPANSION:
$(BUILD)/atoll.iso: $(BUILD)/atoll.elf $$(BOOT_MODULE_FILES) FORCE
	@rm -rf $(ISO_DIR) && mkdir -p $(ISO_DIR)/boot/grub $(ISO_DIR)/boot/modules
	cp $(BUILD)/atoll.elf $(ISO_DIR)/boot/atoll.elf
	@{ printf 'set timeout=0\nset default=0\ninsmod all_video\nmenuentry "Atoll" {\n'; \
	   printf '  multiboot2 /boot/atoll.elf %s\n' '$(CMDLINE)'; \
	   i=0; for m in $(BOOT_MODULES); do \
	     i=$$((i + 1)); f="$${m%%:*}"; n="$${m#*:}"; \
	     [ "$$n" = "$$m" ] && n="$$(basename "$$f")"; \
	     b="$$i-$$(basename "$$f")"; \
	     cp "$$f" "$(ISO_DIR)/boot/modules/$$b" || exit 1; \
	     printf '  module2 /boot/modules/%s %s\n' "$$b" "$$n"; \
	   done; \
	   printf '  boot\n}\n'; } > $(ISO_DIR)/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(ISO_DIR) 2>$(BUILD)/grub-mkrescue.log || { cat $(BUILD)/grub-mkrescue.log; exit 1; }

.PHONY: FORCE kernel
FORCE:
kernel: $(BUILD)/atoll.elf
iso: deps $(BUILD)/atoll.iso

ALL_TARGETS += $(BUILD)/atoll.iso

# ---- Running ----

QEMU      ?= qemu-system-x86_64
# 1 GiB: room for large programs (a 25 MB WASI module takes about 120 MiB
# while it compiles; bench/large/README.md), far from a real machine's.
QEMU_MEM  ?= 1G
OVMF      ?= /usr/share/ovmf/OVMF.fd
# A window when there is a display to show it on; serial on the terminal.
QEMU_DISPLAY := $(if $(DISPLAY)$(WAYLAND_DISPLAY),,-display none)
QEMU_ARGS = -m $(QEMU_MEM) -serial mon:stdio $(QEMU_DISPLAY) -no-reboot \
            -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
            $(if $(UEFI),-bios $(OVMF)) $(if $(KVM),-enable-kvm -cpu host$(comma)-arch-capabilities,-cpu max)
comma := ,

run: deps $(BUILD)/atoll.iso
	$(QEMU) $(QEMU_ARGS) -cdrom $(BUILD)/atoll.iso

debug: deps $(BUILD)/atoll.iso
	@echo "QEMU waits for GDB on :1234; in another terminal: gdb -x scripts/gdbinit"
	$(QEMU) $(QEMU_ARGS) -cdrom $(BUILD)/atoll.iso -s -S
-include mk/font.mk

# Boot-time figures (a benchmark, never a test).
.PHONY: bench-boot
bench-boot: deps $(BUILD)/atoll.elf $(BUILD)/atoll.iso
	python3 bench/boot/measure.py -n 5
