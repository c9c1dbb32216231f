# SPDX-License-Identifier: Apache-2.0
"""Several isolated VMs at once, from a configuration, with bare-metal test guests that check
from the inside: stage-2 isolation, PSCI, MMIO emulation, SYSTEM_OFF of one VM only.

The guests print `PASS name`, `FAIL name: why` and finally `DONE guest passed=N failed=M`;
the hypervisor prefixes every line of a VM's console with `[vmname] `.
"""
import os
import re

from qemu import ROOT

TIMEOUT = 120


def bundle(name):
    return os.path.join(ROOT, "build", f"ftvisor-{name}.bin")


def expect_done(q, vm, guest=None):
    m = q.wait_for(rf"\[{vm}\] DONE {guest or vm} passed=(\d+) failed=(\d+)", TIMEOUT)
    assert int(m.group(2)) == 0, f"{vm} reported failures:\n" + failures(q, vm)
    assert int(m.group(1)) > 0
    return int(m.group(1))


def failures(q, vm):
    return "\n".join(l for l in q.output().splitlines() if l.startswith(f"[{vm}] FAIL"))


def vm_lines(q, vm):
    return [l[len(vm) + 3:].rstrip("\r") for l in q.output().splitlines()
            if l.startswith(f"[{vm}] ")]


def wait_victim_round(q, at_least):
    """Wait until the victim reports a round >= at_least: it is still running."""
    q.wait_for(rf"\[victim\] victim: round 0*{at_least} ok", TIMEOUT)


def test_isolation_three_vms(qemu):
    """victim, attacker and a 2-vCPU guest run at once; the attacker's every attempt to reach
    memory that is not its own faults inside the attacker; the victim's memory is intact."""
    q = qemu(smp=4, mem="2G", image=bundle("isolation"))
    q.expect(r"vms: 3 in the boot bundle", TIMEOUT)
    for vm in ("victim", "attacker", "smp"):
        q.expect(rf"ftvisor: vm '{vm}' started", TIMEOUT)
    q.expect(r"ftvisor: ready \(self-tests passed; 3 VMs\)", TIMEOUT)
    passed = expect_done(q, "attacker")
    assert passed >= 20
    attacks = [l for l in vm_lines(q, "attacker") if l.startswith("PASS attack-")]
    assert any("attack-read" in l for l in attacks) and any("attack-write" in l for l in attacks)
    assert any("attack-exec" in l for l in attacks)
    expect_done(q, "smp")
    smp = "\n".join(vm_lines(q, "smp"))
    for name in ("smp-secondary-online", "smp-already-on", "smp-cpu-off", "smp-restart",
                 "smp-atomics"):
        assert f"PASS {name}" in smp
    # The victim keeps running after everything the attacker did, its memory unchanged.
    wait_victim_round(q, 44)
    out = q.output()
    assert "[victim] PASS victim-intact rounds=40" in out
    assert "FAIL" not in out, failures(q, "victim") + failures(q, "attacker") + failures(q, "smp")
    assert "*** ftvisor" not in out  # no hypervisor fault


def test_basics_mmio_sysoff(qemu):
    """hello and the MMIO emulation check pass; SYSTEM_OFF ends the sysoff VM only."""
    q = qemu(smp=4, mem="2G", image=bundle("basics"))
    q.expect(r"vms: 4 in the boot bundle", TIMEOUT)
    q.wait_for(r"\[sysoff\] sysoff: powering off", TIMEOUT)
    q.wait_for(r"ftvisor: vm 'sysoff' stopped: powered off \(PSCI SYSTEM_OFF\)", TIMEOUT)
    expect_done(q, "hello")
    hello = "\n".join(vm_lines(q, "hello"))
    assert "hello from hello" in hello
    assert "PASS hello-pmu-hidden" in hello
    assert "hello from the config" in hello  # bootargs reached the guest's device tree
    expect_done(q, "mmio")
    # The others are still alive after sysoff went away.
    wait_victim_round(q, 44)
    out = q.output()
    assert "[victim] PASS victim-intact rounds=40" in out
    assert out.index("stopped: powered off") < out.rindex("[victim] victim: round")
    assert not re.search(r"vm '(hello|mmio|victim)' stopped", out)
    assert "FAIL" not in out


def test_stop_on_unhandled(qemu):
    """With stop-on-unhandled, a VM touching nothing is stopped with a logged reason (no abort
    injected), and the other VM goes on."""
    q = qemu(smp=4, mem="2G", image=bundle("unhandled"))
    m = q.wait_for(r"ftvisor: vm 'attacker' stopped: (read|write|instruction fetch) at IPA "
                   r"(0x[0-9a-f]+) maps to nothing \(pc 0x[0-9a-f]+\)", TIMEOUT)
    assert int(m.group(2), 16) == 0  # its first probe, of address 0
    wait_victim_round(q, 44)
    out = q.output()
    assert "[attacker] PASS attack-control-own-ram" in out
    assert "[attacker] PASS attack-read" not in out  # stopped before it could report one
    assert "[attacker] DONE" not in out
    assert "FAIL" not in out


def test_vgic_and_timer_from_inside(qemu):
    """The vGIC/timer test guest, twice at once (configs/qemu-virt/vgic.dts): SGIs within a
    VM, none across VMs, PPI/SPI enable/pending/active semantics, priority masking, the
    virtual timer on every vCPU, the emulated EL1 physical timer, wake-up from WFI, more
    pending interrupts than LRs."""
    q = qemu(smp=4, mem="2G", image=bundle("vgic"))
    for vm in ("vgic1", "vgic2"):
        expect_done(q, vm, "vgic")
    out = q.output()
    for vm in ("vgic1", "vgic2"):
        text = "\n".join(vm_lines(q, vm))
        for name in ("sgi-self", "sgi-other", "sgi-foreign", "spi-enable-delivers",
                     "spi-active", "spi-route-any", "priority-masking", "vtimer-cpu0",
                     "vtimer-cpu1", "ptimer", "wfi-wakeup", "lr-exhaustion"):
            assert re.search(rf"^PASS {name}\b", text, re.M), f"{vm}: no PASS {name}"
    assert "FAIL" not in out


def test_passthrough_rtc(qemu):
    """QEMU's PL031 RTC given to one VM (configs/qemu-virt/passthrough.dts): its registers are
    mapped at their physical address and its interrupt arrives with the list-register HW bit;
    the second alarm proves the guest's EOI deactivated the physical interrupt."""
    q = qemu(smp=4, mem="2G", image=bundle("passthrough"))
    expect_done(q, "rtc")
    text = "\n".join(vm_lines(q, "rtc"))
    for name in ("rtc-read", "rtc-alarm-irq", "rtc-alarm-irq-again"):
        assert re.search(rf"^PASS {name}\b", text, re.M), f"no PASS {name}"
    q.wait_for(r"\[bm\] victim: round \d+ ok", TIMEOUT)
    assert "FAIL" not in q.output()
    # A device belongs to one VM: a second instance of the template is refused, nothing kept.
    from shell import Shell
    sh = Shell(q)
    free = sh.json("status")["free_frames"]
    r = sh.json("vm create rtc rtc2")
    assert not r["ok"] and "passthrough" in r["error"], r
    assert sh.json("status")["free_frames"] == free
    assert set(sh.vms()) == {"rtc", "bm"}
