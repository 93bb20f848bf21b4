"""Timing for the benchmarks' Python peers."""
import time


def median(fn, repeats):
    """The median time of `repeats` calls of fn, after one untimed warm-up call."""
    fn()
    times = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]
