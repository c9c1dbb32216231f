#!/bin/sh
# Install the Debian packages ftvisor needs, only those missing. Run as root on Debian 12.
set -eu

PKGS="make gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu qemu-system-arm
device-tree-compiler libfdt-dev libcmocka-dev python3 python3-pytest python3-pexpect cpio
clang libclang-rt-14-dev"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "ftvisor: installing missing packages:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "ftvisor: run as root (or: sudo apt-get install$missing)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# --no-install-recommends: QEMU then lacks option ROMs, so scripts/run-qemu.sh uses -nic none.
apt-get install -y -qq --no-install-recommends $missing
