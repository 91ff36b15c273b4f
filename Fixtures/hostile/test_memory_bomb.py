"""Allocates and touches memory until something stops it: the memory cgroup's OOM killer, or
(rlimits only) RLIMIT_DATA making the allocation fail with MemoryError."""

CHUNK = 32 * 1024 * 1024


def test_memory_bomb():
    hog = []
    while True:
        hog.append(b"\x01" * CHUNK)  # filled, so every page is really used
