# SPDX-License-Identifier: Apache-2.0
"""Talk to the ftvisor shell (`ftvisor>`) on a Qemu console: one command line at a time,
its reply separated from the VMs' console lines ("[name] ...") that interleave with it."""
import json
import re
import time

import pexpect

from qemu import ConsoleTimeout

PROMPT = "ftvisor> "
ESC = "\x1d"


class Shell:
    def __init__(self, q, timeout=30):
        self.q = q
        self.timeout = timeout
        q.wait_for(re.escape(PROMPT), 60)

    def _wait_prompt(self, mark, timeout):
        deadline = time.monotonic() + timeout
        while True:
            out = self.q.output()[mark:]
            i = out.find(PROMPT)
            if i >= 0:
                return out[:i]
            if time.monotonic() > deadline:
                raise ConsoleTimeout(f"{self.q.name}: no prompt {timeout}s after a shell command; "
                                     f"log {self.q.log_path}; output since:\n{out[-3000:]}")
            try:
                self.q.proc.expect([pexpect.TIMEOUT], timeout=0.1)
            except pexpect.EOF:
                raise ConsoleTimeout(f"{self.q.name}: QEMU exited; output since:\n{out[-3000:]}")

    def run(self, line, timeout=None):
        """Type a line, wait for the next prompt; return the reply's own lines (no echo, no
        VM output, no blank lines)."""
        mark = len(self.q.output())
        self.q.proc.send(line + "\r")
        raw = self._wait_prompt(mark, timeout or self.timeout)
        lines = [l.rstrip("\r") for l in raw.replace("\r\n", "\n").split("\n")]
        lines = [l for l in lines if l.strip() and not l.startswith("[")]
        # The echo of what was typed comes first, possibly cut into pieces by VM lines.
        echo = ""
        for k, l in enumerate(lines):
            echo += l
            if echo.strip() == line.strip():
                return lines[k + 1:]
            if not line.startswith(echo.lstrip()):
                break
        return lines

    def ok(self, line, timeout=None):
        """A command that must succeed: its 'ok: ...' line."""
        reply = self.run(line, timeout)
        oks = [l for l in reply if l.startswith("ok: ")]
        assert oks and not any(l.startswith("error: ") for l in reply), (line, reply)
        return oks[-1]

    def error(self, line, timeout=None):
        """A command that must fail with one error line."""
        reply = self.run(line, timeout)
        errs = [l for l in reply if l.startswith("error: ")]
        assert len(errs) == 1 and not any(l.startswith("ok: ") for l in reply), (line, reply)
        return errs[0]

    def json(self, line, timeout=None):
        reply = self.run(line + " --json", timeout)
        docs = [l for l in reply if l.startswith("{")]
        assert len(docs) == 1, (line, reply)
        return json.loads(docs[0])

    def vms(self):
        return {v["name"]: v for v in self.json("vm list")["vms"]}

    def console(self, vm_id):
        """Give the console input to VM vm_id (Ctrl-] N)."""
        mark = len(self.q.output())
        self.q.proc.send(ESC + str(vm_id))
        deadline = time.monotonic() + 10
        while f"console input goes to vm {vm_id} " not in self.q.output()[mark:]:
            assert time.monotonic() < deadline, "console switch not confirmed"
            self.q.proc.expect([pexpect.TIMEOUT], timeout=0.1)

    def back(self):
        """Back to the shell (Ctrl-] s)."""
        mark = len(self.q.output())
        self.q.proc.send(ESC + "s")
        self._wait_prompt(mark, 10)
