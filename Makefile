# ftvisor top-level build. `make run` and `make test` are the two commands a newcomer needs
# (see README.md); both install missing Debian packages first (as root).

CROSS ?= aarch64-linux-gnu-
HOSTPY ?= /usr/bin/python3
OUT := build
FUZZ_SECONDS ?= 30
# `make Q=` shows the full compiler commands.
Q ?= @

# The hypervisor: freestanding AArch64, ARMv8.0 (Phytium cores have no LSE, no VHE).
HYP_CC := $(CROSS)gcc
HYP_LD := $(CROSS)ld
HYP_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdinc \
	-isystem $(shell $(HYP_CC) -print-file-name=include 2>/dev/null) \
	-march=armv8-a -mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-fpie -fno-stack-protector -fno-common -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -Wall -Wextra -Werror -Wno-unused-parameter -Ihypervisor \
	-DFTVISOR_GIT='"$(shell git describe --always --dirty 2>/dev/null || echo unknown)"'
HYP_ASFLAGS := -march=armv8-a -Ihypervisor -D__ASSEMBLY__
HYP_LDFLAGS := -T hypervisor/arch/arm64/linker.ld -pie --no-dynamic-linker -z norelro \
	-z max-page-size=4096 --build-id=none -nostdlib

HYP_SRCS := $(sort $(wildcard hypervisor/arch/arm64/*.c hypervisor/arch/arm64/*.S \
	hypervisor/core/*.c hypervisor/drivers/*.c hypervisor/platform/*.c hypervisor/lib/*.c))
HYP_OBJS := $(patsubst %,$(OUT)/obj/%.o,$(HYP_SRCS))
HYP_DEPS := $(HYP_OBJS:.o=.d)

all: $(OUT)/ftvisor.bin

$(OUT)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(HYP_CC) $(HYP_CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(HYP_CC) $(HYP_ASFLAGS) -MMD -MP -c $< -o $@

$(OUT)/ftvisor.elf: $(HYP_OBJS) hypervisor/arch/arm64/linker.ld
	@echo "  LD      $@"
	$(Q)$(HYP_LD) $(HYP_LDFLAGS) -o $@ $(HYP_OBJS)
	@# head.S applies only R_AARCH64_RELATIVE (NONE is padding): refuse an image that needs anything else.
	@if $(CROSS)readelf -rW $@ | awk '/^ *[0-9a-f]+ +[0-9a-f]+ R_/ {print $$3}' | grep -qvE 'R_AARCH64_(RELATIVE|NONE)'; then \
		echo "error: $@ has relocations other than R_AARCH64_RELATIVE"; exit 1; fi

$(OUT)/ftvisor.bin: $(OUT)/ftvisor.elf
	$(Q)$(CROSS)objcopy -O binary $< $@
	@echo "ftvisor.bin: $$(stat -c %s $@) bytes"

-include $(HYP_DEPS)

# Guests, the host tool and the boot bundles (ftvisor.bin + configs/qemu-virt/NAME.dts).
MKIMAGE := $(OUT)/tools/ftvisor-mkimage
QEMU_BOARD_DTB := $(OUT)/boards/qemu-virt.dtb
CONFIGS := $(notdir $(basename $(wildcard configs/qemu-virt/*.dts)))
BUNDLES := $(patsubst %,$(OUT)/ftvisor-%.bin,$(CONFIGS))

guests:
	$(Q)$(MAKE) -s -C guests

$(MKIMAGE): $(wildcard tools/mkimage/*.[ch] tools/mkimage/Makefile hypervisor/platform/*.[ch] \
		hypervisor/lib/*.[ch] hypervisor/core/manifest.c hypervisor/core/bundle.h \
		hypervisor/core/ivc_layout.[ch] hypervisor/core/frame.[ch] include/ftvisor/*.h)
	$(Q)$(MAKE) -s -C tools/mkimage

tools: $(MKIMAGE)

# The board tree of the QEMU machine `make run` and the VM tests use (-smp 4 -m 2G).
$(QEMU_BOARD_DTB):
	@mkdir -p $(dir $@)
	$(Q)qemu-system-aarch64 -M virt,virtualization=on,gic-version=3,dumpdtb=$@ -cpu cortex-a72 \
		-smp 4 -m 2G -nographic -nic none >/dev/null

# Debian's arm64 kernel, static busybox and uio modules (cached in cache/, outside git), the
# IVC tools (tools/ivc: static AArch64 binaries), then the initramfs that holds them.
linux-images:
	$(Q)scripts/fetch-guest-images.sh
	$(Q)$(MAKE) -s -C tools/ivc
	$(Q)$(MAKE) -s -C guests/linux

$(OUT)/ftvisor-%.bin: configs/qemu-virt/%.dts $(OUT)/ftvisor.bin $(QEMU_BOARD_DTB) guests linux-images $(MKIMAGE)
	@echo "  MKIMAGE $@"
	$(Q)$(MKIMAGE) --hypervisor $(OUT)/ftvisor.bin --config $< --board $(QEMU_BOARD_DTB) -o $@

bundles: $(BUNDLES)

# The Phytium boards: each configs/{phytium-pi,ft2004,d2000}/NAME.dts checked against the board's
# real device tree (tests/data/dtb) and its whole boot planned (ftvisor-mkimage --plan) ->
# build/boards/BOARD-NAME.bin (the booti Image), BOARD-NAME.plan, and BOARD-NAME.uImage (legacy
# uImage for bootm, load/entry 0x90200000) only when u-boot-tools' mkimage is installed.
BOARD_TREE_phytium-pi := tests/data/dtb/phytiumpi_firefly-linux5.10.dtb
BOARD_TREE_ft2004 := tests/data/dtb/ft2004-devboard-d4-dsk-linux4.19.dtb
BOARD_TREE_d2000 := tests/data/dtb/d2000-devboard-dsk-linux4.19.dtb
BOARD_CONFIGS := $(sort $(wildcard configs/phytium-pi/*.dts configs/ft2004/*.dts configs/d2000/*.dts))

boards: $(OUT)/ftvisor.bin guests linux-images $(MKIMAGE)
	@mkdir -p $(OUT)/boards
	$(Q)set -e; for c in $(BOARD_CONFIGS); do \
		b=$$(basename $$(dirname $$c)); n=$$(basename $$c .dts); o=$(OUT)/boards/$$b-$$n; \
		case $$b in phytium-pi) t=$(BOARD_TREE_phytium-pi);; ft2004) t=$(BOARD_TREE_ft2004);; \
			d2000) t=$(BOARD_TREE_d2000);; esac; \
		echo "  MKIMAGE $$o.bin (plan: $$o.plan)"; \
		$(MKIMAGE) --hypervisor $(OUT)/ftvisor.bin --config $$c --board $$t --plan -o $$o.bin > $$o.plan \
			|| { cat $$o.plan; exit 1; }; \
		if command -v mkimage >/dev/null; then \
			mkimage -A arm64 -O linux -T kernel -C none -a 0x90200000 -e 0x90200000 \
				-n "ftvisor $$b-$$n" -d $$o.bin $$o.uImage >/dev/null; fi; \
	done
	@command -v mkimage >/dev/null || echo "boards: u-boot-tools (mkimage) not installed: no uImage, boot the .bin with booti"

deps:
	@scripts/install-deps.sh

run: deps all bundles
	IMAGE=$(OUT)/ftvisor-demo.bin scripts/run-qemu.sh

# Deterministic figures (-icount): bench/results/latest.{json,md,png}, change vs bench/baseline.json.
bench: deps all bundles
	$(HOSTPY) scripts/bench.py

# Where each exit path's instructions go (bench/PROFILE.md): bench/results/profile.{json,md}.
bench-profile: deps all bundles
	$(HOSTPY) scripts/exitprofile.py

unit: deps
	$(MAKE) -C tests/unit check

fuzz: deps
	$(MAKE) -C tests/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

tooltest: deps
	$(HOSTPY) -m pytest -v -p no:cacheprovider tests/tools

systest: deps all bundles
	cd tests/system && $(HOSTPY) -m pytest -v -p no:cacheprovider .

test: deps
	$(MAKE) all bundles boards
	$(MAKE) -C tests/unit check
	$(MAKE) -C tests/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)
	$(HOSTPY) -m pytest -v -p no:cacheprovider tests/tools tests/system

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(OUT)

.PHONY: all deps run bench bench-profile unit fuzz tooltest systest test format clean guests tools bundles boards linux-images
