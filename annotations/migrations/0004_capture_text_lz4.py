"""Compress captured text with lz4 instead of pglz where the server supports it (PostgreSQL 14+ built with lz4).

A capture's extracted text is typically 10-200 KB and is written once per capture: with pglz the server spent
about 4 ms of CPU compressing 100 KB, with lz4 under 1 ms (bench/fetch.py), for a slightly larger TOAST table.
Existing values keep their compression until they are rewritten. Without lz4 support this does nothing. A pg_dump
of a database where it applied says SET COMPRESSION lz4: to restore it on a server without lz4, dump with
--no-toast-compression.
"""

from django.db import migrations


def _lz4_available(cursor) -> bool:
    cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
    row = cursor.fetchone()
    return bool(row and row[0])


def _set_compression(method):
    def run(apps, schema_editor):
        table = schema_editor.quote_name(apps.get_model("annotations", "Capture")._meta.db_table)
        with schema_editor.connection.cursor() as cursor:
            if _lz4_available(cursor):
                cursor.execute(f"ALTER TABLE {table} ALTER COLUMN text SET COMPRESSION {method}")

    return run


class Migration(migrations.Migration):
    dependencies = [("annotations", "0003_capture_pipeline_and_checks")]

    operations = [migrations.RunPython(_set_compression("lz4"), _set_compression("default"))]
