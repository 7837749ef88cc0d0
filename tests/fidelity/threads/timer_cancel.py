"""Timer: one fires after its interval, another is cancelled before it fires."""

import threading
import time


def ring(what):
    print(f"{what} rings")


def main():
    alarm = threading.Timer(0.5, ring, args=("alarm",))
    snooze = threading.Timer(0.8, ring, args=("snooze",))
    alarm.start()
    snooze.start()
    time.sleep(0.6)
    snooze.cancel()
    print("snooze cancelled")
    snooze.join()
    alarm.join()
    late = threading.Timer(0.3, ring, args=("late",))
    late.start()
    print("waiting for late")
    late.join()
