# SPDX-License-Identifier: Apache-2.0
"""Inter-VM channels (docs/ivc.md) between bare-metal guests (configs/qemu-virt/ivc.dts) and
with Linux (configs/qemu-virt/ivc-linux.dts): ping round trips and a 64 MiB stream with
checksums, a read-only member's write and a non-member's access fault, doorbells to
non-members are counted, a flood is rate-limited and leaves everybody else working."""
import re
import time

import pexpect

from qemu import ROOT
from shell import Shell

TIMEOUT = 120
BOOT_TIMEOUT = 300


def bundle(name):
    return f"{ROOT}/build/ftvisor-{name}.bin"


def done(q, vm):
    m = q.wait_for(rf"\[{vm}\] DONE ivcpeer passed=(\d+) failed=(\d+)", TIMEOUT)
    fails = [l for l in q.output().splitlines() if l.startswith(f"[{vm}] FAIL")]
    assert int(m.group(2)) == 0 and not fails, "\n".join(fails)
    return int(m.group(1))


def members(sh, channel):
    for ch in sh.json("ivc list")["channels"]:
        if ch["name"] == channel:
            return {m["template"]: m for m in ch["members"]}
    raise AssertionError(f"no channel {channel}")


def figures(q, vm, name):
    m = q.wait_for(rf"\[{vm}\] PASS {name} (.*)", TIMEOUT)
    return dict((k, float(v)) for k, v in re.findall(r"(\w+)=([\d.]+)", m.group(1)))


def test_baremetal_channels(qemu):
    q = qemu(smp=4, mem="2G", image=bundle("ivc"))
    ping = figures(q, "cli", "ivc-bm-ping")
    stream = figures(q, "cli", "ivc-bm-stream")
    assert ping["count"] == 1000 and stream["bytes"] == 64 << 20
    done(q, "cli")
    for name in ("ivc-ro-flag", "ivc-ro-read", "ivc-ro-write-faults"):
        q.wait_for(rf"\[ro\] PASS {name}\b", TIMEOUT)
    done(q, "ro")
    q.wait_for(r"\[out\] PASS ivc-outsider-faults\b", TIMEOUT)
    done(q, "out")

    sh = Shell(q)
    link = members(sh, "link")
    assert link["srv"]["vm"] == "srv" and link["cli"]["vm"] == "cli"
    assert link["cli"]["sent"] >= 1000 and link["srv"]["sent"] >= 1000
    assert members(sh, "watch")["ro"]["read_only"]

    # Doorbells to a non-member and to itself: ignored and counted.
    sh.ok("vm create bad")
    sh.ok("vm start bad")
    q.wait_for(r"\[bad\] PASS ivc-bad-doorbell-counted", TIMEOUT)
    done(q, "bad")
    assert members(sh, "noise")["bad"]["bad"] >= 2
    sh.ok("vm destroy bad")

    # A second instance of a member cannot join the channel: refused, nothing kept.
    assert "already attached" in sh.error("vm create cli cli2")

    # A flood at up to 1000 doorbells/s (the channel's rate) while cli does its work again.
    sh.ok("vm create flood")
    sh.ok("vm start flood")
    q.wait_for(r"\[flood\] ivcpeer: flood sent=\d+ limited=\d+", TIMEOUT)
    t0 = time.monotonic()
    before = members(sh, "noise")["srv"]["received"]
    mark = len(q.output())
    sh.ok("vm reboot cli")
    q.wait_for(r"(?s)vm 'cli' reboots.*\[cli\] DONE ivcpeer", TIMEOUT)
    assert "[cli] FAIL" not in q.output()[mark:]
    noise = members(sh, "noise")
    elapsed = time.monotonic() - t0
    assert noise["flood"]["limited"] > 0, noise
    # srv got at most the rate (plus the burst) while the flood went on.
    assert noise["srv"]["received"] - before <= 1000 * (elapsed + 1) + 64, (noise, elapsed)
    sh.ok("vm stop flood")
    assert sh.vms()["srv"]["state"] == "running"


def vm_lines(q, vm, since=0):
    return [l[len(vm) + 3:].rstrip("\r") for l in q.output()[since:].splitlines()
            if l.startswith(f"[{vm}] ")]


