# SPDX-License-Identifier: Apache-2.0
"""ftvisor-mkimage: every class of bad configuration, then good ones decoded field by field.

Run: /usr/bin/python3 -m pytest tests/tools. Needs gcc, libfdt-dev, dtc (fdtget); not the
hypervisor: a fake ftvisor.bin with a valid arm64 Image header stands in for it.
"""
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# FTVISOR_MKIMAGE=path tests another build (e.g. make -C tools/mkimage SANITIZE=1 OUT=...).
TOOL = Path(os.environ.get("FTVISOR_MKIMAGE", ROOT / "build" / "tools" / "ftvisor-mkimage"))
BOARD = ROOT / "tests" / "data" / "dtb" / "qemu-virt-smp4-2G.dtb"  # CPUs 0-3, 2 GiB at 1 GiB
BOARD18 = ROOT / "tests" / "data" / "dtb" / "qemu-virt-smp18-1G.dtb"

MIB = 1 << 20
HYP_IMAGE_SIZE = 0x4000
HDR = struct.Struct("<8sIIQIIIIIIII8s")  # struct bundle_header
VM = struct.Struct("<32sII8QQQIIIIQQQII8Q8I")  # struct bundle_vm
IMG = struct.Struct("<QQII")  # struct bundle_image
CHAN = struct.Struct("<32sQII8I")  # struct bundle_channel
NO_IMAGE = 0xFFFFFFFF
assert (HDR.size, VM.size, IMG.size, CHAN.size) == (64, 264, 24, 80)


def arm64_image(size, text_offset=0, image_size=0, fill=0x5A):
    """A file with the arm64 Image header (magic "ARM\\x64" at 56) padded to size bytes."""
    hdr = struct.pack("<IIQQQQQQII", 0x14000010, 0, text_offset, image_size, 0xA, 0, 0, 0,
                      0x644D5241, 0)
    assert len(hdr) == 64
    return hdr + bytes((fill + i) & 0xFF for i in range(size - 64))


@pytest.fixture(scope="session")
def tool():
    if "FTVISOR_MKIMAGE" not in os.environ:
        subprocess.run(["make", "-s", "-C", str(ROOT / "tools" / "mkimage")], check=True)
    return TOOL


@pytest.fixture
def ws(tmp_path, tool):
    """A workspace: fake hypervisor, a config directory with small images."""
    return Workspace(tmp_path, tool)


class Workspace:
    def __init__(self, path, tool):
        self.path = path
        self.tool = tool
        self.cfgdir = path / "cfg"
        self.cfgdir.mkdir()
        self.hyp = path / "ftvisor.bin"
        self.hyp_bytes = arm64_image(0x2345, image_size=HYP_IMAGE_SIZE, fill=0x11)
        self.hyp.write_bytes(self.hyp_bytes)
        self.out = path / "out.bin"
        self.file("k.bin", arm64_image(0x1800))
        self.config = self.cfgdir / "system.dts"

    def file(self, name, data):
        p = self.cfgdir / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        return p

    def dtb(self, name, source, *dtc_args):
        p = self.cfgdir / name
        subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", *dtc_args, "-o", str(p)],
                       input=source.encode(), check=True)
        return p

    def run(self, text, board=BOARD, extra=(), config=None):
        if config is None:
            config = self.config
            config.write_text(text)
        return subprocess.run(
            [str(self.tool), "--hypervisor", str(self.hyp), "--config", str(config),
             "--board", str(board), *extra, "-o", str(self.out)],
            capture_output=True, text=True)


def vm(unit, **props):
    """A vm@unit node. Property names use _ for -; values are DTS text; None is a boolean."""
    body = {"name": f'"vm{unit}"', "cpus": f"<{unit:#x}>", "memory_size": "<0x0 0x1000000>",
            "kernel": '"k.bin"'}
    body.update(props)
    lines = [f"vm@{unit} {{"]
    for key, val in body.items():
        if val is False:
            continue
        key = key.replace("_", "-")
        lines.append(f"\t{key};" if val is None else f"\t{key} = {val};")
    return "\n".join(lines) + "\n};\n"


def config(*vms, root="", vms_extra="", compatible='"ftvisor,config-v1"', ivc=None):
    """ivc: the text of an /ivc node (see ivc()), or None for none."""
    compat = f"compatible = {compatible};" if compatible else ""
    return (f"/dts-v1/;\n/ {{\n{compat}\n{root}\nvms {{\n{vms_extra}\n{''.join(vms)}}};\n"
            f"{ivc or ''}}};\n")


def expect_error(res, ws, node, problem):
    assert res.returncode == 1, res
    assert not ws.out.exists()
    want = f"ftvisor-mkimage: {ws.config}: {node}: "
    assert res.stderr.startswith(want), res.stderr
    assert problem in res.stderr, res.stderr
    assert res.stderr.count("\n") == 1, res.stderr


# ---------------------------------------------------------------- bad configurations

@pytest.mark.parametrize("where,text,node,problem", [
    ("vm", config(vm(0, colour='"red"')), "/vms/vm@0 (vm0)", "unknown property 'colour'"),
    ("vm", config(vm(0, memory='<1>')), "/vms/vm@0 (vm0)", "unknown property 'memory'"),
    ("root", config(vm(0), root='model = "x";'), "/", "unknown property 'model'"),
    ("vms", config(vm(0), vms_extra="#address-cells = <1>;"), "/vms",
     "unknown property '#address-cells'"),
    ("root-node", config(vm(0), root="ivx { };"), "/", "unknown node 'ivx'"),
    ("vms-node", config(vm(0), vms_extra="linux { };"), "/vms", "unknown node 'linux'"),
    ("vm-node", config(vm(0).replace("};", "extra { };\n};")), "/vms/vm@0 (vm0)",
     "unknown node 'extra'"),
])
def test_unknown_property_or_node(ws, where, text, node, problem):
    expect_error(ws.run(text), ws, node, problem)


@pytest.mark.parametrize("prop,problem", [
    ("name", "missing required property 'name'"),
    ("cpus", "missing required property 'cpus' (or 'cpu-indices')"),
    ("memory_size", "missing required property 'memory-size'"),
    ("kernel", "missing required property 'kernel'"),
])
def test_missing_required(ws, prop, problem):
    node = "/vms/vm@0" if prop == "name" else "/vms/vm@0 (vm0)"
    expect_error(ws.run(config(vm(0, **{prop: False}))), ws, node, problem)


def test_missing_compatible_vms_or_vm(ws):
    expect_error(ws.run(config(vm(0), compatible=None)), ws, "/",
                 "missing required property 'compatible'")
    expect_error(ws.run(config(vm(0), compatible='"ftvisor,config-v2"')), ws, "/",
                 'compatible: not "ftvisor,config-v1"')
    expect_error(ws.run('/dts-v1/;\n/ { compatible = "ftvisor,config-v1"; };'), ws, "/",
                 "missing node 'vms'")
    expect_error(ws.run(config()), ws, "/vms", "no VMs")


@pytest.mark.parametrize("name,problem", [
    ('"Victim"', "bad name 'Victim'"),
    ('"1vm"', "bad name '1vm'"),
    ('"vm.1"', "bad name 'vm.1'"),
    ('"a", "b"', "name: must be one non-empty string"),
    ('""', "name: must be one non-empty string"),
    ('"' + "a" * 32 + '"', "bad name '" + "a" * 32 + "'"),
    ("<1>", "name: must be one non-empty string"),
])
def test_bad_name(ws, name, problem):
    expect_error(ws.run(config(vm(0, name=name))), ws, "/vms/vm@0", problem)


def test_name_31_chars_ok(ws):
    assert ws.run(config(vm(0, name='"' + "a" * 31 + '"'))).returncode == 0


def test_duplicate_name(ws):
    res = ws.run(config(vm(0, name='"twin"'), vm(1, name='"twin"')))
    expect_error(res, ws, "/vms/vm@1 (twin)", "duplicate name 'twin' (also /vms/vm@0)")


def test_both_cpus_and_indices(ws):
    res = ws.run(config(vm(0, cpu_indices="<1>")))
    expect_error(res, ws, "/vms/vm@0 (vm0)", "both cpus and cpu-indices given")


def test_cpu_twice_in_vm(ws):
    expect_error(ws.run(config(vm(0, cpus="<0x1 0x2 0x1>"))), ws, "/vms/vm@0 (vm0)",
                 "CPU 0x1 given twice")
    expect_error(ws.run(config(vm(0, cpus=False, cpu_indices="<3 3>"))), ws,
                 "/vms/vm@0 (vm0)", "CPU 0x3 given twice")


def test_cpu_twice_across_vms(ws):
    """VMs may share physical CPUs (the hypervisor time-slices them): accepted."""
    # by MPIDR in one VM, by index in the other; a third VM on both of them
    res = ws.run(config(vm(0, cpus="<0x2>"), vm(1, cpus=False, cpu_indices="<2>"),
                        vm(2, cpus="<0x2 0x0>")))
    assert res.returncode == 0, res.stderr
    _, vms, _ = decode(split(ws.out.read_bytes())[1])
    assert [v["mpidr"][:v["n_vcpus"]] for v in vms] == [[2], [2], [2, 0]]
    lines = res.stdout.splitlines()
    assert [ln.split()[3:5] for ln in lines[1:4]] == [
        ["cpus", "0x2"], ["cpus", "0x2"], ["cpus", "0x2,0x0"]]


def test_cpus_shared_by_more_vms_than_cpus(ws):
    # 16 VMs on a 4-CPU board, each on all four CPUs
    res = ws.run(config(*[vm(i, cpus="<0x0 0x1 0x2 0x3>", memory_size="<0x0 0x800000>")
                          for i in range(16)]))
    assert res.returncode == 0, res.stderr
    _, vms, _ = decode(split(ws.out.read_bytes())[1])
    assert len(vms) == 16 and all(v["mpidr"][:4] == [0, 1, 2, 3] for v in vms)


# ---------------------------------------------------------------- priority

@pytest.mark.parametrize("value,want", [(None, 0), ("<0>", 0), ("<1>", 1), ("<15>", 15)])
def test_priority_good(ws, value, want):
    res = ws.run(config(vm(0, priority=False if value is None else value), vm(1, priority="<9>")))
    assert res.returncode == 0, res.stderr
    bundle = split(ws.out.read_bytes())[1]
    hdr, vms, _ = decode(bundle)
    assert (vms[0]["priority"], vms[1]["priority"]) == (want, 9)
    # struct bundle_vm.priority is the u32 at byte 132 of the VM entry (was reserved0)
    for i, p in enumerate((want, 9)):
        at = hdr["vm_offset"] + i * VM.size + 132
        assert struct.unpack_from("<I", bundle, at)[0] == p
    lines = res.stdout.splitlines()
    assert lines[1].split()[5:7] == ["prio", str(want)]
    assert lines[2].split()[5:7] == ["prio", "9"]


@pytest.mark.parametrize("value,problem", [
    ("<16>", "priority 16: must be 0 to 15 (higher wins a shared CPU)"),
    ("<0xffffffff>", "priority 4294967295: must be 0 to 15"),
    ("<0x0 0x1>", "priority: must be one 32-bit cell"),
    ("/bits/ 8 <1>", "priority: must be one 32-bit cell"),
    ('"high"', "priority: must be one 32-bit cell"),
    (None, "priority: must be one 32-bit cell"),
])
def test_priority_bad(ws, value, problem):
    res = ws.run(config(vm(0), vm(1, priority=value)))
    expect_error(res, ws, "/vms/vm@1 (vm1)", problem)


