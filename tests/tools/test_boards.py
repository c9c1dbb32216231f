# SPDX-License-Identifier: Apache-2.0
"""The Phytium board configurations against the real board trees, and ftvisor-mkimage --plan.

Every configs/{phytium-pi,ft2004,d2000}/*.dts is built with ftvisor-mkimage against the real
board device tree(s) in tests/data/dtb (compiled from Phytium's kernel trees, see
/work/shared/phytium/dtb/README.md), and its whole-boot plan is printed and checked
independently of the tool: nothing on firmware memory (E2000/FT-2000/4: 0xFC000000-0xFFFFFFFF)
or the /memreserve/ at 0x80000000, everything inside the SoC's DRAM windows and apart, every
vCPU on a CPU the board has, the console on UART1. Then the checks that must refuse a
configuration, each naming the node.

Run: /usr/bin/python3 -m pytest tests/tools. Needs gcc, libfdt-dev, dtc. Guest images are
taken from the build (cache/linux/Image, build/guests/*) when present, else small stand-ins.
"""
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOL = Path(os.environ.get("FTVISOR_MKIMAGE", ROOT / "build" / "tools" / "ftvisor-mkimage"))
DTB = ROOT / "tests" / "data" / "dtb"
MIB = 1 << 20

# Each board config directory: the real trees it must pass on, the SoC facts to check against.
BOARDS = {
    "phytium-pi": {
        "trees": ["phytiumpi_firefly-linux5.10.dtb", "phytiumpi_firefly-linux6.6.dtb"],
        "cpus": {0x200: "FTC310", 0x201: "FTC310", 0x0: "FTC664", 0x100: "FTC664"},
        "console": 0x2800D000,
        "console_intid": 116,
        "firmware": [(0xFC000000, 0x100000000)],
    },
    "ft2004": {
        "trees": ["ft2004-devboard-d4-dsk-linux4.19.dtb"],
        "cpus": {0x0: "FTC663", 0x1: "FTC663", 0x100: "FTC663", 0x101: "FTC663"},
        "console": 0x28001000,
        "console_intid": 39,
        "firmware": [(0xFC000000, 0x100000000)],
    },
    "d2000": {
        "trees": ["d2000-devboard-dsk-linux4.19.dtb"],
        "cpus": {m: "FTC663" for m in (0x0, 0x1, 0x100, 0x101, 0x200, 0x201, 0x300, 0x301)},
        "console": 0x28001000,
        "console_intid": 39,
        "firmware": [],
    },
}
MEMRESERVE = (0x80000000, 0x80010000)	# in every Phytium board file
# DRAM windows of these SoCs (FACTS 1.1-1.3): low 0x8000_0000-0xFFFF_FFFF, high from 0x20_0000_0000.
DRAM = [(0x80000000, 0x100000000), (0x2000000000, 0x4000000000)]
PI_TREE = DTB / "phytiumpi_firefly-linux5.10.dtb"


def board_configs():
    out = []
    for board, info in BOARDS.items():
        for cfg in sorted((ROOT / "configs" / board).glob("*.dts")):
            for tree in info["trees"]:
                out.append(pytest.param(board, cfg, tree, id=f"{board}/{cfg.name}@{tree}"))
    return out


def arm64_image(size, image_size=0):
    hdr = struct.pack("<IIQQQQQQII", 0x14000010, 0, 0, image_size, 0xA, 0, 0, 0, 0x644D5241, 0)
    return hdr + bytes(size - 64)


@pytest.fixture(scope="session")
def tool():
    if "FTVISOR_MKIMAGE" not in os.environ:
        subprocess.run(["make", "-s", "-C", str(ROOT / "tools" / "mkimage")], check=True)
    return TOOL


@pytest.fixture(scope="session")
def hyp(tmp_path_factory):
    """The real ftvisor.bin when built, else a stand-in with a valid Image header."""
    real = ROOT / "build" / "ftvisor.bin"
    if real.exists():
        return real
    p = tmp_path_factory.mktemp("hyp") / "ftvisor.bin"
    p.write_bytes(arm64_image(0x3000, image_size=0x100000))
    return p


