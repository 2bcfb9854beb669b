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
- PostgreSQL: a table of words per searched table (`WORD_TABLES`: word, organization, the
  row's id, and a post's request), the words being the lexemes of `to_tsvector` under a text
  search configuration of our own, `frontdesk_search`: `simple` (no stemming, no stop words,
  as on SQLite) after `unaccent` (migration 0008). Triggers keep them however a row is
  written, and a TRUNCATE of the table empties them (migration 0014: `pg_word_statements`).
  The primary key holds an organization's rows of a word in order, so a word's newest rows
  are read from it no further than the page, as FTS5 reads them. The query's words are made
  lexemes by the same configuration; the indexed words each starts are read from the key in
  order, one look-up from each to the next; for one word each of those words' newest rows are
  merged, for several the word with the fewest rows is walked newest first and each row
  probed for the others (`_pg_found`). The GIN indexes this replaced gave a word's rows in no
  order: every match was read, then sorted (the bench's rare word, in 0.5% of the requests,
  0.4 ms of the database's time at 100k requests and 9 ms at 1M; a word in most requests
  100 ms at 100k). Now 0.08 ms at both, and 0.75 ms. A bulk load fills the tables after it
  (`made_after`).

The requests found by their own words are the page's exactly, read newest first until there
are enough; those found by a post's are among the newest `FOUND_AT_MOST` posts with the
words: a word in every request or post costs about what a rare one does.
"""

# The SQL here is put together from the names and expressions below, never from input.
# ruff: noqa: S608

from __future__ import annotations

import re
import unicodedata
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
# On PostgreSQL, the GIN index of each table's words (migration 0008, dropped by 0014), and the
# table of its words (migration 0014: `pg_word_statements`) with the column of the row's id.
PG_INDEXES = {"support_task": "task_search", "support_post": "post_search"}
WORD_TABLES = {"support_task": ("support_task_word", "task_id"),
               "support_post": ("support_post_word", "post_id")}
# A session with this setting on writes rows the triggers leave to `made_after`.
PG_LOADING = "frontdesk.search_made_after"
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
        # Its words are read by the database as it reads the rows' (`_pg_found`).
        return " ".join(words)
    known = _sqlite_words(connection, [word for word in words if len(word) > max(PREFIXES)])
    return " AND ".join(f'"{word}"' if len(word) == 1
                        else f'"{word}"*' if word not in known
                        else "(" + " OR ".join(f'"{term}"' for term in known[word]) + ")"
                        for word in words)


def one_word(words: list[str]) -> bool:
    """Whether PostgreSQL reads `words` (`query_words`) as one word, for `found`. Its parser
    reads a word of letters and digits as one, but breaks it at some other numbers (of
    Unicode's category "No": circled digits, fractions...) that Python counts as letters."""
    return len(words) == 1 and not any(unicodedata.category(letter) == "No"
                                       for letter in words[0])


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


def _pg_tsvector(text: str) -> str:
    source, target = "".join(LETTERS), "".join(LETTERS.values())
    return f"to_tsvector('{PG_CONFIG}'::regconfig, translate({text}, '{source}', '{target}'))"


def found(vendor: str, match: str, org_id: int, before: int | None = None,
          after: int | None = None, rows: int = 26, one_word: bool = False) -> RawSQL:
    """The ids of the organization's requests whose own text has the words of `match` (a
    `match_expression`), or one of whose posts has them, for the page of `keyset_query`
    (`before`, `after`, `rows`; the caller keeps to the organization and the page too). The
    requests found by their own text are exact; those found by their posts are among the
    newest `FOUND_AT_MOST` posts with the words, so that a word in every post costs about
    what a rare one does. On PostgreSQL they are the page's ids already (`_pg_found`), on
    SQLite a superset of them. `one_word` (`one_word(words)`) lets PostgreSQL take the
    shorter statement for a query of one word."""
    cursor = [] if before is None and after is None else [before if before is not None
                                                             else after]
    newer = after is not None and before is None
    if vendor == "postgresql":
        sql, names = _pg_found(before is not None, newer, rows, one_word)
        given = {"match": match, "org": org_id, "cursor": cursor[0] if cursor else None}
        return RawSQL(sql, [given[name] for name in names])  # noqa: S611
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


def _pg_found(before: bool, after: bool, rows: int, one_word: bool) -> tuple[str, list[str]]:
    # The statement, and what each of its parameters is ("match", "org" or "cursor"). Each
    # searched table has a table of its words (WORD_TABLES), read newest first. The query's
    # words are the lexemes of its text, made as the rows' are (the folding is the database's
    # own on both sides); each word's terms, the indexed words it starts (a word of one letter
    # is itself only), are read from the index in order, skipping from one to the next (one
    # look-up each, however many rows each has: `_pg_terms`). Then
    # - one word: each term's newest rows (the page's, or FOUND_AT_MOST posts), merged; when
    #   the database reads more than one word in the query, nothing (`one_word` decides
    #   without it: see there);
    # - any number of words: a walk of the word with the fewest rows (counted up to
    #   FOUND_AT_MOST), newest first, each row probed for the other words' terms, until there
    #   are enough (a word of one term: its rows in the index's order). For one word the
    #   first answers the same for about half the database's time (0.11 against 0.20 ms of
    #   CPU at 100k requests for the bench's rare word: a plan of half the nodes).
    order, older = ("ASC", ">") if after else ("DESC", "<")
    cursor = f" {older} %s" if before or after else ""
    names = ["match"]
    lexemes = f"tsvector_to_array({_pg_tsvector('%s')})"
    if one_word:
        parts = [f"WITH query AS MATERIALIZED (SELECT CASE WHEN cardinality(lexemes) = 1 "
                 f"THEN lexemes[1] END AS word FROM {lexemes} lexemes)"]
    else:
        parts = [f"WITH RECURSIVE query AS MATERIALIZED (SELECT unnest({lexemes}) AS word), "
                 f"terms AS MATERIALIZED (SELECT query.word, "
                 + ", ".join(f"{_pg_terms(table)} AS {table}_terms" for table in WORD_TABLES)
                 + " FROM query)"]
    found: list[str] = []
    found_names: list[str] = []
    for table, (words, key) in WORD_TABLES.items():
        own = table == "support_task"
        limit = rows if own else FOUND_AT_MOST
        direction, step = (order, older) if own else ("DESC", "<")
        after_cursor = f" AND w.{key}{cursor}" if own and cursor else ""
        row = (f"SELECT w.{key} AS k, w.task_id AS task FROM {words} w "
               f"WHERE w.word = t.term AND w.organization_id = %s")
        if one_word:
            newest = (f"SELECT x.k, x.task FROM query CROSS JOIN unnest({_pg_terms(table)}) "
                      f"t(term) CROSS JOIN LATERAL ({row}{after_cursor} "
                      f"ORDER BY w.{key} {direction} LIMIT {limit}) x")
            found_names += ["org", *(["cursor"] if after_cursor else [])]
            # A post may have several terms: its rows made one before they are counted.
            found.append(f"SELECT task FROM ({newest}) x" if own else
                         f"SELECT task FROM (SELECT DISTINCT k, task FROM ({newest}) x "
                         f"ORDER BY k DESC LIMIT {limit}) x")
            continue
        parts.append(
            f"{table}_walked AS MATERIALIZED (SELECT terms.word, {table}_terms AS walked "
            f"FROM terms ORDER BY (SELECT count(*) FROM (SELECT FROM {words} c "
            f"WHERE c.word = ANY(terms.{table}_terms) AND c.organization_id = %s "
            f"LIMIT {FOUND_AT_MOST}) counted), terms.word LIMIT 1)")
        names.append("org")
        # The walk: of one term, its rows in the index's order; of several, the newest of
        # their next rows, step by step (each step a look-up per term).
        nearest = (f"SELECT x.k, x.task FROM {table}_walked CROSS JOIN unnest(walked) t(term) "
                   f"CROSS JOIN LATERAL ({row}{{after}} ORDER BY w.{key} {direction} LIMIT 1) x "
                   f"WHERE cardinality(walked) > 1 ORDER BY x.k {direction} LIMIT 1")
        parts.append(
            f"{table}_walk(k, task) AS (({nearest.format(after=after_cursor)}) UNION ALL "
            f"SELECT next.k, next.task FROM {table}_walk CROSS JOIN LATERAL ("
            f"{nearest.format(after=f' AND w.{key} {step} {table}_walk.k')}) next)")
        names += ["org", *(["cursor"] if after_cursor else []), "org"]
        one_term = (f"SELECT w.{key} AS k, w.task_id AS task FROM {words} w "
                    f"WHERE w.word = (SELECT walked[1] FROM {table}_walked) "
                    f"AND (SELECT cardinality(walked) FROM {table}_walked) = 1 "
                    f"AND w.organization_id = %s{after_cursor} ORDER BY w.{key} {direction}")
        found_names += ["org", *(["cursor"] if after_cursor else [])]
        found.append(
            f"SELECT task FROM (SELECT task FROM (SELECT k, task FROM {table}_walk UNION ALL "
            f"({one_term})) walk WHERE NOT EXISTS ("
            f"SELECT FROM terms CROSS JOIN {table}_walked walked "
            f"WHERE terms.word <> walked.word AND NOT EXISTS (SELECT FROM {words} p "
            f"WHERE p.word = ANY(terms.{table}_terms) AND p.organization_id = %s "
            f"AND p.{key} = walk.k)) LIMIT {limit}) x")
        found_names.append("org")
    # The parameters in the order of the text: the common table expressions', then the rest.
    names += found_names + (["cursor"] if cursor else [])
    return (", ".join(parts) + f" SELECT DISTINCT task FROM ({' UNION ALL '.join(found)}) "
            f"found{' WHERE task' + cursor if cursor else ''} ORDER BY task {order} "
            f"LIMIT {rows}", names)


def _pg_terms(table: str) -> str:
    # The indexed words that start the query's word (query.word) in the table's words: read
    # in order from the index, one look-up from each to the next (PostgreSQL does not skip
    # through an index by itself: DISTINCT would read every row of them). "C" compares by
    # code point, so the words starting with one are a range.
    words, end = WORD_TABLES[table][0], 'query.word || chr(1114111) COLLATE "C"'
    return (f"CASE WHEN length(query.word) = 1 THEN ARRAY[query.word] ELSE ARRAY("
            f"WITH RECURSIVE known(term) AS ("
            f"SELECT (SELECT word FROM {words} WHERE word >= query.word COLLATE \"C\" "
            f"AND word < {end} ORDER BY word LIMIT 1) "
            f"UNION ALL SELECT (SELECT word FROM {words} WHERE word > known.term "
            f"AND word < {end} ORDER BY word LIMIT 1) FROM known WHERE known.term IS NOT NULL) "
            f"SELECT term FROM known WHERE term IS NOT NULL) END")


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
                   f"({_pg_tsvector(SEARCHED[table][1].format(row=''))})"
                   for table, index in PG_INDEXES.items()]
    return statements


def _pg_words_of(table: str, row: str) -> str:
    # The words of a row (NEW or OLD in a trigger, the table's own columns without `row`).
    return f"tsvector_to_array({_pg_tsvector(SEARCHED[table][1].format(row=row))})"


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