@pytest.mark.parametrize("props,problem", [
    ({"cpus": "<0x4>"}, "cpus: no CPU with MPIDR 0x4 on the board (it has 0x0 0x1 0x2 0x3)"),
    ({"cpus": "<0x100>"}, "cpus: no CPU with MPIDR 0x100 on the board"),
    ({"cpus": "<0x80000001>"}, "cpus: 0x80000001 is not an MPIDR affinity value"),
    ({"cpus": False, "cpu_indices": "<4>"},
     "cpu-indices: no CPU 4 on the board (it has 4 CPUs)"),
    ({"cpus": "[01 02]"}, "cpus: must be one or more 32-bit cells"),
    ({"cpus": None}, "cpus: must be one or more 32-bit cells"),
])
def test_cpu_not_on_board(ws, props, problem):
    expect_error(ws.run(config(vm(0, **props))), ws, "/vms/vm@0 (vm0)", problem)


def test_too_many_vcpus(ws):
    res = ws.run(config(vm(0, cpus="<0 1 2 3 4 5 6 7 8>")))
    expect_error(res, ws, "/vms/vm@0 (vm0)", "too many vCPUs (9, at most 8)")


def test_too_many_vms(ws):
    # 18 CPUs on this board, so 16 VMs are fine and the 17th is one too many
    ok = ws.run(config(*[vm(i, memory_size="<0x0 0x800000>") for i in range(16)]),
                board=BOARD18)
    assert ok.returncode == 0, ok.stderr
    assert len([ln for ln in ok.stdout.splitlines() if ln.startswith("  vm ")]) == 16
    ws.out.unlink()
    res = ws.run(config(*[vm(i, memory_size="<0x0 0x800000>") for i in range(17)]),
                 board=BOARD18)
    expect_error(res, ws, "/vms", "too many VMs (more than 16)")


@pytest.mark.parametrize("props,problem", [
    ({"memory_size": "<0x0 0x1100000>"},
     "memory-size 0x1100000: must be a non-zero multiple of 2 MiB"),
    ({"memory_size": "<0x0 0x0>"}, "memory-size 0x0: must be a non-zero multiple of 2 MiB"),
    ({"memory_size": "<0x1 0x2 0x3>"}, "memory-size: must be one or two 32-bit cells"),
    ({"memory_base": "<0x0 0x40100000>"}, "memory-base 0x40100000: must be 2 MiB aligned"),
])
def test_bad_memory(ws, props, problem):
    expect_error(ws.run(config(vm(0, **props))), ws, "/vms/vm@0 (vm0)", problem)


def test_memory_one_cell_ok(ws):
    res = ws.run(config(vm(0, memory_size="<0x1000000>", memory_base="<0x80000000>")))
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize("base,size,problem", [
    ("<0x0 0x8000000>", "<0x0 0x1000000>",
     "guest RAM [0x8000000, 0x9000000) overlaps the device window [0x8000000, 0xb000000)"),
    ("<0x0 0x7000000>", "<0x0 0x2000000>",
     "guest RAM [0x7000000, 0x9000000) overlaps the device window"),
    ("<0x0 0xa800000>", "<0x0 0x1000000>",
     "guest RAM [0xa800000, 0xb800000) overlaps the device window"),
    ("<0xff 0xff000000>", "<0x0 0x2000000>",
     "guest RAM at 0xffff000000, 32 MiB, reaches beyond 2^40"),
    ("<0x100 0x0>", "<0x0 0x1000000>", "guest RAM at 0x10000000000, 16 MiB, reaches beyond 2^40"),
])
def test_ram_range(ws, base, size, problem):
    res = ws.run(config(vm(0, memory_base=base, memory_size=size)))
    expect_error(res, ws, "/vms/vm@0 (vm0)", problem)


def test_ram_edges_ok(ws):
    # right below the device window, right above it, ending exactly at 2^40
    res = ws.run(config(vm(0, memory_base="<0x0 0x7000000>"),
                        vm(1, memory_base="<0x0 0xb000000>"),
                        vm(2, memory_base="<0xff 0xff000000>")))
    assert res.returncode == 0, res.stderr


def test_memory_sum_too_large(ws):
    # 2 GiB board, less ftvisor's 2 MiB block and 4 MiB headroom
    one_gib = "<0x0 0x40000000>"
    res = ws.run(config(vm(0, memory_size=one_gib), vm(1, memory_size=one_gib)))
    expect_error(res, ws, "/vms", "the VMs need 2048 MiB of RAM, the board has 2042 MiB "
                 "for them (2048 MiB usable, less 6 MiB for ftvisor)")
    res = ws.run(config(vm(0, memory_size=one_gib),
                        vm(1, memory_size="<0x0 0x3fa00000>")))  # 1018 MiB: fits exactly
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize("prop,what", [
    ("kernel", "kernel"), ("initrd", "initrd"), ("device_tree", "device-tree"),
])
def test_image_missing(ws, prop, what):
    res = ws.run(config(vm(0, **{prop: '"nope/missing.bin"'})), extra=["-I", str(ws.path)])
    expect_error(res, ws, "/vms/vm@0 (vm0)",
                 f"{what}: 'nope/missing.bin' not found (looked in {ws.cfgdir}, {ws.path})")


def test_image_missing_absolute(ws):
    res = ws.run(config(vm(0, kernel=f'"{ws.path}/none.bin"')))
    expect_error(res, ws, "/vms/vm@0 (vm0)", f"kernel: '{ws.path}/none.bin' not found")


def test_image_unreadable(ws):
    (ws.cfgdir / "adir").mkdir()
    res = ws.run(config(vm(0, initrd='"adir"')))
    expect_error(res, ws, "/vms/vm@0 (vm0)",
                 f"initrd: cannot read '{ws.cfgdir}/adir': Is a directory")


def test_image_empty(ws):
    ws.file("empty.bin", b"")
    res = ws.run(config(vm(0, kernel='"empty.bin"')))
    expect_error(res, ws, "/vms/vm@0 (vm0)", f"kernel: '{ws.cfgdir}/empty.bin' is empty")


def test_kernel_image_size_too_large(ws):
    # a small file whose header says it needs 15 MiB: 2 MiB + 15 MiB > 16 MiB of RAM
    ws.file("big.bin", arm64_image(0x1000, image_size=15 * MIB))
    res = ws.run(config(vm(0, kernel='"big.bin"')))
    expect_error(res, ws, "/vms/vm@0 (vm0)",
                 "kernel: 15728640 bytes at RAM offset 0x200000 do not fit in the VM's 16 MiB of RAM")


def test_kernel_text_offset_counts(ws):
    # 2 MiB + 13 MiB + 1 MiB ends exactly at the end of 16 MiB of RAM
    ws.file("t.bin", arm64_image(0x1000, text_offset=13 * MIB, image_size=1 * MIB))
    res = ws.run(config(vm(0, kernel='"t.bin"')))
    assert res.returncode == 0, res.stderr
    assert decode(split(ws.out.read_bytes())[1])[1][0]["kernel_offset"] == 15 * MIB
    ws.out.unlink()
    ws.file("t.bin", arm64_image(0x1000, text_offset=13 * MIB, image_size=1 * MIB + 1))
    res = ws.run(config(vm(0, kernel='"t.bin"')))
    expect_error(res, ws, "/vms/vm@0 (vm0)",
                 "kernel: 1048577 bytes at RAM offset 0xf00000 do not fit")


def test_kernel_text_offset_misaligned(ws):
    ws.file("t.bin", arm64_image(0x1000, text_offset=2))
    res = ws.run(config(vm(0, kernel='"t.bin"')))
    expect_error(res, ws, "/vms/vm@0 (vm0)", "kernel: Image header text_offset 0x2 is not usable")


def test_raw_kernel_too_large(ws):
    ws.file("raw.bin", b"\x01" * (14 * MIB + 1))  # no Image header: its file size counts
    res = ws.run(config(vm(0, kernel='"raw.bin"')))
    expect_error(res, ws, "/vms/vm@0 (vm0)", "kernel: 14680065 bytes at RAM offset 0x200000")


def test_initrd_too_large(ws):
    # the kernel's extent ends at 2 MiB + 5 MiB, so the initrd starts at 8 MiB
    ws.file("k5.bin", arm64_image(0x1000, image_size=5 * MIB))
    ws.file("initrd.img", b"\x02" * (8 * MIB + 1))
    res = ws.run(config(vm(0, kernel='"k5.bin"', initrd='"initrd.img"')))
    expect_error(res, ws, "/vms/vm@0 (vm0)",
                 "initrd: 8388609 bytes at RAM offset 0x800000 do not fit in the VM's 16 MiB")


def test_dtb_too_large(ws):
    blob = ws.file("blob", bytes(2 * MIB))
    ws.dtb("big.dtb", f'/dts-v1/; / {{ big = /incbin/("{blob}"); }};')
    res = ws.run(config(vm(0, device_tree='"big.dtb"')))
    expect_error(res, ws, "/vms/vm@0 (vm0)", "device-tree: ")
    assert "must be under 2 MiB" in res.stderr


def test_dtb_invalid(ws):
    ws.file("bad.dtb", b"this is not a device tree blob at all" * 4)
    res = ws.run(config(vm(0, device_tree='"bad.dtb"')))
    expect_error(res, ws, "/vms/vm@0 (vm0)",
                 f"device-tree: '{ws.cfgdir}/bad.dtb' is not a valid DTB (FDT_ERR_BADMAGIC)")
    # a valid header over a truncated body
    good = ws.dtb("good.dtb", "/dts-v1/; / { a { b = <1>; }; };").read_bytes()
    ws.file("cut.dtb", good[:len(good) - 20])
    res = ws.run(config(vm(0, device_tree='"cut.dtb"')))
    expect_error(res, ws, "/vms/vm@0 (vm0)", "device-tree: ")
    assert "is not a valid DTB" in res.stderr


@pytest.mark.parametrize("flags,problem", [
    ('"autostart", "fast"', "flags: unknown flag 'fast' (known: autostart, introspection, "
     "stop-on-unhandled, mixed-cores)"),
    ('"Autostart"', "flags: unknown flag 'Autostart'"),
    ("<1>", "flags: must be a list of strings"),
    (None, "flags: must be a list of strings"),
])
def test_unknown_flag(ws, flags, problem):
    expect_error(ws.run(config(vm(0, flags=flags))), ws, "/vms/vm@0 (vm0)", problem)


@pytest.mark.parametrize("console,problem", [
    ('"16550"', "console: unknown console '16550' (only \"pl011\")"),
    ('"pl011", "x"', "console: must be one non-empty string"),
])
def test_bad_console(ws, console, problem):
    expect_error(ws.run(config(vm(0, console=console))), ws, "/vms/vm@0 (vm0)", problem)


def test_bad_console_mode(ws):
    res = ws.run(config(vm(0), root='console-mode = "loud";'))
    expect_error(res, ws, "/", "console-mode: unknown mode 'loud' (tagged or plain)")


def test_bad_bootargs(ws):
    res = ws.run(config(vm(0, bootargs="<1>")))
    expect_error(res, ws, "/vms/vm@0 (vm0)", "bootargs: must be one non-empty string")


# ---------------------------------------------------------------- other inputs

def test_usage(tool):
    res = subprocess.run([str(tool)], capture_output=True, text=True)
    assert res.returncode == 2 and "usage: ftvisor-mkimage" in res.stderr
    res = subprocess.run([str(tool), "--help"], capture_output=True, text=True)
    assert res.returncode == 0 and "--hypervisor" in res.stdout


def test_dts_syntax_error(ws):
    res = ws.run("/dts-v1/;\n/ { vms { ;")
    assert res.returncode == 1
    assert f"ftvisor-mkimage: {ws.config}: dtc could not compile it" in res.stderr


def test_config_and_board_as_dtb_or_dts(ws):
    cfg = ws.dtb("system.dtb", config(vm(0)), "-E", "no-name_properties")
    board_dts = ws.path / "board.dts"
    board_dts.write_text(subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(BOARD)],
                                        capture_output=True, text=True, check=True).stdout)
    res = ws.run(None, config=cfg, board=board_dts)
    assert res.returncode == 0, res.stderr


def test_bad_board(ws):
    bad = ws.path / "board.dtb"
    bad.write_bytes(b"\xd0\x0d\xfe\xed" + b"\0" * 60)
    res = ws.run(config(vm(0)), board=bad)
    assert res.returncode == 1
    assert res.stderr.startswith(f"ftvisor-mkimage: {bad}: not a valid device tree blob")


