-- 0010: sync through a shared folder (issue 19; docs/sync.md).
--
-- Why: each device appends its answers to its own log in a folder that git
-- or a folder-sync tool copies around. This database remembers who it is,
-- how far it has read every other device's log, and every answer the logs
-- hold, so that a sync finds its own new answers (and undos) by difference
-- and merges the others' exactly once.

-- This database as a device: one row once `recall sync` ran.
CREATE TABLE sync_device (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    -- 32 hex digits, random; the name of its folder in DIR.
    device       TEXT NOT NULL,
    -- 32 hex digits in the log's first line; new when the log starts again.
    incarnation  TEXT NOT NULL,
    -- The own log as this database last wrote it: its length, the seq of
    -- its last line and that line's hash (a longer or different file was
    -- written by someone else, or by a sync killed before its commit).
    own_bytes    INTEGER NOT NULL DEFAULT 0,
    own_seq      INTEGER NOT NULL DEFAULT -1,
    own_hash     TEXT NOT NULL DEFAULT '',
    -- Unix ms of the last sync that completed.
    last_sync    INTEGER,
    -- The review log at that sync's commit, when every answer in it was in
    -- `sync_answers`: its largest id (ids are never reused, so an answer
    -- since has a larger one) and its size (smaller, less the answers
    -- since: some were taken back). A sync looks at no more than that.
    reviews_max  INTEGER NOT NULL DEFAULT 0,
    reviews_rows INTEGER NOT NULL DEFAULT 0
) STRICT;

-- How far each other device's log has been read.
CREATE TABLE sync_peers (
    device       TEXT PRIMARY KEY,
    incarnation  TEXT NOT NULL,
    bytes        INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    -- FNV-1a of the last line read, 16 hex digits.
    hash         TEXT NOT NULL,
    -- Unix ms of the newest answer or undo read from it.
    last_event   INTEGER,
    events       INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Every answer the logs hold, by its identity (deck, card key, millisecond).
CREATE TABLE sync_answers (
    deck         TEXT NOT NULL,
    card         TEXT NOT NULL,
    reviewed_at  INTEGER NOT NULL,
    utc_offset   INTEGER NOT NULL,
    day          INTEGER NOT NULL,
    grade        INTEGER NOT NULL,
    cram         INTEGER NOT NULL CHECK (cram IN (0, 1)),
    duration_ms  INTEGER NOT NULL,
    -- The device whose log holds the answer.
    origin       TEXT NOT NULL,
    -- The device whose log took it back; NULL while it stands. An undo
    -- read before its answer is kept too: undo wins, in any order.
    undone_by    TEXT,
    -- 1 once this database's review log has held it: only then is its
    -- absence an undo made here (a card not here yet keeps it pending).
    applied      INTEGER NOT NULL CHECK (applied IN (0, 1)),
    PRIMARY KEY (deck, card, reviewed_at)
) STRICT, WITHOUT ROWID;

-- Each card's suspension and burial as the logs last set them: the newest
-- `state` event wins (by its time, then device id), on every device alike.
CREATE TABLE sync_states (
    deck          TEXT NOT NULL,
    card          TEXT NOT NULL,
    suspended     INTEGER NOT NULL CHECK (suspended IN (0, 1)),
    buried_until  INTEGER,
    changed_at    INTEGER NOT NULL,
    origin        TEXT NOT NULL,
    PRIMARY KEY (deck, card)
) STRICT, WITHOUT ROWID;
