"""Class 4 (filling the disk): writes files of 1 MiB into its own folder and /dev/shm (the places the guard
lets it write) until the system refuses, at most 256 MiB, so that the reference or the next student would find
no room.  Prints nothing the exercise expects."""
import os


def main():
    total = 0
    for folder in (".", "/dev/shm"):
        for i in range(128):
            try:
                with open(os.path.join(folder, f"coursekit_hostile_fill{i}"), "wb") as f:
                    f.write(b"x" * (1 << 20))
                total += 1
            except OSError as exc:
                print(folder, "refused after", i, "MiB:", exc.strerror)
                break
    print("wrote", total, "MiB")