def test_bad_hypervisor(ws):
    ws.hyp.write_bytes(b"\0" * 4096)
    res = ws.run(config(vm(0)))
    assert res.returncode == 1
    assert f"{ws.hyp}: not an arm64 Image" in res.stderr
    ws.hyp.write_bytes(arm64_image(0x2345, image_size=0x2000))  # smaller than the file
    res = ws.run(config(vm(0)))
    assert "image_size 0x2000 must be a 4 KiB multiple covering the file" in res.stderr


def test_hypervisor_already_bundled(ws):
    assert ws.run(config(vm(0))).returncode == 0
    shutil.copy(ws.out, ws.hyp)
    res = ws.run(config(vm(0)))
    assert res.returncode == 1
    assert f"{ws.hyp}: already carries a bundle" in res.stderr


def test_search_path_order(ws):
    """Config directory first, then each -I directory in order; first match wins."""
    inc1, inc2 = ws.path / "inc1", ws.path / "inc2"
    for d, fill in ((inc1, 1), (inc2, 2)):
        (d / "g").mkdir(parents=True)
        (d / "g" / "x.bin").write_bytes(bytes([fill]) * 100)
    res = ws.run(config(vm(0, kernel='"g/x.bin"')), extra=["-I", str(inc1), "-I", str(inc2)])
    assert res.returncode == 0, res.stderr
    assert kernel_of(ws.out.read_bytes(), 0) == bytes([1]) * 100
    res = ws.run(config(vm(0, kernel='"g/x.bin"')), extra=["-I", str(inc2), "-I", str(inc1)])
    assert kernel_of(ws.out.read_bytes(), 0) == bytes([2]) * 100
    ws.file("g/x.bin", bytes([3]) * 100)
    res = ws.run(config(vm(0, kernel='"g/x.bin"')), extra=["-I", str(inc1)])
    assert kernel_of(ws.out.read_bytes(), 0) == bytes([3]) * 100


def test_failure_keeps_old_output(ws):
    assert ws.run(config(vm(0))).returncode == 0
    before = ws.out.read_bytes()
    res = ws.run(config(vm(0, kernel='"missing.bin"')))
    assert res.returncode == 1
    assert ws.out.read_bytes() == before
    assert sorted(p.name for p in ws.path.iterdir()) == ["cfg", "ftvisor.bin", "out.bin"]


# ---------------------------------------------------------------- good output, decoded

def split(out):
    """(hypervisor part, bundle) of an output file, using the original image_size."""
    return out[:HYP_IMAGE_SIZE], out[HYP_IMAGE_SIZE:]


def decode(bundle):
    h = HDR.unpack_from(bundle, 0)
    hdr = dict(zip(["magic", "version", "header_size", "total_size", "n_vms", "n_images",
                    "vm_offset", "image_offset", "flags", "header_crc", "n_channels",
                    "channel_offset", "reserved"], h))
    vms = []
    for i in range(hdr["n_vms"]):
        f = VM.unpack_from(bundle, hdr["vm_offset"] + i * VM.size)
        vms.append({"name": f[0].rstrip(b"\0").decode(), "raw_name": f[0], "flags": f[1],
                    "n_vcpus": f[2], "mpidr": list(f[3:11]), "mem_ipa": f[11],
                    "mem_size": f[12], "kernel": f[13], "initrd": f[14], "dtb": f[15],
                    "priority": f[16], "kernel_offset": f[17], "initrd_offset": f[18],
                    "dtb_offset": f[19], "n_pt_mmio": f[20], "n_pt_irqs": f[21],
                    "pt_mmio": [tuple(f[22 + 2 * i:24 + 2 * i]) for i in range(4)],
                    "pt_irqs": list(f[30:38])})
    imgs = [dict(zip(["offset", "size", "crc32", "kind"],
                     IMG.unpack_from(bundle, hdr["image_offset"] + i * IMG.size)))
            for i in range(hdr["n_images"])]
    return hdr, vms, imgs


def image_data(bundle, img):
    return bundle[img["offset"]:img["offset"] + img["size"]]


def kernel_of(out, vm_index):
    _, bundle = split(out)
    _, vms, imgs = decode(bundle)
    return image_data(bundle, imgs[vms[vm_index]["kernel"]])


def fdtget(path, node, prop, *opts):
    return subprocess.run(["fdtget", *opts, str(path), node, prop], capture_output=True,
                          text=True, check=True).stdout.strip()


GOOD = config(
    vm(0, name='"alpha"', cpus=False, cpu_indices="<2>", memory_size="<0x0 0x2000000>",
       kernel='"images/k1.bin"', initrd='"images/initrd.img"',
       bootargs='"console=ttyAMA0 x=1"', flags='"autostart", "introspection"',
       console='"pl011"'),
    vm(1, name='"beta"', cpus="<0x3 0x1>", memory_size="<0x0 0x4000000>",
       memory_base="<0x1 0x0>", kernel='"raw.bin"', device_tree='"dt.dtb"',
       bootargs='"from the config"', flags='"stop-on-unhandled"', priority="<7>"),
    root='console-mode = "tagged";')

SUPPLIED_DTS = """/dts-v1/;
/ { #address-cells = <2>; #size-cells = <2>; compatible = "mine";
    foo { bar = <7>; };
    chosen { bootargs = "old"; linux,initrd-start = <0x0 0x1000>; linux,initrd-end = <0x0 0x2000>; };
};"""


@pytest.fixture
def good(ws):
    k1 = ws.file("images/k1.bin", arm64_image(0x5000, text_offset=0x80000,
                                              image_size=0x300000))
    initrd = ws.file("images/initrd.img", bytes(range(256)) * 40 + b"end")
    raw = ws.file("raw.bin", b"\xaa\x55" * 0x91A)
    dt = ws.dtb("dt.dtb", SUPPLIED_DTS)
    res = ws.run(GOOD)
    assert res.returncode == 0, res.stderr
    out = ws.out.read_bytes()
    return ws, res, out, {"k1": k1.read_bytes(), "initrd": initrd.read_bytes(),
                          "raw": raw.read_bytes(), "dt": dt.read_bytes()}


def test_good_hypervisor_part(good):
    ws, _, out, _ = good
    hyp, bundle = split(out)
    # unchanged except image_size, which now covers the bundle; zero padding to image_size
    assert hyp[:16] == ws.hyp_bytes[:16]
    assert struct.unpack_from("<Q", out, 16)[0] == len(out)
    assert hyp[24:len(ws.hyp_bytes)] == ws.hyp_bytes[24:]
    assert hyp[len(ws.hyp_bytes):] == bytes(HYP_IMAGE_SIZE - len(ws.hyp_bytes))
    assert len(bundle) % 4096 == 0
    assert os.stat(ws.out).st_mode & 0o777 == 0o666 & ~current_umask()


def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_good_header(good):
    _, _, out, _ = good
    _, bundle = split(out)
    hdr, vms, imgs = decode(bundle)
    assert hdr["magic"] == b"FTVBNDL1"
    assert hdr["version"] == 1 and hdr["header_size"] == 64
    assert hdr["total_size"] == len(bundle)
    assert (hdr["n_vms"], hdr["n_images"]) == (2, 5)
    assert hdr["vm_offset"] == 64 and hdr["image_offset"] == 64 + 2 * VM.size
    assert hdr["flags"] == 1  # tagged console
    assert (hdr["n_channels"], hdr["channel_offset"]) == (0, 0)  # no /ivc
    assert hdr["reserved"] == bytes(8)
    first = imgs[0]["offset"]
    covered = bytearray(bundle[:first])
    covered[44:48] = bytes(4)
    assert hdr["header_crc"] == zlib.crc32(covered)


def test_good_vms(good):
    _, _, out, _ = good
    _, vms, _ = decode(split(out)[1])
    a, b = vms
    assert a["raw_name"] == b"alpha".ljust(32, b"\0")
    assert a["flags"] == 0b011 and b["flags"] == 0b100
    assert a["n_vcpus"] == 1 and a["mpidr"] == [2] + [0] * 7  # cpu-indices <2>
    assert b["n_vcpus"] == 2 and b["mpidr"] == [3, 1] + [0] * 6
    assert (a["mem_ipa"], a["mem_size"]) == (0x40000000, 32 * MIB)
    assert (b["mem_ipa"], b["mem_size"]) == (0x100000000, 64 * MIB)
    assert (a["kernel"], a["initrd"], a["dtb"]) == (0, 1, 2)
    assert (b["kernel"], b["initrd"], b["dtb"]) == (3, NO_IMAGE, 4)
    assert (a["priority"], b["priority"]) == (0, 7)  # default 0; priority = <7>
    # 2 MiB + text_offset; initrd on the 2 MiB boundary after text_offset + image_size
    assert a["kernel_offset"] == 0x280000
    assert a["initrd_offset"] == 0x600000
    assert a["dtb_offset"] == 0
    assert (b["kernel_offset"], b["initrd_offset"], b["dtb_offset"]) == (0x200000, 0, 0)
    for v in (a, b):  # no passthrough devices: counts and arrays all zero
        assert (v["n_pt_mmio"], v["n_pt_irqs"]) == (0, 0)
        assert v["pt_mmio"] == [(0, 0)] * 4 and v["pt_irqs"] == [0] * 8


def test_good_images(good):
    _, _, out, files = good
    bundle = split(out)[1]
    hdr, _, imgs = decode(bundle)
    assert [i["kind"] for i in imgs] == [1, 2, 3, 1, 3]
    end = hdr["image_offset"] + 5 * IMG.size
    for img in imgs:
        assert img["offset"] % 4096 == 0 and img["offset"] >= end and img["size"] > 0
        end = img["offset"] + img["size"]
        assert img["crc32"] == zlib.crc32(image_data(bundle, img))
    assert end <= hdr["total_size"] < end + 4096
    assert image_data(bundle, imgs[0]) == files["k1"]
    assert image_data(bundle, imgs[1]) == files["initrd"]
    assert image_data(bundle, imgs[3]) == files["raw"]


