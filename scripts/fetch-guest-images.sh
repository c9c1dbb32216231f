#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Fetch what the Linux guests need from Debian's arm64 archive into cache/linux/ (not in git):
#   Image    the current Debian arm64 kernel (linux-image-arm64 -> linux-image-<abi>-arm64)
#   VERSION  that kernel package's name and version
#   busybox  the static arm64 busybox (busybox-static), for the initramfs (guests/linux)
#   modules/ uio.ko and uio_pci_generic.ko of that kernel, for the initramfs (inter-VM
#            channels are PCI endpoints that uio_pci_generic serves: docs/ivc.md)
# Needs root on Debian 12 the first time (dpkg --add-architecture, apt-get update); a no-op
# once the files are there. `scripts/fetch-guest-images.sh --refresh` fetches again when the
# archive has a newer kernel or busybox.
set -eu
cd "$(dirname "$0")/.."
CACHE=cache/linux
refresh=no
MODULES="uio uio_pci_generic"	# in load order (insmod: no modules.dep)
have_modules() {
	for m in $MODULES; do [ -s "$CACHE/modules/$m.ko" ] || return 1; done
}
case "${1:-}" in
--refresh) refresh=yes ;;
"") ;;
*) echo "usage: $0 [--refresh]" >&2; exit 2 ;;
esac

say() { echo "fetch-guest-images: $*"; }
die() { echo "fetch-guest-images: $*" >&2; exit 1; }

if [ "$refresh" = no ] && [ -s "$CACHE/Image" ] && [ -s "$CACHE/VERSION" ] &&
	[ -s "$CACHE/busybox" ] && have_modules; then
	exit 0
fi

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	[ "$(id -u)" = 0 ] || die "run as root once: dpkg --add-architecture arm64 is needed"
	say "adding the arm64 architecture to dpkg"
	dpkg --add-architecture arm64
fi
# Without arm64 package lists apt-cache knows no arm64 package (and --refresh wants new ones).
if [ "$refresh" = yes ] || ! ls /var/lib/apt/lists/*_binary-arm64_Packages* >/dev/null 2>&1; then
	[ "$(id -u)" = 0 ] || die "run as root once: apt-get update is needed for arm64"
	say "apt-get update"
	apt-get update -qq
fi

# The metapackage names the current ABI (linux-image-6.1.0-NN-arm64): never hard-code it.
kpkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^ :]*-arm64\)\(:arm64\)\{0,1\}$/\1/p' | head -n 1)
[ -n "$kpkg" ] || die "cannot resolve linux-image-arm64:arm64 (apt-cache depends found no kernel)"
kver=$(apt-cache policy "$kpkg:arm64" | sed -n 's/^ *Candidate: //p')
bver=$(apt-cache policy busybox-static:arm64 | sed -n 's/^ *Candidate: //p')
{ [ -n "$kver" ] && [ "$kver" != "(none)" ]; } || die "no candidate version of $kpkg:arm64"
{ [ -n "$bver" ] && [ "$bver" != "(none)" ]; } || die "no candidate version of busybox-static:arm64"
want="$kpkg $kver
busybox-static $bver"
if [ -s "$CACHE/Image" ] && [ -s "$CACHE/busybox" ] && [ -s "$CACHE/VERSION" ] &&
	have_modules && [ "$(cat "$CACHE/VERSION")" = "$want" ]; then
	say "up to date: $kpkg $kver"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
# apt-get download drops privileges to _apt (as root): let it write here, quietly.
if [ "$(id -u)" = 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$tmp"; fi
mkdir -p "$CACHE"
say "downloading $kpkg $kver and busybox-static $bver (arm64)"
(cd "$tmp" && apt-get download -q=2 "$kpkg:arm64=$kver" "busybox-static:arm64=$bver")

# Only ./boot/vmlinuz-* and the few modules the guests load from the kernel package (all
# its modules are ~300 MB unpacked). */kernel/...: /lib/modules or /usr/lib/modules.
mkdir "$tmp/k" "$tmp/b" "$tmp/m"
set -- './boot/vmlinuz-*'
for m in $MODULES; do set -- "$@" "*/kernel/drivers/uio/$m.ko*"; done
dpkg-deb --fsys-tarfile "$tmp"/linux-image-*_arm64.deb | tar -x -C "$tmp/k" --wildcards "$@"
dpkg-deb --fsys-tarfile "$tmp"/busybox-static_*_arm64.deb | tar -x -C "$tmp/b" ./bin/busybox

