# SPDX-License-Identifier: Apache-2.0
"""A bundle built for the Phytium Pi, booted on QEMU virt: refused cleanly, not run.

ftvisor-mkimage checks a configuration against the board tree given with --board; the
hypervisor checks the bundle again against the machine it wakes up on (vm.c
vm_bundle_check_machine), before creating any VM. Here the board is the Phytium Pi
(E2000Q: FTC310 at MPIDR 0x200/0x201, FTC664 at 0x0/0x100) and the machine is QEMU virt
(MPIDR 0-3): each CPU QEMU lacks is named with its VM, then one summary line, and the
hypervisor still reaches its shell with no VM, neither hanging nor crashing.
"""
import os
import re
import subprocess

from qemu import ROOT
from shell import Shell

BOARD = os.path.join(ROOT, "tests", "data", "dtb", "phytiumpi_firefly-linux6.6.dtb")
CONFIG = os.path.join(ROOT, "tests", "data", "phytium-pi", "wrong-board.dts")
TIMEOUT = 60


def build_phytium_pi_image():
    out = os.path.join(ROOT, "build", "ftvisor-phytium-pi-test.bin")
    subprocess.run(["make", "-s", "build/tools/ftvisor-mkimage", "guests"], cwd=ROOT, check=True)
    r = subprocess.run([os.path.join(ROOT, "build", "tools", "ftvisor-mkimage"),
                        "--hypervisor", os.path.join(ROOT, "build", "ftvisor.bin"),
                        "--config", CONFIG, "--board", BOARD, "-o", out],
                       cwd=ROOT, check=True, capture_output=True, text=True)
    # The tool accepted it: for the board it was built for, it is a good bundle.
    assert re.search(r"cpus 0x200,0x201 ", r.stdout), r.stdout
    return out


def test_phytium_pi_bundle_on_qemu_virt(qemu):
    image = build_phytium_pi_image()
    q = qemu(image=image)
    machine = "0x0, 0x1, 0x2, 0x3"
    missing = [("little", 0x200, 0), ("little", 0x201, 1), ("big", 0x100, 1),
               ("all", 0x200, 0), ("all", 0x201, 1), ("all", 0x100, 3)]
    for vm, mpidr, vcpu in missing:
        q.expect(rf"ftvisor: vm '{vm}': CPU {mpidr:#x} \(vCPU {vcpu}\) is not in this machine, "
                 rf"which has CPUs {machine}\r", TIMEOUT)
    q.expect(r"ftvisor: this bundle does not fit this machine: 6 problems; no VMs started\r",
             TIMEOUT)
    q.expect(r"ftvisor: ready \(self-tests passed; 0 VMs\)", TIMEOUT)
    sh = Shell(q)
    out = q.output()
    # Nothing was created, loaded or started; CPU 0x0, which QEMU has too, was not a problem.
    assert not re.search(r"^vm \d+ '|vms: \d+ in the boot bundle|\[little\]|\[big\]|"
                         r"CPU 0x0 \(", out, re.M), out
    assert "panic" not in out.lower() and "exception" not in out.lower()
    # The shell works and has no VM and no template from the refused bundle.
    reply = sh.run("vm list")
    assert not any(re.search(r"\b(little|big|all)\b", l) for l in reply), reply
    reply = sh.run("vm create all")
    assert any(l.startswith("error: ") for l in reply), reply


def test_phytium_pi_demo_image_on_qemu_virt(qemu):
    """The real board image (`make boards`: configs/phytium-pi/demo.dts checked against the
    Phytium Pi tree) goes as far as QEMU allows: its FTC310/FTC664 CPUs are named missing."""
    image = os.path.join(ROOT, "build", "boards", "phytium-pi-demo.bin")
    if not os.path.exists(image):
        subprocess.run(["make", "-s", "boards"], cwd=ROOT, check=True)
    q = qemu(image=image)
    q.expect(r"ftvisor: vm 'linux': CPU 0x100 \(vCPU 1\) is not in this machine", TIMEOUT)
    q.expect(r"ftvisor: vm 'rt': CPU 0x201 \(vCPU 0\) is not in this machine", TIMEOUT)
    q.expect(r"ftvisor: this bundle does not fit this machine: 2 problems; no VMs started",
             TIMEOUT)
    sh = Shell(q)
    assert sh.json("status")["vms"] == 0
