-- annals database schema, version 3 (PRAGMA user_version = 3).
-- The database mirrors the dataset's files: `annals load` replaces all of it
-- in one transaction. See docs/schema.md for a tour and example queries.
--
-- Dates: `lower` and `upper` are inclusive bounds in seconds since
-- 1970-01-01T00:00:00Z on the proleptic Gregorian calendar (negative before
-- 1970, astronomical years: 0 is 1 BCE). An open end ("..") is the smallest
-- or largest 64-bit integer. Positions (`line`, `col`) are 1-based.

CREATE TABLE files (
    id      INTEGER PRIMARY KEY,
    path    TEXT NOT NULL UNIQUE,      -- as given on the command line
    hash    TEXT NOT NULL,             -- 64-bit content fingerprint, hex
    size    INTEGER NOT NULL
);

CREATE TABLE actors (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT,                  -- person, state, organization, armed-group, coalition, other
    description TEXT,
    file_id     INTEGER NOT NULL REFERENCES files(id),
    line        INTEGER NOT NULL,
    col         INTEGER NOT NULL
);

CREATE TABLE places (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    kind    TEXT,                      -- region, country, admin, city, site, other
    lat     REAL,                      -- decimal degrees, NULL when no coords
    lon     REAL,
    file_id INTEGER NOT NULL REFERENCES files(id),
    line    INTEGER NOT NULL,
    col     INTEGER NOT NULL
);

CREATE TABLE sources (
    id        TEXT PRIMARY KEY,
    title     TEXT NOT NULL,
    publisher TEXT,
    author    TEXT,
    published TEXT,                    -- EDTF as written
    accessed  TEXT,                    -- EDTF as written
    url       TEXT,
    notes     TEXT,
    file_id   INTEGER NOT NULL REFERENCES files(id),
    line      INTEGER NOT NULL,
    col       INTEGER NOT NULL
);

CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    date        TEXT NOT NULL,         -- EDTF as written
    lower       INTEGER NOT NULL,      -- inclusive bounds, seconds (see above)
    upper       INTEGER NOT NULL,
    precision   TEXT NOT NULL,         -- century, decade, year, season, month, day, second
    uncertain   INTEGER NOT NULL DEFAULT 0,   -- 1 when any side is marked ? or %
    approximate INTEGER NOT NULL DEFAULT 0,   -- 1 when any side is marked ~ or %
    title       TEXT NOT NULL,
    summary     TEXT,
    type        TEXT,
    notes       TEXT,
    file_id     INTEGER NOT NULL REFERENCES files(id),
    line        INTEGER NOT NULL,
    col         INTEGER NOT NULL
);

-- What each file holds (reloads replace the rows of changed files).
CREATE INDEX actors_file ON actors(file_id);
CREATE INDEX places_file ON places(file_id);
CREATE INDEX sources_file ON sources(file_id);
CREATE INDEX events_file ON events(file_id);

-- Chronological order: lower bound, then upper bound (what ends first comes
-- first; an open end is the largest bound, so it comes last), then id.
-- Date and type filters ride on this walk (they are rarely selective).
CREATE INDEX events_chrono ON events(lower, upper, id);

-- Names by which an actor or place can be found: its id, name and aliases,
-- lower-cased (`key`) and also folded (`folded`: lower case without diacritics).
CREATE TABLE actor_names (
    actor_id TEXT NOT NULL,            -- actors(id)
    name     TEXT NOT NULL,            -- as written
    key      TEXT NOT NULL,
    folded   TEXT NOT NULL,
    is_alias INTEGER NOT NULL,         -- 0 id or name, 1 alias
    line     INTEGER NOT NULL,
    col      INTEGER NOT NULL
);
CREATE INDEX actor_names_key ON actor_names(key);
CREATE INDEX actor_names_folded ON actor_names(folded);

CREATE TABLE place_names (
    place_id TEXT NOT NULL,            -- places(id)
    name     TEXT NOT NULL,
    key      TEXT NOT NULL,
    folded   TEXT NOT NULL,
    is_alias INTEGER NOT NULL,
    line     INTEGER NOT NULL,
    col      INTEGER NOT NULL
);
CREATE INDEX place_names_key ON place_names(key);
CREATE INDEX place_names_folded ON place_names(folded);

