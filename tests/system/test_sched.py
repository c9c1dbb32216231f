# SPDX-License-Identifier: Apache-2.0
"""Several vCPUs on one physical CPU: equal priorities take turns (everyone progresses), a
higher priority preempts at once (configs/qemu-virt/sched-share.dts, sched-prio.dts)."""
import re

from qemu import ROOT
from shell import Shell

TIMEOUT = 90
SLICE_US = 10000


def bundle(name):
    return f"{ROOT}/build/ftvisor-{name}.bin"


def rounds(q, vm):
    return [dict((k, int(v)) for k, v in re.findall(r"(\w+)=(\d+)", l))
            for l in q.output().splitlines() if l.startswith(f"[{vm}] rtlat: round=")]


def test_equal_priority_vcpus_share_a_cpu(qemu):
    q = qemu(smp=2, mem="1G", image=bundle("sched-share"))
    for vm in ("spin-a", "spin-b"):
        q.wait_for(rf"\[{vm}\] spin: alive n=3 ", TIMEOUT)
    q.wait_for(r"\[rtlat-eq\] rtlat: round=2 ", TIMEOUT)
    sh = Shell(q)
    vms = sh.vms()
    # Three vCPUs on CPU 1: the two busy loops split it; the timer guest needs little.
    a, b = vms["spin-a"]["cpu_pct"], vms["spin-b"]["cpu_pct"]
    assert 25 < a < 75 and 25 < b < 75 and a + b > 80, (a, b)
    for name in ("spin-a", "spin-b"):
        v = sh.json(f"vm info {name}")["vcpu"][0]
        assert v["wait_ms"] > 500 and v["switches"] > 20, v
    # Equal priority: its timer interrupt waits for the current slice to end.
    r = rounds(q, "rtlat-eq")[-1]
    assert r["median_us"] > 1000, r
    # Sharing the CPU, each kept its own breakpoint/watchpoint registers (guests/spin).
    for vm in ("spin-a", "spin-b"):
        text = q.output()
        assert f"[{vm}] PASS debug-regs-clean" in text and f"[{vm}] PASS debug-regs-kept" in text
    assert "FAIL" not in q.output()


def test_higher_priority_preempts_within_a_slice(qemu):
    q = qemu(smp=2, mem="1G", image=bundle("sched-prio"))
    q.wait_for(r"\[rt\] rtlat: round=3 ", TIMEOUT)
    q.wait_for(r"\[spin-lo\] spin: alive n=2 ", TIMEOUT)  # the low priority still runs
    later = rounds(q, "rt")[1:]  # round 1 includes warm-up
    assert later
    for r in later:
        assert r["max_us"] < SLICE_US, f"preemption took {r['max_us']} us > one slice: {r}"
    sh = Shell(q)
    vms = sh.vms()
    assert vms["rt"]["priority"] == 10 and vms["spin-lo"]["priority"] == 0
    assert vms["spin-lo"]["cpu_pct"] > 50, vms
