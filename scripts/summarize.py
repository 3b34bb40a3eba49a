"""Print what an extraction left in the DuckDB file: rows per table, date range, call paths."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from collections.abc import Iterator

DATE_COLUMNS = ("date_time", "start_time")
# A v2 record's place in its call's path: the call it belongs to, and the element it is.
PATH_COLUMNS = frozenset({"call_history_uuid", "call_element_id", "start_time"})
# What a path's line shows of each element, where the table has the column.
ELEMENT_COLUMNS = ("start_time", "direction", "caller_name", "callee_name", "event", "result")


def main() -> None:
    """Summarize the DuckDB file named on the command line."""
    path = Path(sys.argv[1]).resolve()
    if not path.exists():
        print(f"No database at {path}")  # noqa: T201
        raise SystemExit(1)
    connection = duckdb.connect(str(path), read_only=True)
    tables = connection.sql(
        "select table_schema, table_name from information_schema.tables order by 1, 2"
    ).fetchall()
    print(f"DuckDB file: {path}")  # noqa: T201
    for schema, table in tables:
        for line in describe(connection, schema, table):
            print(line)  # noqa: T201
    print(f"Open it with: duckdb {path}")  # noqa: T201


def describe(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> Iterator[str]:
    """A table's rows and date range; for v2 call records, the call paths they make up."""
    qualified = f'"{schema}"."{table}"'
    rows = connection.sql(f"select count(*) from {qualified}").fetchone()  # noqa: S608
    line = f"  {schema}.{table}: {rows[0] if rows else 0} rows"
    columns = {
        row[0]
        for row in connection.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchall()
    }
    for column in DATE_COLUMNS:
        if column in columns:
            first, last = connection.sql(
                f'select min("{column}"), max("{column}") from {qualified}'  # noqa: S608
            ).fetchone() or (None, None)
            line += f", {column} from {first} to {last}"
            break
    yield line
    if columns >= PATH_COLUMNS:
        yield from call_paths(connection, qualified, columns)


def call_paths(
    connection: duckdb.DuckDBPyConnection, qualified: str, columns: set[str]
) -> Iterator[str]:
    """How many calls the elements belong to, how long their paths are, and the longest one."""
    # A call between two users is in both users' histories: an element counts once.
    calls, shortest, longest = connection.sql(
        "select count(*), min(n), max(n) from (select count(distinct call_element_id) as n "  # noqa: S608
        f"from {qualified} group by call_history_uuid)"
    ).fetchone() or (0, 0, 0)
    if not calls:
        return
    yield (
        f"    {calls} calls by call_history_uuid, each a path of {shortest} to {longest} "
        "elements; the longest:"
    )
    shown = [column for column in ELEMENT_COLUMNS if column in columns]
    yield "      " + " | ".join(shown)
    selected = ", ".join(f'"{column}"' for column in shown)
    elements = connection.sql(
        f"select {selected} from (select distinct on (call_element_id) * from {qualified} "  # noqa: S608
        f"where call_history_uuid = (select call_history_uuid from {qualified} "
        "group by call_history_uuid order by count(distinct call_element_id) desc, "
        "call_history_uuid limit 1)) order by start_time, call_element_id"
    ).fetchall()
    for element in elements:
        yield "      " + " | ".join("" if value is None else str(value) for value in element)


if __name__ == "__main__":
    main()
