"""The staff search over requests (SPEC T7): the words of a request's title and description,
and of each of its posts (internal notes included: it is the staff's search).

A search by words, where the customers search looks for any part of a field (lib/search.py): a
request's text is long, and a trigram index of every reply would be several times the size of
the replies. Every word of the query must start a word of the title and description together,
or of one post ("print lod" finds "Printer in Łódź is offline"). Case and accents do not
matter, as everywhere in Frontdesk: the text is indexed with the letters that case folding and
accent removal leave apart made one (`LETTERS`, the ones `lib.search.fold` joins), and the
query is folded by `fold` itself.

- SQLite: an FTS5 table per searched table, without content of its own (the text is not
  stored twice), tokenized by `unicode61` with its accents removed, keeping no positions (a
  search has no phrases), with the starts of two and three letters indexed as words of their
  own (a search for "th" would otherwise merge the lists of every word starting so: 40 ms at
  100k requests, 0.4 ms with them). Each row also has the word of its organization
  (`_org_word`), for a common word's search to read the organization's newest matches only
  (`_sqlite_newest`).
  Triggers index a row when it is inserted, take it out when it is deleted, and index it
  again when its text or organization changes, however it is written. `ensure` creates what
  is missing and indexes every row again if a trigger was missing (SQLite drops a table's
  triggers when a migration rebuilds the table); it runs in the migration that adds the
  search and after every `migrate` (SupportConfig.ready).
- PostgreSQL: a GIN index of each table's `to_tsvector` under a text search configuration of
  our own, `frontdesk_search`: `simple` (no stemming, no stop words, as on SQLite) after
  `unaccent` (migration 0008). The planner uses it when the query repeats its expression
  (`found`). Prepared statements are planned once for any value (settings.py), and the plan
  is the index's, as for a rare word: a word in most requests reads all of them (140 ms at
  100k; planned with the word, walking the newest rows took 1 ms, but planning the page's
  statement each time cost more than a rare word's whole search).

A search looks at the newest `FOUND_AT_MOST` requests and posts with its words: a word in
every request costs about what a rare one does.
"""

# The SQL here is put together from the names and expressions below, never from input.
# ruff: noqa: S608

from __future__ import annotations

import re

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import RawSQL

from frontdesk.lib.search import fold

# Letters that neither SQLite's unicode61 nor PostgreSQL's unaccent bring to the one people
# type for them (lib.search._SAME_LETTER), with their capitals (SQLite folds the case after).
LETTERS = {
    "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ħ": "h", "Ħ": "h",
    "ي": "ی", "ى": "ی", "ك": "ک", "ە": "ه", "ۀ": "ه", "ة": "ه",
}

# A query's words: at most this many, each cut to this length.
MAX_WORDS = 8
MAX_WORD_LENGTH = 40
# What the search box takes.
MAX_QUERY_LENGTH = 200
# A search looks at the newest this many requests, and posts, with its words (`found_sql`).
FOUND_AT_MOST = 1000

# table -> (its FTS5 table on SQLite, the text searched as SQL of the row's columns)
SEARCHED = {
    "support_task": ("support_task_fts", "{row}title || ' ' || {row}description"),
    "support_post": ("support_post_fts", "{row}body"),
}
# The PostgreSQL GIN index of each table (migration 0008).
PG_INDEXES = {"support_task": "task_search", "support_post": "post_search"}
PG_CONFIG = "frontdesk_search"

_WORD_BREAKS = re.compile(r"[\W_]+")


def query_words(query: str) -> list[str]:
    """The words a search for `query` looks for, folded (lib/search.fold), in order, each
    once. A zero-width non-joiner inside a Persian word separates words, as it does for the
    index."""
    words: list[str] = []
    for word in _WORD_BREAKS.split(fold(query[:MAX_QUERY_LENGTH].replace("\u200c", " "))):
        word = word[:MAX_WORD_LENGTH]
        if word and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def match_expression(words: list[str], vendor: str) -> str:
    """The parameter of `found` that finds the rows with every word of `words` (as the start
    of a word). Made of words only (`query_words`: letters, digits), so nothing in it reads as
    the search syntax of either database."""
    # A word of one letter is a whole word: as the start of words it would be most of them.
    if vendor == "postgresql":
        return " & ".join(word if len(word) == 1 else f"{word}:*" for word in words)
    return " AND ".join(f'"{word}"' if len(word) == 1 else f'"{word}"*' for word in words)


def _org_word(org_id: int | str) -> str:
    # A word no text has, indexed with every row: the organization's rows (no organization
    # has the id 0). A query word that matches it ("fdorg…") finds only rows that also have
    # the organization's.
    return f"fdorg{org_id}"


def _sqlite_folded(text: str) -> str:
    for letter, same in LETTERS.items():
        text = f"replace({text}, '{letter}', '{same}')"
    return text


def _pg_tsvector(table: str) -> str:
    text = SEARCHED[table][1].format(row="")
    source, target = "".join(LETTERS), "".join(LETTERS.values())
    return f"to_tsvector('{PG_CONFIG}'::regconfig, translate({text}, '{source}', '{target}'))"


