"""Every clock of the time module, the ns variants and clock_gettime() by id, measure the same sleeps."""

import threading
import time


def main():
    clocks = {"time": time.time, "monotonic": time.monotonic, "perf_counter": time.perf_counter,
              "time_ns": time.time_ns, "monotonic_ns": time.monotonic_ns, "perf_counter_ns": time.perf_counter_ns,
              "clock_gettime(CLOCK_MONOTONIC)": lambda: time.clock_gettime(time.CLOCK_MONOTONIC),
              "clock_gettime_ns(CLOCK_REALTIME)": lambda: time.clock_gettime_ns(time.CLOCK_REALTIME)}
    before = {name: fn() for name, fn in clocks.items()}
    t = threading.Thread(target=time.sleep, args=(0.4,))
    t.start()
    time.sleep(0.2)
    t.join()
    for name, fn in clocks.items():
        elapsed = fn() - before[name]
        if "_ns" in name:
            elapsed /= 1e9
        print(f"{name}: {elapsed:.1f} s")
    print("process_time is CPU time:", time.process_time() < 0.3)
    print("clock info:", time.get_clock_info("monotonic").monotonic)
