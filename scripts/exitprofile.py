#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Where the instructions of each exit path go, deterministically.

Boots build/ftvisor-bench.bin exactly as `make bench` does (scripts/bench.py RUNS["ftvisor"],
QEMU -icount shift=0,sleep=off: one instruction = 1 ns of emulated time) with QEMU's
translation-block log (`-d exec,nochain,in_asm`) streamed through a FIFO in /tmp (nothing
large is written to disk), and stops QEMU once the guest has printed `BENCH name=eoi`.

From the log:
  * every executed TB, per CPU, with the number of its instructions that really ran (QEMU
    says when a TB was not started, "Stopped execution of TB chain", or rewound at an I/O
    access, "cpu_io_recompile: rewound execution of TB to PC");
  * EL2 vs guest by the MMU index in the TB flags ((flags >> 4) & 15 == 6: ARMMMUIdx_E2), not
    by address (the hypervisor and the guest both run code around 0x40200000);
  * an exit = the run of EL2 TBs on one CPU between two guest TBs: from the lower-EL vector to
    the eret of guest_enter;
  * a vCPU that waits in WFI stays in EL2 (wait_for_interrupt, arch_wait_for_interrupt): its
    exit is split at the EL2 `wfi`; the instructions after the (last) wake-up are the wake
    path (classes ipi-receive, vtimer, wfi-wake), the ones before it the class wfi-sleep;
  * hypervisor PCs minus the load base (the banner's "image: 0x...") are ELF addresses of
    build/ftvisor.elf: symbol (nm) and innermost inlined function and line (addr2line -i).

Window: from the first FTV hypercall exit (the guest's ftv_version() right after
BENCH-START) to the end of the last SGI-to-self exit (the eoi benchmark), so the figures do
not depend on when QEMU was stopped.

Writes bench/results/profile.json and profile.md and prints the latter.

  scripts/exitprofile.py                 # boot, trace, analyse (about 2-4 minutes)
  scripts/exitprofile.py --build         # `make -j2 bundles` first
  scripts/exitprofile.py --keep-log F    # keep QEMU's log in F (~0.7 GB) and the console in F.console
  scripts/exitprofile.py --from-log F --console C   # analyse a kept log (C: console output)
"""
import argparse
import bisect
import collections
import importlib.util
import json
import os
import re
import select
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "bench", "results")
BUNDLE = "build/ftvisor-bench.bin"
HYP_BIN = "build/ftvisor.bin"
ELF = "build/ftvisor.elf"
CROSS = "aarch64-linux-gnu-"
TIMEOUT = 540            # seconds of wall time for the QEMU run
TICK = 16                # instructions per tick of the 62.5 MHz counter under -icount shift=0
MMUIDX_E2 = 6            # QEMU 7.2 ARMMMUIdx_E2 & 0xf, TBFLAG_ANY.MMUIDX = flags bits 7:4
MARKS = ("arch_send_sgi",)  # exits also record how many instructions ran before these

# Guest figures the exit classes correspond to (bench guest BENCH name=...).
GUEST_BENCH = {"hvc": "hvc", "mmio": "mmio", "vgic-reg": "vgic-reg", "ipi-send": "ipi",
               "ipi-receive": "ipi", "vtimer": "vtimer"}
CLASS_ORDER = ["hvc", "mmio", "vgic-reg", "ipi-send", "ipi-receive", "vtimer", "sgi-self",
               "wfi-sleep", "wfi-wake", "console", "sched-tick", "psci"]
CLASS_DOC = {
    "hvc": "HVC handled by smccc_dispatch (FTV_VERSION)",
    "mmio": "data abort on the test device (td_read)",
    "vgic-reg": "data abort on the virtual GICD (gicd_read)",
    "ipi-send": "trapped ICC_SGI1R_EL1 write to another vCPU (vgic_sgi, physical SGI to its CPU)",
    "ipi-receive": "target vCPU woken in WFI (or interrupted) by the wake-up SGI: after the wake-up only",
    "vtimer": "virtual timer PPI (on_vtimer), mostly waking a WFI: after the wake-up only",
    "sgi-self": "trapped ICC_SGI1R_EL1 write to the sender itself (eoi benchmark)",
    "wfi-sleep": "trapped WFI until the CPU sleeps in arch_wait_for_interrupt",
    "wfi-wake": "WFI wake-up by something else (e.g. the scheduler tick): after the wake-up only",
    "console": "data abort on the emulated PL011 (uart_read/uart_write)",
    "sched-tick": "EL2 timer interrupt (scheduler slice) while the guest ran",
    "psci": "PSCI call (vpsci_call)",
}


def die(msg):
    sys.exit("exitprofile: " + msg)


def bench_cmd():
    spec = importlib.util.spec_from_file_location("ftv_bench", os.path.join(ROOT, "scripts", "bench.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return list(mod.RUNS["ftvisor"])


def check_build():
    """ftvisor.elf, ftvisor.bin and the bundle's hypervisor must be the same build."""
    for f in (BUNDLE, HYP_BIN, ELF):
        if not os.path.exists(os.path.join(ROOT, f)):
            die(f"{f} is missing: run `make -j2 bundles` (or pass --build)")
    with tempfile.NamedTemporaryFile(dir="/tmp", prefix="exitprofile-", suffix=".bin") as t:
        subprocess.run([CROSS + "objcopy", "-O", "binary", os.path.join(ROOT, ELF), t.name], check=True)
        elfbin = open(t.name, "rb").read()
    hyp = open(os.path.join(ROOT, HYP_BIN), "rb").read()
    with open(os.path.join(ROOT, BUNDLE), "rb") as f:
        bundle = f.read(len(hyp))

    def strip(b):  # the Image header's image_size (bytes 16-23) is the bundle's
        return b[:16] + b[24:]
    if strip(elfbin) != strip(hyp) or strip(bundle) != strip(hyp):
        die("build/ftvisor.elf, build/ftvisor.bin and build/ftvisor-bench.bin are not the same "
            "build (a build in progress?): rerun `make -j2 bundles`")


class Symbols:
    """ELF address -> symbol (nm) and innermost inlined function / line (addr2line -i)."""

    def __init__(self, elf):
        self.elf = elf
        out = subprocess.run([CROSS + "nm", "-n", "--defined-only", elf], check=True,
                             stdout=subprocess.PIPE, text=True).stdout
        addrs, names = [], []
        for line in out.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in "tTwW" and not p[2].startswith(("$", ".L")):
                addrs.append(int(p[0], 16))
                names.append(p[2])
        dup = {n for n, c in collections.Counter(names).items() if c > 1}
        if dup:  # same static name in two files: add the file
            files = self._a2l([a for a, n in zip(addrs, names) if n in dup])
            names = [f"{n}({os.path.basename(files[a][0][1].split(':')[0])})" if n in dup else n
                     for a, n in zip(addrs, names)]
        self.addrs, self.names = addrs, names
        self.addr_of = {n: a for a, n in zip(addrs, names)}
        self.inl = {}

    def sym(self, a):
        i = bisect.bisect_right(self.addrs, a) - 1
        return self.names[i] if i >= 0 else "?"

    def _a2l(self, addrs):
        """{addr: [(function, file:line), ... innermost first]}"""
        res = {}
        if not addrs:
            return res
        out = subprocess.run([CROSS + "addr2line", "-a", "-f", "-i", "-e", self.elf] +
                             [hex(a) for a in addrs], check=True, stdout=subprocess.PIPE,
                             text=True).stdout.splitlines()
        cur, i = None, 0
        while i < len(out):
            if out[i].startswith("0x") and (i + 1 == len(out) or not out[i + 1].startswith("0x")):
                try:
                    cur = int(out[i], 16)
                    res[cur] = []
                    i += 1
                    continue
                except ValueError:
                    pass
            if cur is not None and i + 1 < len(out):
                loc = out[i + 1]
                loc = re.sub(r" \(discriminator \d+\)", "", loc)
                res[cur].append((out[i], loc.replace(ROOT + "/", "")))
            i += 2
        return res

    def resolve_inline(self, addrs):
        todo = sorted(set(addrs) - set(self.inl))
        for k in range(0, len(todo), 2000):
            self.inl.update(self._a2l(todo[k:k + 2000]))

    def inner(self, a):
        """(innermost function, 'file:line', the symbol it is inlined into or None)"""
        chain = self.inl.get(a) or [("?", "?")]
        fn, loc = chain[0]
        s = self.sym(a)
        if fn in ("??", "?"):
            fn = s
        base = re.sub(r"\(.*\)$", "", s)
        return fn, loc, (None if fn == base else s)


class Segment:
    __slots__ = ("cpu", "start", "end", "entry", "funcs", "post", "pre", "waits", "insns",
                 "marks")

    def __init__(self, cpu, start, entry):
        self.cpu, self.start, self.end, self.entry = cpu, start, None, entry
        self.funcs = collections.Counter()   # ELF address -> instructions (whole segment)
        self.post = None                     # after the last EL2 wfi (if it waited)
        self.pre = None                      # up to the first EL2 wfi
        self.waits = 0
        self.insns = 0
        self.marks = {}                      # function -> instructions before its first entry


def parse_log(stream, base, vectors, stats, marks=None):
    """Yields closed Segments from QEMU's exec/nochain/in_asm log (a binary line iterator)."""
    tbs = {}               # host TB pointer -> (pc, n, el2, wfi_last)
    block = []             # in_asm instructions being read: [pc, ...]
    block_last = b""
    inblock = False
    last = None            # [cpu, info, executed] of the latest Trace, accounted at the next
    state = {}             # cpu -> "guest" | "el2"
    seg = {}               # cpu -> open Segment
    seq = 0
    box = {}

    def get_base():
        if "base" not in box:
            box["base"] = base() if callable(base) else base
        return box["base"]

    def account(cpu, info, k):
        pc, n, el2, wfi = info
        if k <= 0:
            return None
        if not el2:
            stats["guest_insns"] += k
            state[cpu] = "guest"
            s = seg.pop(cpu, None)
            if s is not None:
                s.end = seq
                return s
            return None
        stats["el2_insns"] += k
        s = seg.get(cpu)
        if s is None:
            if state.get(cpu) != "guest":
                stats["el2_outside_exits"] += k  # CPUs that never ran a guest, boot
                state[cpu] = "el2"
                return None
            s = seg[cpu] = Segment(cpu, seq, pc - get_base() - vectors)
        state[cpu] = "el2"
        off = pc - box["base"]
        if marks and off in marks and marks[off] not in s.marks:
            s.marks[marks[off]] = s.insns
        f = s.funcs
        target = s.post if s.post is not None else None
        for i in range(k):
            a = off + 4 * i
            f[a] += 1
            if target is not None:
                target[a] += 1
        s.insns += k
        if wfi and k == n:
            s.waits += 1
            if s.pre is None:
                s.pre = collections.Counter(f)
            s.post = collections.Counter()
        return None

    for raw in stream:
        c = raw[:1]
        if c == b"T" and raw.startswith(b"Trace "):
            seq += 1
            p = raw.split(None, 4)
            cpu = int(p[1][:-1])
            ptr = p[2]
            if inblock or block:
                br = p[3][1:-1].split(b"/")
                pc = int(br[1], 16)
                if block and block[0] == pc:
                    flags = int(br[2], 16)
                    tbs[ptr] = (pc, len(block), ((flags >> 4) & 15) == MMUIDX_E2,
                                block_last.startswith(b"wfi"))
                else:
                    stats["unmatched_blocks"] += 1
                block = []
                inblock = False
            info = tbs.get(ptr)
            if info is None:
                stats["unknown_tbs"] += 1
                continue
            if last is not None:
                s = account(*last)
                if s is not None:
                    yield s
            last = [cpu, info, info[1]]
        elif c == b"0" and inblock:
            # "0x40200044:  aa0003f3  mov      x19, x0"
            q = raw.split(None, 3)
            try:
                block.append(int(q[0][:-1], 16))
            except ValueError:
                continue
            block_last = q[2] if len(q) > 2 else b""
        elif c == b"-" and raw.startswith(b"----------------"):
            inblock = True
            block = []
        elif c == b"S" and raw.startswith(b"Stopped execution of TB chain before"):
            if last is not None:
                last[2] = 0
                stats["tb_not_started"] += 1
        elif c == b"c" and raw.startswith(b"cpu_io_recompile: rewound execution of TB to"):
            if last is not None:
                pc = int(raw.split()[-1], 16)
                done = (pc - last[1][0]) // 4
                if 0 <= done <= last[1][1]:
                    last[2] = done
                stats["tb_rewound_io"] += 1
    if last is not None:
        s = account(*last)
        if s is not None:
            yield s


def classify(s, syms, names):
    """(class, counter to charge): names = set of symbols the segment ran."""
    entry = s.entry
    waited = s.waits > 0
    post_names = names if not waited else {syms.sym(a) for a in s.post}
    if entry in (0x400, 0x600):
        kind = "sync"
    elif entry in (0x480, 0x680):
        kind = "irq"
    else:
        kind = f"vector+0x{entry:x}"
    if kind == "sync" and waited:
        if "on_vtimer" in post_names:
            return "vtimer", s.post
        if "on_wake" in post_names:
            return "ipi-receive", s.post
        return "wfi-wake", s.post
    if kind == "sync":
        if "vgic_sgi" in names:
            return ("ipi-send" if "sched_poke" in names or "arch_send_sgi" in names
                    else "sgi-self"), s.funcs
        if "vpsci_call" in names:
            return "psci", s.funcs
        if "smccc_dispatch" in names:
            return "hvc", s.funcs
        if "td_read" in names or "td_write" in names:
            return "mmio", s.funcs
        if "gicd_read" in names:
            return "vgic-reg", s.funcs
        if "gicd_write" in names or "gicr_read" in names or "gicr_write" in names:
            return "vgic-other", s.funcs
        if "uart_read" in names or "uart_write" in names:
            return "console", s.funcs
        if "vconsole_idle" in names:
            return "wfi-nowait", s.funcs
        return "sync-other", s.funcs
    if kind == "irq":
        if "on_vtimer" in names:
            return "vtimer", s.funcs
        if "on_wake" in names:
            return "ipi-receive", s.funcs
        if "on_maintenance" in names:
            return "maintenance", s.funcs
        if any(n.startswith("on_timer") for n in names):
            return "sched-tick", s.funcs
        return "irq-other", s.funcs
    return kind, s.funcs


# The benchmarks in the order the guest runs them, each starting at the first exit of this
# class (after the previous one started); "ipi" ends with its last ipi-receive.
PHASES = [("hvc", "hvc"), ("mmio", "mmio"), ("vgic-reg", "vgic-reg"), ("ipi", "ipi-send"),
          ("vtimer", "vtimer"), ("eoi", "sgi-self")]
OWN_PHASE = {"hvc": "hvc", "mmio": "mmio", "vgic-reg": "vgic-reg", "ipi-send": "ipi",
             "ipi-receive": "ipi", "vtimer": "vtimer", "sgi-self": "eoi", "wfi-sleep": "ipi"}


def phases(win):
    """{segment start: benchmark phase it ran in} (from the deterministic exit sequence)."""
    starts, i = [], 0
    for name, cls in PHASES:
        if name == "vtimer" and starts:  # after the ipi benchmark's last wake-up
            last = max((j for j in range(i, len(win)) if win[j][3] == "ipi-receive"), default=i)
            i = last
        j = next((j for j in range(i, len(win)) if win[j][3] == cls), None)
        if j is None:
            break
        starts.append((win[j][0], name))
        i = j
    res, k, cur = {}, 0, "init"
    for x in win:
        while k < len(starts) and x[0] >= starts[k][0]:
            cur = starts[k][1]
            k += 1
        res[x[0]] = cur
    return res


def median(v):
    v = sorted(v)
    return v[(len(v) - 1) // 2] if v else 0


def analyse(stream, base, syms, stats):
    vectors = syms.addr_of["vectors"]
    marks = {syms.addr_of[n]: n for n in MARKS if n in syms.addr_of}
    segs = []
    for s in parse_log(stream, base, vectors, stats, marks):
        names = {syms.sym(a) for a in s.funcs}
        cls, charge = classify(s, syms, names)
        segs.append((s.start, s.end, s.cpu, cls, charge, s.pre if s.waits else None, s.marks))
    stats["segments_total"] = len(segs)
    stats.update({"class_all_" + k: v for k, v in collections.Counter(x[3] for x in segs).items()})
    # The window: the first FTV hypercall .. the end of the last SGI-to-self exit.
    first = next((i for i, x in enumerate(segs) if x[3] == "hvc"), None)
    lastself = max((i for i, x in enumerate(segs) if x[3] == "sgi-self"), default=None)
    if first is None or lastself is None:
        die("the trace has no hypercall or no SGI-to-self exit: the run did not reach the eoi "
            f"benchmark (segments: {collections.Counter(x[3] for x in segs)})")
    lo, hi = segs[first][0], segs[lastself][1]
    win = sorted((x for x in segs if x[0] >= lo and x[1] <= hi), key=lambda x: x[0])
    stats["window_trace_lines"] = [lo, hi]
    phase_of = phases(win)
    classes = collections.defaultdict(list)
    for x in win:
        x = x + (phase_of[x[0]],)
        classes[x[3]].append(x)
        if x[5] is not None:
            classes["wfi-sleep"].append((x[0], x[1], x[2], "wfi-sleep", x[5], None, {}, x[7]))
    allpcs = {a for xs in classes.values() for x in xs for a in x[4]}
    syms.resolve_inline(allpcs)
    res = {}
    for cls, xs in classes.items():
        per = [sum(x[4].values()) for x in xs]
        tot = sum(per)
        fsym, finl, lines = collections.Counter(), collections.Counter(), collections.Counter()
        for x in xs:
            for a, k in x[4].items():
                fsym[syms.sym(a)] += k
                fn, loc, into = syms.inner(a)
                finl[fn + (f" [in {into}]" if into else "")] += k
                lines[loc + " " + fn] += k
        cpus = collections.Counter(x[2] for x in xs)
        bycpu = {str(c): median([p for x, p in zip(xs, per) if x[2] == c]) for c in sorted(cpus)}
        byphase = collections.defaultdict(list)
        for x, p in zip(xs, per):
            byphase[x[7]].append(p)
        res[cls] = {
            "by_benchmark": {ph: {"exits": len(v), "median": median(v)} for ph, v in byphase.items()},
            "median_by_cpu": bycpu,
            "values": [[v, n] for v, n in sorted(collections.Counter(per).items())][:20],
            "exits": len(xs), "median": median(per), "min": min(per), "max": max(per),
            "mean": round(tot / len(xs), 1), "total": tot, "cpus": dict(sorted(cpus.items())),
            "functions": [{"name": n, "insns": k, "share": round(k / tot, 4)}
                          for n, k in fsym.most_common()],
            "inline_functions": [{"name": n, "insns": k, "share": round(k / tot, 4)}
                                 for n, k in finl.most_common(15)],
            "lines": [{"line": n, "insns": k, "share": round(k / tot, 4)}
                      for n, k in lines.most_common(15)],
            "doc": CLASS_DOC.get(cls, ""),
        }
        if cls in GUEST_BENCH or cls == "sgi-self":
            for m in MARKS:
                before = [x[6][m] for x in xs if m in x[6]]
                if before:
                    res[cls]["median_before_" + m] = median(before)
            # The median exit's path, by symbol.
            own = [x for x in xs if x[7] == OWN_PHASE.get(cls)] or xs
            mid = sorted(own, key=lambda x: sum(x[4].values()))[(len(own) - 1) // 2]
            cnt = collections.Counter()
            for a, k in mid[4].items():
                cnt[syms.sym(a)] += k
            res[cls]["median_exit_functions"] = [{"name": n, "insns": k}
                                                 for n, k in cnt.most_common()]
    return res


def run_qemu(extra, timeout, log_pipe=False):
    """Boots the bench bundle with the TB log on (to QEMU's stderr, a pipe, if log_pipe).
    A thread reads the console and stops QEMU after the eoi benchmark's line."""
    cmd = bench_cmd()
    if "-kernel" not in cmd or cmd[cmd.index("-kernel") + 1] != BUNDLE:
        die(f"scripts/bench.py RUNS['ftvisor'] does not boot {BUNDLE}: {' '.join(cmd)}")
    cmd += ["-d", "exec,nochain,in_asm"] + extra
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE if log_pipe else subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, start_new_session=True, bufsize=1 << 20)
    console = []
    reason = {}

    def reader():
        t0 = time.monotonic()
        buf = b""
        fd = p.stdout.fileno()
        while True:
            if time.monotonic() - t0 > timeout:
                reason["why"] = f"timeout after {timeout} s"
                break
            r, _, _ = select.select([fd], [], [], 1.0)
            if not r:
                if p.poll() is not None:
                    break
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for l in lines:
                l = l.decode(errors="replace").rstrip("\r")
                console.append(l)
                if re.search(r"BENCH name=eoi\b", l):
                    reason["why"] = "eoi"
                if "FAIL" in l and "unexpected" in l:
                    reason["why"] = "failure: " + l
            if "why" in reason:
                break
        stop(p)

    th = threading.Thread(target=reader, daemon=True)
    th.start()
    return p, th, console, reason


def stop(p):
    """SIGTERM (QEMU flushes and closes its log), bounded wait, then SIGKILL."""
    if p.poll() is not None:
        return
    try:
        p.terminate()
        p.wait(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait(timeout=20)


def image_base(console):
    for l in console:
        m = re.search(r"image: (0x[0-9a-f]+)-", l)
        if m:
            return int(m.group(1), 16)
    die("no 'image: 0x...' banner line in the console output")


def image_base_wait(console, th, limit=60):
    """The load base, once the console thread has seen the banner (it comes long before any
    guest runs, so this does not wait in practice)."""
    t0 = time.monotonic()
    while True:
        for l in list(console):
            m = re.search(r"image: (0x[0-9a-f]+)-", l)
            if m:
                return int(m.group(1), 16)
        if not th.is_alive() or time.monotonic() - t0 > limit:
            die("no 'image: 0x...' banner line in the console output")
        time.sleep(0.05)


def guest_bench(console):
    res = {}
    for l in console:
        m = re.search(r"BENCH name=(\S+) (.*)", l)
        if m:
            res[m.group(1)] = {k: (int(v) if v.isdigit() else v)
                               for k, v in re.findall(r"(\w+)=(\S+)", m.group(2))}
    return res


def markdown(res, guest, stats, cmd):
    def order(c):
        return (CLASS_ORDER.index(c) if c in CLASS_ORDER else len(CLASS_ORDER), c)
    lines = ["# ftvisor exit profile", "",
             "Generated by `scripts/exitprofile.py` from QEMU's TB execution log of the `make bench` "
             "ftvisor run (`-icount shift=0,sleep=off`: 1 instruction = 1 ns; 1 tick of the 62.5 MHz "
             "counter = 16 instructions). Counts are hypervisor (EL2) instructions per exit, from "
             "the lower-EL vector to the eret into the guest; each instruction is charged to the "
             "function (ELF symbol) its PC falls in, nothing inclusive. For exits that wait in WFI "
             "only the instructions after the wake-up count (class wfi-sleep holds the part before).",
             "",
             "| class | exits | median insns | min | max | in its benchmark: exits, median | "
             "guest-measured median | top 1 | top 2 | top 3 |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for c in sorted(res, key=order):
        r = res[c]
        g = "-"
        gb = GUEST_BENCH.get(c)
        if gb and isinstance(guest.get(gb, {}).get("median"), int):
            t = guest[gb]["median"]
            g = f"{gb} {t} ticks = {t * TICK}" + (" (whole path)" if gb == "ipi" else "")
        tops = [f"{f['name']} {f['insns']} ({f['share'] * 100:.0f}%)" for f in r["functions"][:3]]
        tops += ["-"] * (3 - len(tops))
        own = r["by_benchmark"].get(OWN_PHASE.get(c, ""), None)
        own = f"{OWN_PHASE[c]}: {own['exits']}, {own['median']}" if own else "-"
        lines.append(f"| {c} | {r['exits']} | {r['median']} | {r['min']} | {r['max']} | {own} | "
                     f"{g} | " + " | ".join(tops) + " |")
    lines += ["", "Top-3 functions count all exits of the class (total instructions, share of the "
              "class total); inlined code is charged to the symbol it is inlined into. The same "
              "with inlining resolved (DWARF, addr2line -i), and the median exit of the class in its own "
              "benchmark:", "",
              "| class | top 1 (inline-aware) | top 2 | top 3 | median exit by symbol |",
              "| --- | --- | --- | --- | --- |"]
    for c in sorted(res, key=order):
        r = res[c]
        if c not in CLASS_ORDER[:8]:
            continue
        tops = [f"{f['name']} {f['share'] * 100:.0f}%" for f in r["inline_functions"][:3]]
        tops += ["-"] * (3 - len(tops))
        med = ", ".join(f"{f['name']} {f['insns']}" for f in r.get("median_exit_functions", [])[:8])
        lines.append(f"| {c} | " + " | ".join(tops) + f" | {med or '-'} |")
    ipi = {c: res.get(c, {}).get("by_benchmark", {}).get("ipi", {}).get("median")
           for c in ("ipi-send", "wfi-sleep", "ipi-receive")}
    if all(ipi.values()) and isinstance(guest.get("ipi", {}).get("median"), int):
        t = guest["ipi"]["median"] * TICK
        pre = res["ipi-send"].get("median_before_arch_send_sgi", 0)
        tot = sum(ipi.values())
        lines += ["", f"ipi (guest: {t} instructions) under QEMU's round robin: the target CPU runs "
                  f"only once the sender sleeps, so the figure is the whole send exit "
                  f"({ipi['ipi-send']}, of which {pre} before arch_send_sgi) + the sender's WFI until "
                  f"it sleeps ({ipi['wfi-sleep']}) + the target's wake-up path "
                  f"({ipi['ipi-receive']}) = {tot} EL2 instructions, {t - tot} left for the guest's "
                  f"own code on both sides. On parallel hardware the EL2 part of the latency would "
                  f"be about {pre} + {ipi['ipi-receive']} = {pre + ipi['ipi-receive']}."]
    lines += ["", "Classes:"] + [f"- {c}: {CLASS_DOC[c]}" for c in CLASS_ORDER if c in res]
    lines += ["", f"Trace: {stats.get('el2_insns', 0)} EL2 and {stats.get('guest_insns', 0)} guest "
              f"instructions in the whole log (up to QEMU's stop, so not constant); {stats.get('tb_not_started', 0)} TBs not started, "
              f"{stats.get('tb_rewound_io', 0)} rewound at an I/O access (both corrected); "
              f"{stats.get('unknown_tbs', 0)} TB executions without their instructions. "
              f"QEMU: `{cmd}`"]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", action="store_true", help="run `make -j2 bundles` first")
    ap.add_argument("--keep-log", metavar="FILE", help="write QEMU's log to FILE and keep it")
    ap.add_argument("--from-log", metavar="FILE", help="analyse a kept log instead of running QEMU")
    ap.add_argument("--console", metavar="FILE", help="with --from-log: the run's console output")
    ap.add_argument("--out", default=OUT, help="output directory (bench/results)")
    args = ap.parse_args()
    os.chdir(ROOT)
    if args.build:
        subprocess.run(["make", "-j2", "bundles"], check=True, stdout=subprocess.DEVNULL)
    check_build()
    syms = Symbols(os.path.join(ROOT, ELF))
    stats = collections.Counter()
    t0 = time.monotonic()
    cmd = " ".join(bench_cmd()) + " -d exec,nochain,in_asm" + \
        (f" -D {args.keep_log}" if args.keep_log or args.from_log else " (log on stderr)")
    if args.from_log:
        if not args.console:
            die("--from-log needs --console (for the load base and the guest's figures)")
        console = open(args.console, errors="replace").read().splitlines()
        with open(args.from_log, "rb", buffering=1 << 20) as f:
            res = analyse(f, image_base(console), syms, stats)
    else:
        if args.keep_log:
            p, th, console, reason = run_qemu(["-D", args.keep_log], TIMEOUT)
            th.join()
            stop(p)
            with open(args.keep_log + ".console", "w") as fc:
                fc.write("\n".join(console) + "\n")
            with open(args.keep_log, "rb", buffering=1 << 20) as f:
                res = analyse(f, image_base(console), syms, stats)
        else:
            # No -D: QEMU logs to its stderr, a pipe parsed while QEMU runs (nothing on disk).
            p, th, console, reason = run_qemu([], TIMEOUT, log_pipe=True)
            try:
                res = analyse(p.stderr, lambda: image_base_wait(console, th), syms, stats)
            finally:
                stop(p)
                th.join(timeout=30)
        if reason.get("why") != "eoi":
            print("exitprofile: warning: QEMU stopped for: " + reason.get("why", "its own exit"),
                  file=sys.stderr)
    guest = guest_bench(console)
    wall = time.monotonic() - t0
    out = {"date": time.strftime("%Y-%m-%d"), "qemu": cmd, "wall_s": round(wall, 1),
           "image_base": hex(image_base(console)), "guest_bench": guest,
           "trace": dict(stats), "classes": res, "instructions_per_tick": TICK}
    md = markdown(res, guest, stats, cmd)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "profile.json"), "w") as fo:
        json.dump(out, fo, indent=1, sort_keys=True)
    with open(os.path.join(args.out, "profile.md"), "w") as fo:
        fo.write(md + "\n")
    print(md)
    print(f"\nexitprofile: {wall:.0f} s wall; wrote {os.path.relpath(args.out, ROOT)}/profile.json "
          "and profile.md", file=sys.stderr)


if __name__ == "__main__":
    main()
