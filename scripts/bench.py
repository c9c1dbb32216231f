#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""`make bench`: the cost of virtualization, measured deterministically.

Runs guests/bench under QEMU with `-icount shift=0,sleep=off` (one instruction = one ns of
emulated time, so every figure is the same from run to run) natively at EL1 (no ftvisor),
as an ftvisor VM, as an ftvisor VM with 4 KiB stage-2 pages, and under KVM/arm64 (Debian's
kernel entered at EL2, tools/kvmref as the VMM, from build/guests/initramfs-kvm.cpio.gz); writes
bench/results/latest.json, latest.md (the table and the exact commands) and latest.png, and
prints the change against the committed bench/baseline.json.
"""
import json
import os
import re
import struct
import subprocess
import sys
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
                "-kernel", "build/ftvisor-bench.bin", "-append", ""] + ICOUNT,
}
RUNS["ftvisor-4k"] = RUNS["ftvisor"][:-len(ICOUNT) - 1] + ["ftvisor.stage2=4k"] + ICOUNT
# The KVM/arm64 reference (issue 8): Debian's kernel at EL2 (virtualization=on) runs
# `kvmref /bench.bin /bench.dtb` (tools/kvmref) from its initramfs at once, then powers off.
# Not in RUNS: it is optional (a missing kernel or KVM leaves a reason in results["kvm"]).
KVM_INITRD = "build/guests/initramfs-kvm.cpio.gz"
KVM_GUEST = "build/guests/bench.bin"
KVM_RUN = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3,dtb-randomness=off",
           "-cpu", "cortex-a72", "-smp", "2", "-m", "1G", "-nographic", "-nic", "none",
           "-kernel", "cache/linux/Image", "-initrd", KVM_INITRD,
           "-append", "console=ttyAMA0 ftvisor.kvmbench loglevel=3"] + ICOUNT


def run(name, cmd, fatal=True):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL)
    out = []
    try:
        for raw in p.stdout:
            line = raw.decode(errors="replace").rstrip("\r\n")
            out.append(line)
            if "BENCH-DONE" in line or "FAIL" in line and "unexpected" in line:
                break
            if not fatal and ("KVMREF-EXIT" in line or "Kernel panic" in line):
                break
            if time.monotonic() - t0 > TIMEOUT:
                break
    finally:
        p.kill()
        p.wait()
    text = "\n".join(out)
    if "BENCH-DONE" not in text and fatal:
        sys.exit(f"bench: the {name} run did not finish; output tail:\n{text[-3000:]}")
    return text, time.monotonic() - t0


def parse(text):
    res = {"bench": {}, "work": {}, "boot": {}}
    for line in text.splitlines():
        line = re.sub(r"^\[\w+\] ", "", line)
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
        m = re.match(r"ftvisor: vm '(\S+)' started at (\d+) us", line)
        if m:
            res["boot"][f"vm_{m.group(1)}_start_us"] = int(m.group(2))
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


def png(path, groups, width=640, height=320):
    """A bar chart without text (stdlib only): per metric, one bar per run, log scale."""
    import math
    colors = [(70, 130, 180), (220, 120, 40), (90, 170, 90)]
    img = [[(255, 255, 255)] * width for _ in range(height)]
    vals = [v for g in groups for v in g if v > 0]
    top = math.log10(max(vals)) if vals else 1
    slot = width // max(1, len(groups))
    for gi, g in enumerate(groups):
        for ri, v in enumerate(g):
            if v <= 0:
                continue
            h = int((height - 10) * max(0.02, math.log10(v + 1) / (top + 0.1)))
            x0 = gi * slot + 4 + ri * (slot - 8) // len(g)
            x1 = x0 + max(1, (slot - 8) // len(g) - 2)
            for y in range(height - h, height):
                for x in range(x0, min(x1, width)):
                    img[y][x] = colors[ri % len(colors)]
    raw = b"".join(b"\0" + b"".join(struct.pack("BBB", *px) for px in row) for row in img)

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


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
        lines.append(f"| {b} | {n.get('median', n.get('skipped', '-'))} | {v.get('median', '-')} | "
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
    lines += ["", f"boot (emulated time): {ftv['boot']}", "", "commands:"] + \
        [f"- {k}: `{c}`" for k, c in results["commands"].items()] + \
        ["", "KVM reference: " + results["kvm"]["status"]]
    table = "\n".join(lines)
    with open(os.path.join(OUT, "latest.json"), "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
    with open(os.path.join(OUT, "latest.md"), "w") as f:
        f.write(table + "\n")
    png(os.path.join(OUT, "latest.png"),
        [[nat["bench"].get(b, {}).get("median", 0) if isinstance(nat["bench"].get(b, {}).get("median"), int) else 0,
          v.get("median", 0) if isinstance(v.get("median"), int) else 0,
          kv["bench"].get(b, {}).get("median", 0)
          if isinstance(kv["bench"].get(b, {}).get("median"), int) else 0]
         for b, v in ftv["bench"].items()])
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
