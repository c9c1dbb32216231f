# SPDX-License-Identifier: Apache-2.0
"""Two unmodified Debian arm64 Linux guests beside a bare-metal one (configs/qemu-virt/linux.dts):
both reach their shell, see the CPUs, memory and timer interrupts they were given, get only
the input typed for them, and one panicking, rebooting or powering off leaves the others be.

Console input goes to the ftvisor shell at boot; Ctrl-] then a VM number gives it to that VM.
"""
import re
import time

import pexpect

from qemu import ROOT
from test_boot import record

BOOT_TIMEOUT = 300
CMD_TIMEOUT = 90
ESC = "\x1d"


def lines(q, vm):
    """The VM's console lines so far, prefix and carriage returns removed."""
    out = []
    for line in q.output().splitlines():
        if line.startswith(f"[{vm}] "):
            out.append(line[len(vm) + 3:].replace("\r", ""))
    return out


def run(q, vm, command, expect, timeout=CMD_TIMEOUT):
    """Type a command into the focused VM and wait for a line of its output to match."""
    seen = len(lines(q, vm))
    q.proc.send(command + "\r")
    rx = re.compile(expect)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in lines(q, vm)[seen:]:
            m = rx.fullmatch(line.strip())
            if m:
                return m
        q.proc.expect([pexpect.TIMEOUT], timeout=0.3)  # let output accumulate
    raise AssertionError(f"{vm}: no line matching {expect!r} after {command!r}; last lines:\n" +
                         "\n".join(lines(q, vm)[-15:]))


def focus(q, vm_id, name):
    q.proc.send(ESC + str(vm_id))
    q.wait_for(rf"console input goes to vm {vm_id} '{name}'", 10)


def check_guest(q, vm, ncpus, mem_mib):
    m = run(q, vm, "nproc", r"(\d+)")
    assert int(m.group(1)) == ncpus
    m = run(q, vm, "grep MemTotal /proc/meminfo", r"MemTotal:\s+(\d+) kB")
    mem_kib = int(m.group(1))
    # The kernel keeps some for itself; the rest of the configured RAM must be visible.
    assert mem_mib * 1024 * 0.75 < mem_kib <= mem_mib * 1024, mem_kib
    m = run(q, vm, "grep arch_timer /proc/interrupts",
            r"\d+:" + r"\s+(\d+)" * ncpus + r"\s+GICv3\s+27 Level\s+arch_timer")
    counts = [int(c) for c in m.groups()]
    assert all(c > 0 for c in counts), counts  # timer interrupts on every vCPU


def test_two_linux_vms_beside_baremetal(qemu):
    q = qemu(smp=4, mem="2G", image=f"{ROOT}/build/ftvisor-linux.bin")
    q.wait_for(r"\[linux1\] FTVISOR-LINUX-READY name=linux1 cpus=2", BOOT_TIMEOUT)
    t1 = q.elapsed()
    q.wait_for(r"\[linux2\] FTVISOR-LINUX-READY name=linux2 cpus=1", BOOT_TIMEOUT)
    t2 = q.elapsed()
    record("linux_boot", linux1_shell_wall_s=round(t1, 1), linux2_shell_wall_s=round(t2, 1))
    q.wait_for(r"\[bm\] victim: round \d+ ok", BOOT_TIMEOUT)
    # No need to see the prompt: input typed early waits in the guest's tty.

    # The shell has the input at boot.
    focus(q, 0, "linux1")
    check_guest(q, "linux1", 2, 256)
    focus(q, 1, "linux2")
    check_guest(q, "linux2", 1, 192)

    # What is typed for linux2 reaches linux2 only.
    run(q, "linux2", "echo marker-$((6*7))", r"marker-42")
    assert not any("marker" in l for l in lines(q, "linux1"))
    assert not any("marker" in l for l in lines(q, "bm"))

    # A kernel panic in linux2 (it reboots itself, panic=1): linux1 carries on.
    q.proc.send("echo c > /proc/sysrq-trigger\r")
    q.wait_for(r"\[linux2\] .*Kernel panic", CMD_TIMEOUT)
    q.wait_for(r"ftvisor: vm 'linux2' reboots: PSCI SYSTEM_RESET", CMD_TIMEOUT)
    focus(q, 0, "linux1")
    run(q, "linux1", "echo alive-$((1+1))", r"alive-2")
    q.wait_for(r"(?s)reboots: PSCI.*\[linux2\] FTVISOR-LINUX-READY name=linux2", BOOT_TIMEOUT)

    # poweroff in linux2 stops linux2 only.
    focus(q, 1, "linux2")
    run(q, "linux2", "echo rebooted-$((2+3))", r"rebooted-5")
    q.proc.send("poweroff -f\r")
    q.wait_for(r"ftvisor: vm 'linux2' stopped: powered off \(PSCI SYSTEM_OFF\)", CMD_TIMEOUT)
    focus(q, 0, "linux1")
    run(q, "linux1", "echo still-here", r"still-here")
    rounds = [int(m) for m in re.findall(r"\[bm\] victim: round (\d+) ok", q.output())]
    assert rounds and max(rounds) > 40
    out = q.output()
    assert "vm 'linux1' stopped" not in out and "vm 'bm' stopped" not in out
    assert "*** ftvisor" not in out


