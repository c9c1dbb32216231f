# SPDX-License-Identifier: Apache-2.0
"""The VM lifecycle from the ftvisor shell on bare-metal guests (configs/qemu-virt/lifecycle.dts):
every operation and the invalid ones, pause without a time jump, nothing surviving a reboot
or into the next VM on the same memory, statistics, `top`, and a create/start/stop/destroy
soak that gives every frame and VMID back while the other VMs run on.
"""
import re
import time

import pexpect

from qemu import ROOT
from shell import Shell

TIMEOUT = 60


def bundle(name):
    return f"{ROOT}/build/ftvisor-{name}.bin"


def vm_lines(q, vm, since=0):
    return [l[len(vm) + 3:].rstrip("\r") for l in q.output()[since:].splitlines()
            if l.startswith(f"[{vm}] ")]


def boot(qemu, mem="2G"):
    q = qemu(smp=4, mem=mem, image=bundle("lifecycle"))
    q.wait_for(r"\[clock\] clock: n=50 ", TIMEOUT)
    q.wait_for(r"\[secret\] secret: planted", TIMEOUT)
    q.wait_for(r"\[spin\] spin: alive n=1 ", TIMEOUT)
    return q, Shell(q)


def clock_lines(q, since=0):
    out = []
    for l in vm_lines(q, "clock", since):
        m = re.match(r"clock: n=(\d+) vt_ms=(\d+) max_gap_us=(\d+)", l)
        if m:
            out.append(tuple(int(x) for x in m.groups()))
    return out


def test_operations_and_invalid_transitions(qemu):
    q, sh = boot(qemu)
    vms = sh.vms()
    assert set(vms) == {"clock", "secret", "spin"}  # tiny is only a template
    assert all(v["state"] == "running" for v in vms.values())
    assert {t["name"]: t["autostart"] for t in sh.json("vm templates")["templates"]} == \
        {"clock": True, "secret": True, "spin": True, "tiny": False, "big": False}

    # Wrong states, bad names, unknown commands: one error line, nothing changes.
    before = {n: v["state"] for n, v in sh.vms().items()}
    assert "is running: cannot resume" in sh.error("vm resume clock")
    assert "is running: cannot start" in sh.error("vm start spin")
    assert "no vm named 'nosuch'" in sh.error("vm pause nosuch")
    assert "no template 'nosuch'" in sh.error("vm create nosuch")
    assert "exists already" in sh.error("vm create clock")
    assert "bad name" in sh.error("vm create tiny Bad!")
    assert "unknown command 'frobnicate'" in sh.error("frobnicate now")
    assert "unknown vm command 'explode'" in sh.error("vm explode clock")
    assert "takes" in sh.error("vm pause")
    assert "unknown option '--force'" in sh.run("vm stop spin --force")[0]
    assert sh.json("vm stop spin --force") == {"ok": False, "error": "unknown option '--force'"}
    assert sh.json("vm pause nosuch") == {"ok": False, "error": "no vm named 'nosuch' (vm list shows them)"}
    assert {n: v["state"] for n, v in sh.vms().items()} == before

    # stop / start: a stopped VM stays silent and boots afresh.
    sh.ok("vm stop spin")
    assert "is stopped: cannot stop" in sh.error("vm stop spin")
    assert "is stopped: cannot pause" in sh.error("vm pause spin")
    assert "is stopped: cannot reboot" in sh.error("vm reboot spin")
    mark = len(q.output())
    time.sleep(3)
    assert vm_lines(q, "spin", mark) == []
    assert sh.vms()["spin"]["state"] == "stopped"
    sh.ok("vm start spin")
    q.wait_for(r"(?s)vm 'spin' started.*\[spin\] spin: start", TIMEOUT, since=mark)

    # create from a template (second instance: the template is not used up), then destroy.
    r = sh.json("vm create tiny t1")
    assert r["ok"] and r["vm"]["state"] == "created" and r["vm"]["memory_mib"] == 4
    sh.ok("vm create tiny t2")
    assert "is created: cannot pause" in sh.error("vm pause t1")
    sh.ok("vm start t1")
    q.wait_for(r"\[t1\] DONE hello passed=4 failed=0", TIMEOUT)
    sh.ok("vm destroy t1")
    sh.ok("vm destroy t2")  # never started
    assert "no vm named 't1'" in sh.error("vm info t1")
    assert set(sh.vms()) == {"clock", "secret", "spin"}

    # Everything else kept running.
    n0 = clock_lines(q)[-1][0]
    q.wait_for(rf"\[clock\] clock: n={n0 + 100} ", TIMEOUT)


def test_pause_resume_no_time_jump(qemu):
    q, sh = boot(qemu)
    q.wait_for(r"\[clock\] clock: n=150 ", TIMEOUT)
    sh.ok("vm pause clock")
    assert sh.vms()["clock"]["state"] == "paused"
    assert "is paused: cannot pause" in sh.error("vm pause clock")
    info = sh.json("vm info clock")
    assert info["vcpu"][0]["state"] == "paused"
    mark = len(q.output())
    time.sleep(4)
    assert vm_lines(q, "clock", mark) == [], "a paused VM printed"
    last = clock_lines(q)[-1]
    sh.ok("vm resume clock")
    q.wait_for(rf"\[clock\] clock: n={last[0] + 100} ", TIMEOUT)
    after = [c for c in clock_lines(q) if c[0] > last[0]]
    # Virtual time went on from where it stopped: 10 ms per tick, no 4 s jump, and no gap
    # between two ticks of more than one tick beyond the period.
    for n, vt_ms, gap in after:
        assert abs(vt_ms - n * 10) < 200, (n, vt_ms)
    assert after[-1][2] < 20000, f"max gap {after[-1][2]} us: time jumped across the pause"