def test_good_generated_dtb(good, tmp_path):
    _, _, out, files = good
    bundle = split(out)[1]
    _, _, imgs = decode(bundle)
    dtb = tmp_path / "alpha.dtb"
    dtb.write_bytes(image_data(bundle, imgs[2]))
    assert fdtget(dtb, "/", "#address-cells") == "2"
    assert fdtget(dtb, "/", "#size-cells") == "2"
    assert fdtget(dtb, "/", "compatible") == "ftvisor,vm"
    assert fdtget(dtb, "/", "model") == "ftvisor VM alpha"
    gic = fdtget(dtb, "/intc@8000000", "phandle")
    assert fdtget(dtb, "/", "interrupt-parent") == gic != "0"
    assert fdtget(dtb, "/memory@40000000", "device_type") == "memory"
    assert fdtget(dtb, "/memory@40000000", "reg", "-tx") == "0 40000000 0 2000000"
    assert fdtget(dtb, "/cpus", "#address-cells") == "1"
    assert fdtget(dtb, "/cpus", "#size-cells") == "0"
    assert fdtget(dtb, "/cpus/cpu@0", "device_type") == "cpu"
    assert fdtget(dtb, "/cpus/cpu@0", "compatible") == "arm,armv8"
    assert fdtget(dtb, "/cpus/cpu@0", "reg") == "0"
    assert fdtget(dtb, "/cpus/cpu@0", "enable-method") == "psci"
    assert fdtget(dtb, "/psci", "compatible") == "arm,psci-1.0 arm,psci-0.2"
    assert fdtget(dtb, "/psci", "method") == "hvc"
    # the virtual GICv3: distributor, one redistributor region with one frame pair per vCPU
    assert fdtget(dtb, "/intc@8000000", "compatible") == "arm,gic-v3"
    assert fdtget(dtb, "/intc@8000000", "#interrupt-cells") == "3"
    assert fdtget(dtb, "/intc@8000000", "interrupt-controller") == ""
    assert fdtget(dtb, "/intc@8000000", "#address-cells") == "2"
    assert fdtget(dtb, "/intc@8000000", "#size-cells") == "2"
    assert fdtget(dtb, "/intc@8000000", "ranges") == ""
    assert fdtget(dtb, "/intc@8000000", "reg", "-tx") == "0 8000000 0 10000 0 80a0000 0 20000"
    assert fdtget(dtb, "/intc@8000000", "#redistributor-regions") == "1"
    assert fdtget_list(dtb, "/intc@8000000") == []  # no ITS
    assert fdtget(dtb, "/timer", "compatible") == "arm,armv8-timer"
    assert fdtget(dtb, "/timer", "interrupts", "-tx") == \
        "1 d 4 1 e 4 1 b 4 1 a 4"  # PPIs, level-high, no CPU mask (GICv3)
    assert fdtget(dtb, "/timer", "always-on") == ""
    assert fdtget(dtb, "/apb-pclk", "compatible") == "fixed-clock"
    assert fdtget(dtb, "/apb-pclk", "#clock-cells") == "0"
    assert fdtget(dtb, "/apb-pclk", "clock-frequency") == "24000000"
    phandle = fdtget(dtb, "/apb-pclk", "phandle")
    assert fdtget(dtb, "/pl011@9000000", "compatible") == "arm,pl011 arm,primecell"
    assert fdtget(dtb, "/pl011@9000000", "reg", "-tx") == "0 9000000 0 1000"
    assert fdtget(dtb, "/pl011@9000000", "interrupts", "-tx") == "0 1 4"  # SPI 1, level-high
    assert fdtget(dtb, "/pl011@9000000", "clocks") == f"{phandle} {phandle}"
    assert fdtget(dtb, "/pl011@9000000", "clock-names") == "uartclk apb_pclk"
    assert fdtget(dtb, "/test@a000000", "compatible") == "ftvisor,test-mmio"
    assert fdtget(dtb, "/test@a000000", "reg", "-tx") == "0 a000000 0 1000"
    assert fdtget(dtb, "/chosen", "stdout-path") == "/pl011@9000000"
    assert fdtget(dtb, "/chosen", "bootargs") == "console=ttyAMA0 x=1"
    assert fdtget(dtb, "/chosen", "ftvisor,name") == "alpha"
    start = 0x40000000 + 0x600000
    assert fdtget(dtb, "/chosen", "linux,initrd-start", "-tx") == f"0 {start:x}"
    assert fdtget(dtb, "/chosen", "linux,initrd-end", "-tx") == \
        f"0 {start + len(files['initrd']):x}"
    # nothing else
    nodes = fdtget_list(dtb, "/")
    assert nodes == ["memory@40000000", "cpus", "psci", "intc@8000000", "timer", "apb-pclk",
                     "pl011@9000000", "test@a000000", "chosen"]
    # and dtc finds nothing to warn about in it
    res = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", "-o", "/dev/null", str(dtb)],
                         capture_output=True, text=True)
    assert res.returncode == 0 and res.stderr == "", res.stderr


def fdtget_list(path, node):
    return subprocess.run(["fdtget", "-l", str(path), node], capture_output=True, text=True,
                          check=True).stdout.split()


def test_good_generated_dtb_smp(ws, tmp_path):
    res = ws.run(config(vm(0, cpus="<0x3 0x0 0x2>", memory_base="<0x2 0x0>")))
    assert res.returncode == 0, res.stderr
    bundle = split(ws.out.read_bytes())[1]
    _, vms, imgs = decode(bundle)
    dtb = tmp_path / "smp.dtb"
    dtb.write_bytes(image_data(bundle, imgs[vms[0]["dtb"]]))
    assert fdtget_list(dtb, "/cpus") == ["cpu@0", "cpu@1", "cpu@2"]
    assert fdtget(dtb, "/cpus/cpu@2", "reg") == "2"
    assert fdtget(dtb, "/timer", "interrupts", "-tx") == "1 d 4 1 e 4 1 b 4 1 a 4"
    # three redistributors, 128 KiB each
    assert fdtget(dtb, "/intc@8000000", "reg", "-tx") == "0 8000000 0 10000 0 80a0000 0 60000"
    assert fdtget(dtb, "/memory@200000000", "reg", "-tx") == "2 0 0 1000000"
    for prop in ("bootargs", "linux,initrd-start", "linux,initrd-end"):
        res = subprocess.run(["fdtget", str(dtb), "/chosen", prop], capture_output=True)
        assert res.returncode != 0, prop


def test_generated_dtb_matches_qemu(good, tmp_path):
    """The interrupt wiring Linux sees is QEMU virt's own (its GICv3 tree, BOARD)."""
    _, _, out, _ = good
    bundle = split(out)[1]
    _, _, imgs = decode(bundle)
    dtb = tmp_path / "alpha.dtb"
    dtb.write_bytes(image_data(bundle, imgs[2]))
    for node, prop in [("/timer", "interrupts"), ("/pl011@9000000", "interrupts"),
                       ("/intc@8000000", "compatible"), ("/intc@8000000", "#interrupt-cells"),
                       ("/intc@8000000", "#address-cells"), ("/intc@8000000", "#size-cells"),
                       ("/intc@8000000", "#redistributor-regions")]:
        assert fdtget(dtb, node, prop, "-tx") == fdtget(BOARD, node, prop, "-tx"), (node, prop)
    # the same GICD and GICR base; QEMU's redistributor region is sized for 123 CPUs
    ours = fdtget(dtb, "/intc@8000000", "reg", "-tx").split()
    assert ours[:7] == fdtget(BOARD, "/intc@8000000", "reg", "-tx").split()[:7]
    # both trees route every interrupt to their GIC
    for tree in (dtb, BOARD):
        assert fdtget(tree, "/", "interrupt-parent") == fdtget(tree, "/intc@8000000", "phandle")


def test_good_supplied_dtb(good, tmp_path):
    _, _, out, _ = good
    bundle = split(out)[1]
    _, _, imgs = decode(bundle)
    dtb = tmp_path / "beta.dtb"
    dtb.write_bytes(image_data(bundle, imgs[4]))
    assert fdtget(dtb, "/", "compatible") == "mine"
    # a supplied tree gets no GIC, no interrupt-parent: only /chosen changes
    assert fdtget_list(dtb, "/") == ["foo", "chosen"]
    assert subprocess.run(["fdtget", str(dtb), "/", "interrupt-parent"],
                          capture_output=True).returncode != 0
    assert fdtget(dtb, "/foo", "bar") == "7"
    assert fdtget(dtb, "/chosen", "bootargs") == "from the config"
    assert fdtget(dtb, "/chosen", "ftvisor,name") == "beta"
    # no initrd configured: the stale range is gone
    for prop in ("linux,initrd-start", "linux,initrd-end"):
        res = subprocess.run(["fdtget", str(dtb), "/chosen", prop], capture_output=True)
        assert res.returncode != 0, prop


def test_supplied_dtb_without_chosen_gets_one(ws, tmp_path):
    ws.dtb("plain.dtb", "/dts-v1/; / { compatible = \"x\"; };")
    ws.file("rd", b"r" * 100)
    res = ws.run(config(vm(0, device_tree='"plain.dtb"', initrd='"rd"')))
    assert res.returncode == 0, res.stderr
    bundle = split(ws.out.read_bytes())[1]
    _, vms, imgs = decode(bundle)
    dtb = tmp_path / "p.dtb"
    dtb.write_bytes(image_data(bundle, imgs[vms[0]["dtb"]]))
    assert fdtget(dtb, "/chosen", "ftvisor,name") == "vm0"
    start = 0x40000000 + vms[0]["initrd_offset"]
    assert vms[0]["initrd_offset"] == 0x400000  # 2 MiB + the 6 KiB kernel, rounded up
    assert fdtget(dtb, "/chosen", "linux,initrd-start", "-tx") == f"0 {start:x}"
    assert fdtget(dtb, "/chosen", "linux,initrd-end", "-tx") == f"0 {start + 100:x}"
    res = subprocess.run(["fdtget", str(dtb), "/chosen", "bootargs"], capture_output=True)
    assert res.returncode != 0


def test_plain_console_and_summary(ws):
    res = ws.run(config(vm(0, flags='"autostart"', priority="<3>"), vm(1),
                        vm(2, flags='"stop-on-unhandled", "introspection"'),
                        vm(3, flags='"introspection", "autostart"'),
                        root='console-mode = "plain";'))
    assert res.returncode == 0, res.stderr
    hdr, vms, _ = decode(split(ws.out.read_bytes())[1])
    assert hdr["flags"] == 0
    assert [v["flags"] for v in vms] == [1, 0, 6, 3]
    lines = res.stdout.splitlines()
    assert lines[0].startswith(f"{ws.out}: 4 VMs")
    assert lines[1].split()[:7] == ["vm", "0", "vm0", "cpus", "0x0", "prio", "3"]
    assert lines[1].endswith("  autostart")
    # a VM without autostart is a template, created by the shell's `vm create`
    assert lines[2].split()[:7] == ["vm", "1", "vm1", "cpus", "0x1", "prio", "0"]
    assert lines[2].endswith("  template")
    assert lines[3].endswith("  template,introspection,stop-on-unhandled")
    assert lines[4].endswith("  autostart,introspection")
    assert res.stderr == ""


# ---------------------------------------------------------------- passthrough devices

# QEMU virt's PL031 RTC (BOARD: pl031@9010000, 4 KiB, SPI 2 = INTID 34, clocks = apb-pclk).
RTC_MMIO = "<0x0 0x09010000 0x0 0x1000>"
RTC = {"passthrough_mmio": RTC_MMIO, "passthrough_irqs": "<34>"}
PT_NODE = "/vms/vm@0 (vm0)"


def board_variant(ws, *edits):
    """BOARD as source with (old, new) text replacements, each old string found exactly once."""
    text = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(BOARD)],
                          capture_output=True, text=True, check=True).stdout
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = ws.path / "board.dts"
    path.write_text(text)
    return path


def guest_dtb(ws, tmp_path, index):
    bundle = split(ws.out.read_bytes())[1]
    _, vms, imgs = decode(bundle)
    dtb = tmp_path / f"vm{index}.dtb"
    dtb.write_bytes(image_data(bundle, imgs[vms[index]["dtb"]]))
    return dtb


def fdt_props(path, node):
    return subprocess.run(["fdtget", "-p", str(path), node], capture_output=True, text=True,
                          check=True).stdout.split()


def test_passthrough_good(ws, tmp_path):
    res = ws.run(config(vm(0, cpus=False, cpu_indices="<1>", flags='"autostart"', **RTC),
                        vm(1, cpus=False, cpu_indices="<2>")))
    assert res.returncode == 0, res.stderr
    _, vms, _ = decode(split(ws.out.read_bytes())[1])
    rtc, other = vms
    assert rtc["n_pt_mmio"] == 1
    assert rtc["pt_mmio"] == [(0x09010000, 0x1000), (0, 0), (0, 0), (0, 0)]
    assert rtc["n_pt_irqs"] == 1
    assert rtc["pt_irqs"] == [34, 0, 0, 0, 0, 0, 0, 0]
    assert (other["n_pt_mmio"], other["n_pt_irqs"]) == (0, 0)
    assert other["pt_mmio"] == [(0, 0)] * 4 and other["pt_irqs"] == [0] * 8
    # the rest of the VM as without passthrough
    assert (rtc["mem_ipa"], rtc["mem_size"], rtc["flags"]) == (0x40000000, 16 * MIB, 1)
    lines = res.stdout.splitlines()
    assert "  passthrough 0x9010000+0x1000 irqs 34  autostart" in lines[1]
    assert "passthrough" not in lines[2]

    # the guest tree: the board's node at the root, IPA = PA, its SPI through the virtual GIC
    dtb = guest_dtb(ws, tmp_path, 0)
    node = "/pl031@9010000"
    assert fdtget(dtb, node, "compatible") == "arm,pl031 arm,primecell"
    assert fdtget(dtb, node, "reg", "-tx") == "0 9010000 0 1000"
    assert fdtget(dtb, node, "interrupts", "-tx") == "0 2 4"  # as the board has it
    assert fdtget(dtb, node, "interrupts", "-tx") == fdtget(BOARD, node, "interrupts", "-tx")
    assert fdtget(dtb, node, "clocks") == fdtget(dtb, "/apb-pclk", "phandle")
    assert fdtget(dtb, node, "clock-names") == "apb_pclk"
    assert sorted(fdt_props(dtb, node)) == ["clock-names", "clocks", "compatible",
                                            "interrupts", "reg"]
    assert fdtget(dtb, "/", "interrupt-parent") == fdtget(dtb, "/intc@8000000", "phandle")
    assert fdtget_list(dtb, "/") == ["memory@40000000", "cpus", "psci", "intc@8000000",
                                     "timer", "apb-pclk", "pl011@9000000", "test@a000000",
                                     "pl031@9010000", "chosen"]
    res = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", "-o", "/dev/null", str(dtb)],
                         capture_output=True, text=True)
    assert res.returncode == 0 and res.stderr == "", res.stderr
    # the other VM's tree has no device of the board
    assert "pl031@9010000" not in fdtget_list(guest_dtb(ws, tmp_path, 1), "/")


