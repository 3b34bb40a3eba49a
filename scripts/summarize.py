"""Print what an extraction left in the DuckDB file: rows per table, date range, where it is."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

DATE_COLUMNS = ("date_time", "start_time")


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
        print(line)  # noqa: T201
    print(f"Open it with: duckdb {path}")  # noqa: T201


if __name__ == "__main__":
    main()
