"""The indexes of the staff search over requests (SPEC T7; the search that reads them is
support/request_search.py): the words of a request's title and description, and of each of its
posts (internal notes included: it is the staff's search), kept however a row is written.

Case and accents do not matter, as everywhere in Frontdesk: the text is indexed with the
letters that case folding and accent removal leave apart made one (`LETTERS`, the ones
`lib.search.fold` joins), and the query is folded by `fold` itself.

- SQLite: an FTS5 table per searched table, without content of its own (the text is not
  stored twice), tokenized by `unicode61` with its accents removed, keeping no positions (a
  search has no phrases), with the starts of two and three letters indexed as words of their
  own (a search for "th" would otherwise merge the lists of every word starting so: 40 ms at
  100k requests, 0.4 ms with them). Triggers index a row when it is inserted, take it out
  when it is deleted, and index it again when its text changes, however it is written.
  `ensure` creates what is missing and indexes every row again if a trigger was missing
  (SQLite drops a table's triggers when a migration rebuilds the table); it runs in the
  migration that adds the search and after every `migrate` (SupportConfig.ready).
- PostgreSQL: a table of words per searched table (`WORD_TABLES`: word, organization, the
  row's id, and a post's request), the words being the lexemes of `to_tsvector` under a text
  search configuration of our own, `frontdesk_search`: `simple` (no stemming, no stop words,
  as on SQLite) after `unaccent` (migration 0008). Triggers keep them however a row is
  written, and a TRUNCATE of the table empties them (migration 0014: `pg_word_statements`).
  The primary key holds an organization's rows of a word in order, so a word's newest rows
  are read from it no further than the page, as FTS5 reads them (request_search._pg_found).
  The GIN indexes this replaced gave a word's rows in no order: every match was read, then
  sorted (the bench's rare word, in 0.5% of the requests, 0.4 ms of the database's time at
  100k requests and 9 ms at 1M; a word in most requests 100 ms at 100k). Now 0.08 ms at
  both, and 0.75 ms. A bulk load fills the tables after it (`made_after`).
"""

# The SQL here is put together from the names and expressions below, never from input.
# ruff: noqa: S608

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper

from frontdesk.lib import fts

# Letters that neither SQLite's unicode61 nor PostgreSQL's unaccent bring to the one people
# type for them (lib.search._SAME_LETTER), with their capitals (SQLite folds the case after).
LETTERS = {
    "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ħ": "h", "Ħ": "h",
    "ي": "ی", "ى": "ی", "ك": "ک", "ە": "ه", "ۀ": "ه", "ة": "ه",
}

# On SQLite: the lengths of the starts of words indexed as words of their own (a query's longer
# words are looked up first: request_search._sqlite_words).
PREFIXES = (2, 3)

# table -> (its FTS5 table on SQLite, the text searched as SQL of the row's columns)
SEARCHED = {
    "support_task": ("support_task_fts", "{row}title || ' ' || {row}description"),
    "support_post": ("support_post_fts", "{row}body"),
}
# On PostgreSQL, the GIN index of each table's words (migration 0008, dropped by 0014), and the
# table of its words (migration 0014: `pg_word_statements`) with the column of the row's id.
PG_INDEXES = {"support_task": "task_search", "support_post": "post_search"}
WORD_TABLES = {"support_task": ("support_task_word", "task_id"),
               "support_post": ("support_post_word", "post_id")}
# A session with this setting on writes rows the triggers leave to `made_after`.
PG_LOADING = "frontdesk.search_made_after"
PG_CONFIG = "frontdesk_search"


def _sqlite_folded(text: str) -> str:
    for letter, same in LETTERS.items():
        text = f"replace({text}, '{letter}', '{same}')"
    return text


def pg_tsvector(text: str) -> str:
    """The `tsvector` of the SQL `text` under `PG_CONFIG`, with `LETTERS` made one: of a row's
    columns here, of the query's parameter in the search (request_search._pg_found)."""
    source, target = "".join(LETTERS), "".join(LETTERS.values())
    return f"to_tsvector('{PG_CONFIG}'::regconfig, translate({text}, '{source}', '{target}'))"


