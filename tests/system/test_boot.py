# SPDX-License-Identifier: Apache-2.0
"""ftvisor boots at EL2 on QEMU virt: banner, SMP bring-up, SGIs and timers on every CPU."""
import json
import os
import re

import pytest

from qemu import ROOT

BOOT_TIMEOUT = 120         # generous: 2 host cores may run 18 emulated CPUs
MIDR = {"cortex-a72": 0x410FD083, "cortex-a53": 0x410FD034}


def virt_mpidr(n):
    """QEMU virt: CPU n has Aff0 = n % 16, Aff1 = n / 16."""
    return (n // 16) << 8 | (n % 16)


def check_boot(q, ncpus, cpu_model=None):
    q.expect(r"ftvisor \d+\.\d+\.\d+ \(", BOOT_TIMEOUT)
    banner_s = q.elapsed()
    q.expect(r"board: .*port qemu-virt\)")
    m = q.expect(r"features: PA (\d+) bits \(PARange (\d+)\), VMID (8|16) bits")
    assert int(m.group(1)) >= 32
    q.expect(r"memory: bank 0 0x0040000000-")
    q.expect(r"gic: GICv3 GICD 0x8000000, GICR 0x80a0000 .* (\d+) list registers")
    for n in range(ncpus):
        m = q.expect(rf"cpu {n}: MPIDR 0x(\w+) MIDR 0x(\w+) \(.*\) online", BOOT_TIMEOUT)
        assert int(m.group(1), 16) == virt_mpidr(n)
        if cpu_model in MIDR:
            assert int(m.group(2), 16) == MIDR[cpu_model]
    q.expect(rf"cpus: {ncpus} online of {ncpus}")
    q.expect(rf"PASS sgi-pingpong cpus={ncpus} pingpongs={ncpus * (ncpus - 1) * 3} ", BOOT_TIMEOUT)
    ticked = set()
    for _ in range(ncpus):
        m = q.expect(r"PASS timer cpu=(\d+) mpidr=0x(\w+) ticks=10 ", BOOT_TIMEOUT)
        ticked.add(int(m.group(1)))
        assert int(m.group(2), 16) == virt_mpidr(int(m.group(1)))
    assert ticked == set(range(ncpus))
    q.expect(rf"PASS timer-all cpus={ncpus} intid=26")
    q.expect(r"ftvisor: ready \(self-tests passed")
    assert "FAIL" not in q.output()
    return banner_s, q.elapsed()


def record(name, **figures):
    """Keep measured figures (boot times) in build/systest-figures.json for the notes."""
    path = os.path.join(ROOT, "build", "systest-figures.json")
    data = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    data[name] = figures
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, sort_keys=True)


def test_boot_smp4(qemu):
    q = qemu(smp=4, mem="2G")
    banner_s, ready_s = check_boot(q, 4, "cortex-a72")
    size = os.path.getsize(os.path.join(ROOT, "build", "ftvisor.bin"))
    record("boot_smp4_cortex-a72", banner_wall_s=round(banner_s, 3),
           ready_wall_s=round(ready_s, 3), ftvisor_bin_bytes=size)


def test_boot_smp18_noncontiguous_mpidr(qemu):
    """CPUs 16 and 17 have MPIDR 0x100 and 0x101: nothing may assume MPIDR == index."""
    q = qemu(smp=18, mem="1G")
    banner_s, ready_s = check_boot(q, 18, "cortex-a72")
    out = q.output()
    assert re.search(r"cpu 16: MPIDR 0x000100 ", out)
    assert re.search(r"cpu 17: MPIDR 0x000101 ", out)
    record("boot_smp18", banner_wall_s=round(banner_s, 3), ready_wall_s=round(ready_s, 3))


@pytest.mark.parametrize("cpu", ["cortex-a53", "max"])
def test_boot_other_cpus(qemu, cpu):
    q = qemu(smp=4, cpu=cpu)
    check_boot(q, 4, cpu)
    if cpu == "max":
        # VHE is present on -cpu max but ftvisor does not depend on it (Phytium has none).
        assert "VHE yes (unused)" in q.output()


def test_single_cpu(qemu):
    q = qemu(smp=1, mem="256M")
    check_boot(q, 1)


def test_memory_accounting(qemu):
    """The free memory reported excludes the image, per-CPU areas and the device tree."""
    q = qemu(smp=2, mem="1G")
    m = q.expect(r"memory: (\d+) MiB free for VMs in \d+ ranges; hypervisor uses (\d+) KiB",
                 BOOT_TIMEOUT)
    free_mib, hyp_kib = int(m.group(1)), int(m.group(2))
    assert 1000 <= free_mib < 1024
    assert free_mib * 1024 + hyp_kib <= 1024 * 1024
    q.expect(r"ftvisor: ready", BOOT_TIMEOUT)
