"""Nanosecond clocks, read in the parent and compared in children (forked and spawned): time_ns, monotonic_ns,
perf_counter_ns."""

import multiprocessing as mp
import time


def child(kind, sent):
    time.sleep(1)
    wall = (time.time_ns() - sent["wall"]) / 1e9
    mono = (time.monotonic_ns() - sent["mono"]) / 1e9
    perf = (time.perf_counter_ns() - sent["perf"]) / 1e9
    print(f"{kind}: {wall:.0f} s, {mono:.0f} s, {perf:.0f} s since the parent's stamp")


def main():
    sent = {"wall": time.time_ns(), "mono": time.monotonic_ns(), "perf": time.perf_counter_ns()}
    for kind in ("fork", "spawn"):
        p = mp.get_context(kind).Process(target=child, args=(kind, sent))
        p.start()
        p.join()
    print(f"parent: {(time.monotonic_ns() - sent['mono']) / 1e9:.0f} s")