def pg_index_statements() -> list[str]:
    """Create PostgreSQL's configuration and indexes (migration 0008; migration 0014 drops
    the indexes for the tables of words, `pg_word_statements`)."""
    statements = [
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{PG_CONFIG}') THEN
                CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = simple);
                ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG}
                    ALTER MAPPING FOR word, hword, hword_part, numword, numhword, hword_numpart
                    WITH unaccent, simple;
            END IF;
        END $$""",
    ]
    statements += [f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin "
                   f"({pg_tsvector(SEARCHED[table][1].format(row=''))})"
                   for table, index in PG_INDEXES.items()]
    return statements


def _pg_words_of(table: str, row: str) -> str:
    # The words of a row (NEW or OLD in a trigger, the table's own columns without `row`).
    return f"tsvector_to_array({pg_tsvector(SEARCHED[table][1].format(row=row))})"


def pg_word_statements() -> list[str]:
    """Create the tables of words, their triggers, and fill them from the rows (migration
    0014). Each row's words are kept (word, organization, row) in its table's primary key:
    a word's rows of an organization, in order. The triggers keep them however a row is
    written; a TRUNCATE (Django's flush) empties them too."""
    statements = []
    for table, (words, key) in WORD_TABLES.items():
        columns = re.findall(r"\{row\}(\w+)", SEARCHED[table][1])
        task = "task_id" if key != "task_id" else "id"
        unchanged = " AND ".join(f"OLD.{column} IS NOT DISTINCT FROM NEW.{column}"
                                 for column in ["id", "organization_id", task, *columns])
        statements += [
            f"CREATE TABLE IF NOT EXISTS {words} (word text COLLATE \"C\" NOT NULL, "
            f"organization_id integer NOT NULL, {key} integer NOT NULL"
            + (", task_id integer NOT NULL" if key != "task_id" else "") + ")",
            f"""CREATE OR REPLACE FUNCTION {words}_keep() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF current_setting('{PG_LOADING}', true) = 'on'
                        OR TG_OP = 'UPDATE' AND {unchanged} THEN
                    RETURN NULL;
                END IF;
                IF TG_OP <> 'INSERT' THEN
                    DELETE FROM {words} WHERE word = ANY({_pg_words_of(table, "OLD.")})
                        AND organization_id = OLD.organization_id AND {key} = OLD.id;
                END IF;
                IF TG_OP <> 'DELETE' THEN
                    INSERT INTO {words} (word, organization_id, {key}
                        {", task_id" if key != "task_id" else ""})
                    SELECT unnest({_pg_words_of(table, "NEW.")}), NEW.organization_id, NEW.id
                        {", NEW.task_id" if key != "task_id" else ""};
                END IF;
                RETURN NULL;
            END $$""",
            f"""CREATE OR REPLACE FUNCTION {words}_empty() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                TRUNCATE {words};
                RETURN NULL;
            END $$""",
            f"DROP TRIGGER IF EXISTS {words}_keep ON {table}",
            # An update that sets none of these (a status changed by QuerySet.update) does
            # not call the function; a save sets every column, and the function compares.
            f"CREATE TRIGGER {words}_keep AFTER INSERT OR DELETE OR UPDATE OF "
            f"{', '.join(dict.fromkeys(['id', 'organization_id', task, *columns]))} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION {words}_keep()",
            f"DROP TRIGGER IF EXISTS {words}_empty ON {table}",
            f"CREATE TRIGGER {words}_empty AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {words}_empty()",
        ]
    statements += _pg_fill_statements()
    statements += [f"DROP INDEX IF EXISTS {index}" for index in PG_INDEXES.values()]
    return statements


def _pg_fill_statements() -> list[str]:
    # Every row's words again, the key made after the rows (a bulk load's pace), its entries
    # sorted in memory rather than in files.
    statements = ["SET maintenance_work_mem = '256MB'"]
    for table, (words, key) in WORD_TABLES.items():
        task = ", task_id" if key != "task_id" else ""
        statements += [
            f"TRUNCATE {words}",
            f"ALTER TABLE {words} DROP CONSTRAINT IF EXISTS {words}_pkey",
            f"INSERT INTO {words} (word, organization_id, {key}{task}) "
            f"SELECT unnest({_pg_words_of(table, '')}), organization_id, id{task} FROM {table}",
            f"ALTER TABLE {words} ADD CONSTRAINT {words}_pkey PRIMARY KEY "
            f"(word, organization_id, {key})" + (" INCLUDE (task_id)" if task else ""),
        ]
    return [*statements, "RESET maintenance_work_mem"]


def pg_drop_word_statements() -> list[str]:
    """Undo `pg_word_statements` (migration 0014 reversed): the GIN indexes again."""
    statements = []
    for table, (words, _key) in WORD_TABLES.items():
        statements += [f"DROP TRIGGER IF EXISTS {words}_keep ON {table}",
                       f"DROP TRIGGER IF EXISTS {words}_empty ON {table}",
                       f"DROP FUNCTION IF EXISTS {words}_keep()",
                       f"DROP FUNCTION IF EXISTS {words}_empty()",
                       f"DROP TABLE IF EXISTS {words}"]
    return statements + pg_index_statements()[2:]


def _triggers(table: str) -> dict[str, str]:
    index, text = SEARCHED[table]
    new, old = (_sqlite_folded(text.format(row=row)) for row in ("NEW.", "OLD."))
    columns = ", ".join(re.findall(r"\{row\}(\w+)", text))
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in
                          ["id", *re.findall(r"\{row\}(\w+)", text)])
    forget = f"INSERT INTO {index} ({index}, rowid, words) VALUES ('delete', OLD.id, {old});"
    learn = f"INSERT INTO {index} (rowid, words) VALUES (NEW.id, {new});"
    return {
        f"{index}_insert": f"CREATE TRIGGER IF NOT EXISTS {index}_insert AFTER INSERT ON {table} "
                           f"BEGIN {learn} END",
        f"{index}_delete": f"CREATE TRIGGER IF NOT EXISTS {index}_delete AFTER DELETE ON {table} "
                           f"BEGIN {forget} END",
        f"{index}_update": f"CREATE TRIGGER IF NOT EXISTS {index}_update "
                           f"AFTER UPDATE OF id, {columns} ON {table} "
                           f"WHEN {changed} "
                           f"BEGIN {forget} {learn} END",
    }


