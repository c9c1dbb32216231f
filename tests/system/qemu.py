# SPDX-License-Identifier: Apache-2.0
"""Drive ftvisor in QEMU over its serial console (pexpect), with every wait bounded.

A Qemu object owns one QEMU process started through scripts/run-qemu.sh (the command line
`make run` uses). Its whole console output is logged to build/systest-logs/<name>.log, and
close() always kills the process, so a hung guest or hypervisor never outlives its test.
"""
import os
import re
import time

import pexpect

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LOG_DIR = os.path.join(ROOT, "build", "systest-logs")


class ConsoleTimeout(AssertionError):
    pass


class Qemu:
    def __init__(self, name, smp=4, mem="2G", cpu="cortex-a72", append="", machine=None,
                 extra="", image=None):
        os.makedirs(LOG_DIR, exist_ok=True)
        env = dict(os.environ, SMP=str(smp), MEM=mem, CPU=cpu, APPEND=append, QEMU_EXTRA=extra)
        if machine:
            env["MACHINE"] = machine
        if image:
            env["IMAGE"] = image
        self.name = name
        self.log_path = os.path.join(LOG_DIR, re.sub(r"[^\w.-]", "_", name) + ".log")
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.started = time.monotonic()
        self.proc = pexpect.spawn(os.path.join(ROOT, "scripts", "run-qemu.sh"), env=env,
                                  cwd=ROOT, encoding="utf-8", codec_errors="replace",
                                  timeout=30)
        self.proc.logfile_read = self._log

    def expect(self, pattern, timeout=30):
        """Wait for a regex; return the match. On timeout or exit, fail with the output tail.

        Patterns are compiled here because pexpect would add re.DOTALL to a string pattern,
        letting ".*" run across lines.
        """
        if isinstance(pattern, str):
            pattern = re.compile(pattern)
        try:
            self.proc.expect(pattern, timeout=timeout)
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            what = "timed out" if isinstance(e, pexpect.TIMEOUT) else "QEMU exited"
            tail = (self.proc.before or "")[-3000:]
            raise ConsoleTimeout(f"{self.name}: {what} after {timeout}s waiting for "
                                 f"{pattern.pattern!r}; log {self.log_path}; last output:\n{tail}")
        return self.proc.match

    def wait_for(self, pattern, timeout=30, since=0):
        """Wait until the output so far (from offset since on) matches a regex, wherever and
        whenever the line appeared (for output of concurrent VMs, whose order is not fixed)."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.output()[since:])
            if m:
                return m
            if time.monotonic() > deadline:
                raise ConsoleTimeout(f"{self.name}: timed out after {timeout}s waiting for "
                                     f"{pattern!r}; log {self.log_path}; last output:\n"
                                     f"{self.output()[-3000:]}")
            try:
                self.proc.expect([pexpect.TIMEOUT], timeout=0.2)  # let output accumulate
            except pexpect.EOF:
                raise ConsoleTimeout(f"{self.name}: QEMU exited waiting for {pattern!r}; log "
                                     f"{self.log_path}; last output:\n{self.output()[-3000:]}")

    def expect_all(self, patterns, timeout=30):
        """Wait for every regex, in order; return the matches."""
        return [self.expect(p, timeout) for p in patterns]

    def elapsed(self):
        return time.monotonic() - self.started

    def output(self):
        self._log.flush()
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def close(self):
        if self.proc.isalive():
            self.proc.terminate(force=True)
        self.proc.close(force=True)
        self._log.close()
