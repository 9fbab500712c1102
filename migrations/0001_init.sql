-- 0001: the first schema. Never edit a shipped migration; add a new file instead.
--
-- Times are stored as integers so that the hot queries compare numbers:
--   *_at  : Unix milliseconds (UTC)
--   day   : the study day (local date with the rollover hour applied) as days since 1970-01-01
-- The e-factor is kept in thousandths (2500 = 2.5) so SM-2 arithmetic is exact.

CREATE TABLE decks (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    description TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE cards (
    id           INTEGER PRIMARY KEY,
    deck_id      INTEGER NOT NULL REFERENCES decks(id) ON DELETE CASCADE,
    key          TEXT    NOT NULL,             -- the card's stable id within its deck
    front        TEXT    NOT NULL,
    back         TEXT    NOT NULL,
    notes        TEXT    NOT NULL DEFAULT '',
    tags         TEXT    NOT NULL DEFAULT '',  -- space-separated
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    -- scheduling state (SM-2)
    repetitions  INTEGER NOT NULL DEFAULT 0,
    efactor      INTEGER NOT NULL DEFAULT 2500,
    interval     INTEGER NOT NULL DEFAULT 0,
    due          INTEGER,                      -- NULL while the card is new
    lapses       INTEGER NOT NULL DEFAULT 0,
    last_review  INTEGER,
    suspended    INTEGER NOT NULL DEFAULT 0,
    buried_until INTEGER,                      -- hidden while today < buried_until
    UNIQUE (deck_id, key)
) STRICT;

-- Today's queue reads due cards oldest-first, and new cards deck by deck.
CREATE INDEX cards_due ON cards (due) WHERE due IS NOT NULL AND suspended = 0;
CREATE INDEX cards_new ON cards (deck_id, id) WHERE due IS NULL AND suspended = 0;

CREATE TABLE reviews (
    id              INTEGER PRIMARY KEY,
    card_id         INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    reviewed_at     INTEGER NOT NULL,
    utc_offset      INTEGER NOT NULL,          -- seconds east of UTC at answer time
    day             INTEGER NOT NULL,
    grade           INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 5),
    kind            INTEGER NOT NULL CHECK (kind IN (0, 1, 2)), -- 0 schedule, 1 re-drill, 2 cram
    duration_ms     INTEGER NOT NULL DEFAULT 0,
    reps_before     INTEGER NOT NULL,
    ef_before       INTEGER NOT NULL,
    interval_before INTEGER NOT NULL,
    due_before      INTEGER,
    lapses_before   INTEGER NOT NULL,
    last_before     INTEGER,
    reps_after      INTEGER NOT NULL,
    ef_after        INTEGER NOT NULL,
    interval_after  INTEGER NOT NULL,
    due_after       INTEGER,
    lapses_after    INTEGER NOT NULL
) STRICT;

-- Today's answers (limits, re-drills) and per-day statistics read by day.
CREATE INDEX reviews_day ON reviews (day, card_id);
CREATE INDEX reviews_card ON reviews (card_id, reviewed_at);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
