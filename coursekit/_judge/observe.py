"""Facts from outside the student's process: which threads and processes a run had, and what each one wrote.

Why: everything in a run's trace is written by the student's own process, and a determined student can write
any trace there (the kit's writer holds an open descriptor, and ``os.write`` raises no audit event).  What a
verdict rests on must therefore be checked against facts that process cannot make up.  The *observer* is a
process outside the run, the harness's parent (the run's init under the ``namespaces`` level, else a process
forked between the supervisor and the harness, before the run drops its uid); it traces the harness with
``ptrace`` and follows every thread and process the run makes (``PTRACE_O_TRACECLONE``/``FORK``/``VFORK``).
A seccomp filter, installed in the harness before any student code runs and inherited by everything it
starts, stops every write to descriptors 1 and 2 (``write``, ``pwrite64``, ``writev``, ``pwritev``,
``pwritev2``) for the observer, which reads the bytes from the writer's memory and notes which thread wrote
them before the write happens.  Every fact is appended to the observation file at once (a killed observer
leaves what it saw); the judge (``coursekit/_judge/corroborate.py``) checks the trace against it.

What the file holds (JSON lines; the first is ``{"observer": 1, "root": <pid>}``):
``{"task": tid, "process": pid, "parent": pid}`` for each new thread or process (a process's ``parent`` is the
process that made it), ``{"filter": true}`` once the harness confirmed its seccomp filter, ``{"w": tid, "fd": 1,
"d": text}`` for each write (cut at ``MAX_WRITE`` bytes), ``{"full": true}`` when ``MAX_BYTES`` were recorded
(later writes are not), ``{"end": code}`` when the harness ended (a record without it: the observer was killed
first), and ``{"why": text}`` when nothing could be observed (no ptrace here: facts then
come from the run alone, and ``results.json`` says so).

Linux on x86-64 only (the registers read at a stop, the filter's syscall numbers); elsewhere the observer says
why not.  Loaded by path by ``supervise.py``: it imports nothing of the kit.
"""

from __future__ import annotations

import ctypes
import json
import os
import struct
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

VERSION = 1
MAX_WRITE = 4096  # bytes of one write recorded (a line is compared on its first 500 characters)
MAX_BYTES = 32 * 1024 * 1024  # recorded over the whole run

PTRACE_CONT, PTRACE_GETREGS, PTRACE_GETEVENTMSG, PTRACE_SEIZE = 7, 12, 0x4201, 0x4206
O_TRACEFORK, O_TRACEVFORK, O_TRACECLONE, O_TRACEEXEC, O_TRACESECCOMP, O_EXITKILL = 2, 4, 8, 0x10, 0x80, 0x100000
EVENT_FORK, EVENT_VFORK, EVENT_CLONE, EVENT_EXEC, EVENT_SECCOMP, EVENT_STOP = 1, 2, 3, 4, 7, 128
WALL = 0x40000000
CLONE_THREAD = 0x00010000
PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 4, 38, 22, 2
SYS_CLONE, SYS_CLONE3 = 56, 435
WRITES = {1: "write", 18: "pwrite64", 20: "writev", 296: "pwritev", 328: "pwritev2"}  # x86-64 numbers
VECTORED = {20, 296, 328}
OBSERVED_FDS = (1, 2)
AUDIT_ARCH_X86_64 = 0xC000003E
X32_BIT = 0x40000000
RET_ALLOW, RET_TRACE, RET_ENOSYS = 0x7FFF0000, 0x7FF00000, 0x00050000 | 38


class _Regs(ctypes.Structure):  # struct user_regs_struct (x86-64)
    _fields_ = [(name, ctypes.c_ulong) for name in (
        "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi", "rdi",
        "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs")]


class _IOVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


