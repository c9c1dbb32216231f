# SPDX-License-Identifier: Apache-2.0
"""Fatal exceptions at EL2 print a full dump and halt only the CPU that took them; a machine
that lacks what ftvisor needs is refused with a message saying what is missing."""
import pytest

BOOT_TIMEOUT = 60

# kind@cpu, the CPU that takes it, then what the dump must say: class, ESR, FAR, detail
FAULTS = [
    ("data@1", 1, r"data abort at EL2", r"EC 0x25", r"FAR_EL2 0x0000000000001000",
     r"translation fault at level \d, on a read"),
    ("write-ro@2", 2, r"data abort at EL2", r"EC 0x25", r"FAR_EL2 0x",
     r"permission fault at level 3, on a write"),
    ("exec@3", 3, r"instruction abort at EL2", r"EC 0x21", r"FAR_EL2 0x",
     r"permission fault at level 3"),
    ("stack@1", 1, r"data abort at EL2", r"EC 0x25", r"FAR_EL2 0x",
     r"translation fault at level 3, on a write"),
    ("undef", 0, r"unknown reason", r"EC 0x00", r"FAR_EL2 0x", r"x0 "),
]


@pytest.mark.parametrize("spec,cpu,cls,ec,far,detail", FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_dump(qemu, spec, cpu, cls, ec, far, detail):
    q = qemu(smp=4, append=f"ftvisor.fault={spec}")
    q.expect(r"PASS timer-all cpus=4", BOOT_TIMEOUT)
    q.expect(rf"CPU {cpu} triggers a deliberate")
    q.expect(rf"\*\*\* ftvisor: .* on CPU {cpu}: {cls}")
    q.expect(rf"ESR_EL2 0x[0-9a-f]{{8}} \({ec} ISS")
    q.expect(far)
    q.expect(r"ELR_EL2 0x[0-9a-f]{16}  SPSR_EL2 0x[0-9a-f]{8}")
    q.expect(detail)
    q.expect(r"x28 0x[0-9a-f]{16}  x29 0x[0-9a-f]{16}")
    q.expect(r"x30 0x[0-9a-f]{16}")
    q.expect(rf"\*\*\* ftvisor: CPU {cpu} halted")
    if spec.startswith("stack"):
        assert "EL2 stack overflow" in q.output()
    if cpu != 0:
        # Only the faulting CPU stopped: the boot CPU reports it and finishes booting.
        q.expect(rf"CPU {cpu} halted after its fault")
        q.expect(r"ftvisor: ready")


def test_refuses_el1(qemu):
    """Without virtualization=on QEMU enters at EL1: ftvisor says why it cannot run."""
    q = qemu(smp=2, machine="virt,gic-version=3")
    q.expect(r"ftvisor: entered at EL1", BOOT_TIMEOUT)
    q.expect(r"ftvisor: cannot start: entered below EL2; a hypervisor needs EL2")
    q.expect(r"ftvisor: halted")


def test_refuses_without_gicv3(qemu):
    """A GICv2 machine has no GICv3 system registers and no arm,gic-v3 node."""
    q = qemu(smp=2, machine="virt,virtualization=on,gic-version=2")
    q.expect(r"ftvisor: cannot start: .*GICv3", BOOT_TIMEOUT)
    q.expect(r"ftvisor: halted")
