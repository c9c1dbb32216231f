# SPDX-License-Identifier: Apache-2.0
import os
import subprocess

import pytest

from qemu import ROOT, Qemu


@pytest.fixture(scope="session", autouse=True)
def built_image():
    """The tests boot build/ftvisor.bin: make sure it is current."""
    subprocess.run(["make", "-s", "all", "bundles"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "build", "ftvisor.bin")


@pytest.fixture
def qemu(request):
    """qemu(**kwargs) starts a QEMU; every one is killed when the test ends, pass or fail."""
    started = []

    def start(**kwargs):
        q = Qemu(f"{request.node.name}-{len(started)}", **kwargs)
        started.append(q)
        return q

    yield start
    for q in started:
        q.close()