def unavailable() -> str:
    """Why this machine cannot observe a run from outside ("" when it can try)."""
    if not sys.platform.startswith("linux"):
        return f"not Linux ({sys.platform})"
    if os.uname().machine != "x86_64":
        return f"not x86-64 ({os.uname().machine})"
    return ""


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
    libc.ptrace.restype = ctypes.c_long
    libc.process_vm_readv.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_void_p,
                                      ctypes.c_ulong, ctypes.c_ulong]
    libc.process_vm_readv.restype = ctypes.c_ssize_t
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    return libc


# -- the tracee's side: the filter that makes its writes visible ----------------------------------------------
def _filter_program() -> bytes:
    """The seccomp BPF program: stop for the tracer on every write to descriptor 1 or 2; refuse other ABIs (an
    i386 or x32 system call would go around the numbers below); allow everything else."""
    ld, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06
    code: list[tuple[int, int, int, int]] = []
    labels: dict[str, int] = {}
    jumps: list[tuple[int, str | None, str | None]] = []

    def op(c: int, k: int, jt: str | None = None, jf: str | None = None) -> None:
        if jt or jf:
            jumps.append((len(code), jt, jf))
        code.append((c, 0, 0, k))

    op(ld, 4)  # seccomp_data.arch
    op(jeq, AUDIT_ARCH_X86_64, None, "refuse")
    op(ld, 0)  # seccomp_data.nr
    op(jge, X32_BIT, "refuse", None)
    for nr in WRITES:
        op(jeq, nr, "fd", None)
    op(ret, RET_ALLOW)
    labels["fd"] = len(code)
    op(ld, 16)  # seccomp_data.args[0], its low 32 bits: the descriptor (the kernel reads an unsigned int)
    for fd in OBSERVED_FDS:
        op(jeq, fd, "trace", None)
    op(ret, RET_ALLOW)
    labels["trace"] = len(code)
    op(ret, RET_TRACE)
    labels["refuse"] = len(code)
    op(ret, RET_ENOSYS)
    for at, jt, jf in jumps:
        c, _, _, k = code[at]
        code[at] = (c, labels[jt] - at - 1 if jt else 0, labels[jf] - at - 1 if jf else 0, k)
    return b"".join(struct.pack("=HBBI", *ins) for ins in code)


def install_filter() -> None:
    """In the harness, before any student code: make every later write to descriptors 1 and 2, of this thread
    and of everything it starts, stop for the observer (it is tracing us already).  Raises ``OSError``."""
    libc = _libc()
    program = _filter_program()
    buffer = ctypes.create_string_buffer(program, len(program))

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = _Prog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"seccomp filter: {os.strerror(err)}")


