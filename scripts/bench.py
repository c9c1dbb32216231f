#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""`make bench`: the cost of virtualization, measured deterministically.

Runs guests/bench under QEMU with `-icount shift=0,sleep=off` (one instruction = one ns of
emulated time, so every figure is the same from run to run) natively at EL1 (no ftvisor),
as an ftvisor VM, as an ftvisor VM with 4 KiB stage-2 pages, and under KVM/arm64 (Debian's
kernel entered at EL2, tools/kvmref as the VMM, from build/guests/initramfs-kvm.cpio.gz); writes
bench/results/latest.json, latest.md (the table and the exact commands) and latest.png, and
prints the change against the committed bench/baseline.json.

Also (issue 8): latency histograms (the guest's SAMPLES lines -> runs.<run>.hist, drawn in
latest.png), Linux boot times under -icount (ftvisor with build/ftvisor-linux.bin and
ftvisor.console_stamps, and the same kernel and initramfs natively at EL1: linux_boot), and a
wall-time run without -icount of ftvisor and ftvisor-4k (wall_stage2: TLB and stage-2 costs
show there, noisily). BENCH_WALL=0 in the environment skips the wall-time runs.
"""
import json
import bisect
import math
import os
import queue
import re
import struct
import subprocess
import sys
import threading
import time
import zlib

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "bench", "results")
ICOUNT = ["-icount", "shift=0,sleep=off", "-rtc", "base=2024-01-01T00:00:00,clock=vm"]
TIMEOUT = 1800

RUNS = {
    "native": ["qemu-system-aarch64", "-M", "virt,gic-version=3,dtb-randomness=off",
               "-cpu", "cortex-a72", "-smp", "2", "-m", "512M", "-nographic", "-nic", "none",
               "-kernel", "build/guests/bench.bin"] + ICOUNT,
    "ftvisor": ["qemu-system-aarch64", "-M",
                "virt,virtualization=on,gic-version=3,dtb-randomness=off", "-cpu", "cortex-a72",
                "-smp", "4", "-m", "2G", "-nographic", "-nic", "none",
                "-kernel", "build/ftvisor-bench.bin", "-append", "ftvisor.boot_times"] + ICOUNT,
}
RUNS["ftvisor-4k"] = (RUNS["ftvisor"][:-len(ICOUNT) - 1] +
                      ["ftvisor.boot_times ftvisor.stage2=4k"] + ICOUNT)
# The KVM/arm64 reference (issue 8): Debian's kernel at EL2 (virtualization=on) runs
# `kvmref /bench.bin /bench.dtb` (tools/kvmref) from its initramfs at once, then powers off.
# Not in RUNS: it is optional (a missing kernel or KVM leaves a reason in results["kvm"]).
KVM_INITRD = "build/guests/initramfs-kvm.cpio.gz"
KVM_GUEST = "build/guests/bench.bin"
KVM_RUN = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3,dtb-randomness=off",
           "-cpu", "cortex-a72", "-smp", "2", "-m", "1G", "-nographic", "-nic", "none",
           "-kernel", "cache/linux/Image", "-initrd", KVM_INITRD,
           "-append", "console=ttyAMA0 ftvisor.kvmbench loglevel=3"] + ICOUNT


def lines_of(p, timeout):
    """The process's output lines, until it ends or `timeout` seconds have passed (a thread
    reads, so a silent guest cannot hold the wait)."""
    q = queue.Queue()

    def reader():
        for raw in p.stdout:
            q.put(raw.decode(errors="replace").rstrip("\r\n"))
        q.put(None)
    threading.Thread(target=reader, daemon=True).start()
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = q.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return
        if line is None:
            return
        yield line


def run(name, cmd, fatal=True, timeout=TIMEOUT):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL)
    out = []
    try:
        for line in lines_of(p, timeout):
            out.append(line)
            if "BENCH-DONE" in line or "FAIL" in line and "unexpected" in line:
                break
            if not fatal and ("KVMREF-EXIT" in line or "Kernel panic" in line):
                break
    finally:
        p.kill()
        p.wait()
    text = "\n".join(out)
    if "BENCH-DONE" not in text and fatal:
        sys.exit(f"bench: the {name} run did not finish; output tail:\n{text[-3000:]}")
    return text, time.monotonic() - t0


# Histogram buckets, the same for every run: one per integer up to 100 (-icount figures are
# narrow: 31 and 32 ticks must not share a bucket), then 100 a decade (about 2.3% wide), so
# that the panels of latest.png can put the runs side by side.
HIST_EDGES = sorted(set(list(range(0, 101)) +
                        [int(round(10 ** (k / 100))) for k in range(201, 801)]))


def histogram(samples):
    """{value: count} -> {"edges": [...], "counts": [...]}: bucket i is [edges[i], edges[i+1]),
    only the buckets from the first to the last non-empty one."""
    counts = [0] * (len(HIST_EDGES) - 1)
    for v, c in samples.items():
        i = max(0, min(len(counts) - 1, bisect.bisect_right(HIST_EDGES, v) - 1))
        counts[i] += c
    nz = [i for i, c in enumerate(counts) if c]
    if not nz:
        return {"edges": [], "counts": []}
    lo, hi = nz[0], nz[-1]
    return {"edges": HIST_EDGES[lo:hi + 2], "counts": counts[lo:hi + 1]}


def parse(text):
    res = {"bench": {}, "work": {}, "boot": {}, "hist": {}}
    samples = {}
    for line in text.splitlines():
        line = re.sub(r"^\[\w+\] (@\d+us )?", "", line)
        m = re.match(r"SAMPLES name=(\S+) (\S+)$", line)
        if m:
            d = samples.setdefault(m.group(1), {})
            for item in m.group(2).split(","):
                v, _, c = item.partition("*")
                if v.isdigit() and (not c or c.isdigit()):
                    d[int(v)] = d.get(int(v), 0) + int(c or 1)
            continue
        m = re.match(r"BENCH name=(\S+) (.*)", line)
        if m:
            res["bench"][m.group(1)] = {k: (int(v) if v.isdigit() else v)
                                        for k, v in re.findall(r"(\w+)=(\S+)", m.group(2))}
        m = re.match(r"WORK name=(\S+) (.*)", line)
        if m:
            res["work"][m.group(1)] = {k: (int(v) if v.isdigit() else v)
                                       for k, v in re.findall(r"(\w+)=(\S+)", m.group(2))}
        m = re.match(r"ftvisor: boot took (\d+) us of counter time \(banner at (\d+) us\)", line)
        if m:
            res["boot"]["ready_us"], res["boot"]["banner_us"] = int(m.group(1)), int(m.group(2))
        m = re.match(r"ftvisor: vm '(\S+)' (started|entered) at (\d+) us", line)
        if m:
            what = "start" if m.group(2) == "started" else "first_instruction"
            res["boot"][f"vm_{m.group(1)}_{what}_us"] = int(m.group(3))
    for name, d in samples.items():
        res["hist"][name] = histogram(d)
        res["hist"][name]["n"] = sum(d.values())
        n = res["bench"].get(name, {}).get("n")
        if isinstance(n, int) and n != res["hist"][name]["n"]:
            print(f"bench: warning: {name}: {res['hist'][name]['n']} samples printed, "
                  f"BENCH says n={n}", flush=True)
    return res


# Linux boot times under -icount (issue 8): build/ftvisor-linux.bin (configs/qemu-virt/linux.dts:
# Linux VMs linux1 (2 vCPUs, 256 MiB) and linux2 (1 vCPU, 192 MiB) beside a bare-metal one) with
# every VM console line stamped with the counter time (ftvisor.console_stamps), and the same
# kernel and initramfs natively at EL1 with linux1's bootargs, CPUs and memory.
LINUX_TIMEOUT = 300
LINUX_MARKER = "FTVISOR-LINUX-READY"
LINUX_VMS = ("linux1", "linux2")
LINUX_FTVISOR = ["qemu-system-aarch64", "-M",
                 "virt,virtualization=on,gic-version=3,dtb-randomness=off", "-cpu", "cortex-a72",
                 "-smp", "4", "-m", "2G", "-nographic", "-nic", "none",
                 "-kernel", "build/ftvisor-linux.bin", "-append", "ftvisor.console_stamps ftvisor.boot_times"] + ICOUNT
LINUX_NATIVE = ["qemu-system-aarch64", "-M", "virt,gic-version=3,dtb-randomness=off",
                "-cpu", "cortex-a72", "-smp", "2", "-m", "256M", "-nographic", "-nic", "none",
                "-kernel", "cache/linux/Image", "-initrd", "build/guests/initramfs.cpio.gz",
                "-append", "console=ttyAMA0 earlycon loglevel=6 panic=1"] + ICOUNT
# Typed at the native shell as soon as the marker shows (it waits in the tty while the shell
# starts): a printk-stamped line, then the uptime.
LINUX_NATIVE_INPUT = b"echo BENCH-SHELL >/dev/kmsg; cat /proc/uptime\n"


def have_files(res, files, hint):
    """All the inputs of a run are there; else say which is missing in res["status"]."""
    for f in files:
        if not os.path.exists(os.path.join(ROOT, f)):
            res["status"] = f"not run: {f} is missing ({hint})"
            return False
    return True


def linux_boot_ftvisor(results):
    res = {"status": "not run"}
    results["commands"]["linux-ftvisor"] = " ".join(LINUX_FTVISOR)
    if not have_files(res, ("build/ftvisor-linux.bin", "cache/linux/Image"), "make bundles"):
        return res
    t0 = time.monotonic()
    p = subprocess.Popen(LINUX_FTVISOR, cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    vms, out = {}, []
    try:
        for line in lines_of(p, LINUX_TIMEOUT):
            out.append(line)
            m = re.match(r"ftvisor: boot took (\d+) us of counter time \(banner at (\d+) us\)",
                         line)
            if m:
                res["ready_us"], res["banner_us"] = int(m.group(1)), int(m.group(2))
            m = re.match(r"ftvisor: vm '(\S+)' (started|entered) at (\d+) us", line)
            if m:
                what = "start_us" if m.group(2) == "started" else "first_instruction_us"
                vms.setdefault(m.group(1), {})[what] = int(m.group(3))
            m = re.match(r"\[(\w+)\] @(\d+)us (.*)", line)
            if not m or m.group(1) not in LINUX_VMS:
                continue
            vm, at, text = m.group(1), int(m.group(2)), m.group(3)
            v = vms.setdefault(vm, {})
            v.setdefault("first_line_us", at)
            k = re.match(r"\[\s*(\d+)\.(\d{6})\] ", text)
            if k and (int(k.group(1)) or int(k.group(2))):
                # The VM's kernel clock (printk time) against the counter: the smallest
                # difference is the line written out with the least delay.
                off = at - (int(k.group(1)) * 1000000 + int(k.group(2)))
                v["kclock_offset_us"] = min(off, v.get("kclock_offset_us", off))
            if LINUX_MARKER in text and "shell_us" not in v:
                v["shell_us"] = at
                if all("shell_us" in vms.get(n, {}) for n in LINUX_VMS):
                    break
    finally:
        p.kill()
        p.wait()
    wall = time.monotonic() - t0
    for n, v in vms.items():
        if "shell_us" in v and "start_us" in v:
            v["start_to_shell_us"] = v["shell_us"] - v["start_us"]
        if "shell_us" in v and "kclock_offset_us" in v:
            v["kclock_at_shell_us"] = v["shell_us"] - v["kclock_offset_us"]
    res["vms"] = vms
    res["wall_s"] = round(wall, 1)
    missing = [n for n in LINUX_VMS if "shell_us" not in vms.get(n, {})]
    res["status"] = ("ran" if not missing else
                     f"incomplete: no {LINUX_MARKER} line from {', '.join(missing)} within "
                     f"{LINUX_TIMEOUT} s; output tail: " + "\n".join(out[-20:]))
    print(f"bench: linux-ftvisor: {wall:.0f} s wall ({res['status'][:100]})", flush=True)
    return res


def linux_boot_native(results):
    res = {"status": "not run"}
    results["commands"]["linux-native"] = " ".join(LINUX_NATIVE)
    if not have_files(res, ("build/guests/initramfs.cpio.gz", "cache/linux/Image"),
                      "make linux-images"):
        return res
    t0 = time.monotonic()
    p = subprocess.Popen(LINUX_NATIVE, cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, stdin=subprocess.PIPE)
    out = []
    try:
        for line in lines_of(p, LINUX_TIMEOUT):
            out.append(line)
            k = re.match(r"\[\s*(\d+)\.(\d{6})\] ", line)
            if k and "marker" not in res:
                res["last_printk_us"] = int(k.group(1)) * 1000000 + int(k.group(2))
            if LINUX_MARKER in line and "marker" not in res:
                res["marker"] = line
                p.stdin.write(LINUX_NATIVE_INPUT)
                p.stdin.flush()
            m = re.search(r"\[\s*(\d+)\.(\d{6})\] BENCH-SHELL", line)
            if m:
                res["shell_printk_us"] = int(m.group(1)) * 1000000 + int(m.group(2))
            m = re.fullmatch(r"(\d+\.\d\d) \d+\.\d\d", line.strip())
            if m and "marker" in res:
                res["shell_uptime_s"] = float(m.group(1))
                break
    finally:
        p.kill()
        p.wait()
    wall = time.monotonic() - t0
    res["wall_s"] = round(wall, 1)
    res["status"] = ("ran" if "shell_printk_us" in res else
                     "incomplete: no BENCH-SHELL printk line within "
                     f"{LINUX_TIMEOUT} s; output tail: " + "\n".join(out[-20:]))
    print(f"bench: linux-native: {wall:.0f} s wall ({res['status'][:100]})", flush=True)
    return res


# Wall time (no -icount): ftvisor with 2 MiB stage-2 blocks and with 4 KiB pages, alternated,
# WALL_REPEAT runs each; the guest's counter then follows host time, so TLB and stage-2 walk
# costs show in the workloads (and so does every other thing the host does: noisy).
WALL_REPEAT = 3
WALL_RUNS = {"ftvisor": RUNS["ftvisor"][:-len(ICOUNT)],
             "ftvisor-4k": RUNS["ftvisor-4k"][:-len(ICOUNT)]}


def wall_stage2(results):
    res = {"note": "wall time, no -icount: host-dependent and noisy; ticks of the 62.5 MHz "
                   "counter (16 ns) following host time; median of the runs, each a best of 3",
           "repeat": WALL_REPEAT, "runs": {n: [] for n in WALL_RUNS}, "work": {}, "bench": {}}
    for n, cmd in WALL_RUNS.items():
        results["commands"]["wall-" + n] = " ".join(cmd)
    for i in range(WALL_REPEAT):
        for n, cmd in WALL_RUNS.items():
            text, wall = run("wall-" + n, cmd)
            r = parse(text)
            res["runs"][n].append({"work": r["work"], "bench": r["bench"],
                                   "wall_s": round(wall, 1)})
            print(f"bench: wall-time {n} #{i + 1}: {wall:.0f} s wall", flush=True)

    def med(xs):
        xs = sorted(xs)
        return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2
    for w in res["runs"]["ftvisor"][0]["work"]:
        e = {}
        for n in WALL_RUNS:
            ticks = [r["work"][w]["ticks"] for r in res["runs"][n] if w in r["work"]]
            e[n + "_ticks"] = ticks
            e[n + "_median"] = med(ticks) if ticks else None
            e[n + "_min"] = min(ticks) if ticks else None
        if e.get("ftvisor_median") and e.get("ftvisor-4k_median"):
            e["ratio_4k_vs_2m"] = round(e["ftvisor-4k_median"] / e["ftvisor_median"], 4)
        if e.get("ftvisor_min") and e.get("ftvisor-4k_min"):
            e["ratio_4k_vs_2m_min"] = round(e["ftvisor-4k_min"] / e["ftvisor_min"], 4)
        res["work"][w] = e
    for b, v in res["runs"]["ftvisor"][0]["bench"].items():
        if "median" not in v:
            continue
        e = {}
        for n in WALL_RUNS:
            ms = [r["bench"][b]["median"] for r in res["runs"][n]
                  if isinstance(r["bench"].get(b, {}).get("median"), int)]
            e[n + "_median"] = med(ms) if ms else None
        res["bench"][b] = e
    return res


def kvm_run(results):
    """The KVM reference run; results["kvm"]["status"] is "ran" or why it did not."""
    kvm = results["kvm"]
    results["commands"]["kvm"] = " ".join(KVM_RUN)
    for f, why in ((KVM_GUEST, "the benchmark guest is not built"),
                   ("cache/linux/Image", "Debian's kernel is not fetched (make linux-images)"),
                   ("cache/linux/busybox", "busybox is not fetched (make linux-images)")):
        if not os.path.exists(os.path.join(ROOT, f)):
            kvm["status"] = f"not run: {f} is missing ({why})"
            return None
    p = subprocess.run(["make", "-s", "--no-print-directory", "-C", "guests/linux", "kvm",
                        "KVM_GUEST=" + os.path.join(ROOT, KVM_GUEST)],
                       cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode:
        kvm["status"] = ("not run: building " + KVM_INITRD + " failed: " +
                         p.stdout.decode(errors="replace").strip()[-500:])
        return None
    text, wall = run("kvm", KVM_RUN, fatal=False)
    kvm["dmesg"] = [l[len("kvmref-dmesg: "):] for l in text.splitlines()
                    if l.startswith("kvmref-dmesg: ")]
    kvm["vmm"] = [l for l in text.splitlines() if l.startswith(("kvmref:", "KVMREF-"))]
    hyp = any("Hyp mode initialized" in l for l in kvm["dmesg"])
    if "BENCH-DONE" in text:
        kvm["status"] = "ran"
    elif not hyp or "KVMREF-EXIT status=no-dev-kvm" in text:
        kvm["status"] = ("not run: KVM is not available in the Linux host (no \"Hyp mode "
                         "initialized\" in its log); its KVM messages: " +
                         ("; ".join(kvm["dmesg"]) or "none"))
    else:
        kvm["status"] = ("failed: the guest did not print BENCH-DONE under KVM; output tail: " +
                         text[-1500:])
    print(f"bench: kvm: {wall:.0f} s wall ({kvm['status'][:200]})", flush=True)
    if kvm["status"] != "ran":
        return None
    res = parse(text)
    res["wall_s"] = round(wall, 1)
    return res


# A 5x7 bitmap font drawn by hand (issue 8: latest.png's labels, stdlib only). Each glyph is
# 7 rows of 5 columns, '#' = ink (those of DESCENDERS 2 rows lower: their rows are 2 to 8 of a
# 9-row cell); uppercase letters are drawn as lowercase.
DESCENDERS = "gpqy"
FONT = {
    "0": [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."],
    "1": ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
    "2": [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
    "3": ["####.", "....#", "....#", ".###.", "....#", "....#", "####."],
    "4": ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
    "5": ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
    "6": ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."],
    "7": ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
    "8": [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
    "9": [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."],
    "a": [".....", ".....", ".###.", "....#", ".####", "#...#", ".####"],
    "b": ["#....", "#....", "####.", "#...#", "#...#", "#...#", "####."],
    "c": [".....", ".....", ".###.", "#....", "#....", "#...#", ".###."],
    "d": ["....#", "....#", ".####", "#...#", "#...#", "#...#", ".####"],
    "e": [".....", ".....", ".###.", "#...#", "#####", "#....", ".###."],
    "f": ["..##.", ".#..#", ".#...", "###..", ".#...", ".#...", ".#..."],
    "g": [".####", "#...#", "#...#", "#...#", ".####", "....#", ".###."],
    "h": ["#....", "#....", "#.##.", "##..#", "#...#", "#...#", "#...#"],
    "i": ["..#..", ".....", ".##..", "..#..", "..#..", "..#..", ".###."],
    "j": ["...#.", ".....", "..##.", "...#.", "...#.", "...#.", "#..#.", ".##.."],
    "k": ["#....", "#....", "#..#.", "#.#..", "##...", "#.#..", "#..#."],
    "l": [".##..", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."],
    "m": [".....", ".....", "##.#.", "#.#.#", "#.#.#", "#...#", "#...#"],
    "n": [".....", ".....", "#.##.", "##..#", "#...#", "#...#", "#...#"],
    "o": [".....", ".....", ".###.", "#...#", "#...#", "#...#", ".###."],
    "p": ["####.", "#...#", "#...#", "#...#", "####.", "#....", "#...."],
    "q": [".####", "#...#", "#...#", "#...#", ".####", "....#", "....#"],
    "r": [".....", ".....", "#.##.", "##..#", "#....", "#....", "#...."],
    "s": [".....", ".....", ".####", "#....", ".###.", "....#", "####."],
    "t": [".#...", ".#...", "###..", ".#...", ".#...", ".#..#", "..##."],
    "u": [".....", ".....", "#...#", "#...#", "#...#", "#..##", ".##.#"],
    "v": [".....", ".....", "#...#", "#...#", "#...#", ".#.#.", "..#.."],
    "w": [".....", ".....", "#...#", "#...#", "#.#.#", "#.#.#", ".#.#."],
    "x": [".....", ".....", "#...#", ".#.#.", "..#..", ".#.#.", "#...#"],
    "y": ["#...#", "#...#", "#...#", "#...#", ".####", "....#", ".###."],
    "z": [".....", ".....", "#####", "...#.", "..#..", ".#...", "#####"],
    "-": [".....", ".....", ".....", "#####", ".....", ".....", "....."],
    ".": [".....", ".....", ".....", ".....", ".....", ".##..", ".##.."],
    ",": [".....", ".....", ".....", ".....", ".##..", "..#..", ".#..."],
    ":": [".....", ".##..", ".##..", ".....", ".##..", ".##..", "....."],
    "(": ["...#.", "..#..", ".#...", ".#...", ".#...", "..#..", "...#."],
    ")": [".#...", "..#..", "...#.", "...#.", "...#.", "..#..", ".#..."],
    "/": [".....", "....#", "...#.", "..#..", ".#...", "#....", "....."],
    "=": [".....", ".....", "#####", ".....", "#####", ".....", "....."],
    "%": ["##...", "##..#", "...#.", "..#..", ".#...", "#..##", "...##"],
    "*": [".....", "..#..", "#.#.#", ".###.", "#.#.#", "..#..", "....."],
    "+": [".....", "..#..", "..#..", "#####", "..#..", "..#..", "....."],
    "'": ["..#..", "..#..", ".#...", ".....", ".....", ".....", "....."],
    "?": [".###.", "#...#", "....#", "...#.", "..#..", ".....", "..#.."],
    " ": ["....."] * 7,
}


class Canvas:
    """An RGB image in memory with rectangles and text in FONT, written out as a PNG."""

    def __init__(self, width, height):
        self.w, self.h = width, height
        self.px = [bytearray(b"\xff" * (3 * width)) for _ in range(height)]

    def rect(self, x0, y0, x1, y1, color):
        """Fills [x0, x1) x [y0, y1), clipped."""
        x0, x1 = max(0, int(x0)), min(self.w, int(x1))
        y0, y1 = max(0, int(y0)), min(self.h, int(y1))
        if x0 >= x1:
            return
        seg = bytes(color) * (x1 - x0)
        for y in range(y0, y1):
            self.px[y][3 * x0:3 * x1] = seg

    def text(self, x, y, s, color=(0, 0, 0), scale=1, anchor="left"):
        """Draws s with its top at y; anchor left, center or right of x."""
        width = len(s) * 6 * scale - scale
        if anchor == "center":
            x -= width // 2
        elif anchor == "right":
            x -= width
        for i, ch in enumerate(s.lower()):
            glyph = FONT.get(ch, FONT["?"])
            dy = 2 if ch in DESCENDERS else 0
            for r, row in enumerate(glyph, dy):
                for c, bit in enumerate(row):
                    if bit == "#":
                        self.rect(x + (6 * i + c) * scale, y + r * scale,
                                  x + (6 * i + c + 1) * scale, y + (r + 1) * scale, color)

    def save(self, path):
        raw = b"".join(b"\0" + bytes(row) for row in self.px)

        def chunk(t, d):
            return (struct.pack(">I", len(d)) + t + d +
                    struct.pack(">I", zlib.crc32(t + d) & 0xffffffff))
        with open(path, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" +
                    chunk(b"IHDR", struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0)) +
                    chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


RUN_COLORS = {"native": (60, 160, 60), "ftvisor": (40, 100, 200), "ftvisor-4k": (240, 150, 30),
              "kvm": (210, 50, 50)}
PANELS = ("hvc", "mmio", "vgic-reg", "ipi", "vtimer", "eoi")


def png(path, runs, title, cols=2, width=1200, panel_h=250):
    """Latency histograms: one panel per microbenchmark of PANELS, the runs (runs: name ->
    parse() result with "hist") side by side in each bucket. x: counter ticks, log scale
    (a slot at the left for 0); y: fraction of the samples, log scale (0.001 to 1)."""
    rows = (len(PANELS) + cols - 1) // cols
    top = 70
    img = Canvas(width, top + rows * panel_h + 30)
    img.text(width // 2, 10, title, scale=2, anchor="center")
    x = 20
    for name, color in RUN_COLORS.items():
        if name in runs:
            img.rect(x, 42, x + 14, 56, color)
            img.text(x + 20, 46, name, scale=1)
            x += 20 + 6 * len(name) + 30
    img.text(width - 20, 46, "x: latency in counter ticks, log scale    y: fraction of samples, log",
             anchor="right")
    pw = width // cols
    for pi, bench in enumerate(PANELS):
        px0, py0 = (pi % cols) * pw, top + (pi // cols) * panel_h
        left, right = px0 + 60, px0 + pw - 20
        ptop, bottom = py0 + 26, py0 + panel_h - 34
        img.text((left + right) // 2, py0 + 6, bench, scale=2, anchor="center")
        hs = [(r, runs[r]["hist"][bench]) for r in RUN_COLORS
              if r in runs and runs[r].get("hist", {}).get(bench, {}).get("counts")]
        # axes
        img.rect(left, bottom, right + 1, bottom + 1, (0, 0, 0))
        img.rect(left - 1, ptop, left, bottom + 1, (0, 0, 0))
        for k, lab in enumerate(("1", "0.1", "0.01", "0.001")):
            y = ptop + (bottom - ptop) * k // 3
            img.rect(left - 5, y, left, y + 1, (0, 0, 0))
            img.rect(left, y, right, y + 1, (225, 225, 225))
            img.text(left - 8, y - 3, lab, anchor="right")
        if not hs:
            img.text((left + right) // 2, (ptop + bottom) // 2, "no samples", anchor="center")
            continue
        nonzero = [e for _, h in hs for e in h["edges"] if e > 0]
        lo = 10 ** math.floor(math.log10(min(nonzero)))
        hi = 10 ** math.ceil(math.log10(max(nonzero)))
        if hi <= lo:
            hi = lo * 10
        zero = any(h["edges"][0] == 0 for _, h in hs)
        zw = 40 if zero else 0
        span = math.log10(hi) - math.log10(lo)

        def X(v):
            return left + zw + (right - left - zw) * (math.log10(v) - math.log10(lo)) / span

        def Y(f):
            f = max(f, 1e-3)
            return bottom - (bottom - ptop) * (math.log10(f) + 3) / 3
        if zero:
            img.rect(left + zw // 2, bottom, left + zw // 2 + 1, bottom + 5, (0, 0, 0))
            img.text(left + zw // 2, bottom + 8, "0", anchor="center")
            img.rect(left + zw - 1, ptop, left + zw, bottom, (200, 200, 200))
        d = lo
        while d <= hi:
            for m in (1, 2, 5):
                v = d * m
                if lo <= v <= hi:
                    xx = int(X(v))
                    img.rect(xx, bottom, xx + 1, bottom + (5 if m == 1 else 3), (0, 0, 0))
                    if m == 1 or span <= 2:
                        img.text(xx, bottom + 8, str(v), anchor="center")
            d *= 10
        nr = len(hs)
        for ri, (rname, h) in enumerate(hs):
            total = sum(h["counts"]) or 1
            for i, c in enumerate(h["counts"]):
                if not c:
                    continue
                a, b = h["edges"][i], h["edges"][i + 1]
                if a == 0:
                    x0, x1 = left + 4, left + zw - 4
                else:
                    x0, x1 = X(a), X(b)
                # At least 3 px a run, so that identical runs stay visible side by side (a
                # narrow bucket's bars spill to the right).
                sub = max(3.0, (x1 - x0) / nr)
                bx0 = int(x0 + ri * sub)
                bx1 = max(bx0 + 2, int(x0 + (ri + 1) * sub) - 1)
                img.rect(bx0, min(int(Y(c / total)), bottom - 2), bx1, bottom,
                         RUN_COLORS[rname])
    img.text(20, img.h - 20, "ftvisor latency histograms (make bench, scripts/bench.py): each run's "
             "samples of one microbenchmark, side by side in each bucket (at least 3 px each)",
             color=(90, 90, 90))
    img.save(path)


def linux_md(lb):
    """latest.md's Linux boot section."""
    f, n = lb["ftvisor"], lb["native"]
    out = ["", "## Linux boot (emulated time, -icount)", ""]
    if f.get("status") != "ran":
        out.append(f"ftvisor: {f.get('status', 'not run')[:500]}")
    if "banner_us" in f:
        out += [f"ftvisor with build/ftvisor-linux.bin (linux1: 2 vCPUs, 256 MiB; linux2: 1 vCPU, "
                f"192 MiB; bm: bare metal), console lines stamped (ftvisor.console_stamps): "
                f"banner at {f['banner_us']} us, self-tests done and VMs started at "
                f"{f.get('ready_us', '-')} us of counter time (us since QEMU start).", "",
                "| VM | started (us) | first instruction (us) | first console line (us) | "
                "shell marker (us) | start to shell (us) | VM's kernel clock at the marker (us) |",
                "| --- | --- | --- | --- | --- | --- | --- |"]
        for name, v in f.get("vms", {}).items():
            if name in LINUX_VMS:
                out.append(f"| {name} | {v.get('start_us', '-')} | "
                           f"{v.get('first_instruction_us', '-')} | {v.get('first_line_us', '-')} | "
                           f"{v.get('shell_us', '-')} | {v.get('start_to_shell_us', '-')} | "
                           f"{v.get('kclock_at_shell_us', '-')} |")
    out.append("")
    if n.get("status") == "ran":
        out.append(f"native (same kernel and initramfs at EL1, 2 CPUs, 256 MiB, linux1's bootargs): "
                   f"shell at {n['shell_printk_us']} us of the kernel's clock (printk time of a "
                   f"line written to /dev/kmsg by a command typed when the marker appeared; "
                   f"/proc/uptime then said {n.get('shell_uptime_s', '-')} s).")
    else:
        out.append(f"native: {n.get('status', 'not run')[:500]}")
    out += ["", "Shell marker: the initramfs's `" + LINUX_MARKER + "` line, printed just before "
            "its shell starts. Under ftvisor the marker time is the hypervisor's counter "
            "(us since QEMU start) when the line was written. The kernel's own clock (printk "
            "time, /proc/uptime) starts only when the arch timer registers as sched_clock, after "
            "its early boot, which is long here (under ftvisor the gap between the VM's start "
            "and its kernel-clock zero was "
            + ", ".join(f"{k} {v['kclock_offset_us'] - v['start_us']} us"
                        for k, v in f.get("vms", {}).items()
                        if "kclock_offset_us" in v and "start_us" in v)
            + "); so the native figure misses that early boot and is not QEMU start to shell: "
            "compare it with the VMs' kernel-clock column. Under -icount all CPUs share one "
            "emulation thread, so the VMs' counter times include the other VMs' instructions."]
    return out


