#!/usr/bin/env python3
"""baseline.py - what a user would otherwise write: PyYAML (libyaml's CSafeLoader)
and the sqlite3 module, loading the same files into the same tables.

usage: baseline.py SCHEMA.sql DB FILE...

The same rows as annals and bench/floor.c in every table (files, actors,
places, sources, events, the name and parent tables, the event link tables)
and the full-text rebuild, in one transaction, with the schema's indexes in
place. What such a script would not do: validate, compute date bounds (0),
fold names (lower case only) or keep positions (line and col 0). DB must not
exist yet. Prints the seconds it took.
"""
import os
import sqlite3
import sys
import time

import yaml

if not hasattr(yaml, "CSafeLoader"):
    sys.exit("baseline.py: PyYAML was built without libyaml (no yaml.CSafeLoader)")


class Loader(yaml.CSafeLoader):
    """libyaml's loader, keeping dates as written (no timestamp resolution)."""


Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


def text(v):
    return None if v is None else str(v)


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: baseline.py SCHEMA.sql DB FILE...")
    schema, path, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    if os.path.exists(path):
        sys.exit("baseline.py: %s exists: the baseline writes a new database" % path)
    t0 = time.monotonic()
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
    db.executescript(open(schema, encoding="utf-8").read())
    db.execute("BEGIN")
    for file_id, name in enumerate(files, 1):
        db.execute("INSERT INTO files(id, path, hash, size) VALUES (?, ?, ?, ?)",
                   (file_id, name, "0" * 16, os.path.getsize(name)))
        with open(name, encoding="utf-8") as f:
            for doc in yaml.load_all(f, Loader=Loader):
                for section, records in (doc or {}).items():
                    for r in records or []:
                        load(db, section, r, file_id)
    db.execute("INSERT INTO events_fts(events_fts) VALUES('rebuild')")
    db.execute("COMMIT")
    db.close()
    print("%.3f" % (time.monotonic() - t0))


def names(db, table, rid, r):
    rows = [(rid, rid, rid.lower(), rid.lower(), 0, 0, 0)]
    if r.get("name"):
        n = str(r["name"])
        rows.append((rid, n, n.lower(), n.lower(), 0, 0, 0))
    for a in as_list(r.get("aliases")):
        a = str(a)
        rows.append((rid, a, a.lower(), a.lower(), 1, 0, 0))
    db.executemany("INSERT INTO %s VALUES (?, ?, ?, ?, ?, ?, ?)" % table, rows)


def load(db, section, r, file_id):
    rid = str(r["id"])
    if section == "actors":
        db.execute("INSERT INTO actors(id, name, kind, description, file_id, line, col) "
                   "VALUES (?, ?, ?, ?, ?, 0, 0)",
                   (rid, text(r.get("name")), text(r.get("kind")),
                    text(r.get("description")), file_id))
        names(db, "actor_names", rid, r)
        for p in as_list(r.get("part_of")):
            db.execute("INSERT OR IGNORE INTO actor_parents VALUES (?, ?, 0, 0)", (rid, str(p)))
    elif section == "places":
        c = r.get("coords") or [None, None]
        db.execute("INSERT INTO places(id, name, kind, lat, lon, file_id, line, col) "
                   "VALUES (?, ?, ?, ?, ?, ?, 0, 0)",
                   (rid, text(r.get("name")), text(r.get("kind")), c[0], c[1], file_id))
        names(db, "place_names", rid, r)
        for p in as_list(r.get("within")):
            db.execute("INSERT OR IGNORE INTO place_parents VALUES (?, ?, 0, 0)", (rid, str(p)))
    elif section == "sources":
        keys = ("title", "publisher", "author", "published", "accessed", "url", "notes")
        db.execute("INSERT INTO sources(id, title, publisher, author, published, accessed, "
                   "url, notes, file_id, line, col) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
                   (rid,) + tuple(text(r.get(k)) for k in keys) + (file_id,))
    elif section == "events":
        db.execute("INSERT INTO events(id, date, lower, upper, precision, title, summary, "
                   "type, notes, file_id, line, col) VALUES (?, ?, 0, 0, 'day', ?, ?, ?, ?, ?, "
                   "0, 0)",
                   (rid, text(r.get("date")), text(r.get("title")), text(r.get("summary")),
                    text(r.get("type")), text(r.get("notes")), file_id))
        for i, a in enumerate(as_list(r.get("actors"))):
            a = a if isinstance(a, dict) else {"id": a}
            db.execute("INSERT INTO event_actors VALUES (?, ?, ?, ?, 0, 0)",
                       (rid, i, str(a["id"]), text(a.get("role"))))
        for i, s in enumerate(as_list(r.get("sources"))):
            s = s if isinstance(s, dict) else {"id": s}
            db.execute("INSERT INTO event_sources VALUES (?, ?, ?, ?, ?, 0, 0)",
                       (rid, i, str(s["id"]), text(s.get("quote")), text(s.get("locator"))))
        for i, p in enumerate(as_list(r.get("places"))):
            db.execute("INSERT INTO event_places VALUES (?, ?, ?, 0, 0)", (rid, i, str(p)))
        for i, t in enumerate(as_list(r.get("tags"))):
            db.execute("INSERT INTO event_tags VALUES (?, ?, ?)", (rid, i, str(t)))
        for i, f in enumerate(as_list(r.get("figures"))):
            db.execute("INSERT INTO event_figures VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (rid, i, str(f["name"]), f["value"], f.get("low"), f.get("high"),
                        text(f.get("unit"))))
        if r.get("part_of"):
            db.execute("INSERT OR IGNORE INTO event_parents VALUES (?, ?, 0, 0)",
                       (rid, str(r["part_of"])))


if __name__ == "__main__":
    main()