def stage(tmp_path, cfg):
    """The config in a copy of the repository layout its image paths expect."""
    dst = tmp_path / "configs" / cfg.parent.name / cfg.name
    dst.parent.mkdir(parents=True)
    text = cfg.read_text()
    dst.write_text(text)
    for rel in re.findall(r'(?:kernel|initrd)\s*=\s*"([^"]+)"', text):
        target = (dst.parent / rel).resolve()
        real = (cfg.parent / rel).resolve()
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if real.exists():
            target.symlink_to(real)
        else:
            target.write_bytes(arm64_image(0x10000) if "initrd" not in rel and "cpio" not in rel
                               else bytes(0x1000))
    return dst


def run(tool, hyp, config, tree, *extra, out=None):
    args = [str(tool), "--hypervisor", str(hyp), "--config", str(config), "--board", str(tree),
            *extra]
    if out:
        args += ["-o", str(out)]
    return subprocess.run(args, capture_output=True, text=True)


def ranges(plan):
    """(what, start, end exclusive) of everything the plan places in memory."""
    out = []
    for line in plan.splitlines():
        m = re.match(r"\s+(hypervisor: \w+|channel \d+ \S+|vm \d+ \S+)\s.*?0x([0-9a-f]+)-0x([0-9a-f]+)",
                     line)
        if m:
            out.append((m.group(1), int(m.group(2), 16), int(m.group(3), 16) + 1))
        m = re.search(r"page tables 0x([0-9a-f]+)-0x([0-9a-f]+)", line)
        if m:
            out.append(("page tables", int(m.group(1), 16), int(m.group(2), 16) + 1))
    return out


@pytest.mark.parametrize("board,cfg,tree", board_configs())
def test_board_config_and_plan(tool, hyp, tmp_path, board, cfg, tree):
    info = BOARDS[board]
    config = stage(tmp_path, cfg)
    out = tmp_path / "out.bin"
    r = run(tool, hyp, config, DTB / tree, "--plan", out=out)
    print(r.stdout)
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 0
    plan = r.stdout
    assert "plan: OK" in plan

    placed = ranges(plan)
    names = [p[0] for p in placed]
    assert "hypervisor: image" in names and "hypervisor: bundle" in names
    assert any(n.startswith("vm ") for n in names)
    for what, lo, hi in placed:
        assert lo < hi
        assert any(a <= lo and hi <= b for a, b in DRAM), f"{what} outside the DRAM windows"
        for a, b in info["firmware"] + [MEMRESERVE]:
            assert hi <= a or lo >= b, f"{what} [{lo:#x}, {hi:#x}) on reserved [{a:#x}, {b:#x})"
    for i, (w1, a1, b1) in enumerate(placed):
        for w2, a2, b2 in placed[i + 1:]:
            assert b1 <= a2 or b2 <= a1, f"{w1} overlaps {w2}"
    # ftvisor runs 2 MiB aligned (booti moves it there)
    image = next(lo for w, lo, _ in placed if w == "hypervisor: image")
    assert image % (2 * MIB) == 0

    cpu_map = re.findall(r"cpu map: vm \d+ (\S+)\s+vCPU \d+ -> cpu \d+ MPIDR 0x([0-9a-f]+) (\S+)",
                         plan)
    assert cpu_map
    for vm, mpidr, core in cpu_map:
        assert int(mpidr, 16) in info["cpus"], f"{vm} on a CPU the board lacks"
        assert core == info["cpus"][int(mpidr, 16)]
    # one core type per VM (no config here sets mixed-cores)
    for vm in {v for v, _, _ in cpu_map}:
        assert len({c for v, _, c in cpu_map if v == vm}) == 1

    m = re.search(r"console: arm,pl011 at 0x([0-9a-f]+) \((\S+)\), INTID (\d+)", plan)
    assert m, plan
    assert int(m.group(1), 16) == info["console"]
    assert int(m.group(3)) == info["console_intid"]


def test_every_board_dir_has_configs():
    for board in BOARDS:
        assert list((ROOT / "configs" / board).glob("*.dts")), board


def guest_dtbs(out, tmp_path):
    """{VM name: path} of the generated guest device trees in an ftvisor-mkimage output file
    (found by their FDT magic and their model "ftvisor VM NAME")."""
    data = out.read_bytes()
    found, i = {}, data.find(b"\xd0\x0d\xfe\xed")
    while i >= 0:
        size = struct.unpack_from(">I", data, i + 4)[0]
        if 0x40 < size <= len(data) - i:
            p = tmp_path / f"dtb-{i:x}.dtb"
            p.write_bytes(data[i:i + size])
            r = subprocess.run(["fdtget", str(p), "/", "model"], capture_output=True, text=True)
            if r.returncode == 0 and r.stdout.startswith("ftvisor VM "):
                found[r.stdout.strip()[len("ftvisor VM "):]] = p
        i = data.find(b"\xd0\x0d\xfe\xed", i + 4)
    return found