def ensure(connection: BaseDatabaseWrapper) -> list[str]:
    """On SQLite, create the indexes and triggers that are missing, and index every row
    again where a trigger was missing; the names created. Nothing on PostgreSQL (its indexes
    are the database's own: migration 0008)."""
    if connection.vendor != "sqlite":
        return []
    created: list[str] = []
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        existing = fts.schema_names(cursor)
        for table, (index, text) in SEARCHED.items():
            if table not in tables:
                continue
            missing = []
            if index not in existing:
                cursor.execute(f"CREATE VIRTUAL TABLE {index} USING fts5(words, content='', "
                               f"tokenize='unicode61 remove_diacritics 2', detail='none', "
                               f"columnsize=0, prefix='{' '.join(map(str, PREFIXES))}')")
                missing.append(index)
            for name, statement in _triggers(table).items():
                if name not in existing:
                    cursor.execute(statement)
                    missing.append(name)
            if f"{index}_words" not in existing:
                # Its words (request_search._sqlite_words): a view of the index, nothing stored.
                cursor.execute(f"CREATE VIRTUAL TABLE {index}_words USING fts5vocab({index}, row)")
                created.append(f"{index}_words")
            if missing:
                # Without content of its own, the index is made again from the table.
                cursor.execute(f"INSERT INTO {index} ({index}) VALUES ('delete-all')")
                cursor.execute(f"INSERT INTO {index} (rowid, words) SELECT id, "
                               f"{_sqlite_folded(text.format(row=''))} FROM {table}")
            created += missing
    return created


@contextmanager
def made_after(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """For a bulk load, alone on the database: the triggers are left out while it runs, and
    the indexes are made again from the tables after it (SQLite: `ensure`; PostgreSQL: the
    tables of words filled again, their keys made after the rows). Row by row, the triggers
    made the bench's seeding of a million requests three times slower on SQLite (3,300
    requests a second, not 11,000); on PostgreSQL a superuser's load skips them anyway
    (core.bulk_rows.skip_foreign_key_checks)."""
    if connection.vendor == "postgresql":
        yield from _pg_made_after(connection)
        return
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        for table in SEARCHED:
            for name in _triggers(table):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    try:
        yield
    finally:
        ensure(connection)


def _pg_made_after(connection: BaseDatabaseWrapper) -> Iterator[None]:
    # The triggers skip the rows of this session while the setting is on (`PG_LOADING`): no
    # change to the tables' definitions in the middle of the loader's transactions.
    with connection.cursor() as cursor:
        cursor.execute(f"SET {PG_LOADING} = 'on'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"RESET {PG_LOADING}")
            for statement in _pg_fill_statements():
                cursor.execute(statement)


def optimize(connection: BaseDatabaseWrapper) -> None:
    """On SQLite, merge each index into one segment (after bulk loads: see
    customers.search_index.optimize)."""
    fts.optimize(connection, (index for index, _text in SEARCHED.values()))


def drop(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for index in PG_INDEXES.values():
                cursor.execute(f"DROP INDEX IF EXISTS {index}")
            # The configuration and the extension stay: something else may use them by now.
            return
        if connection.vendor != "sqlite":
            return
        for table, (index, _text) in SEARCHED.items():
            for name in _triggers(table):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {index}_words")
            cursor.execute(f"DROP TABLE IF EXISTS {index}")
