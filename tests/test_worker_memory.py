"""The bounded map the row-version caches keep in each worker: the least recently used entry goes first."""

from annotations.worker_memory import WorkerMemory


def test_the_least_recently_used_entry_goes_first():
    memory = WorkerMemory(2)
    memory.put("a", 1)
    memory.put("b", 2)
    assert memory.get("a") == 1  # now "b" is the least recently used
    memory.put("c", 3)
    assert len(memory) == 2
    assert memory.get("b") is None and memory.get("a") == 1 and memory.get("c") == 3


def test_putting_a_key_again_replaces_it_and_makes_it_recent():
    memory = WorkerMemory(2)
    memory.put("a", 1)
    memory.put("b", 2)
    memory.put("a", 10)
    memory.put("c", 3)
    assert memory.get("a") == 10 and memory.get("b", "gone") == "gone"