def wall_md(ws):
    """latest.md's wall-time stage-2 section."""
    out = ["", "## Stage 2 with 2 MiB blocks vs 4 KiB pages, WALL TIME (no -icount; noisy)", ""]
    if "work" not in ws:
        return out + [ws.get("note", "not run")]
    out += [f"{ws['note']}. {ws['repeat']} QEMU runs of each, alternated.", "",
            "| workload | ftvisor (2 MiB) median ticks | ftvisor-4k median ticks | 4k/2M | "
            "4k/2M of the fastest runs | ftvisor runs | ftvisor-4k runs |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for w, e in ws["work"].items():
        out.append(f"| {w} | {e.get('ftvisor_median')} | {e.get('ftvisor-4k_median')} | "
                   f"{e.get('ratio_4k_vs_2m', '-')} | {e.get('ratio_4k_vs_2m_min', '-')} | "
                   f"{', '.join(map(str, e.get('ftvisor_ticks', [])))} | "
                   f"{', '.join(map(str, e.get('ftvisor-4k_ticks', [])))} |")
    out += ["", "| microbenchmark (wall time) | ftvisor median of medians | ftvisor-4k |",
            "| --- | --- | --- |"]
    for b, e in ws["bench"].items():
        out.append(f"| {b} | {e.get('ftvisor_median')} | {e.get('ftvisor-4k_median')} |")
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    results = {"date": time.strftime("%Y-%m-%d"), "commands": {}, "runs": {},
               "kvm": {"status": "not run yet: the KVM/arm64 reference (Debian's kernel at EL2 "
                                 "with a minimal VMM) is still to be built (issue 8)"}}
    for name, cmd in RUNS.items():
        results["commands"][name] = " ".join(cmd)
        text, wall = run(name, cmd)
        results["runs"][name] = parse(text)
        results["runs"][name]["wall_s"] = round(wall, 1)
        print(f"bench: {name}: {wall:.0f} s wall", flush=True)
    kvmres = kvm_run(results)
    if kvmres is not None:
        results["runs"]["kvm"] = kvmres
    results["linux_boot"] = {"ftvisor": linux_boot_ftvisor(results),
                             "native": linux_boot_native(results)}
    if os.environ.get("BENCH_WALL", "1") != "0":
        results["wall_stage2"] = wall_stage2(results)
    else:
        results["wall_stage2"] = {"note": "not run (BENCH_WALL=0)"}
    kv = kvmres or {"bench": {}, "work": {}}
    nat, ftv, ftv4 = (results["runs"][k] for k in ("native", "ftvisor", "ftvisor-4k"))
    ratios = {}
    for w, v in ftv["work"].items():
        if w in nat["work"] and nat["work"][w].get("ticks"):
            ratios[w] = {"ftvisor_vs_native": ftv["work"][w]["ticks"] / nat["work"][w]["ticks"],
                         "ftvisor4k_vs_native": ftv4["work"].get(w, {}).get("ticks", 0) /
                         nat["work"][w]["ticks"]}
            if ftv["work"][w].get("checksum") != nat["work"][w].get("checksum"):
                sys.exit(f"bench: workload {w}: checksums differ natively and under ftvisor")
            if kv["work"].get(w, {}).get("ticks"):
                ratios[w]["kvm_vs_native"] = kv["work"][w]["ticks"] / nat["work"][w]["ticks"]
                ratios[w]["ftvisor_vs_kvm"] = ftv["work"][w]["ticks"] / kv["work"][w]["ticks"]
                if kv["work"][w].get("checksum") != nat["work"][w].get("checksum"):
                    print(f"bench: warning: workload {w}: checksums differ natively and under "
                          "KVM", flush=True)
    results["workload_ratios"] = ratios
    lines = ["# ftvisor benchmark",
             "",
             "QEMU TCG with -icount shift=0: one guest instruction = 1 ns of emulated time, the "
             "counter ticks at CNTFRQ (62.5 MHz on QEMU virt: 1 tick = 16 ns = 16 instructions). "
             "Every figure is deterministic. Under -icount only instructions cost time, so TLB "
             "and stage-2 effects (2 MiB blocks vs 4 KiB pages) do not show in the workloads; "
             "they measure the instructions the hypervisor adds (timer ticks, exits).",
             "",
             "| benchmark | native median | ftvisor median | ftvisor p99 | ftvisor max | KVM median | "
             "ftvisor/KVM | unit |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]

    def ratio(a, b):
        return f"{a / b:.3f}" if isinstance(a, int) and isinstance(b, int) and b else "-"
    for b, v in ftv["bench"].items():
        n, k = nat["bench"].get(b, {}), kv["bench"].get(b, {})
        skip = f"n/a ({n['skipped']})" if "skipped" in n else "-"
        lines.append(f"| {b} | {n.get('median', skip)} | {v.get('median', '-')} | "
                     f"{v.get('p99', '-')} | {v.get('max', '-')} | "
                     f"{k.get('median', k.get('skipped', '-'))} | "
                     f"{ratio(v.get('median'), k.get('median'))} | {v.get('unit', '')} |")
    lines += ["", "| workload | native ticks | ftvisor ticks | ratio | ftvisor 4K-stage-2 ticks | ratio "
              "| KVM ticks | KVM/native | ftvisor/KVM |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for w, r in ratios.items():
        lines.append(f"| {w} | {nat['work'][w]['ticks']} | {ftv['work'][w]['ticks']} | "
                     f"{r['ftvisor_vs_native']:.4f} | {ftv4['work'].get(w, {}).get('ticks', '-')} | "
                     f"{r['ftvisor4k_vs_native']:.4f} | {kv['work'].get(w, {}).get('ticks', '-')} | "
                     + (f"{r['kvm_vs_native']:.4f} | {r['ftvisor_vs_kvm']:.4f} |"
                        if "kvm_vs_native" in r else "- | - |"))
    lines += ["", "boot of the benchmark VM (emulated time, us since QEMU start): " +
              ", ".join(f"{k.replace('_us', '')} {v}" for k, v in ftv["boot"].items())]
    lines += linux_md(results["linux_boot"]) + wall_md(results["wall_stage2"])
    lines += ["", "latest.png: latency histograms of the microbenchmarks (SAMPLES lines; "
              "runs.<run>.hist in latest.json: bucket edges in ticks and counts), one panel "
              "each, runs side by side, log x and log y.", "", "commands:"] + \
        [f"- {k}: `{c}`" for k, c in results["commands"].items()] + \
        ["", "KVM reference: " + results["kvm"]["status"]]
    table = "\n".join(lines)
    with open(os.path.join(OUT, "latest.json"), "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
    with open(os.path.join(OUT, "latest.md"), "w") as f:
        f.write(table + "\n")
    png(os.path.join(OUT, "latest.png"), results["runs"],
        "latency histograms (qemu -icount shift=0: 1 tick = 16 ns = 16 instructions)")
    print(table)
    base = os.path.join(ROOT, "bench", "baseline.json")
    if os.path.exists(base):
        with open(base) as f:
            old = json.load(f)
        print("\nchange against bench/baseline.json (ftvisor medians / workload ticks):")
        for b, v in ftv["bench"].items():
            o = old.get("runs", {}).get("ftvisor", {}).get("bench", {}).get(b, {}).get("median")
            if isinstance(o, int) and isinstance(v.get("median"), int) and o:
                print(f"  {b}: {o} -> {v['median']} ({(v['median'] - o) * 100 / o:+.1f}%)")
        for w, v in ftv["work"].items():
            o = old.get("runs", {}).get("ftvisor", {}).get("work", {}).get(w, {}).get("ticks")
            if o:
                print(f"  {w}: {o} -> {v['ticks']} ({(v['ticks'] - o) * 100 / o:+.2f}%)")
    else:
        print("\nno bench/baseline.json yet: copy bench/results/latest.json there to make one")


if __name__ == "__main__":
    main()
