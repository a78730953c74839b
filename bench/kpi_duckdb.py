#!/usr/bin/env python3
"""One fiscal year's KPI aggregate, set-wise, on SQLite and on DuckDB fed the same rows.

Usage: python3 bench/kpi_duckdb.py DATABASE.db FY

Reads the demo company's people, departments, accounts, held dialogues and commitments
out of a Kyoritsu SQLite database (made by `kyoritsu demo-data --employees 300000
--history`), loads the same rows into an in-memory DuckDB (PyPI `duckdb`; CSV through
the `sqlite3` command line, no extension downloaded), and runs one query on both: per
department, the people, those with a career interview in the FY (interview coverage),
the people whose manager held a 1on1 with them in at least ten of the FY's months
(1on1 cadence), and those with a confirmed, checked commitment from an interview of the
FY (commitment rate). Prints the medians and the ratio. Times are wall-clock medians of
five runs after one warm-up.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time

import duckdb
import sqlite3

QUERY = """
WITH cur AS (
  SELECT id, department_id, manager_id FROM people WHERE tenant_id = {t} AND status <> 'left'
),
held AS (
  SELECT subject_person_id AS person, kind, facilitator_user_id AS by_user, starts_at
  FROM dialogues
  WHERE tenant_id = {t} AND state = 'held' AND starts_at >= '{start}' AND starts_at < '{end}'
),
interviewed AS (
  SELECT DISTINCT person FROM held WHERE kind IN ('career_interview', 'milestone_interview')
),
met AS (
  SELECT h.person, COUNT(DISTINCT substr(h.starts_at, 1, 7)) AS months
  FROM held h JOIN users u ON u.id = h.by_user JOIN cur c ON c.id = h.person
  WHERE h.kind = 'one_on_one' AND u.person_id = c.manager_id
  GROUP BY h.person
),
committed AS (
  SELECT DISTINCT c.subject_person_id AS person
  FROM commitments c JOIN dialogues d ON d.id = c.dialogue_id
  WHERE c.tenant_id = {t} AND c.replaced = FALSE AND c.objective = TRUE AND c.has_start = TRUE
    AND c.confirmed_at IS NOT NULL AND d.starts_at >= '{start}' AND d.starts_at < '{end}'
)
SELECT cur.department_id,
       COUNT(*) AS people,
       COUNT(i.person) AS interviewed,
       SUM(CASE WHEN m.months >= 10 THEN 1 ELSE 0 END) AS monthly,
       COUNT(k.person) AS committed
FROM cur
LEFT JOIN interviewed i ON i.person = cur.id
LEFT JOIN met m ON m.person = cur.id
LEFT JOIN committed k ON k.person = cur.id
GROUP BY cur.department_id
ORDER BY cur.department_id
"""

TABLES = {
    "people": "id, tenant_id, department_id, manager_id, status",
    "users": "id, person_id",
    "dialogues": "id, tenant_id, subject_person_id, kind, facilitator_user_id, starts_at, state",
    "commitments": "id, tenant_id, dialogue_id, subject_person_id, replaced, objective, has_start, confirmed_at",
}


def median_ms(run, times=5):
    run()
    out = []
    for _ in range(times):
        t = time.perf_counter()
        run()
        out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out)


def main():
    db, fy = sys.argv[1], int(sys.argv[2])
    start, end = f"{fy}-03-31T15:00:00", f"{fy + 1}-03-31T15:00:00"
    lite = sqlite3.connect(db)
    (t,) = lite.execute("SELECT id FROM tenants WHERE slug = 'demo'").fetchone()
    q = QUERY.format(t=t, start=start, end=end)
    rows = {name: lite.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0] for name in TABLES}
    print(f"rows: {rows}")
    lite_result = lite.execute(q).fetchall()
    lite_ms = median_ms(lambda: lite.execute(q).fetchall())

    duck = duckdb.connect()
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        for name, cols in TABLES.items():
            path = os.path.join(d, f"{name}.csv")
            with open(path, "w") as f:
                subprocess.run(
                    ["sqlite3", "-csv", "-header", db, f"SELECT {cols} FROM {name}"],
                    stdout=f,
                    check=True,
                )
            texts = {"dialogues": ["starts_at"], "commitments": ["confirmed_at"]}.get(name, [])
            types = ", ".join(f"'{c}': 'VARCHAR'" for c in texts)
            duck.execute(
                f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', header = true"
                + (f", types = {{{types}}})" if types else ")")
            )
        load_s = time.perf_counter() - t0
    duck_result = duck.execute(q).fetchall()
    duck_ms = median_ms(lambda: duck.execute(q).fetchall())
    same = [tuple(int(x or 0) for x in r) for r in lite_result] == [
        tuple(int(x or 0) for x in r) for r in duck_result
    ]
    print(f"FY{fy}: {len(lite_result)} departments; same figures on both: {same}")
    print(f"DuckDB load (CSV from SQLite): {load_s:.1f} s")
    print(f"SQLite  median {lite_ms:9.1f} ms")
    print(f"DuckDB  median {duck_ms:9.1f} ms")
    print(f"ratio SQLite / DuckDB: {lite_ms / duck_ms:.1f}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
