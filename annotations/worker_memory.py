"""A bounded, thread-safe map of recently used entries, kept in one worker process.

The caches of rendered pages and documents keyed by row versions (public_cache, views/reader, api/representation)
hold entries that never go stale, so all they need is a size bound: the least recently used entry goes first.
Django's local-memory cache would pickle every value on each read and write, which costs more than the rendering
these caches save for the API's documents.
"""

import threading
from collections import OrderedDict


class WorkerMemory:
    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()  # gthread workers share a process

    def get(self, key, default=None):
        with self._lock:
            value = self._entries.get(key, default)
            if key in self._entries:
                self._entries.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
