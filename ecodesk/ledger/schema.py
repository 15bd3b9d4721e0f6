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
    # 3: returned files and the values they carry
    """
    CREATE TABLE submissions (
        id INTEGER PRIMARY KEY,
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        department TEXT NOT NULL DEFAULT '',
        sha256 TEXT NOT NULL,
        original_name TEXT NOT NULL,
        original_path TEXT NOT NULL,
        archived_path TEXT NOT NULL DEFAULT '',
        received_at TEXT NOT NULL,
        content_time TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        code TEXT NOT NULL DEFAULT '',
        message TEXT NOT NULL DEFAULT '',
        form_round TEXT NOT NULL DEFAULT '',
        issue_version INTEGER,
        matched_by TEXT NOT NULL DEFAULT '',
        needs_confirmation INTEGER NOT NULL DEFAULT 0,
        is_current INTEGER NOT NULL DEFAULT 0,
        forced INTEGER NOT NULL DEFAULT 0,
        values_hash TEXT NOT NULL DEFAULT '',
        problems TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX submissions_round_dept ON submissions(round_id, department);
    CREATE INDEX submissions_sha ON submissions(sha256);
    CREATE TABLE indicator_values (
        submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
        indicator_key TEXT NOT NULL,
        department TEXT NOT NULL,
        sheet TEXT NOT NULL,
        row INTEGER NOT NULL,
        current_cell TEXT NOT NULL,
        current_raw TEXT NOT NULL DEFAULT '',
        current_kind TEXT NOT NULL DEFAULT 'empty',
        current_number REAL,
        current_status TEXT,
        previous_cell TEXT NOT NULL DEFAULT '',
        previous_raw TEXT NOT NULL DEFAULT '',
        previous_number REAL,
        period TEXT NOT NULL DEFAULT '',
        target_cell TEXT NOT NULL DEFAULT '',
        target_raw TEXT NOT NULL DEFAULT '',
        target_number REAL,
        not_applicable INTEGER NOT NULL DEFAULT 0,
        source TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        evidence TEXT NOT NULL DEFAULT '',
        flags TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (submission_id, indicator_key)
    );
    CREATE TABLE task_reports (
        submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
        task_key TEXT NOT NULL,
        department TEXT NOT NULL,
        sheet TEXT NOT NULL,
        row INTEGER NOT NULL,
        status_cell TEXT NOT NULL DEFAULT '',
        status_raw TEXT NOT NULL DEFAULT '',
        status TEXT,
        progress TEXT NOT NULL DEFAULT '',
        problems TEXT NOT NULL DEFAULT '',
        plan TEXT NOT NULL DEFAULT '',
        flags TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (submission_id, task_key)
    );
    """,
    # 4: the clerk's decisions on verdicts
    """
    CREATE TABLE overrides (
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        indicator_key TEXT NOT NULL,
        verdict TEXT NOT NULL,
        original TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        PRIMARY KEY (round_id, indicator_key)
    );
    """,
    # 5: a round's period (年度 / 上半年 / 第N季度 / N月, see ecodesk.periods; '' = not stated) and
    #    an indicator's comparison period ('' = same period a year earlier, 'previous_round',
    #    'base:YYYY')
    """
    ALTER TABLE rounds ADD COLUMN period TEXT NOT NULL DEFAULT '';
    ALTER TABLE indicators ADD COLUMN comparison TEXT NOT NULL DEFAULT '';
    """,
    # 6: an override may carry the clerk's corrected 本期值
    """
    ALTER TABLE overrides ADD COLUMN value TEXT NOT NULL DEFAULT '';
    """,
    # 7: local targets' own values (a county's target beside the national one) and the clerk's
    #    edits of an indicator (name, unit, target text, tolerance …: original value and note)
    """
    ALTER TABLE indicators ADD COLUMN local_target_label TEXT NOT NULL DEFAULT '';
    ALTER TABLE indicators ADD COLUMN local_target_value REAL;
    ALTER TABLE indicators ADD COLUMN local_base_value REAL;
    ALTER TABLE indicators ADD COLUMN edits TEXT NOT NULL DEFAULT '{}';
    """,
    # 8: a round can be closed (no more intake until reopened) and renamed (former names kept,
    # so forms issued under an old name are still this round's)
    """
    ALTER TABLE rounds ADD COLUMN closed_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE rounds ADD COLUMN former_names TEXT NOT NULL DEFAULT '[]';
    """,
    # 9: saved mails returns came in (who sent them, when) and 佐证材料 beside the returns
    #    (see ecodesk.intake.evidence for the model)
    """
    CREATE TABLE mails (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        original_path TEXT NOT NULL,
        sender TEXT NOT NULL DEFAULT '',
        sender_name TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        sent_at TEXT NOT NULL DEFAULT '',
        received_at TEXT NOT NULL
    );
    ALTER TABLE submissions ADD COLUMN mail_id INTEGER REFERENCES mails(id);
    CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        department TEXT NOT NULL DEFAULT '',
        submission_id INTEGER REFERENCES submissions(id) ON DELETE SET NULL,
        sha256 TEXT NOT NULL,
        original_name TEXT NOT NULL,
        original_path TEXT NOT NULL,
        archived_path TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL,
        size INTEGER NOT NULL,
        linked_by TEXT NOT NULL DEFAULT '',
        mail_id INTEGER REFERENCES mails(id),
        received_at TEXT NOT NULL,
        UNIQUE (round_id, sha256)
    );
    CREATE INDEX evidence_submission ON evidence(submission_id);
    """,
    # 10: a value kept from an earlier file of the department when a partial return was merged
    #    with it (two 科室 each sending half the form): the file it came from
    """
    ALTER TABLE indicator_values ADD COLUMN from_submission INTEGER;
    ALTER TABLE task_reports ADD COLUMN from_submission INTEGER;
    """,
    # 11: each round's verdicts as last judged, under a fingerprint of their inputs (ecodesk.history)
    """
    CREATE TABLE verdict_snapshots (
        round_id INTEGER PRIMARY KEY REFERENCES rounds(id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        judged_at TEXT NOT NULL,
        verdicts TEXT NOT NULL
    );
    """,
    # 12: 佐证材料 linked to the indicator rows that name them (ecodesk.intake.evidence_links), and
    #     a file the clerk took out of a round's evidence (when, why)
    """
    ALTER TABLE evidence ADD COLUMN removed_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE evidence ADD COLUMN note TEXT NOT NULL DEFAULT '';
    CREATE TABLE evidence_links (
        id INTEGER PRIMARY KEY,
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        evidence_id INTEGER NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
        department TEXT NOT NULL,
        indicator_key TEXT NOT NULL,
        matched_by TEXT NOT NULL CHECK (matched_by IN ('exact', 'stem', 'close', 'clerk')),
        named TEXT NOT NULL DEFAULT '',
        confirmed INTEGER NOT NULL DEFAULT 1,
        status TEXT NOT NULL CHECK (status IN ('linked', 'replaced', 'removed')),
        note TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        UNIQUE (evidence_id, indicator_key)
    );
    CREATE INDEX evidence_links_round ON evidence_links(round_id, indicator_key);
    """,
    # 13: each round's part of the history frames as last built (ecodesk.history.blocks), under a key
    #     of everything they are built from (ecodesk.ledger.history_blocks)
    """
    CREATE TABLE history_blocks (
        round_id INTEGER PRIMARY KEY REFERENCES rounds(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        built_at TEXT NOT NULL,
        data BLOB NOT NULL
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
