# SPDX-License-Identifier: Apache-2.0
"""Boot on a QEMU virt whose device tree has the shapes of the Phytium board trees.

QEMU's boot CPU is always MPIDR 0 and its tree is tidy; real Phytium trees are not. Here
QEMU's own tree is rewritten the way the Phytium ones look (see tests/data/dtb and
../shared/phytium/FACTS.md), then passed with -dtb:
- /cpus lists the boot CPU last, and node unit names do not match their reg (cpu@0 has
  reg 1...), as in phytiumpi_firefly where cpu@100 has reg 0x0;
- the console is found through an alias with options, stdout-path = "serial1:115200n8";
- a /memreserve/ entry at the start of RAM and a no-map /reserved-memory region at the top
  (the Phytium firmware's 64 KiB memreserve and its runtime area);
- /timer has clock-frequency.
"""
import os
import re
import subprocess

from qemu import ROOT

BOOT_TIMEOUT = 120
SMP, MEM = 4, "2G"


def make_phytium_shaped_dtb(path):
    base = path + ".qemu.dtb"
    subprocess.run(["qemu-system-aarch64", "-M",
                    f"virt,virtualization=on,gic-version=3,dumpdtb={base}", "-cpu", "cortex-a72",
                    "-smp", str(SMP), "-m", MEM, "-nographic", "-nic", "none"],
                   check=True, capture_output=True)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", base], check=True,
                         capture_output=True, text=True).stdout

    def rotate_reg(m):
        n = int(m.group(1))
        return re.sub(r"reg = <0x[0-9a-f]+>;", f"reg = <{(n + 1) % SMP:#x}>;", m.group(0), count=1)

    dts = re.sub(r"cpu@(\d+) \{.*?\};", rotate_reg, dts, flags=re.S)
    dts = dts.replace("/dts-v1/;", "/dts-v1/;\n/memreserve/ 0x40000000 0x10000;", 1)
    dts = re.sub(r'stdout-path = "[^"]*";', 'stdout-path = "serial1:115200n8";', dts)
    dts = dts.replace("always-on;", "always-on;\n\t\tclock-frequency = <62500000>;", 1)
    extra = """
	aliases {
		serial1 = "/pl011@9000000";
	};
	reserved-memory {
		#address-cells = <2>;
		#size-cells = <2>;
		ranges;
		firmware@bc000000 {
			reg = <0x0 0xbc000000 0x0 0x4000000>;
			no-map;
		};
	};
};
"""
    dts = dts[:dts.rstrip().rfind("};")] + extra
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", path, "-"], input=dts,
                   check=True, text=True)


def test_phytium_shaped_tree(qemu):
    dtb = os.path.join(ROOT, "build", "phytium-shaped-virt.dtb")
    make_phytium_shaped_dtb(dtb)
    q = qemu(smp=SMP, mem=MEM, extra=f"-dtb {dtb}")
    q.expect(r"console: arm,pl011 at 0x9000000, clock 24000000 Hz", BOOT_TIMEOUT)
    q.expect(r"memory: bank 0 0x0040000000-0x00bfffffff \(2048 MiB\)")
    q.expect(r"memory: reserved 0x0040000000-0x004000ffff \(memreserve\)")
    q.expect(r"memory: reserved 0x00bc000000-0x00bfffffff \(reserved-memory\)")
    m = q.expect(r"memory: (\d+) MiB free for VMs")
    assert 1900 < int(m.group(1)) <= 2048 - 64 - 1
    q.expect(r"timer: counter 62500000 Hz \(device tree says 62500000\)")
    # Tree order is MPIDR 1, 2, 3, 0: the boot CPU (MPIDR 0) is logical CPU 3.
    for n in range(SMP):
        mpidr = (n + 1) % SMP
        boot = r" \[boot\]" if mpidr == 0 else ""
        q.expect(rf"cpu {n}: MPIDR 0x{mpidr:06x} MIDR 0x410fd083 \(Cortex-A72\) online{boot}\r",
                 BOOT_TIMEOUT)
    q.expect(r"cpus: 4 online of 4")
    q.expect(r"PASS sgi-pingpong cpus=4 pingpongs=36 ", BOOT_TIMEOUT)
    q.expect(r"PASS timer-all cpus=4", BOOT_TIMEOUT)
    q.expect(r"ftvisor: ready \(self-tests passed")
    # The hypervisor itself never used reserved memory.
    m = re.search(r"image: 0x(\w+)-0x(\w+)", q.output())
    assert int(m.group(1), 16) >= 0x40010000