def fdtget(path, node, prop, *opts):
    return subprocess.run(["fdtget", *opts, str(path), node, prop], capture_output=True,
                          text=True, check=True).stdout.strip()


def fdtget_nodes(path):
    return subprocess.run(["fdtget", "-l", str(path), "/"], capture_output=True, text=True,
                          check=True).stdout.split()


def test_pi_demo_shape(tool, hyp, tmp_path):
    """The Phytium Pi demo: Linux on both FTC664s with UART2 and macb1 passed through, rt on
    0x201, and an 8 MiB channel between them."""
    config = stage(tmp_path, ROOT / "configs" / "phytium-pi" / "demo.dts")
    out = tmp_path / "o.bin"
    r = run(tool, hyp, config, PI_TREE, "--plan", out=out)
    assert r.returncode == 0, r.stderr
    assert re.search(r"vm 0 linux\s+cpus 0x0,0x100 .*passthrough 0x2800e000\+0x1000,"
                     r"0x3200e000\+0x2000 irqs 117,91,92,93,94", r.stdout)
    assert re.search(r"vCPU 0 -> cpu 1 MPIDR 0x201 FTC310", r.stdout)
    # the boot CPU 0x200 keeps the management work
    assert re.search(r"cpu 0 MPIDR 0x200 FTC310\s+0 vCPUs", r.stdout)
    # the channel: both VMs in slot 1
    assert re.search(r"channel 0 link\s+8 MiB\s+members linux,rt", r.stdout)
    assert re.search(r"vm 0 linux .*\n(?:    .*\n)*    ivc slot 1 link \(id 0\)\n", r.stdout)
    assert re.search(r"vm 1 rt .*\n(?:    .*\n)*    ivc slot 1 link \(id 1\)\n", r.stdout)
    # linux's tree: the devices at IPA = PA, and the host bridge's windows only what the
    # channel uses (one register page, 8 MiB of shared memory), clear of them
    dtbs = guest_dtbs(out, tmp_path)
    assert sorted(dtbs) == ["linux", "rt"]
    linux = dtbs["linux"]
    assert fdtget(linux, "/uart@2800e000", "reg", "-tx") == "0 2800e000 0 1000"
    assert fdtget(linux, "/ethernet@3200e000", "reg", "-tx") == "0 3200e000 0 2000"
    assert fdtget(linux, "/pcie@3f000000", "ranges", "-tx") == (
        "2000000 0 10000000 0 10000000 0 1000 "
        "43000000 0 20000000 0 20000000 0 800000")
    assert fdtget(linux, "/pcie@3f000000", "interrupt-map", "-tx").split()[-3:] == \
        ["0", "10", "4"]	# INTA: SPI 16 = INTID 48, not one of the passthrough SPIs
    # the devices keep their clocks' frequencies (the board's fixed clocks, as guest nodes):
    # UART2 runs at 100 MHz on the E2000, macb's four at 250/48/48/250 MHz
    def hz(node, i=0):
        ph = fdtget(linux, node, "clocks").split()[i]
        clk = [n for n in fdtget_nodes(linux) if fdtget(linux, f"/{n}", "phandle", "-d", "0") == ph]
        return int(fdtget(linux, f"/{clk[0]}", "clock-frequency"))
    assert (hz("/uart@2800e000", 0), hz("/uart@2800e000", 1)) == (100000000, 100000000)
    assert fdtget(linux, "/uart@2800e000", "clock-names") == "uartclk apb_pclk"
    assert [hz("/ethernet@3200e000", i) for i in range(4)] == \
        [250000000, 48000000, 48000000, 250000000]
    assert fdtget(linux, "/ethernet@3200e000", "clock-names") == "pclk hclk tx_clk tsu_clk"


# ---- refusals ----

def pi_config(tmp_path, vms, ivc=""):
    (tmp_path / "k.bin").write_bytes(arm64_image(0x2000))
    p = tmp_path / "c.dts"
    p.write_text('/dts-v1/;\n/ { compatible = "ftvisor,config-v1"; vms { %s }; %s };\n'
                 % (vms, ivc))
    return p


