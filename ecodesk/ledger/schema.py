"""Ledger schema and migrations. ``PRAGMA user_version`` holds the schema version.

Add a migration by appending SQL to ``MIGRATIONS``; never edit one that has shipped.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: settings, catalogue, rounds
    """
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE departments (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        contact TEXT NOT NULL DEFAULT '',
        sort INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE department_aliases (
        alias TEXT PRIMARY KEY,
        department_id INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE
    );
    CREATE TABLE indicators (
        key TEXT PRIMARY KEY,
        sort INTEGER NOT NULL,
        domain TEXT NOT NULL DEFAULT '',
        task TEXT NOT NULL DEFAULT '',
        number TEXT NOT NULL,
        grp TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL,
        unit TEXT NOT NULL DEFAULT '',
        target_text TEXT NOT NULL DEFAULT '',
        reference INTEGER NOT NULL DEFAULT 0,
        applicability_mark INTEGER NOT NULL DEFAULT 0,
        better TEXT,
        tolerance REAL NOT NULL DEFAULT 0,
        local_target_text TEXT NOT NULL DEFAULT '',
        evidence TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE indicator_assignments (
        indicator_key TEXT NOT NULL REFERENCES indicators(key) ON DELETE CASCADE,
        department_id INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('lead', 'co')),
        note TEXT NOT NULL DEFAULT '',
        sort INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (indicator_key, department_id)
    );
    CREATE TABLE tasks (
        key TEXT PRIMARY KEY,
        sort INTEGER NOT NULL,
        number TEXT NOT NULL,
        title TEXT NOT NULL,
        requirements TEXT NOT NULL DEFAULT '',
        action_group TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE task_assignments (
        task_key TEXT NOT NULL REFERENCES tasks(key) ON DELETE CASCADE,
        department_id INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('lead', 'co')),
        note TEXT NOT NULL DEFAULT '',
        sort INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (task_key, department_id)
    );
    CREATE TABLE rounds (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        deadline TEXT NOT NULL,
        created_at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
    );
    """,
    # 2: fill-in workbooks issued per round and department (versions are kept)
    """
    CREATE TABLE issued_forms (
        id INTEGER PRIMARY KEY,
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        department TEXT NOT NULL,
        version INTEGER NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        generated_at TEXT NOT NULL,
        indicator_count INTEGER NOT NULL,
        task_count INTEGER NOT NULL,
        UNIQUE (round_id, department, version)
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
