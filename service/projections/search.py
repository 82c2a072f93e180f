"""Finding a client by part of a name, email or phone, by index however many clients there are.

The directory keeps each row's name, email and phone casefolded in one `search` column,
and a match is that column holding the query anywhere (`LIKE '%query%'`, its wildcards
taken literally). Scanning every row for it grows with the directory, so each backend
keeps a trigram index of the column (service/projections/directory_view.py):

- PostgreSQL's planner uses the pg_trgm GIN index for the LIKE itself;
- on SQLite the FTS5 trigram table names the candidate rows, and the same LIKE then
  decides, so the rows found are exactly those the LIKE alone would find. SQLite's
  planner cannot tell a rare text from a common one, so it is asked first how many rows
  hold the text (counting at most `FEW`): a rare text is looked up by its candidates,
  a common one by walking the directory in name order, which fills a page of it after
  a few rows per match.

With a cipher key the directory keeps only keyed hashes of emails and phones
(service/projections/directory_keys.py): the name is searched by the same LIKE (which
PostgreSQL's index serves), an email or phone only exactly, by its hash.

A query shorter than three characters has no trigram to look up: it is answered by
walking the directory in name order and stopping at the page's end, which is quick
because such short texts are in most rows.

A common text (a surname held by thousands) is also found quickest by walking the names
in order, but only if its holders come soon: listing them all by index and sorting them
costs as many rows as hold it. So a page of a text that looks common (SQLite: `COMMON`
rows hold it; PostgreSQL: a fixed-size sample of the directory's pages holds it often
enough to fill a page within the budget) is first looked for by walking at most
`WALK_BUDGET` names from the page's start (SQLite: the steps of its virtual machine that
reading that many names takes); a page not found by then is found as before.
PostgreSQL walks with sorting off (see PostgresViewRecorder.query): without statistics
its planner would rather read every row and sort them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.projections.directory_keys import keyed, search_clause
from service.projections.paging import Cursors, Page, after_key, keyset_page, page_of

SHORTEST_INDEXED = 3  # a trigram index knows nothing of texts shorter than a trigram
# Up to this many rows holding the text, listing them beats walking the directory by name.
FEW = 1000
CANDIDATES = "SELECT rowid FROM rv_directory_search WHERE rv_directory_search MATCH %s"
# A page of a common text is first looked for among this many names from its start.
WALK_BUDGET = 5000
# SQLite: the steps of its virtual machine that reading one name of the index and testing it
# takes, and the more a name holding the text takes to be read whole and handed out
# (counted with a progress handler at every step: 6.0 a name over walks of 1,000 and
# 100,000 names holding nothing, 16.0 a name over pages of 51 to 5,001 holding it).
SQLITE_STEPS_PER_NAME = 6
SQLITE_STEPS_PER_ROW_FOUND = 10
# SQLite: a text is common if this many rows hold it (FTS5 stops counting there, cheaply).
COMMON = 100
# PostgreSQL, whose trigram index can only count them all: how common a text is in the rows
# of 20 pages of the directory, the same ones each time (or all of a smaller directory).
SAMPLE_PAGES = 20
SAMPLE = (
    "SELECT COUNT(*) AS seen, COUNT(*) FILTER (WHERE search LIKE %s ESCAPE '!') AS held"
    f" FROM rv_directory TABLESAMPLE SYSTEM (LEAST(100, 100.0 * {SAMPLE_PAGES} / GREATEST(1,"
    " pg_relation_size('rv_directory') / current_setting('block_size')::int))) REPEATABLE (0)"
    " WHERE kind = %s"
)
ORDER = (("name", "name"), ("id", "id"))
KEYS = ("name", "id")


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its % and _ taken literally (ESCAPE '!')."""
    escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def fts_phrase(text: str) -> str:
    """An FTS5 query for `text` as one phrase: with the trigram tokenizer, rows holding it."""
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class Match:
    """WHERE conditions and their parameters; `by_candidates` when they name the few rows
    to read (then the query should not also steer SQLite to its name index: `+kind`)."""

    where: list[str]
    params: list[Any]
    by_candidates: bool = False


