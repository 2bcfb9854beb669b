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
  100k requests, 0.4 ms with them). Triggers index a row when it is inserted, take it out
  when it is deleted, and index it again when its text changes, however it is written.
  `ensure` creates what is missing and indexes every row again if a trigger was missing
  (SQLite drops a table's triggers when a migration rebuilds the table); it runs in the
  migration that adds the search and after every `migrate` (SupportConfig.ready). A word of
  the query longer than those starts is looked up in the indexes' vocabularies first
  (`_sqlite_words`): when it starts few longer indexed words, the search looks for it and
  those words whole, which FTS5 reads newest first, no further than the page; the start of a
  word it reads whole first.
- PostgreSQL: a GIN index of each table's `to_tsvector` under a text search configuration of
  our own, `frontdesk_search`: `simple` (no stemming, no stop words, as on SQLite) after
  `unaccent` (migration 0008); the query repeats the index's expression (`_pg_tsvector`).
  Prepared statements are planned once for any value (settings.py), and this one with the
  index: every match is read, then sorted. A word in most requests costs so 140–200 ms at
  100k requests. Planned for its words each time, a search walked the newest rows for a
  common word in 1 ms (with the words stored in a column), but at 1M requests a rare word no
  post has walked every post (11 s): the planner cannot know how far a walk goes. What is
  left is to choose the walk from the words' frequencies, and keep the index otherwise.

The requests found by their own words are the page's exactly, read newest first until there
are enough; those found by a post's are among the newest `FOUND_AT_MOST` posts with the
words: a word in every request or post costs about what a rare one does.
"""

# The SQL here is put together from the names and expressions below, never from input.
# ruff: noqa: S608

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import RawSQL

from frontdesk.lib import fts
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
# A search looks at the newest this many posts with its words (`found`).
FOUND_AT_MOST = 1000
# On SQLite: the lengths of the starts of words indexed as words of their own, and how many
# longer indexed words a query's word may start before it is looked for as a start
# (`_sqlite_words`).
PREFIXES = (2, 3)
WHOLE_WORDS_AT_MOST = 8

# table -> (its FTS5 table on SQLite, the text searched as SQL of the row's columns)
SEARCHED = {
    "support_task": ("support_task_fts", "{row}title || ' ' || {row}description"),
    "support_post": ("support_post_fts", "{row}body"),
}
# The PostgreSQL GIN index of each table's words (migration 0008).
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


def match_expression(words: list[str], connection: BaseDatabaseWrapper) -> str:
    """The parameter of `found` that finds the rows with every word of `words` (as the start
    of a word). Made of words only (`query_words`: letters, digits, and on SQLite the indexed
    words `_sqlite_words` reads), so nothing in it reads as the search syntax of either
    database."""
    # A word of one letter is a whole word: as the start of words it would be most of them.
    if connection.vendor == "postgresql":
        return " & ".join(word if len(word) == 1 else f"{word}:*" for word in words)
    known = _sqlite_words(connection, [word for word in words if len(word) > max(PREFIXES)])
    return " AND ".join(f'"{word}"' if len(word) == 1
                        else f'"{word}"*' if word not in known
                        else "(" + " OR ".join(f'"{term}"' for term in known[word]) + ")"
                        for word in words)


def _sqlite_words(connection: BaseDatabaseWrapper, words: list[str]) -> dict[str, list[str]]:
    # Each of `words` with the longer indexed words it starts, where there are at most
    # `WHOLE_WORDS_AT_MOST` of those. FTS5 finds the rows of the start of a word by merging the
    # lists of every word that starts so, whole, before the first row can be read (at 1M
    # requests, 1.5 ms for a word in 0.5% of them, 29 ms for one in most); the rows of whole
    # words it reads newest first, no further than the page (0.03–0.05 ms). The vocabulary is
    # read from the indexes' `fts5vocab` tables, which count each word's rows on the way: the
    # word itself is skipped (the range starts after it), so a word typed whole costs nothing
    # to look up (0.03 ms), and a start costs the count of the words it starts (at 1M, 4 ms for
    # "plea" of "please", a word in most requests, where the merge costs 29).
    # `fold` leaves a word as the tokenizer reads it (lower case, no accents, `LETTERS`), so the
    # word of the query is the indexed one.
    if not words:
        return {}
    selects = []
    for index, _text in SEARCHED.values():
        selects += [f"SELECT %s, term FROM (SELECT term FROM {index}_words WHERE term >= %s "
                    f"AND term < %s LIMIT {WHOLE_WORDS_AT_MOST + 1})"] * len(words)
    params = [param for _index in SEARCHED for word in words
              for param in (word, word + "\x01", word + "\U0010ffff")]
    longer: dict[str, set[str]] = {word: set() for word in words}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        for word, term in cursor.fetchall():
            longer[word].add(term)
    return {word: [word, *sorted(terms)] for word, terms in longer.items()
            if len(terms) <= WHOLE_WORDS_AT_MOST}


def _sqlite_folded(text: str) -> str:
    for letter, same in LETTERS.items():
        text = f"replace({text}, '{letter}', '{same}')"
    return text


def _pg_tsvector(table: str) -> str:
    text = SEARCHED[table][1].format(row="")
    source, target = "".join(LETTERS), "".join(LETTERS.values())
    return f"to_tsvector('{PG_CONFIG}'::regconfig, translate({text}, '{source}', '{target}'))"


def found(vendor: str, match: str, org_id: int, before: int | None = None,
          after: int | None = None, rows: int = 26) -> RawSQL:
    """The ids of the organization's requests whose own text has the words of `match` (a
    `match_expression`), or one of whose posts has them, for the page of `keyset_query`
    (`before`, `after`, `rows`; the caller keeps to the organization and the page too). The
    requests found by their own text are exact; those found by their posts are among the
    newest `FOUND_AT_MOST` posts with the words, so that a word in every post costs about
    what a rare one does. On PostgreSQL they are the page's ids already (`_pg_found`), on
    SQLite a superset of them."""
    cursor = [] if before is None and after is None else [before if before is not None
                                                             else after]
    newer = after is not None and before is None
    if vendor == "postgresql":
        return RawSQL(_pg_found(before is not None, newer, rows),  # noqa: S611
                      [match, org_id, *cursor, match, org_id, *cursor])
    params = [match, org_id, *cursor, match, match, org_id, org_id]
    return RawSQL(_sqlite_found(before is not None, newer, rows), params)  # noqa: S611


def _sqlite_found(before: bool, after: bool, rows: int) -> str:
    # The requests by their own text: the page's, read newest first (oldest first after a
    # cursor of `after`), each row's organization checked on the way, until there are enough:
    # a rare word and a common one alike, at any depth.
    tasks, posts = SEARCHED["support_task"][0], SEARCHED["support_post"][0]
    cursor = " AND found.rowid < %s" if before else " AND found.rowid > %s" if after else ""
    own = (f"SELECT rowid FROM (SELECT found.rowid AS rowid FROM {tasks} found "
           f"CROSS JOIN support_task row WHERE row.id = found.rowid AND {tasks} MATCH %s "
           f"AND row.organization_id = %s{cursor} "
           f"ORDER BY found.rowid {'ASC' if after else 'DESC'} LIMIT {rows})")
    return (f"{own} UNION SELECT task_id FROM support_post "
            f"WHERE id IN ({_sqlite_newest(posts, 'support_post')}) AND organization_id = %s")


def _sqlite_newest(index: str, table: str) -> str:
    # The newest FOUND_AT_MOST rows of the index with the words (the first parameter), of
    # every organization: one pass over a rare word's rows. When there are as many, the word is
    # common, and other organizations' rows may have taken this one's places (the third
    # parameter): then its own newest FOUND_AT_MOST, read newest first, each row's
    # organization checked, until there are as many (a condition that holds for the whole
    # second SELECT or not at all: SQLite reads nothing there when the first is enough).
    return (f"SELECT rowid FROM (WITH newest AS MATERIALIZED (SELECT rowid FROM {index} "
            f"WHERE {index} MATCH %s ORDER BY rowid DESC LIMIT {FOUND_AT_MOST}) "
            f"SELECT rowid FROM newest WHERE (SELECT count(*) FROM newest) < {FOUND_AT_MOST} "
            f"UNION ALL SELECT rowid FROM (SELECT found.rowid AS rowid FROM {index} found "
            f"CROSS JOIN {table} row WHERE row.id = found.rowid AND {index} MATCH %s "
            f"AND row.organization_id = %s "
            f"AND (SELECT count(*) FROM newest) >= {FOUND_AT_MOST} "
            f"ORDER BY found.rowid DESC LIMIT {FOUND_AT_MOST}))")


def _pg_found(before: bool, after: bool, rows: int) -> str:
    query = f"to_tsquery('{PG_CONFIG}'::regconfig, %s)"
    cursor = " AND id < %s" if before else " AND id > %s" if after else ""
    # Ordered by `id + 0`, which no index holds: the rows come from the GIN index, then are
    # sorted. In id order the plan may walk the newest requests, computing each one's words,
    # until there are enough; at 1M requests the generic plan did, and the bench's rare word
    # took 2.7 s a page under load (a word no request has would walk them all).
    # The page is cut from the found ids themselves (at most `rows` + FOUND_AT_MOST, sorted):
    # cut from the organization's requests joined to them, it was planned as a walk of the
    # requests newest first down to the page's last match (5,000 rows for the bench's word at
    # 0.5% of requests; every request for a word only old ones have).
    order = "ASC" if after else "DESC"
    return (f"SELECT id FROM ((SELECT id FROM support_task "
            f"WHERE {_pg_tsvector('support_task')} @@ {query} "
            f"AND organization_id = %s{cursor} ORDER BY id + 0 {order} LIMIT {rows}) "
            f"UNION (SELECT task_id FROM support_post "
            f"WHERE {_pg_tsvector('support_post')} @@ {query} "
            f"AND organization_id = %s ORDER BY id + 0 DESC LIMIT {FOUND_AT_MOST})) found"
            f"{cursor.replace(' AND', ' WHERE')} ORDER BY id {order} LIMIT {rows}")


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
                # Its words (`_sqlite_words`): a view of the index, nothing stored.
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
    """For a bulk load: on SQLite the triggers are left out while it runs, and the indexes are
    made again from the tables after it (`ensure`). Row by row, the triggers made the bench's
    seeding of a million requests three times slower (3,300 requests a second, not 11,000)."""
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