def vm(n, name, cpus, extra="", size="0x1000000"):
    return (f'vm@{n} {{ name = "{name}"; cpus = <{cpus}>; memory-size = <0x0 {size}>; '
            f'kernel = "k.bin"; flags = "autostart"; {extra} }};')


def refused(tool, hyp, tmp_path, vms, *patterns, tree=PI_TREE):
    r = run(tool, hyp, pi_config(tmp_path, vms), tree, "--plan")
    assert r.returncode == 1, r.stdout
    for p in patterns:
        assert re.search(p, r.stderr), r.stderr
    return r.stderr


def test_refuses_firmware_memory(tool, hyp, tmp_path):
    refused(tool, hyp, tmp_path, vm(0, "a", "0x201", "passthrough-mmio = <0x0 0xfc000000 0x0 0x1000>;"),
            r"/vms/vm@0 \(a\): passthrough-mmio: 0xfc000000 .*firmware memory .*\[0xfc000000, 0x100000000\)")


def test_refuses_memreserve(tool, hyp, tmp_path):
    refused(tool, hyp, tmp_path, vm(0, "a", "0x201", "passthrough-mmio = <0x0 0x80000000 0x0 0x1000>;"),
            r"/vms/vm@0 \(a\): passthrough-mmio: 0x80000000 .*memreserve")


def test_refuses_ram(tool, hyp, tmp_path):
    refused(tool, hyp, tmp_path, vm(0, "a", "0x201", "passthrough-mmio = <0x0 0x90000000 0x0 0x1000>;"),
            r"/vms/vm@0 \(a\): passthrough-mmio: 0x90000000 .*board memory")


def test_refuses_missing_cpu(tool, hyp, tmp_path):
    refused(tool, hyp, tmp_path, vm(0, "a", "0x300"),
            r"/vms/vm@0 \(a\): cpus: no CPU with MPIDR 0x300 on the board \(it has 0x200 0x201 0x0 0x100\)")


def test_refuses_console_uart(tool, hyp, tmp_path):
    refused(tool, hyp, tmp_path, vm(0, "a", "0x201", "passthrough-mmio = <0x0 0x2800d000 0x0 0x1000>;"),
            r"/vms/vm@0 \(a\): passthrough-mmio: 0x2800d000 .*console UART")
    refused(tool, hyp, tmp_path, vm(0, "a", "0x201", "passthrough-irqs = <116>;"),
            r"/vms/vm@0 \(a\): passthrough-irqs: 116: .*console UART")


def test_refuses_mixed_cores(tool, hyp, tmp_path):
    refused(tool, hyp, tmp_path, vm(0, "a", "0x201 0x0"),
            r'/vms/vm@0 \(a\): cpus: 0x201 is an FTC310 core .* 0x0 an FTC664 core .*"mixed-cores"')


def test_mixed_cores_flag_allows_it(tool, hyp, tmp_path):
    cfg = pi_config(tmp_path, vm(0, "a", "0x201 0x0").replace('"autostart"', '"autostart", "mixed-cores"'))
    r = run(tool, hyp, cfg, PI_TREE, "--plan", out=tmp_path / "o.bin")
    assert r.returncode == 0, r.stderr
    assert "autostart,mixed-cores" in r.stdout
    assert re.search(r"vCPU 0 -> cpu 1 MPIDR 0x201 FTC310", r.stdout)
    assert re.search(r"vCPU 1 -> cpu 2 MPIDR 0x000 FTC664", r.stdout)


def test_refuses_scmi_in_two_vms(tool, hyp, tmp_path):
    # mailbox@32a00000 to one VM, the SCMI shared memory (sram@32a10000 +0x1400) to another
    refused(tool, hyp, tmp_path,
            vm(0, "a", "0x201", "passthrough-mmio = <0x0 0x32a00000 0x0 0x1000>;") +
            vm(1, "b", "0x0", "passthrough-mmio = <0x0 0x32a11000 0x0 0x1000>;"),
            r"/vms/vm@1 \(b\): passthrough-mmio: 0x32a11000 .*firmware channel /firmware/scmi .*"
            r"scp-shmem.*already passed through to /vms/vm@0 \(a\): only one VM may own it")