def matching(recorder: Any, prefix: str, query: str, *, postgres: bool, few: bool = False) -> Match:
    """Conditions for directory rows (`prefix`: the table's alias and a dot, or "") whose
    name, email or phone holds `query` in any case; `few`: SQLite has counted fewer than
    `FEW` rows holding it already."""
    folded = query.casefold()
    if keyed():  # the directory's own rows (prefix ""): the name, or an exact email or phone
        clause, values = search_clause(like_pattern(folded), query)
        return Match([clause], list(values))
    where, params = [f"{prefix}search LIKE %s ESCAPE '!'"], [like_pattern(folded)]
    if postgres or len(folded) < SHORTEST_INDEXED:
        return Match(where, params)
    phrase = fts_phrase(folded)
    if not few and held_by(recorder, folded, FEW) >= FEW:
        return Match(where, params)
    return Match([*where, f"{prefix}entry IN ({CANDIDATES})"], [*params, phrase], True)


def directory_page(
    recorder: Any,
    kind: str,
    query: str,
    limit: int,
    cursor: str | None,
    cursors: Cursors,
    *,
    postgres: bool,
) -> Page:
    """A page of the directory's rows of this kind in name order, those holding `query`
    in their name, email or phone if it is given."""
    where, params = ["kind = %s"], [kind]
    if query:
        common = worth_walking(recorder, kind, query, limit, postgres=postgres)
        if common:
            pattern, after = like_pattern(query.casefold()), cursors.open(cursor, KEYS)
            rows = walked(recorder, kind, pattern, after, limit, postgres=postgres)
            if rows is not None:  # found within the budget
                return page_of(rows, limit, KEYS, cursors)
        few = not common and COMMON <= FEW  # SQLite has counted fewer than COMMON holders
        found = matching(recorder, "", query, postgres=postgres, few=few)
        if found.by_candidates:
            where = ["+kind = %s"]  # read the few candidates, not the name index
        where += found.where
        params += found.params
    return keyset_page(
        recorder, "SELECT * FROM rv_directory", where, params, ORDER, limit, cursor, cursors
    )


def worth_walking(recorder: Any, kind: str, query: str, limit: int, *, postgres: bool) -> bool:
    """Whether so many rows hold `query` that a walk of the names in order may well fill
    the page within the budget (a text too short for the index is walked anyway)."""
    folded = query.casefold()
    if keyed() or len(folded) < SHORTEST_INDEXED:
        return False
    if postgres:
        sample = recorder.query(SAMPLE, [like_pattern(folded), kind])[0]
        return bool(sample["seen"]) and sample["held"] * WALK_BUDGET >= (limit + 1) * sample["seen"]
    return held_by(recorder, folded, COMMON) >= COMMON


def held_by(recorder: Any, folded: str, most: int) -> int:
    """How many rows hold the text (SQLite), counting up to `most`: FTS5 stops there."""
    rows = recorder.query(
        f"SELECT COUNT(*) AS n FROM ({CANDIDATES} LIMIT {most})", [fts_phrase(folded)]
    )
    return int(rows[0]["n"])


def walked(
    recorder: Any, kind: str, pattern: str, after: list[Any] | None, limit: int, *, postgres: bool
) -> list[dict[str, Any]] | None:
    """The page of rows holding the LIKE `pattern` after `after` (the sort key of the last
    row sent, if any), and one more if there are more, found by walking the names in order
    within the budget; None if the budget ran out first."""
    start, start_params = after_key(ORDER, after) if after else ("1 = 1", [])
    holds = "search LIKE %s ESCAPE '!'"
    if postgres:  # a walk of the name index (alone, on pages a vacuum marked all-visible)
        sql = (
            "SELECT d.* FROM (SELECT name, id, search FROM rv_directory WHERE kind = %s"
            f" AND {start} ORDER BY name, id LIMIT {WALK_BUDGET}) AS walked"
            " JOIN rv_directory d ON d.kind = %s AND d.id = walked.id"
            f" WHERE walked.{holds} ORDER BY walked.name, walked.id LIMIT {limit + 1}"
        )
        params = [kind, *start_params, kind, pattern]
        rows = recorder.query(sql, params, in_index_order=True)
        return rows if len(rows) > limit else None  # not full: the budget may have run out
    # SQLite would read the whole budget of such a subquery first, and finding the budget's
    # last name to stop at is a walk of its own; SQLite's step counter bounds it instead.
    sql = (
        f"SELECT * FROM rv_directory WHERE kind = %s AND {start} AND {holds}"
        f" ORDER BY name, id LIMIT {limit + 1}"
    )
    params = [kind, *start_params, pattern]
    steps = WALK_BUDGET * SQLITE_STEPS_PER_NAME + (limit + 1) * SQLITE_STEPS_PER_ROW_FOUND
    return recorder.query_within(sql, params, steps)