def test_reboot_and_recreate_leave_nothing(qemu):
    q, sh = boot(qemu)
    pa = re.search(r"vm \d+ 'secret': .*\(PA (0x[0-9a-f]+)\)", q.output()).group(1)

    mark = len(q.output())
    sh.ok("vm reboot secret")
    q.wait_for(r"(?s)vm 'secret' reboots.*\[secret\] secret: planted", TIMEOUT)
    new = "\n".join(vm_lines(q, "secret", mark))
    assert "PASS secret-ram-clean" in new and "PASS secret-vgic-clean" in new, new
    assert "FAIL" not in new

    # A new VM on the same memory finds nothing of the old one either.
    sh.ok("vm destroy secret")
    r = sh.json("vm create secret")
    assert r["ok"]
    mark = len(q.output())
    pa2 = re.search(r"vm \d+ 'secret': .*\(PA (0x[0-9a-f]+)\)", q.output()).group(1)
    assert pa2 == pa, "the new VM did not get the old one's memory"
    sh.ok("vm start secret")
    q.wait_for(r"\[secret\] secret: planted", TIMEOUT, since=mark)
    new = "\n".join(vm_lines(q, "secret", mark))
    assert "PASS secret-ram-clean" in new and "PASS secret-vgic-clean" in new, new


def test_stats_and_top(qemu):
    q, sh = boot(qemu)
    time.sleep(2.5)  # two sampling windows
    vms = sh.vms()
    assert vms["spin"]["cpu_pct"] > 90, vms["spin"]
    assert vms["clock"]["cpu_pct"] < 10, vms["clock"]
    for v in vms.values():
        assert v["memory_mib"] == 16 and 0 < v["touched_mib"] <= 16, v
    assert vms["secret"]["touched_mib"] == 16  # it scans all of its RAM
    info = sh.json("vm info clock")
    v0 = info["vcpu"][0]
    assert v0["exits_by_class"]["wfx"] > 100 and v0["injected"] > 100, v0
    assert v0["idle_ms"] > v0["guest_ms"], v0
    spin = sh.json("vm info spin")["vcpu"][0]
    assert spin["guest_ms"] > 1000 and spin["idle_ms"] == 0, spin
    table = sh.run("vm list")
    assert table[0].split()[:3] == ["ID", "NAME", "STATE"]
    assert any(l.split()[1] == "spin" and l.split()[2] == "running" for l in table[1:])
    text = sh.run("vm info spin")
    assert any("vcpu 0 exits:" in l for l in text)
    status = sh.json("status")
    assert status["vms"] == 3 and status["vmids_used"] == 3

    # top redraws every second until a key is pressed.
    mark = len(q.output())
    q.proc.send("top\r")
    q.wait_for(r"(?s)top: .*top: ", 10)
    assert re.search(r"\n\d+\s+spin\s+running\s+\d+\.\d", q.output()[mark:])
    q.proc.send("x")
    deadline = time.monotonic() + 10
    while "ftvisor> " not in q.output()[mark:]:
        assert time.monotonic() < deadline, "top did not stop on a key"
        q.proc.expect([pexpect.TIMEOUT], timeout=0.1)
    assert sh.run("help")[0].startswith("commands")


def test_soak_create_start_stop_destroy(qemu):
    q, sh = boot(qemu)
    start = sh.json("status")
    for i in range(200):
        reply = sh.run("vm create tiny soak; vm start soak; vm stop soak; vm destroy soak",
                       timeout=30)
        oks = [l for l in reply if l.startswith("ok: ")]
        assert len(oks) == 4, (i, reply)
    end = sh.json("status")
    assert end["free_frames"] == start["free_frames"], (start, end)
    assert end["vmids_used"] == start["vmids_used"] == 3
    assert set(sh.vms()) == {"clock", "secret", "spin"}
    # The other VMs ran on throughout.
    n = clock_lines(q)[-1][0]
    q.wait_for(rf"\[clock\] clock: n={n + 50} ", TIMEOUT)
    m = max(int(x) for x in re.findall(r"\[spin\] spin: alive n=(\d+)", q.output()))
    q.wait_for(rf"\[spin\] spin: alive n={m + 1} ", TIMEOUT)


def test_create_fails_cleanly_when_memory_or_cpus_are_short(qemu):
    q, sh = boot(qemu, mem="512M")
    free0 = sh.json("status")
    made = []
    for i in range(8):
        before = sh.json("status")
        r = sh.json(f"vm create big big{i}")
        if not r["ok"]:
            assert r["error"] == "not enough free memory", r
            break
        made.append(f"big{i}")
    assert 1 <= len(made) < 8
    # The failed attempt took nothing and left no VM behind.
    after = sh.json("status")
    assert (after["free_frames"], after["vmids_used"], after["vms"]) == \
        (before["free_frames"], before["vmids_used"], before["vms"]) == \
        (after["free_frames"], 3 + len(made), 3 + len(made))
    assert f"big{len(made)}" not in sh.vms()
    for name in made:
        sh.ok(f"vm destroy {name}")
    assert sh.json("status")["free_frames"] == free0["free_frames"]

    # CPU 3 hosts spin; seven more vCPUs fit, the eighth does not.
    for i in range(7):
        sh.ok(f"vm create tiny t{i}")
    assert "CPU 3 already hosts 8 vCPUs" in sh.error("vm create tiny t7")
    for i in range(7):
        sh.ok(f"vm destroy t{i}")
    end = sh.json("status")
    assert end["free_frames"] == free0["free_frames"] and end["vmids_used"] == 3
    q.wait_for(r"\[spin\] spin: alive n=2 ", TIMEOUT)
