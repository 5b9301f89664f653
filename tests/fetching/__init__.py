"""Tests of annotations.fetching: guard, transport, decoding, sniffing, statuses, TLS and extraction.

Every test runs inside the network safety net (conftest.py's autouse ``jail``) against real local servers
(servers.py).
"""
