#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    # Zero-setup: without DATABASE_URL, start (or reuse) the embedded PostgreSQL under .data/.
    from factcheck.embedded import ensure_database_url

    ensure_database_url()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
