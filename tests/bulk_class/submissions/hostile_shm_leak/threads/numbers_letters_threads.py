"""Class 4 (runs share the machine): leaves POSIX shared memory behind (multiprocessing.shared_memory, taken
away from the resource tracker so that nothing unlinks it) and a file in /dev/shm, and prints whatever an
earlier run left there: a message to the next student.  Nothing here is refused by the guard (/dev/shm is
writable); the operating system must keep it to this run."""
import os
from multiprocessing import resource_tracker, shared_memory


def main():
    left = sorted(n for n in os.listdir("/dev/shm") if n.startswith("coursekit_hostile"))
    print("found:", left)
    try:
        shm = shared_memory.SharedMemory(name="coursekit_hostile_shm", create=True, size=1 << 20)
        shm.buf[:5] = b"hello"
        resource_tracker.unregister(shm._name, "shared_memory")
    except (OSError, FileExistsError) as exc:
        print("shm:", type(exc).__name__)
    with open("/dev/shm/coursekit_hostile_note", "w") as f:
        f.write("a message for the next student")