def test_passthrough_node_details(ws, tmp_path):
    """An interrupt not given to the VM drops the property; a node holding two regions is
    copied once with all its reg entries; a node without clocks gets none."""
    res = ws.run(config(vm(0, passthrough_mmio="<0x0 0x09030000 0x0 0x1000>, "
                           "<0x0 0x0 0x0 0x1000>, <0x0 0x04000000 0x0 0x2000>",
                           passthrough_irqs="<35 1019>"),
                        vm(1, passthrough_irqs="<39>")))  # the PL061's SPI 7, to vm1
    assert res.returncode == 0, res.stderr
    _, vms, _ = decode(split(ws.out.read_bytes())[1])
    assert vms[0]["pt_mmio"] == [(0x09030000, 0x1000), (0, 0x1000), (0x04000000, 0x2000),
                                 (0, 0)]
    assert vms[0]["pt_irqs"] == [35, 1019, 0, 0, 0, 0, 0, 0]
    assert vms[1]["pt_irqs"] == [39] + [0] * 7
    assert "  passthrough 0x9030000+0x1000,0x0+0x1000,0x4000000+0x2000 irqs 35,1019  template" \
        in res.stdout.splitlines()[1]
    assert "  passthrough irqs 39  template" in res.stdout.splitlines()[2]
    dtb = guest_dtb(ws, tmp_path, 0)
    assert sorted(fdt_props(dtb, "/pl061@9030000")) == ["clock-names", "clocks",
                                                        "compatible", "reg"]
    assert fdtget(dtb, "/flash@0", "compatible") == "cfi-flash"
    assert fdtget(dtb, "/flash@0", "reg", "-tx") == "0 0 0 4000000 0 4000000 0 4000000"
    assert sorted(fdt_props(dtb, "/flash@0")) == ["compatible", "reg"]
    assert fdtget_list(dtb, "/")[-3:] == ["pl061@9030000", "flash@0", "chosen"]


def test_passthrough_supplied_dtb_unchanged(ws, tmp_path):
    ws.dtb("plain.dtb", '/dts-v1/; / { compatible = "x"; };')
    res = ws.run(config(vm(0, device_tree='"plain.dtb"', **RTC)))
    assert res.returncode == 0, res.stderr
    assert fdtget_list(guest_dtb(ws, tmp_path, 0), "/") == ["chosen"]


def test_passthrough_nested_board_node(ws, tmp_path):
    """A device on a bus with its own address space: found and copied with CPU addresses."""
    board = board_variant(ws, ("\tchosen {", "\tbus@c000000 {\n"
                               "\t\tcompatible = \"simple-bus\";\n"
                               "\t\t#address-cells = <1>; #size-cells = <1>;\n"
                               "\t\tranges = <0x0 0x0 0xc000000 0x100000>;\n"
                               "\t\tdev@2000 { compatible = \"acme,dev\"; reg = <0x2000 0x1000>;\n"
                               "\t\t\tinterrupts = <0x0 0x40 0x4>; };\n"
                               "\t\toff@4000 { compatible = \"acme,dev\"; reg = <0x4000 0x1000>;\n"
                               "\t\t\tstatus = \"disabled\"; };\n"
                               "\t};\n\tchosen {"))
    res = ws.run(config(vm(0, passthrough_mmio="<0x0 0x0c002000 0x0 0x1000>",
                           passthrough_irqs="<96>")), board=board)
    assert res.returncode == 0, res.stderr
    dtb = guest_dtb(ws, tmp_path, 0)
    assert fdtget(dtb, "/dev@2000", "reg", "-tx") == "0 c002000 0 1000"
    assert fdtget(dtb, "/dev@2000", "interrupts", "-tx") == "0 40 4"
    # a disabled device is no device
    ws.out.unlink()
    res = ws.run(config(vm(0, passthrough_mmio="<0x0 0x0c004000 0x0 0x1000>")), board=board)
    expect_error(res, ws, PT_NODE, "passthrough-mmio: 0xc004000 (0x1000 bytes): not inside "
                 "the reg of any enabled device of the board")


@pytest.mark.parametrize("props,problem", [
    # not inside any device: platform-bus@c000000 has ranges but no reg
    ({"passthrough_mmio": "<0x0 0x0c000000 0x0 0x1000>"},
     "passthrough-mmio: 0xc000000 (0x1000 bytes): not inside the reg of any enabled device "
     "of the board"),
    # more than the device: pl031@9010000 is 4 KiB
    ({"passthrough_mmio": "<0x0 0x09010000 0x0 0x2000>"},
     "passthrough-mmio: 0x9010000 (0x2000 bytes): not inside the reg of any enabled device"),
    # fw-cfg's 0x18 bytes hold no whole page
    ({"passthrough_mmio": "<0x0 0x09020000 0x0 0x1000>"},
     "passthrough-mmio: 0x9020000 (0x1000 bytes): not inside the reg of any enabled device"),
])
def test_passthrough_not_a_device(ws, props, problem):
    expect_error(ws.run(config(vm(0, **props))), ws, PT_NODE, problem)


@pytest.mark.parametrize("props,problem", [
    # the VM's own RAM at IPA = PA (flash@0 is a device, but the VM's RAM is there)
    ({"memory_base": "<0x0 0x0>", "passthrough_mmio": "<0x0 0x00fff000 0x0 0x2000>"},
     "passthrough-mmio: 0xfff000 (0x2000 bytes): overlaps the VM's RAM [0x0, 0x1000000)"),
    ({"passthrough_mmio": "<0x0 0x40000000 0x0 0x1000>"},
     "passthrough-mmio: 0x40000000 (0x1000 bytes): overlaps the VM's RAM "
     "[0x40000000, 0x41000000)"),
    # the board's memory, with the VM's RAM elsewhere
    ({"memory_base": "<0x1 0x0>", "passthrough_mmio": "<0x0 0x80000000 0x0 0x1000>"},
     "passthrough-mmio: 0x80000000 (0x1000 bytes): overlaps board memory "
     "[0x40000000, 0xc0000000)"),
])
def test_passthrough_ram(ws, props, problem):
    expect_error(ws.run(config(vm(0, **props))), ws, PT_NODE, problem)


def test_passthrough_console_uart(ws):
    res = ws.run(config(vm(0, passthrough_mmio="<0x0 0x09000000 0x0 0x1000>")))
    expect_error(res, ws, PT_NODE, "passthrough-mmio: 0x9000000 (0x1000 bytes): overlaps the "
                 "board's console UART [0x9000000, 0x9001000)")


@pytest.mark.parametrize("mmio,problem", [
    ("<0x0 0x08000000 0x0 0x1000>",
     "passthrough-mmio: 0x8000000 (0x1000 bytes): overlaps the board's GIC distributor "
     "[0x8000000, 0x8010000)"),
    ("<0x0 0x080a0000 0x0 0x20000>",
     "passthrough-mmio: 0x80a0000 (0x20000 bytes): overlaps the board's GIC redistributors "
     "[0x80a0000, 0x9000000)"),
])
def test_passthrough_gic(ws, mmio, problem):
    expect_error(ws.run(config(vm(0, passthrough_mmio=mmio))), ws, PT_NODE, problem)


def test_passthrough_emulated_device(ws):
    """IPA = PA: a board device where every VM has an emulated one cannot be given."""
    board = board_variant(ws, ("\tchosen {", "\tdev@a000000 { compatible = \"acme,dev\"; "
                               "reg = <0x0 0xa000000 0x0 0x1000>; };\n\tchosen {"))
    res = ws.run(config(vm(0, passthrough_mmio="<0x0 0x0a000000 0x0 0x1000>")), board=board)
    expect_error(res, ws, PT_NODE, "passthrough-mmio: 0xa000000 (0x1000 bytes): overlaps the "
                 "VM's emulated test device at [0xa000000, 0xa001000)")


def test_passthrough_region_twice(ws):
    res = ws.run(config(vm(0, **RTC), vm(1, passthrough_mmio=RTC_MMIO)))
    expect_error(res, ws, "/vms/vm@1 (vm1)", "passthrough-mmio: 0x9010000 (0x1000 bytes): "
                 "overlaps 0x9010000 (0x1000 bytes), passed through to /vms/vm@0 (vm0)")
    res = ws.run(config(vm(0, passthrough_mmio=RTC_MMIO + ", " + RTC_MMIO)))
    expect_error(res, ws, PT_NODE, "passthrough-mmio: 0x9010000 (0x1000 bytes): overlaps "
                 "0x9010000 (0x1000 bytes) of this VM")


def test_passthrough_irq_twice(ws):
    res = ws.run(config(vm(0, passthrough_irqs="<34 40 34>")))
    expect_error(res, ws, PT_NODE, "passthrough-irqs: 34: given twice")
    res = ws.run(config(vm(0, **RTC), vm(1, passthrough_irqs="<40 34>")))
    expect_error(res, ws, "/vms/vm@1 (vm1)",
                 "passthrough-irqs: 34: already passed through to /vms/vm@0 (vm0)")


def test_passthrough_irq_33(ws):
    res = ws.run(config(vm(0, passthrough_irqs="<33>")))
    expect_error(res, ws, PT_NODE, "passthrough-irqs: 33: is the interrupt of every VM's "
                 "emulated UART (SPI 1)")


@pytest.mark.parametrize("irq", [0, 27, 31, 1020, 0xFFFFFFFF])
def test_passthrough_irq_not_spi(ws, irq):
    res = ws.run(config(vm(0, passthrough_irqs=f"<{irq:#x}>")))
    expect_error(res, ws, PT_NODE, f"passthrough-irqs: {irq}: not an SPI (INTIDs 32-1019; "
                 "SPI n is INTID 32 + n)")


def test_passthrough_irq_console(ws):
    # on QEMU virt the console's SPI 1 is INTID 33 anyway: a board whose console has SPI 5
    board = board_variant(ws, ("interrupts = <0x00 0x01 0x04>;", "interrupts = <0x00 0x05 0x04>;"))
    res = ws.run(config(vm(0, passthrough_irqs="<36 37>")), board=board)
    expect_error(res, ws, PT_NODE,
                 "passthrough-irqs: 37: is the interrupt of the board's console UART")
    assert ws.run(config(vm(0, passthrough_irqs="<36 38>")), board=board).returncode == 0


