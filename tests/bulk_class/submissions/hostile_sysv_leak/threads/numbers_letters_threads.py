"""Class 4 (runs share the machine): creates System V shared memory and a message queue with ctypes (shmget,
msgget), leaves a message in them for the next student and never removes them, and prints what an earlier run
left under the same key.  The guard refuses the ctypes lookups; tests/test_isolation.py makes the same attack
with no guard at all, at the operating system's level."""
import ctypes

KEY = 0x5C0FFEE


def main():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.shmat.restype = ctypes.c_void_p
        earlier = libc.shmget(KEY, 0, 0)
        if earlier >= 0:
            print("found:", ctypes.string_at(libc.shmat(earlier, None, 0), 30))
        shmid = libc.shmget(KEY, 1 << 20, 0o1666)
        addr = libc.shmat(shmid, None, 0)
        ctypes.memmove(addr, b"a message for the next student", 30)
        libc.msgget(KEY + 1, 0o1666)
    except (OSError, AttributeError) as exc:
        print("refused:", exc)