set -- "$tmp"/k/boot/vmlinuz-*
{ [ $# = 1 ] && [ -s "$1" ]; } || die "$kpkg: expected exactly one /boot/vmlinuz-*"
# Debian's arm64 vmlinuz is a raw Image on 6.1; some versions gzip it (magic 1f 8b).
if [ "$(od -An -tx1 -N2 "$1" | tr -d ' \n')" = 1f8b ]; then
	gzip -dc "$1" >"$tmp/Image"
else
	cp "$1" "$tmp/Image"
fi
# The arm64 Image header's magic "ARM\x64" at byte 56 (Documentation/arch/arm64/booting.rst).
[ "$(od -An -tx1 -j56 -N4 "$tmp/Image" | tr -d ' \n')" = 41524d64 ] ||
	die "$1 is not an arm64 Image (no ARM\\x64 magic at byte 56)"
# Static busybox is an AArch64 ELF (e_machine 183 = 0xb7 at byte 18).
[ "$(od -An -tx1 -j18 -N2 "$tmp/b/bin/busybox" | tr -d ' \n')" = b700 ] ||
	die "busybox-static:arm64 did not give an AArch64 /bin/busybox"

# The modules, decompressed (some kernel versions ship .ko.xz), must be AArch64 ELF built for
# this very kernel (vermagic = its release, e.g. 6.1.0-NN-arm64), else insmod refuses them.
krel=${kpkg#linux-image-}
for m in $MODULES; do
	set -- $(find "$tmp/k" -name "$m.ko*" -type f)
	[ $# = 1 ] || die "$kpkg: expected exactly one $m.ko* (found $#)"
	case "$1" in
	*.ko) cp "$1" "$tmp/m/$m.ko" ;;
	*.ko.xz) xz -dc "$1" >"$tmp/m/$m.ko" ;;
	*.ko.zst) zstd -qdc "$1" >"$tmp/m/$m.ko" ;;
	*.ko.gz) gzip -dc "$1" >"$tmp/m/$m.ko" ;;
	*) die "$1: unknown module compression" ;;
	esac
	[ "$(od -An -tx1 -j18 -N2 "$tmp/m/$m.ko" | tr -d ' \n')" = b700 ] ||
		die "$1 is not an AArch64 ELF"
	tr '\000' '\n' <"$tmp/m/$m.ko" | grep -q "^vermagic=$krel " ||
		die "$1: vermagic is not $krel"
done

# Replace the files one by one with rename, VERSION last, so a half-done run is retried.
rm -f "$CACHE/VERSION"
rm -rf "$CACHE/modules.new" && cp -R "$tmp/m" "$CACHE/modules.new" && rm -rf "$CACHE/modules" &&
	mv "$CACHE/modules.new" "$CACHE/modules"
mv "$tmp/Image" "$CACHE/Image.new" && mv "$CACHE/Image.new" "$CACHE/Image"
cp "$tmp/b/bin/busybox" "$CACHE/busybox.new" && chmod 0755 "$CACHE/busybox.new" &&
	mv "$CACHE/busybox.new" "$CACHE/busybox"
printf '%s\n' "$want" >"$CACHE/VERSION.new" && mv "$CACHE/VERSION.new" "$CACHE/VERSION"
say "$CACHE/Image: $kpkg $kver, $(stat -c %s "$CACHE/Image") bytes"
say "$CACHE/busybox: busybox-static $bver, $(stat -c %s "$CACHE/busybox") bytes"
say "$CACHE/modules: $(cd "$CACHE/modules" && echo *)"