-- Hierarchies: actor part_of actor, place within place, event part_of event.
CREATE TABLE actor_parents (
    actor_id  TEXT NOT NULL,           -- actors(id)
    parent_id TEXT NOT NULL,           -- actors(id)
    line      INTEGER NOT NULL,
    col       INTEGER NOT NULL,
    PRIMARY KEY (actor_id, parent_id)
) WITHOUT ROWID;
CREATE INDEX actor_parents_parent ON actor_parents(parent_id);

CREATE TABLE place_parents (
    place_id  TEXT NOT NULL,
    parent_id TEXT NOT NULL,
    line      INTEGER NOT NULL,
    col       INTEGER NOT NULL,
    PRIMARY KEY (place_id, parent_id)
) WITHOUT ROWID;
CREATE INDEX place_parents_parent ON place_parents(parent_id);

CREATE TABLE event_parents (
    event_id  TEXT PRIMARY KEY,        -- events(id); an event is part of at most one
    parent_id TEXT NOT NULL,           -- events(id)
    line      INTEGER NOT NULL,
    col       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX event_parents_parent ON event_parents(parent_id);

-- Links of an event; `seq` keeps the order in which the file lists them.
CREATE TABLE event_actors (
    event_id TEXT NOT NULL,            -- events(id)
    seq      INTEGER NOT NULL,
    actor_id TEXT NOT NULL,            -- actors(id)
    role     TEXT,
    line     INTEGER NOT NULL,
    col      INTEGER NOT NULL,
    PRIMARY KEY (event_id, seq)
) WITHOUT ROWID;
CREATE INDEX event_actors_actor ON event_actors(actor_id, event_id);

CREATE TABLE event_places (
    event_id TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    place_id TEXT NOT NULL,            -- places(id)
    line     INTEGER NOT NULL,
    col      INTEGER NOT NULL,
    PRIMARY KEY (event_id, seq)
) WITHOUT ROWID;
CREATE INDEX event_places_place ON event_places(place_id, event_id);

CREATE TABLE event_tags (
    event_id TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    tag      TEXT NOT NULL,
    PRIMARY KEY (event_id, seq)
) WITHOUT ROWID;
CREATE INDEX event_tags_tag ON event_tags(tag, event_id);

CREATE TABLE event_sources (
    event_id  TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    source_id TEXT NOT NULL,           -- sources(id)
    quote     TEXT,
    locator   TEXT,
    line      INTEGER NOT NULL,
    col       INTEGER NOT NULL,
    PRIMARY KEY (event_id, seq)
) WITHOUT ROWID;
CREATE INDEX event_sources_source ON event_sources(source_id, event_id);

CREATE TABLE event_figures (
    event_id TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    name     TEXT NOT NULL,
    value    REAL NOT NULL,
    low      REAL,
    high     REAL,
    unit     TEXT,
    PRIMARY KEY (event_id, seq)
) WITHOUT ROWID;

-- Full text (`--text`): an event's title, summary and notes, the quotes of its
-- sources and the descriptions of its actors, in one row per event (the view
-- events_text); diacritics folded. Positions are kept: a word such as
-- "al-Baghdadi" is a phrase of two tokens.
CREATE VIEW events_text(event_rowid, title, summary, notes, quotes, descriptions) AS
SELECT e.rowid, e.title, e.summary, e.notes,
       (SELECT group_concat(quote, ' ') FROM (SELECT quote FROM event_sources
         WHERE event_id = e.id ORDER BY seq)),
       (SELECT group_concat(description, ' ') FROM (SELECT a.description FROM event_actors x
         JOIN actors a ON a.id = x.actor_id WHERE x.event_id = e.id ORDER BY x.seq))
FROM events e;
CREATE VIRTUAL TABLE events_fts USING fts5(
    title, summary, notes, quotes, descriptions,
    content='events_text', content_rowid='event_rowid',
    tokenize='unicode61 remove_diacritics 2'
);