@pytest.mark.parametrize("mmio,problem", [
    ("<0x0 0x09010800 0x0 0x800>", "0x9010800 (0x800 bytes): not 4 KiB aligned"),
    ("<0x0 0x09010000 0x0 0x800>", "0x9010000 (0x800 bytes): not 4 KiB aligned"),
    ("<0x0 0x09010004 0x0 0x1000>", "0x9010004 (0x1000 bytes): not 4 KiB aligned"),
    ("<0x0 0x09010000 0x0 0x0>", "0x9010000 (0x0 bytes): empty"),
    ("<0xff 0xfffff000 0x0 0x2000>", "0xfffffff000 (0x2000 bytes): reaches beyond 2^40"),
    ("<0xffffffff 0xfffff000 0x0 0x2000>",
     "0xfffffffffffff000 (0x2000 bytes): reaches beyond 2^40"),
])
def test_passthrough_region_bad(ws, mmio, problem):
    res = ws.run(config(vm(0, passthrough_mmio=mmio)))
    expect_error(res, ws, PT_NODE, "passthrough-mmio: " + problem)


@pytest.mark.parametrize("props,problem", [
    ({"passthrough_mmio": ", ".join(f"<0x0 {0x09010000 + i * 0x1000:#x} 0x0 0x1000>"
                                    for i in range(5))},
     "passthrough-mmio: too many regions (5, at most 4)"),
    ({"passthrough_irqs": "<34 35 36 37 38 39 40 41 42>"},
     "passthrough-irqs: too many interrupts (9, at most 8)"),
    ({"passthrough_mmio": "<0x0 0x09010000 0x1000>"},
     "passthrough-mmio: must be one or more <base-hi base-lo size-hi size-lo> groups of 4 "
     "cells"),
    ({"passthrough_mmio": None},
     "passthrough-mmio: must be one or more <base-hi base-lo size-hi size-lo> groups"),
    ({"passthrough_irqs": "[22]"}, "passthrough-irqs: must be one or more 32-bit cells"),
    ({"passthrough_irqs": None}, "passthrough-irqs: must be one or more 32-bit cells"),
])
def test_passthrough_too_many_or_malformed(ws, props, problem):
    expect_error(ws.run(config(vm(0, **props))), ws, PT_NODE, problem)


def test_passthrough_limits_ok(ws):
    """Four regions and eight interrupts: the most one VM may have."""
    res = ws.run(config(vm(0, passthrough_mmio="<0x0 0x09010000 0x0 0x1000>, "
                           "<0x0 0x09030000 0x0 0x1000>, <0x0 0x0 0x0 0x1000>, "
                           "<0x0 0x04000000 0x0 0x1000>",
                           passthrough_irqs="<34 35 36 37 38 39 40 1019>")))
    assert res.returncode == 0, res.stderr
    _, vms, _ = decode(split(ws.out.read_bytes())[1])
    assert (vms[0]["n_pt_mmio"], vms[0]["n_pt_irqs"]) == (4, 8)
    assert vms[0]["pt_irqs"] == [34, 35, 36, 37, 38, 39, 40, 1019]


# ---------------------------------------------------------------- inter-VM channels (/ivc)

def chan(unit, **props):
    """A channel@unit node like vm(): _ for - in names; values are DTS text; None: boolean;
    False: left out. Defaults: name "c<unit>", 64 KiB, members vm0 and vm1."""
    body = {"name": f'"c{unit}"', "size": "<0x0 0x10000>", "members": '"vm0", "vm1"'}
    body.update(props)
    lines = [f"channel@{unit} {{"]
    for key, val in body.items():
        if val is False:
            continue
        key = key.replace("_", "-")
        lines.append(f"\t{key};" if val is None else f"\t{key} = {val};")
    return "\n".join(lines) + "\n};\n"


def ivc(*channels, extra=""):
    return f"ivc {{\n{extra}\n{''.join(channels)}}};\n"


def decode_channels(bundle):
    hdr, vms, _ = decode(bundle)
    out = []
    for i in range(hdr["n_channels"]):
        f = CHAN.unpack_from(bundle, hdr["channel_offset"] + i * CHAN.size)
        out.append({"name": f[0].rstrip(b"\0").decode(), "raw_name": f[0], "size": f[1],
                    "n_members": f[2], "rate": f[3],
                    "members": [(f[4 + 2 * k], f[5 + 2 * k]) for k in range(4)]})
    return out


# linux1 in link (2 MiB, with bm read-only) and mesh (64 KiB, all three, 1000 doorbells/s)
IVC3 = config(vm(0, name='"linux1"', cpus="<0x0 0x1>"), vm(1, name='"linux2"'),
              vm(2, name='"bm"', flags='"autostart"'), vm(3, name='"loner"'),
              ivc=ivc(chan(0, name='"link"', size="<0x0 0x200000>", members='"linux1", "bm"',
                           read_only='"bm"'),
                      chan(1, name='"mesh"', size="<0x10000>",
                           members='"linux2", "linux1", "bm"', doorbell_rate="<1000>")))


def test_ivc_good_bundle(ws):
    res = ws.run(IVC3)
    assert res.returncode == 0, res.stderr
    bundle = split(ws.out.read_bytes())[1]
    hdr, vms, imgs = decode(bundle)
    # the channel table right after the VM table, the image table right after it
    assert hdr["n_channels"] == 2
    assert hdr["channel_offset"] == 64 + 4 * VM.size
    assert hdr["image_offset"] == 64 + 4 * VM.size + 2 * CHAN.size
    assert hdr["reserved"] == bytes(8)
    # the header CRC covers the channel table
    covered = bytearray(bundle[:imgs[0]["offset"]])
    covered[44:48] = bytes(4)
    assert hdr["header_crc"] == zlib.crc32(covered)
    link, mesh = decode_channels(bundle)
    assert link["raw_name"] == b"link".ljust(32, b"\0")
    assert (link["size"], link["n_members"], link["rate"]) == (2 * MIB, 2, 0)  # default rate
    assert link["members"] == [(0, 0), (2, 1), (0, 0), (0, 0)]  # bm read-only
    assert (mesh["name"], mesh["size"], mesh["n_members"], mesh["rate"]) == \
        ("mesh", 0x10000, 3, 1000)
    assert mesh["members"] == [(1, 0), (0, 0), (2, 0), (0, 0)]
    # the summary: the file line, each member VM's slots, one line per channel
    lines = res.stdout.splitlines()
    assert lines[0].startswith(f"{ws.out}: 4 VMs, 2 channels, bundle ")
    # 2048 MiB less 6 MiB for ftvisor, less 2 MiB + 64 KiB of channels in 2 MiB blocks
    assert lines[0].endswith("(board qemu-virt, 2038 MiB for VMs)")
    assert lines[1].startswith("  vm 0 linux1")
    assert lines[2] == "    ivc slot 1 link (id 0), slot 2 mesh (id 1)"
    assert lines[4] == "    ivc slot 1 mesh (id 0)"
    assert lines[6] == "    ivc slot 1 link (id 1, ro), slot 2 mesh (id 2)"
    assert lines[7].startswith("  vm 3 loner")
    assert lines[8].split() == ["channel", "0", "link", "2", "MiB", "members", "linux1,bm(ro)",
                                "rate", "20000/s", "(default)"]
    assert lines[9].split() == ["channel", "1", "mesh", "64", "KiB", "members",
                                "linux2,linux1,bm", "rate", "1000/s"]
    assert len(lines) == 10 and res.stderr == ""


def test_ivc_guest_dt(ws, tmp_path):
    """The PCI host bridge of a VM in two channels: the node, ranges, one interrupt-map
    entry per slot (INTA to SPI 48 + slot - 1 on the GIC), probe-only in /chosen."""
    res = ws.run(IVC3)
    assert res.returncode == 0, res.stderr
    dtb = guest_dtb(ws, tmp_path, 0)
    node = "/pcie@3f000000"
    gic = fdtget(dtb, "/intc@8000000", "phandle")
    assert fdtget(dtb, "/intc@8000000", "#address-cells") == "2"
    assert fdtget(dtb, node, "compatible") == "pci-host-ecam-generic"
    assert fdtget(dtb, node, "device_type") == "pci"
    assert fdtget(dtb, node, "reg", "-tx") == "0 3f000000 0 100000"
    assert fdtget(dtb, node, "bus-range") == "0 0"
    assert fdtget(dtb, node, "#address-cells") == "3"
    assert fdtget(dtb, node, "#size-cells") == "2"
    assert fdtget(dtb, node, "#interrupt-cells") == "1"
    assert fdtget(dtb, node, "linux,pci-domain") == "0"
    # only what the slots use: MEM32 = 2 register pages, 64-bit prefetchable = link (2 MiB at
    # 0x20000000) and mesh (64 KiB at 0x20200000), up to 0x20210000
    assert fdtget(dtb, node, "ranges", "-tx") == (
        "2000000 0 10000000 0 10000000 0 2000 "
        "43000000 0 20000000 0 20000000 0 210000")
    assert fdtget(dtb, node, "interrupt-map-mask", "-tx") == "f800 0 0 7"
    # (slot << 11) 0 0 INTA, &gic, GIC unit address (2 cells), SPI, INTID - 32, level-high
    assert fdtget(dtb, node, "interrupt-map", "-tx") == (
        f"800 0 0 1 {int(gic):x} 0 0 0 10 4 "
        f"1000 0 0 1 {int(gic):x} 0 0 0 11 4")
    assert sorted(fdt_props(dtb, node)) == sorted([
        "compatible", "device_type", "reg", "bus-range", "#address-cells", "#size-cells",
        "#interrupt-cells", "linux,pci-domain", "ranges", "interrupt-map-mask",
        "interrupt-map"])
    assert fdtget_list(dtb, node) == []
    assert fdtget(dtb, "/chosen", "linux,pci-probe-only") == "1"
    assert fdtget_list(dtb, "/") == ["memory@40000000", "cpus", "psci", "intc@8000000",
                                     "timer", "apb-pclk", "pl011@9000000", "test@a000000",
                                     "pcie@3f000000", "chosen"]
    res = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", "-o", "/dev/null", str(dtb)],
                         capture_output=True, text=True)
    assert res.returncode == 0 and res.stderr == "", res.stderr
    # linux2: one slot (mesh, 64 KiB at 0x20000000); bm: two, as linux1; loner: no bridge,
    # no probe-only
    assert fdtget(guest_dtb(ws, tmp_path, 1), node, "interrupt-map", "-tx") == \
        f"800 0 0 1 {int(gic):x} 0 0 0 10 4"
    assert fdtget(guest_dtb(ws, tmp_path, 1), node, "ranges", "-tx") == (
        "2000000 0 10000000 0 10000000 0 1000 "
        "43000000 0 20000000 0 20000000 0 10000")
    assert fdtget(guest_dtb(ws, tmp_path, 2), node, "interrupt-map", "-tx") == \
        fdtget(dtb, node, "interrupt-map", "-tx")
    assert fdtget(guest_dtb(ws, tmp_path, 2), node, "ranges", "-tx") == \
        fdtget(dtb, node, "ranges", "-tx")
    loner = guest_dtb(ws, tmp_path, 3)
    assert "pcie@3f000000" not in fdtget_list(loner, "/")
    assert "linux,pci-probe-only" not in fdt_props(loner, "/chosen")


def test_ivc_guest_dt_eight_slots(ws, tmp_path):
    """8 channels of 4 members: slots 1-8, INTIDs 48-55 (SPIs 16-23)."""
    chans = [chan(i, members='"vm0", "vm1", "vm2", "vm3"',
                  size="<0x0 0x10000000>" if i == 0 else "<0x0 0x1000000>")
             for i in range(8)]
    res = ws.run(config(*[vm(i) for i in range(4)], ivc=ivc(*chans)))
    assert res.returncode == 0, res.stderr
    assert [c["members"] for c in decode_channels(split(ws.out.read_bytes())[1])] == \
        [[(0, 0), (1, 0), (2, 0), (3, 0)]] * 8
    dtb = guest_dtb(ws, tmp_path, 3)
    gic = int(fdtget(dtb, "/intc@8000000", "phandle"))
    cells = [int(x, 16) for x in fdtget(dtb, "/pcie@3f000000", "interrupt-map", "-tx").split()]
    assert len(cells) == 8 * 10
    for k in range(8):
        assert cells[10 * k:10 * k + 10] == [(k + 1) << 11, 0, 0, 1, gic, 0, 0, 0, 16 + k, 4]
    lines = res.stdout.splitlines()
    assert lines[2] == "    ivc " + ", ".join(f"slot {k + 1} c{k} (id 0)" for k in range(8))


