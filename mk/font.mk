# The kernel's 8x16 screen font (dev/font.h), generated from Debian's
# console-setup-linux font at build time: the font itself never enters the
# repository. Included after mk/kernel.mk, whose KERNEL_OBJS it extends.

FONT_PSF ?= /usr/share/consolefonts/Lat15-VGA16.psf.gz
FONT_C   := $(KOBJ)/gen/font8x16.c
FONT_OBJ := $(KOBJ)/gen/font8x16.c.o

# $(wildcard): a missing font is reported by the script, naming the package.
$(FONT_C): scripts/gen-font.py $(wildcard $(FONT_PSF))
	@mkdir -p $(dir $@)
	python3 scripts/gen-font.py $(FONT_PSF) > $@.tmp && mv $@.tmp $@

$(FONT_OBJ): $(FONT_C) dev/font.h
	$(KCC) $(KCFLAGS) -c $< -o $@

# The link recipes name $(KERNEL_OBJS), expanded when they run; their
# prerequisite lists were fixed when mk/kernel.mk was read, hence the line
# after.
KERNEL_OBJS += $(FONT_OBJ)
$(KOBJ)/atoll.pass1.elf $(BUILD)/atoll.elf: $(FONT_OBJ)