def test_scmi_in_one_vm_is_fine(tool, hyp, tmp_path):
    cfg = pi_config(tmp_path, vm(0, "a", "0x201",
                                 "passthrough-mmio = <0x0 0x32a00000 0x0 0x1000>, <0x0 0x32a11000 0x0 0x1000>;"))
    r = run(tool, hyp, cfg, PI_TREE, "--plan")
    assert r.returncode == 0, r.stderr


def test_plan_refuses_what_does_not_fit(tool, hyp, tmp_path):
    # Within the memory budget, but no free block of 1700 MiB in one piece: ftvisor sits at
    # 0x90200000 and U-Boot's tree near 0xf9c2d000 split the low window.
    refused(tool, hyp, tmp_path, vm(0, "a", "0x201", size="0x6a400000"),
            r"plan: /vms/vm@0 \(a\): RAM: not enough free memory for 1700 MiB")


def test_plan_refuses_load_address_on_firmware(tool, hyp, tmp_path):
    cfg = pi_config(tmp_path, vm(0, "a", "0x201"))
    r = run(tool, hyp, cfg, PI_TREE, "--plan", "--load-addr", "0xfc000000")
    assert r.returncode == 1
    assert re.search(r"plan: the loaded file \[0xfc000000, .*firmware memory", r.stderr), r.stderr
    r = run(tool, hyp, cfg, PI_TREE, "--plan", "--dtb-addr", "0x80000000")
    assert r.returncode == 1
    assert re.search(r"plan: the device tree .*memreserve", r.stderr), r.stderr


def test_ivc_member_with_pi_passthrough(tool, hyp, tmp_path):
    """E2000 devices lie in [0x10000000, 0x3f100000), but a member only occupies its register
    pages, its shared memory and the ECAM there: passthrough and a channel go together."""
    ivc = 'ivc { channel@0 { name = "link"; size = <0x0 0x200000>; members = "a", "b"; }; };'
    out = tmp_path / "o.bin"
    r = run(tool, hyp, pi_config(tmp_path, vm(0, "a", "0x0", "passthrough-mmio = <0x0 0x2800e000 0x0 0x1000>, "
                                             "<0x0 0x3200e000 0x0 0x2000>;")
                                 + vm(1, "b", "0x201", "passthrough-mmio = <0x0 0x2800f000 0x0 0x1000>;"),
                                 ivc), PI_TREE, "--plan", out=out)
    assert r.returncode == 0, r.stderr
    assert "plan: OK" in r.stdout
    dtbs = guest_dtbs(out, tmp_path)
    for name in ("a", "b"):
        assert fdtget(dtbs[name], "/pcie@3f000000", "ranges", "-tx") == (
            "2000000 0 10000000 0 10000000 0 1000 "
            "43000000 0 20000000 0 20000000 0 200000")
    assert fdtget(dtbs["b"], "/uart@2800f000", "reg", "-tx") == "0 2800f000 0 1000"


def test_uimage_when_u_boot_tools_present(tool, hyp, tmp_path):
    mk = shutil.which("mkimage")
    if not mk:
        pytest.skip("u-boot-tools (mkimage) not installed: the booti Image is the default anyway")
    cfg = pi_config(tmp_path, vm(0, "a", "0x201"))
    out = tmp_path / "o.bin"
    assert run(tool, hyp, cfg, PI_TREE, out=out).returncode == 0
    ui = tmp_path / "o.uImage"
    subprocess.run([mk, "-A", "arm64", "-O", "linux", "-T", "kernel", "-C", "none", "-a", "0x90200000",
                    "-e", "0x90200000", "-n", "ftvisor", "-d", str(out), str(ui)], check=True,
                   capture_output=True)
    assert ui.stat().st_size == out.stat().st_size + 64


def test_refuses_scpi_in_two_vms(tool, hyp, tmp_path):
    """FT-2000/4: the SCPI mailbox and its shared memory in sram@2a006000."""
    refused(tool, hyp, tmp_path,
            vm(0, "a", "0x1", "passthrough-mmio = <0x0 0x2a000000 0x0 0x1000>;") +
            vm(1, "b", "0x100", "passthrough-mmio = <0x0 0x2a007000 0x0 0x1000>;"),
            r"/vms/vm@1 \(b\): passthrough-mmio: 0x2a007000 .*firmware channel .*scpi.*"
            r"already passed through to /vms/vm@0 \(a\)",
            tree=DTB / "ft2004-devboard-d4-dsk-linux4.19.dtb")