def type_and_wait(q, vm, command, expect, timeout=TIMEOUT):
    """Type into the focused VM; return the match of its first new line matching expect."""
    mark = len(q.output())
    q.proc.send(command + "\r")
    rx = re.compile(expect)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in vm_lines(q, vm, mark):
            m = rx.search(line)
            if m:
                return m
        q.proc.expect([pexpect.TIMEOUT], timeout=0.3)
    raise AssertionError(f"{vm}: nothing matching {expect!r} after {command!r}:\n" +
                         "\n".join(vm_lines(q, vm, mark)[-20:]))


def numbers(m):
    return dict((k, float(v)) for k, v in re.findall(r"(\w+)=([\d.]+)", m.group(0)))


def test_linux_channels(qemu):
    q = qemu(smp=4, mem="2G", image=bundle("ivc-linux"))
    q.wait_for(r"\[linux1\] FTVISOR-LINUX-READY name=linux1 cpus=1 ivc=2", BOOT_TIMEOUT)
    q.wait_for(r"\[linux2\] FTVISOR-LINUX-READY name=linux2 cpus=1 ivc=2", BOOT_TIMEOUT)
    q.wait_for(r"\[bm\] ivcpeer: member 1 of members 0x3 serving", TIMEOUT)
    sh = Shell(q)

    # linux2 serves channel ll (its device 0) and waits on fl (device 1) for doorbells.
    sh.console(1)
    type_and_wait(q, "linux2", "ivc-ping -s &", r"ivc-ping: serving as member 1")
    type_and_wait(q, "linux2", "ivc-ping -s -i 1 &", r"ivc-ping: serving as member 0")

    # Linux <-> Linux: round trips, then 64 MiB checked byte by byte and by checksum.
    sh.back()
    sh.console(0)
    ll_ping = numbers(type_and_wait(q, "linux1", "ivc-ping -c 200 1",
                                    r"ivc-ping: peer=1 count=200 .*"))
    ll = type_and_wait(q, "linux1", "ivc-stream -n 64M 1", r"ivc-stream: peer=1 .*")
    assert ll.group(0).endswith("sum=0xd96be28e ok"), ll.group(0)
    # Linux <-> bare metal (linux1's device 1, channel lb).
    lb_ping = numbers(type_and_wait(q, "linux1", "ivc-ping -i 1 -c 200 1",
                                    r"ivc-ping: peer=1 count=200 .*"))
    lb = type_and_wait(q, "linux1", "ivc-stream -i 1 -n 64M 1", r"ivc-stream: peer=1 .*")
    assert lb.group(0).endswith("sum=0xd96be28e ok"), lb.group(0)
    local = type_and_wait(q, "linux1", "ivc-stream --local -n 64M", r"ivc-stream: peer=local .*")
    assert local.group(0).endswith("ok")
    for fig in (ll_ping, lb_ping):
        assert 0 < fig["min_us"] <= fig["median_us"] <= fig["max_us"]

    # A flood of doorbells into linux2 (channel fl) at the channel's rate: linux2 answers,
    # linux1 <-> linux2 still works, the bare-metal server still works.
    sh.back()
    sh.ok("vm create flood")
    sh.ok("vm start flood")
    q.wait_for(r"\[flood\] ivcpeer: flood sent=\d+ limited=[1-9]", TIMEOUT)
    t0 = time.monotonic()
    before = members(sh, "fl")["linux2"]["received"]
    sh.console(1)
    type_and_wait(q, "linux2", "echo responsive-$((6*7))", r"^responsive-42$", 60)
    sh.back()
    sh.console(0)
    type_and_wait(q, "linux1", "ivc-ping -c 50 1", r"ivc-ping: peer=1 count=50 ")
    m = type_and_wait(q, "linux1", "ivc-stream -i 1 -n 4M 1", r"ivc-stream: peer=1 .*")
    assert m.group(0).endswith("ok"), m.group(0)
    sh.back()
    fl = members(sh, "fl")
    elapsed = time.monotonic() - t0
    assert fl["flood"]["limited"] > 0
    assert fl["linux2"]["received"] - before <= 20000 * (elapsed + 1) + 256, (fl, elapsed)
    sh.ok("vm destroy flood")
    assert {v["state"] for v in sh.vms().values()} == {"running"}
    print(f"ivc figures: ll ping {ll_ping}, lb ping {lb_ping}; {ll.group(0)}; {lb.group(0)}; "
          f"{local.group(0)}")
