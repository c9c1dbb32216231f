# SPDX-License-Identifier: Apache-2.0
"""`make bench` is not part of `make test` (it takes minutes), but what it reads and writes is:
the guest's console lines (BENCH, SAMPLES, WORK, boot times) parsed by scripts/bench.py, the
histogram buckets, and the PNG it draws. A change to the guest's output format or to the
parser breaks these tests instead of a benchmark run nobody looks at."""
import importlib.util
import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

CONSOLE = """\
ftvisor: boot took 3197 us of counter time (banner at 1399 us)
ftvisor: vm 'bench' started at 3191 us
ftvisor: vm 'bench' entered at 3200 us (its first instruction)
[bench] BENCH-START cntvct=3253
[bench] BENCH name=hvc unit=ticks freq=62500000 n=5 min=14 median=14 p99=15 max=28 mean=14
[bench] SAMPLES name=hvc 14*3,15
[bench] SAMPLES name=hvc 28
[bench] BENCH name=mmio skipped=no-hypervisor
[bench] @5123us BENCH name=ipi unit=ticks freq=62500000 n=2 min=31 median=31 p99=32 max=32 mean=31
[bench] @5124us SAMPLES name=ipi 31,32
[bench] WORK name=sort ticks=28872483 checksum=0xedac2a2ee4ffbae7
[bench] BENCH-DONE
"""


def test_parse_console():
    r = bench.parse(CONSOLE)
    assert r["boot"] == {"ready_us": 3197, "banner_us": 1399, "vm_bench_start_us": 3191,
                         "vm_bench_first_instruction_us": 3200}
    assert r["bench"]["hvc"]["median"] == 14 and r["bench"]["hvc"]["n"] == 5
    assert r["bench"]["mmio"] == {"skipped": "no-hypervisor"}
    assert r["bench"]["ipi"]["max"] == 32  # console stamps (@...us) are not part of the line
    assert r["work"]["sort"] == {"ticks": 28872483, "checksum": "0xedac2a2ee4ffbae7"}
    h = r["hist"]["hvc"]
    assert h["n"] == 5  # two SAMPLES lines of one benchmark add up
    assert dict(zip(h["edges"], h["counts"]))[14] == 3
    assert sum(h["counts"]) == 5
    assert r["hist"]["ipi"]["n"] == 2


def test_histogram_buckets():
    # one bucket per tick up to 100: neighbours stay apart
    h = bench.histogram({31: 4, 32: 1})
    assert h == {"edges": [31, 32, 33], "counts": [4, 1]}
    # above 100, about 100 buckets a decade: 938 and 940 share one, 938 and 1000 do not
    h = bench.histogram({938: 1, 940: 1, 1000: 1})
    edges, counts = h["edges"], h["counts"]
    assert sum(counts) == 3 and counts[0] == 2 and counts[-1] == 1
    assert all(b > a for a, b in zip(edges, edges[1:]))
    assert bench.histogram({}) == {"edges": [], "counts": []}


def read_png(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(data):
        n, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + n]
        assert struct.unpack(">I", data[at + 8 + n:at + 12 + n])[0] == zlib.crc32(kind + body)
        chunks.setdefault(kind, b"")
        chunks[kind] += body
        at += 12 + n
    w, h, depth, ctype = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, ctype) == (8, 2)  # RGB, 8 bits
    raw = zlib.decompress(chunks[b"IDAT"])
    assert len(raw) == h * (1 + 3 * w)
    return w, h, raw


def test_png_histograms(tmp_path):
    ftv = bench.parse(CONSOLE)
    kvm = bench.parse(CONSOLE.replace("SAMPLES name=hvc 14*3,15", "SAMPLES name=hvc 93*4"))
    out = tmp_path / "h.png"
    bench.png(out, {"ftvisor": ftv, "kvm": kvm}, "test")
    w, h, raw = read_png(out)
    assert w == 1200 and h > 300
    # both runs' bars are drawn in their colours (not only the legend: count the pixels)
    for run in ("ftvisor", "kvm"):
        assert raw.count(bytes(bench.RUN_COLORS[run])) > 14 * 14 + 50, run
    assert bytes(bench.RUN_COLORS["native"]) not in raw