def found(vendor: str, match: str, org_id: int) -> RawSQL:
    """The ids of the organization's requests whose own text has the words of `match` (a
    `match_expression`), or one of whose posts has them: among the newest `FOUND_AT_MOST` of
    each, so that a word in every request costs about what a rare one does. (The caller keeps
    to the organization too.)"""
    if vendor == "postgresql":
        return RawSQL(_found_sql(vendor), [match, org_id, match, org_id])  # noqa: S611
    side = [match, org_id, match]
    return RawSQL(_found_sql(vendor), [*side, *side, org_id])  # noqa: S611 (words: a parameter)


def _sqlite_newest(index: str) -> str:
    # The newest FOUND_AT_MOST rows of the index with the words (the first parameter), of
    # every organization: one pass over a rare word's rows. When there are as many, the word is
    # common, and other organizations' rows may have taken the places of this one's (the
    # second): then its newest FOUND_AT_MOST, found with its word (`_org_word`; where the
    # first are enough, the CASE asks for a word no row has, which costs nothing).
    return (f"SELECT rowid FROM (WITH newest AS MATERIALIZED (SELECT rowid FROM {index} "
            f"WHERE {index} MATCH %s ORDER BY rowid DESC LIMIT {FOUND_AT_MOST}) "
            f"SELECT rowid FROM newest WHERE (SELECT count(*) FROM newest) < {FOUND_AT_MOST} "
            f"UNION ALL SELECT rowid FROM (SELECT rowid FROM {index} WHERE {index} MATCH "
            f"(CASE WHEN (SELECT count(*) FROM newest) < {FOUND_AT_MOST} "
            f"THEN '{_org_word(0)}' ELSE '{_org_word('')}' || %s || ' AND ' || %s END) "
            f"ORDER BY rowid DESC LIMIT {FOUND_AT_MOST}))")


def _found_sql(vendor: str) -> str:
    if vendor == "postgresql":
        query = f"to_tsquery('{PG_CONFIG}'::regconfig, %s)"
        return (f"(SELECT id FROM support_task WHERE {_pg_tsvector('support_task')} @@ {query} "
                f"AND organization_id = %s ORDER BY id DESC LIMIT {FOUND_AT_MOST}) "
                f"UNION (SELECT task_id FROM support_post "
                f"WHERE {_pg_tsvector('support_post')} @@ {query} "
                f"AND organization_id = %s ORDER BY id DESC LIMIT {FOUND_AT_MOST})")
    tasks, posts = SEARCHED["support_task"][0], SEARCHED["support_post"][0]
    return (f"{_sqlite_newest(tasks)} UNION SELECT task_id FROM support_post "
            f"WHERE id IN ({_sqlite_newest(posts)}) AND organization_id = %s")


def pg_index_statements() -> list[str]:
    """Create PostgreSQL's configuration and indexes (migration 0008)."""
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
                   f"({_pg_tsvector(table)})" for table, index in PG_INDEXES.items()]
    return statements


def _triggers(table: str) -> dict[str, str]:
    index, text = SEARCHED[table]
    new, old = (f"'{_org_word('')}' || {row}organization_id || ' ' || "
                f"{_sqlite_folded(text.format(row=row))}" for row in ("NEW.", "OLD."))
    columns = ", ".join(re.findall(r"\{row\}(\w+)", text))
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in
                          ["id", "organization_id", *re.findall(r"\{row\}(\w+)", text)])
    forget = f"INSERT INTO {index} ({index}, rowid, words) VALUES ('delete', OLD.id, {old});"
    learn = f"INSERT INTO {index} (rowid, words) VALUES (NEW.id, {new});"
    return {
        f"{index}_insert": f"CREATE TRIGGER IF NOT EXISTS {index}_insert AFTER INSERT ON {table} "
                           f"BEGIN {learn} END",
        f"{index}_delete": f"CREATE TRIGGER IF NOT EXISTS {index}_delete AFTER DELETE ON {table} "
                           f"BEGIN {forget} END",
        f"{index}_update": f"CREATE TRIGGER IF NOT EXISTS {index}_update "
                           f"AFTER UPDATE OF id, organization_id, {columns} ON {table} "
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
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        existing = {row[0] for row in cursor.fetchall()}
        for table, (index, text) in SEARCHED.items():
            if table not in tables:
                continue
            missing = []
            if index not in existing:
                cursor.execute(f"CREATE VIRTUAL TABLE {index} USING fts5(words, content='', "
                               f"tokenize='unicode61 remove_diacritics 2', detail='none', "
                               f"columnsize=0, prefix='2 3')")
                missing.append(index)
            for name, statement in _triggers(table).items():
                if name not in existing:
                    cursor.execute(statement)
                    missing.append(name)
            if missing:
                # Without content of its own, the index is made again from the table.
                cursor.execute(f"INSERT INTO {index} ({index}) VALUES ('delete-all')")
                cursor.execute(f"INSERT INTO {index} (rowid, words) SELECT id, "
                               f"'{_org_word('')}' || organization_id || ' ' || "
                               f"{_sqlite_folded(text.format(row=''))} FROM {table}")
            created += missing
    return created


def optimize(connection: BaseDatabaseWrapper) -> None:
    """On SQLite, merge each index into one segment (after bulk loads: see
    customers.search_index.optimize)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        existing = {row[0] for row in cursor.fetchall()}
        for index, _text in SEARCHED.values():
            if index in existing:
                cursor.execute(f"INSERT INTO {index} ({index}) VALUES ('optimize')")


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
            cursor.execute(f"DROP TABLE IF EXISTS {index}")
