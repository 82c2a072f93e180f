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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.projections.directory_keys import keyed, search_clause

SHORTEST_INDEXED = 3  # a trigram index knows nothing of texts shorter than a trigram
# Up to this many rows holding the text, listing them beats walking the directory by name.
FEW = 1000
CANDIDATES = "SELECT rowid FROM rv_directory_search WHERE rv_directory_search MATCH %s"


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


def matching(recorder: Any, prefix: str, query: str, *, postgres: bool) -> Match:
    """Conditions for directory rows (`prefix`: the table's alias and a dot, or "") whose
    name, email or phone holds `query` in any case."""
    folded = query.casefold()
    if keyed():  # the directory's own rows (prefix ""): the name, or an exact email or phone
        clause, values = search_clause(like_pattern(folded), query)
        return Match([clause], list(values))
    where, params = [f"{prefix}search LIKE %s ESCAPE '!'"], [like_pattern(folded)]
    if postgres or len(folded) < SHORTEST_INDEXED:
        return Match(where, params)
    phrase = fts_phrase(folded)
    held = recorder.query(f"SELECT COUNT(*) AS n FROM ({CANDIDATES} LIMIT {FEW})", [phrase])
    if held[0]["n"] >= FEW:
        return Match(where, params)
    return Match([*where, f"{prefix}entry IN ({CANDIDATES})"], [*params, phrase], True)
