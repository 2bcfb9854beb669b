"""The staff search over requests (SPEC T7): the words of a query, and the SQL that finds the
requests with them in the indexes of support/search_index.py (the words of a request's title
and description, and of each of its posts, internal notes included: it is the staff's search).

A search by words, where the customers search looks for any part of a field (lib/search.py): a
request's text is long, and a trigram index of every reply would be several times the size of
the replies. Every word of the query must start a word of the title and description together,
or of one post ("print lod" finds "Printer in Łódź is offline"). Case and accents do not
matter, as everywhere in Frontdesk: the query is folded by `lib.search.fold`, and the text is
indexed with the letters it joins made one (search_index.LETTERS).

- SQLite: a word of the query longer than the starts of words the FTS5 indexes hold as words of
  their own (search_index.PREFIXES) is looked up in the indexes' vocabularies first
  (`_sqlite_words`): when it starts few longer indexed words, the search looks for it and
  those words whole, which FTS5 reads newest first, no further than the page; the start of a
  word it reads whole first.
- PostgreSQL: the query's words are made lexemes by the same configuration as the rows'
  (search_index.PG_CONFIG); the indexed words each starts are read from the key of the tables
  of words (search_index.WORD_TABLES) in order, one look-up from each to the next; for one word
  each of those words' newest rows are merged, for several the word with the fewest rows is
  walked newest first and each row probed for the others (`_pg_found`).

The requests found by their own words are the page's exactly, read newest first until there
are enough; those found by a post's are among the newest `FOUND_AT_MOST` posts with the
words: a word in every request or post costs about what a rare one does.
"""

# The SQL here is put together from the names and expressions below, never from input.
# ruff: noqa: S608

from __future__ import annotations

import re
import unicodedata

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import RawSQL

from frontdesk.lib.search import fold
from frontdesk.support.search_index import PREFIXES, SEARCHED, WORD_TABLES, pg_tsvector

# A query's words: at most this many, each cut to this length.
MAX_WORDS = 8
MAX_WORD_LENGTH = 40
# What the search box takes.
MAX_QUERY_LENGTH = 200
# A search looks at the newest this many posts with its words (`found`).
FOUND_AT_MOST = 1000
# On SQLite: how many longer indexed words a query's word may start before it is looked for as
# a start (`_sqlite_words`).
WHOLE_WORDS_AT_MOST = 8

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
    # `fold` leaves a word as the tokenizer reads it (lower case, no accents,
    # search_index.LETTERS), so the word of the query is the indexed one.
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
    lexemes = f"tsvector_to_array({pg_tsvector('%s')})"
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
