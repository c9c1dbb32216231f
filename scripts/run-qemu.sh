#!/bin/sh
# Boot build/ftvisor.bin on QEMU's virt machine with EL2 and a GICv3, console on stdio.
# Settings come from the environment so tests and `make run` share one command line:
#   SMP (4)  MEM (2G)  CPU (cortex-a72)  APPEND (hypervisor bootargs)  IMAGE  QEMU_EXTRA
#   MACHINE (virt,virtualization=on,gic-version=3)
set -eu
cd "$(dirname "$0")/.."
SMP=${SMP:-4}
MEM=${MEM:-2G}
CPU=${CPU:-cortex-a72}
IMAGE=${IMAGE:-build/ftvisor.bin}
APPEND=${APPEND:-}
MACHINE=${MACHINE:-virt,virtualization=on,gic-version=3}
[ "$CPU" = max ] && CPU="max,pauth-impdef=on"   # full pointer-auth emulation is slow

[ -t 0 ] && echo "ftvisor: QEMU virt, $SMP CPUs ($CPU), $MEM; Ctrl-A X quits" >&2
# shellcheck disable=SC2086
exec qemu-system-aarch64 -M "$MACHINE" -cpu "$CPU" -smp "$SMP" \
	-m "$MEM" -nographic -nic none -kernel "$IMAGE" -append "$APPEND" ${QEMU_EXTRA:-}