def test_ivc_supplied_dtb(ws, tmp_path):
    """A supplied tree is left alone; the summary says what it must describe."""
    ws.dtb("plain.dtb", '/dts-v1/; / { compatible = "x"; };')
    res = ws.run(config(vm(0, device_tree='"plain.dtb"'), vm(1), ivc=ivc(chan(0))))
    assert res.returncode == 0, res.stderr
    dtb = guest_dtb(ws, tmp_path, 0)
    assert fdtget_list(dtb, "/") == ["chosen"]
    assert "linux,pci-probe-only" not in fdt_props(dtb, "/chosen")
    lines = res.stdout.splitlines()
    assert lines[2] == "    ivc slot 1 c0 (id 0)"
    assert lines[3] == ("    ivc: the supplied device tree must describe the PCI host bridge "
                        "pcie@3f000000 and set /chosen linux,pci-probe-only (docs/config.md)")
    assert lines[5] == "    ivc slot 1 c0 (id 1)"  # vm1's tree is generated: no such line
    assert "pcie@3f000000" in fdtget_list(guest_dtb(ws, tmp_path, 1), "/")


def test_ivc_order_and_defaults(ws):
    """/ivc before /vms in the file, a channel node without unit address, one-cell size,
    several read-only members, the largest size and rate; channels in node order."""
    text = config(vm(0), vm(1), vm(2))
    body = ivc(chan(0, name='"big"', members='"vm2", "vm0", "vm1"', read_only='"vm1", "vm2"',
                    size="<0x10000000>", doorbell_rate="<0xffffffff>"),
               chan(1, members='"vm1", "vm0"').replace("channel@1", "channel"))
    text = text.replace("vms {", body + "vms {", 1)
    res = ws.run(text)
    assert res.returncode == 0, res.stderr
    big, c1 = decode_channels(split(ws.out.read_bytes())[1])
    assert (big["name"], big["size"], big["rate"]) == ("big", 256 * MIB, 0xFFFFFFFF)
    assert big["members"] == [(2, 1), (0, 0), (1, 1), (0, 0)]
    assert (c1["name"], c1["members"][:2]) == ("c1", [(1, 0), (0, 0)])
    assert "  channel 0 big          256 MiB  members vm2(ro),vm0,vm1(ro)  rate 4294967295/s" \
        in res.stdout.splitlines()


def test_ivc_layout_and_budget_ok(ws):
    """256 MiB then smaller channels fill the window; the RAM budget counts the channels."""
    res = ws.run(config(vm(0), vm(1), ivc=ivc(
        chan(0, size="<0x10000000>"), chan(1, size="<0x8000000>"), chan(2, size="<0x4000000>"),
        chan(3, size="<0x2000000>"), chan(4, size="<0x1000000>"))))
    assert res.returncode == 0, res.stderr
    assert "2042 MiB" not in res.stdout.splitlines()[0]
    # RAM right below and right above the IVC window
    res = ws.run(config(vm(0, memory_base="<0x0 0xe000000>", memory_size="<0x0 0x2000000>"),
                        vm(1, memory_base="<0x0 0x3f200000>"), ivc=ivc(chan(0))))
    assert res.returncode == 0, res.stderr
    # and in the parts of it the channel does not use: between the register page
    # (0x10000000) and the shared memory (0x20000000-0x2000ffff), between that and the ECAM
    res = ws.run(config(vm(0, memory_base="<0x0 0x10200000>", memory_size="<0x0 0xfe00000>"),
                        vm(1, memory_base="<0x0 0x20200000>", memory_size="<0x0 0x1ee00000>"),
                        ivc=ivc(chan(0))))
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize("text,node,problem", [
    (config(vm(0), vm(1), ivc=ivc(chan(0), extra="foo = <1>;")), "/ivc",
     "unknown property 'foo'"),
    (config(vm(0), vm(1), ivc=ivc(extra="link { };")), "/ivc",
     "unknown node 'link' (channels are channel@N nodes)"),
    (config(vm(0), vm(1), ivc=ivc(*[chan(i) for i in range(9)])), "/ivc",
     "too many channels (more than 8)"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, name=False))), "/ivc/channel@0",
     "missing required property 'name'"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, name='"Link"'))), "/ivc/channel@0",
     "bad name 'Link' (1-31 characters of a-z 0-9 _ -, starting with a letter)"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, name='"' + "l" * 32 + '"'))), "/ivc/channel@0",
     "bad name '" + "l" * 32 + "'"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, name="<1>"))), "/ivc/channel@0",
     "name: must be one non-empty string"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, name='"a", "b"'))), "/ivc/channel@0",
     "name: must be one non-empty string"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, name='"link"'), chan(1, name='"link"'))),
     "/ivc/channel@1 (link)", "duplicate name 'link' (also /ivc/channel@0)"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, colour='"red"'))), "/ivc/channel@0 (c0)",
     "unknown property 'colour'"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, rate="<5>"))), "/ivc/channel@0 (c0)",
     "unknown property 'rate'"),
    (config(vm(0), vm(1), ivc=ivc(chan(0).replace("};", "sub { };\n};"))),
     "/ivc/channel@0 (c0)", "unknown node 'sub'"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, size=False))), "/ivc/channel@0 (c0)",
     "missing required property 'size'"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, size="<0x0 0x8000>"))), "/ivc/channel@0 (c0)",
     "size 0x8000: must be a power of two from 64 KiB (0x10000) to 256 MiB (0x10000000)"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, size="<0x0 0x30000>"))), "/ivc/channel@0 (c0)",
     "size 0x30000: must be a power of two from 64 KiB"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, size="<0x0 0x20000000>"))), "/ivc/channel@0 (c0)",
     "size 0x20000000: must be a power of two from 64 KiB"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, size="<0x1 0x0>"))), "/ivc/channel@0 (c0)",
     "size 0x100000000: must be a power of two from 64 KiB"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, size="<0x0>"))), "/ivc/channel@0 (c0)",
     "size 0x0: must be a power of two from 64 KiB"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, size="<0x0 0x0 0x10000>"))), "/ivc/channel@0 (c0)",
     "size: must be one or two 32-bit cells"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, members=False))), "/ivc/channel@0 (c0)",
     "missing required property 'members'"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, members=None))), "/ivc/channel@0 (c0)",
     "members: must be a list of VM names (strings)"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, members="<0 1>"))), "/ivc/channel@0 (c0)",
     "members: must be a list of VM names (strings)"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, members='"vm0", ""'))), "/ivc/channel@0 (c0)",
     "members: must be a list of VM names (strings)"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, members='"vm0"'))), "/ivc/channel@0 (c0)",
     "members: 1 VMs, a channel has 2 to 4"),
    (config(*[vm(i, cpus="<0x0>", memory_size="<0x0 0x200000>") for i in range(5)],
            ivc=ivc(chan(0, members='"vm0", "vm1", "vm2", "vm3", "vm4"'))),
     "/ivc/channel@0 (c0)", "members: 5 VMs, a channel has 2 to 4"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, members='"vm0", "vm9"'))), "/ivc/channel@0 (c0)",
     "members: no VM named 'vm9'"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, members='"vm0", "vm1", "vm0"'))),
     "/ivc/channel@0 (c0)", "members: 'vm0' given twice"),
    (config(vm(0), vm(1), vm(2), ivc=ivc(chan(0, read_only='"vm2"'))), "/ivc/channel@0 (c0)",
     "read-only: 'vm2' is not a member of the channel"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, read_only='"nobody"'))), "/ivc/channel@0 (c0)",
     "read-only: 'nobody' is not a member of the channel"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, read_only='"vm1", "vm1"'))), "/ivc/channel@0 (c0)",
     "read-only: 'vm1' given twice"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, read_only=None))), "/ivc/channel@0 (c0)",
     "read-only: must be a list of member VM names (strings)"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, read_only="<1>"))), "/ivc/channel@0 (c0)",
     "read-only: must be a list of member VM names (strings)"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, doorbell_rate="<0>"))), "/ivc/channel@0 (c0)",
     "doorbell-rate 0: must be at least 1 doorbell per second (leave it out for the default "
     "20000)"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, doorbell_rate="<0x0 0x10>"))), "/ivc/channel@0 (c0)",
     "doorbell-rate: must be one 32-bit cell"),
    (config(vm(0), vm(1), ivc=ivc(chan(0, doorbell_rate='"fast"'))), "/ivc/channel@0 (c0)",
     "doorbell-rate: must be one 32-bit cell"),
])
def test_ivc_bad_config(ws, text, node, problem):
    expect_error(ws.run(text), ws, node, problem)


@pytest.mark.parametrize("base,size,span", [
    ("<0x0 0x10000000>", "<0x0 0x1000000>", "register pages [0x10000000, 0x10001000)"),
    ("<0x0 0xe000000>", "<0x0 0x2200000>", "register pages [0x10000000, 0x10001000)"),
    ("<0x0 0x1fe00000>", "<0x0 0x1000000>", "shared memory [0x20000000, 0x20010000)"),
    ("<0x0 0x20000000>", "<0x0 0x1000000>", "shared memory [0x20000000, 0x20010000)"),
    ("<0x0 0x3f000000>", "<0x0 0x1000000>", "PCI ECAM [0x3f000000, 0x3f100000)"),
    ("<0x0 0x20200000>", "<0x0 0x1f000000>", "PCI ECAM [0x3f000000, 0x3f100000)"),
    ("<0x0 0xc000000>", "<0x0 0x40000000>", "register pages [0x10000000, 0x10001000)"),
])
def test_ivc_member_ram_in_window(ws, base, size, span):
    """A member's RAM may not hide the ECAM, its register pages or its shared memory; a
    non-member's may."""
    lo, hi = (int(x, 16) for x in base.strip("<>").split())
    b = lo << 32 | hi
    s = int(size.strip("<>").split()[1], 16)
    res = ws.run(config(vm(0), vm(1, memory_base=base, memory_size=size), ivc=ivc(chan(0))))
    expect_error(res, ws, "/ivc/channel@0 (c0)",
                 f"members: 'vm1': guest RAM [{b:#x}, {b + s:#x}) overlaps the VM's IVC {span}")
    res = ws.run(config(vm(0), vm(1, memory_base=base, memory_size=size), vm(2, cpus="<0x0>"),
                        ivc=ivc(chan(0, members='"vm0", "vm2"'))))
    assert res.returncode == 0, res.stderr


def test_ivc_member_ram_hits_later_channel(ws):
    """The shared memory grows with each channel: the one that reaches the RAM is named."""
    res = ws.run(config(vm(0), vm(1, memory_base="<0x0 0x20200000>"),
                        ivc=ivc(chan(0), chan(1, size="<0x0 0x200000>"))))
    # c0 at 0x20000000 (64 KiB), c1 aligned to 2 MiB at 0x20200000
    expect_error(res, ws, "/ivc/channel@1 (c1)",
                 "members: 'vm1': guest RAM [0x20200000, 0x21200000) overlaps the VM's IVC "
                 "shared memory [0x20000000, 0x20400000)")