# -- the observer's side -----------------------------------------------------------------------------------
class Observer:
    """Traces one harness and everything it starts; appends what it sees to ``path``."""

    def __init__(self, fd: int) -> None:
        self.fd = fd  # the observation file, opened by the supervisor's child before any namespace or new root
        self.libc = _libc()
        self.process: dict[int, int] = {}  # tid -> its process (thread group leader)
        self.unborn: set[int] = set()  # tids that stopped before their parent's clone event said who they are
        self.recorded = 0
        self.full = False

    def note(self, **fact: object) -> None:
        line = (json.dumps(fact, ensure_ascii=False) + "\n").encode("utf-8", "replace")
        try:
            os.write(self.fd, line)
        except OSError:
            pass

    def seize(self, pid: int) -> str:
        """Start tracing ``pid`` (a stopped-in-waiting child); "" or why it could not."""
        why = unavailable()
        if not why:
            try:
                self.libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # a run of our uid cannot open our descriptors
            except (AttributeError, OSError):
                pass
            options = O_TRACEFORK | O_TRACEVFORK | O_TRACECLONE | O_TRACEEXEC | O_TRACESECCOMP | O_EXITKILL
            if self.libc.ptrace(PTRACE_SEIZE, pid, None, ctypes.c_void_p(options)) != 0:
                err = ctypes.get_errno()
                why = f"ptrace: {os.strerror(err)}"
        self.note(observer=VERSION, root=pid, **({"why": why} if why else {}))
        if not why:
            self.process[pid] = pid
        return why

    def follow(self, leader: int, on_exit: Callable[[int, int], None] | None = None) -> int:
        """Serve the tracees' stops until ``leader`` ends; return its wait status.  ``on_exit(pid, status)``: a
        non-traced child of ours ended (init reaps orphans)."""
        while True:
            try:
                pid, status = os.waitpid(-1, WALL)
            except ChildProcessError:  # (cannot happen while the leader lives): as a failed run
                return 1 << 8
            except InterruptedError:
                continue
            if os.WIFEXITED(status) or os.WIFSIGNALED(status):
                self.process.pop(pid, None)
                if pid == leader:
                    return status
                if on_exit is not None:
                    on_exit(pid, status)
                continue
            if not os.WIFSTOPPED(status):
                continue
            event, sig = status >> 16, os.WSTOPSIG(status)
            inject = 0
            if event == EVENT_SECCOMP:
                self._write(pid)
            elif event in (EVENT_FORK, EVENT_VFORK, EVENT_CLONE):
                self._born(pid, event)
            elif event == EVENT_STOP:
                if pid not in self.process:  # a new task, before its maker's event: held until that comes
                    self.unborn.add(pid)
                    continue
            elif event == 0:
                inject = sig  # a signal on its way to the tracee: deliver it
            self._cont(pid, inject)

    def confirmed(self) -> None:
        self.note(filter=True)

    # -- the stops -------------------------------------------------------------------------------------------
    def _cont(self, pid: int, sig: int = 0) -> None:
        self.libc.ptrace(PTRACE_CONT, pid, None, ctypes.c_void_p(sig))

    def _regs(self, pid: int) -> _Regs | None:
        regs = _Regs()
        if self.libc.ptrace(PTRACE_GETREGS, pid, None, ctypes.byref(regs)) != 0:
            return None
        return regs

    def _read(self, pid: int, address: int, size: int) -> bytes:
        if size <= 0 or not address:
            return b""
        buffer = ctypes.create_string_buffer(size)
        local = _IOVec(ctypes.cast(buffer, ctypes.c_void_p), size)
        remote = _IOVec(address, size)
        got = self.libc.process_vm_readv(pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
        return buffer.raw[:got] if got > 0 else b""

    def _born(self, pid: int, event: int) -> None:
        message = ctypes.c_ulong()
        if self.libc.ptrace(PTRACE_GETEVENTMSG, pid, None, ctypes.byref(message)) != 0:
            return
        new = message.value
        maker = self.process.get(pid, pid)
        thread = False
        if event == EVENT_CLONE:
            regs = self._regs(pid)
            if regs is not None:
                flags = regs.rdi
                if regs.orig_rax == SYS_CLONE3:
                    raw = self._read(pid, regs.rdi, 8)
                    flags = struct.unpack("=Q", raw)[0] if len(raw) == 8 else 0
                thread = bool(flags & CLONE_THREAD)
        self.process[new] = maker if thread else new
        self.note(task=new, process=self.process[new], parent=maker)
        if new in self.unborn:
            self.unborn.discard(new)
            self._cont(new)

    def _write(self, pid: int) -> None:
        regs = self._regs(pid)
        if regs is None or self.full:
            return
        nr, fd = regs.orig_rax, regs.rdi & 0xFFFFFFFF
        if nr in VECTORED:
            count = min(int(regs.rdx), 64)
            table = self._read(pid, regs.rsi, 16 * count)
            data = b""
            for i in range(len(table) // 16):
                base, size = struct.unpack_from("=QQ", table, 16 * i)
                data += self._read(pid, base, min(size, MAX_WRITE - len(data)))
                if len(data) >= MAX_WRITE:
                    break
        else:
            data = self._read(pid, regs.rsi, min(int(regs.rdx), MAX_WRITE))
        self.recorded += len(data)
        if self.recorded > MAX_BYTES:
            self.full = True
            self.note(full=True)
            return
        self.note(w=pid, fd=fd, d=data.decode("utf-8", "replace"))