def test_linux_lifecycle_from_the_shell(qemu):
    """pause (silent console, work continues after resume), reboot, stop/start, destroy and
    create of a Linux VM from the shell while another Linux VM idles at a low CPU%."""
    from shell import Shell

    q = qemu(smp=4, mem="2G", image=f"{ROOT}/build/ftvisor-linux.bin")
    for vm in ("linux1", "linux2"):
        q.wait_for(rf"\[{vm}\] FTVISOR-LINUX-READY name={vm}", BOOT_TIMEOUT)
    sh = Shell(q)
    time.sleep(3)
    vms = sh.vms()
    assert vms["linux1"]["memory_mib"] == 256 and vms["linux2"]["memory_mib"] == 192
    assert 0 < vms["linux1"]["touched_mib"] <= 256
    assert vms["linux1"]["cpu_pct"] < 10, vms["linux1"]  # an idle Linux

    # A counter printed by linux2 twice a second.
    sh.console(1)
    q.proc.send("(i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.5; done) &\r")
    q.wait_for(r"\[linux2\] tick-4", CMD_TIMEOUT)
    sh.back()
    sh.ok("vm pause linux2")
    assert "is paused: cannot pause" in sh.error("vm pause linux2")
    mark = len(q.output())
    time.sleep(4)
    assert not [l for l in q.output()[mark:].splitlines() if l.startswith("[linux2]")]
    ticks = [int(x) for x in re.findall(r"\[linux2\] tick-(\d+)", q.output())]
    sh.ok("vm resume linux2")
    q.wait_for(rf"\[linux2\] tick-{ticks[-1] + 2}\b", CMD_TIMEOUT)
    after = [int(x) for x in re.findall(r"\[linux2\] tick-(\d+)", q.output())]
    assert after == list(range(after[0], after[0] + len(after))), "the counter restarted or skipped"

    def booted_again(mark):
        deadline = time.monotonic() + BOOT_TIMEOUT
        while "[linux2] FTVISOR-LINUX-READY" not in q.output()[mark:]:
            assert time.monotonic() < deadline, "linux2 did not boot again"
            q.proc.expect([pexpect.TIMEOUT], timeout=0.5)

    mark = len(q.output())
    sh.ok("vm reboot linux2")
    booted_again(mark)
    sh.ok("vm stop linux2")
    assert sh.vms()["linux2"]["state"] == "stopped"
    mark = len(q.output())
    sh.ok("vm start linux2")
    booted_again(mark)
    sh.ok("vm destroy linux2")
    assert "linux2" not in sh.vms()
    assert sh.json("vm create linux2")["vm"]["state"] == "created"
    mark = len(q.output())
    sh.ok("vm start linux2")
    booted_again(mark)
    assert sh.vms()["linux2"]["boots"] == 1

    # linux1 carried on through all of it.
    sh.console(0)
    run(q, "linux1", "echo still-$((20+1))", r"still-21")