def test_ivc_member_passthrough(ws):
    """A member's passthrough region may not be in the IVC window, nor its passthrough
    interrupts the INTx of one of its slots."""
    board = board_variant(ws, ("\tchosen {", "\tdev@3f000000 { compatible = \"acme,dev\"; "
                               "reg = <0x0 0x3f000000 0x0 0x1000>; };\n\tchosen {"))
    res = ws.run(config(vm(0, passthrough_mmio="<0x0 0x3f000000 0x0 0x1000>"), vm(1),
                        ivc=ivc(chan(0))), board=board)
    expect_error(res, ws, "/ivc/channel@0 (c0)",
                 "members: 'vm0': passthrough-mmio 0x3f000000 (0x1000 bytes) overlaps the VM's "
                 "IVC PCI ECAM [0x3f000000, 0x3f100000)")
    res = ws.run(config(vm(0, passthrough_mmio="<0x0 0x3f000000 0x0 0x1000>"), vm(1), vm(2),
                        ivc=ivc(chan(0, members='"vm1", "vm2"'))), board=board)
    assert res.returncode == 0, res.stderr
    ws.out.unlink()
    # vm0: slot 1 = c0 (INTID 48), slot 2 = c1 (INTID 49)
    res = ws.run(config(vm(0, passthrough_irqs="<50 49>"), vm(1),
                        ivc=ivc(chan(0), chan(1))))
    expect_error(res, ws, "/ivc/channel@1 (c1)", "members: 'vm0': its passthrough-irqs 49 is "
                 "the INTx of this channel (its PCI slot 2)")
    res = ws.run(config(vm(0, passthrough_irqs="<50 48>"), vm(1), ivc=ivc(chan(0))))
    expect_error(res, ws, "/ivc/channel@0 (c0)", "members: 'vm0': its passthrough-irqs 48 is "
                 "the INTx of this channel (its PCI slot 1)")
    assert ws.run(config(vm(0, passthrough_irqs="<50>"), vm(1),
                         ivc=ivc(chan(0), chan(1)))).returncode == 0


def test_ivc_member_passthrough_in_window(ws, tmp_path):
    """Devices in the IVC window but off what the member's channels use may be passed through
    (the Phytium boards have all their devices there); on the register pages or the shared
    memory they may not. The host bridge's windows stay clear of them."""
    board = board_variant(ws, ("\tchosen {",
                               "\tdev@10001000 { compatible = \"acme,dev\"; "
                               "reg = <0x0 0x10001000 0x0 0x1000>; };\n"
                               "\tdev@20010000 { compatible = \"acme,dev\"; "
                               "reg = <0x0 0x20010000 0x0 0x1000>; };\n"
                               "\tdev@2800e000 { compatible = \"acme,dev\"; "
                               "reg = <0x0 0x2800e000 0x0 0x1000>; };\n\tchosen {"))
    res = ws.run(config(vm(0, passthrough_mmio="<0x0 0x10001000 0x0 0x1000>, "
                                               "<0x0 0x20010000 0x0 0x1000>, "
                                               "<0x0 0x2800e000 0x0 0x1000>"), vm(1),
                        ivc=ivc(chan(0))), board=board)
    assert res.returncode == 0, res.stderr
    dtb = guest_dtb(ws, tmp_path, 0)
    assert fdtget(dtb, "/pcie@3f000000", "ranges", "-tx") == (
        "2000000 0 10000000 0 10000000 0 1000 "
        "43000000 0 20000000 0 20000000 0 10000")
    assert fdtget(dtb, "/dev@2800e000", "reg", "-tx") == "0 2800e000 0 1000"
    ws.out.unlink()
    # a second channel: its register page is 0x10001000, its BAR2 at 0x20010000
    res = ws.run(config(vm(0, passthrough_mmio="<0x0 0x2800e000 0x0 0x1000>, "
                                               "<0x0 0x10001000 0x0 0x1000>"), vm(1),
                        ivc=ivc(chan(0), chan(1))), board=board)
    expect_error(res, ws, "/ivc/channel@1 (c1)",
                 "members: 'vm0': passthrough-mmio 0x10001000 (0x1000 bytes) overlaps the VM's "
                 "IVC register pages [0x10000000, 0x10002000)")
    res = ws.run(config(vm(0, passthrough_mmio="<0x0 0x20010000 0x0 0x1000>"), vm(1),
                        ivc=ivc(chan(0), chan(1))), board=board)
    expect_error(res, ws, "/ivc/channel@1 (c1)",
                 "members: 'vm0': passthrough-mmio 0x20010000 (0x1000 bytes) overlaps the VM's "
                 "IVC shared memory [0x20000000, 0x20020000)")


def test_ivc_layout_does_not_fit(ws):
    # two 256 MiB channels: 0x20000000-0x2fffffff, then 0x30000000-0x3fffffff > 0x3f000000
    res = ws.run(config(vm(0), vm(1), vm(2), ivc=ivc(
        chan(0, size="<0x10000000>", members='"vm0", "vm1"'),
        chan(1, size="<0x10000000>", members='"vm2", "vm1"'))))
    expect_error(res, ws, "/ivc/channel@1 (c1)",
                 "members: 'vm1': no room for this channel's shared memory: with the VM's "
                 "earlier channels, each aligned to its size, it would end at 0x40000000, past "
                 "the window [0x20000000, 0x3f000000)")
    # alignment: 64 KiB first pushes 256 MiB to 0x30000000
    res = ws.run(config(vm(0), vm(1), ivc=ivc(chan(0), chan(1, size="<0x10000000>"))))
    expect_error(res, ws, "/ivc/channel@1 (c1)", "members: 'vm0': no room for this channel's "
                 "shared memory: with the VM's earlier channels, each aligned to its size, it "
                 "would end at 0x40000000")
    # the other way round fits
    res = ws.run(config(vm(0), vm(1), ivc=ivc(chan(0, size="<0x10000000>"), chan(1))))
    assert res.returncode == 0, res.stderr


def test_ivc_memory_budget(ws):
    # 2042 MiB for VMs: 1 GiB + 1018 MiB fit exactly; a 64 KiB channel takes a 2 MiB block
    one_gib = "<0x0 0x40000000>"
    ok = config(vm(0, memory_size=one_gib), vm(1, memory_size="<0x0 0x3fa00000>"))
    assert ws.run(ok).returncode == 0
    ws.out.unlink()
    res = ws.run(config(vm(0, memory_size=one_gib), vm(1, memory_size="<0x0 0x3fa00000>"),
                        ivc=ivc(chan(0))))
    expect_error(res, ws, "/ivc", "the VMs need 2042 MiB of RAM and the channels 2 MiB, the "
                 "board has 2042 MiB for them (2048 MiB usable, less 6 MiB for ftvisor)")
    res = ws.run(config(vm(0, memory_size=one_gib), vm(1, memory_size="<0x0 0x3f800000>"),
                        ivc=ivc(chan(0))))
    assert res.returncode == 0, res.stderr


def test_ivc_empty_node(ws):
    """An /ivc without channels is no channel at all."""
    res = ws.run(config(vm(0), vm(1), ivc=ivc()))
    assert res.returncode == 0, res.stderr
    hdr, _, _ = decode(split(ws.out.read_bytes())[1])
    assert (hdr["n_channels"], hdr["channel_offset"]) == (0, 0)
    assert ", 0 channels" not in res.stdout and "channel" not in res.stdout


# ---------------------------------------------------------------- the shipped configs

LINUX_BOOTARGS = "console=ttyAMA0 earlycon loglevel=6 panic=1"


# (name, physical CPUs, MiB, RAM IPA, flags) of each VM of the configs known here.
SHIPPED = {
    "isolation": [("victim", [1], 64, 0x40000000, 0b001),
                  ("attacker", [2], 32, 0x100000000, 0b011),
                  ("smp", [3, 0], 32, 0x40000000, 0b001)],
    "basics": [("hello", [0], 16, 0x40000000, 1), ("mmio", [1], 16, 0x40000000, 1),
               ("sysoff", [2], 16, 0x40000000, 1), ("victim", [3], 64, 0x40000000, 1)],
    "unhandled": [("victim", [1], 32, 0x40000000, 0b001),
                  ("attacker", [2], 32, 0x100000000, 0b111)],
    "demo": [("linux1", [0, 1], 256, 0x40000000, 1), ("linux2", [2], 192, 0x40000000, 1),
             ("bm", [3], 16, 0x40000000, 1)],
    "linux": [("linux1", [0, 1], 256, 0x40000000, 1), ("linux2", [2], 192, 0x40000000, 1),
              ("bm", [3], 16, 0x40000000, 1)],
    "passthrough": [("rtc", [1], 16, 0x40000000, 1), ("bm", [2], 16, 0x40000000, 1)],
}


@pytest.mark.parametrize("name", sorted(
    {p.stem for p in (ROOT / "configs" / "qemu-virt").glob("*.dts")} | set(SHIPPED)))
def test_shipped_configs(ws, name, tmp_path):
    """configs/qemu-virt/*.dts with stand-ins for the images they name (../../build/...,
    ../../cache/...): every config in the directory builds; the known ones are decoded."""
    expect = SHIPPED.get(name)
    tree = tmp_path / "tree"
    (tree / "configs" / "qemu-virt").mkdir(parents=True)
    cfg = tree / "configs" / "qemu-virt" / f"{name}.dts"
    text = (ROOT / "configs" / "qemu-virt" / f"{name}.dts").read_text()
    cfg.write_text(text)
    for rel in set(re.findall(r'(?:kernel|initrd) = "(\.\./\.\./[^"]+)"', text)):
        stand_in = (cfg.parent / rel).resolve()
        stand_in.parent.mkdir(parents=True, exist_ok=True)
        stand_in.write_bytes(arm64_image(0x3000))
    res = ws.run(None, config=cfg)
    assert res.returncode == 0, res.stderr
    bundle = split(ws.out.read_bytes())[1]
    hdr, vms, imgs = decode(bundle)
    assert hdr["n_vms"] >= 1
    if expect is None:
        return
    assert hdr["flags"] == 1
    got = [(v["name"], v["mpidr"][:v["n_vcpus"]], v["mem_size"] // MIB, v["mem_ipa"],
            v["flags"]) for v in vms]
    assert got == expect
    if name == "basics":
        dtb = tmp_path / "hello.dtb"
        dtb.write_bytes(image_data(bundle, imgs[vms[0]["dtb"]]))
        assert fdtget(dtb, "/chosen", "bootargs") == "hello from the config"
    if name in ("demo", "linux"):
        for i, (vm_name, cpus, *_) in enumerate(expect[:2]):
            dtb = tmp_path / f"{vm_name}.dtb"
            dtb.write_bytes(image_data(bundle, imgs[vms[i]["dtb"]]))
            assert fdtget(dtb, "/chosen", "ftvisor,name") == vm_name
            assert fdtget(dtb, "/chosen", "bootargs") == LINUX_BOOTARGS
            assert vms[i]["initrd"] != NO_IMAGE
            assert fdtget_list(dtb, "/cpus") == [f"cpu@{c}" for c in range(len(cpus))]
        assert vms[2]["initrd"] == NO_IMAGE
    if name == "passthrough":
        assert vms[0]["pt_mmio"] == [(0x09010000, 0x1000)] + [(0, 0)] * 3
        assert vms[0]["pt_irqs"] == [34] + [0] * 7
        assert (vms[1]["n_pt_mmio"], vms[1]["n_pt_irqs"]) == (0, 0)
        dtb = tmp_path / "rtc.dtb"
        dtb.write_bytes(image_data(bundle, imgs[vms[0]["dtb"]]))
        assert fdtget(dtb, "/pl031@9010000", "interrupts", "-tx") == "0 2 4"


def test_identical_images_stored_once(ws):
    """Two VMs with the same kernel share one copy of it in the bundle; a third VM with a
    different kernel gets its own; every VM's generated tree differs, so each has its dtb."""
    ws.file("k2.bin", arm64_image(0x2800, fill=0x33))
    res = ws.run(config(vm(0), vm(1), vm(2, kernel='"k2.bin"')))
    assert res.returncode == 0, res.stderr
    bundle = split(ws.out.read_bytes())[1]
    hdr, vms, imgs = decode(bundle)
    assert vms[0]["kernel"] == vms[1]["kernel"] != vms[2]["kernel"]
    assert len({v["dtb"] for v in vms}) == 3
    assert hdr["n_images"] == 5  # 2 kernels + 3 device trees
    assert image_data(bundle, imgs[vms[0]["kernel"]]) == (ws.cfgdir / "k.bin").read_bytes()
    assert image_data(bundle, imgs[vms[2]["kernel"]]) == (ws.cfgdir / "k2.bin").read_bytes()
