-- 0005: deck, card and review ids are never handed out twice.
--
-- Why: they were plain rowids (INTEGER PRIMARY KEY), and SQLite gives a new
-- row the largest id plus one, so deleting the newest answer (`recall undo`)
-- or card (`import --prune`) let the next one take its id. A session that
-- still held the old id then acted on a stranger: an undo removed another
-- process's answer, a grade landed on a card that was never shown.
-- AUTOINCREMENT keeps the largest id ever used in `sqlite_sequence`.
--
-- SQLite cannot add AUTOINCREMENT to a table; this is its documented
-- rebuild (lang_altertable.html, "Making Other Kinds Of Table Schema
-- Changes"), inside the migration's one transaction. Foreign keys stay on
-- (a pragma cannot change inside a transaction), so no table is dropped
-- while another still refers to it: a drop would cascade into the copy.
-- The old tables are renamed aside, the new ones (the definitions of
-- 0001, 0002 and 0004, word for word, plus AUTOINCREMENT) take the names,
-- rows are copied with their ids, the old tables go child first, and the
-- indexes and triggers of 0001-0003 are created again exactly as they were.
-- `review_days` refers to decks, so it is rebuilt too (unchanged).
--
-- The sequences start at the largest id each table holds now. An id
-- deleted before this migration (a newest answer undone, a newest card
-- pruned) was never recorded anywhere and could still come back once;
-- that knowledge is lost, and the current maximum is the best there is.

DROP TRIGGER review_days_insert;
DROP TRIGGER review_days_delete;
DROP TRIGGER cards_delete_reviews;
DROP INDEX cards_due;
DROP INDEX cards_new;
DROP INDEX cards_stats;
DROP INDEX cards_deck_due;
DROP INDEX reviews_day;
DROP INDEX reviews_card;

ALTER TABLE reviews RENAME TO reviews_0004;
ALTER TABLE cards RENAME TO cards_0004;
ALTER TABLE review_days RENAME TO review_days_0004;
ALTER TABLE decks RENAME TO decks_0004;

CREATE TABLE decks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    description TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE cards (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
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

CREATE TABLE reviews (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
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
    lapses_after    INTEGER NOT NULL,
    anki_kind       INTEGER CHECK (anki_kind BETWEEN 0 AND 3) -- see 0004
) STRICT;

CREATE TABLE review_days (
    day            INTEGER NOT NULL,
    deck_id        INTEGER NOT NULL REFERENCES decks(id) ON DELETE CASCADE,
    reviews        INTEGER NOT NULL DEFAULT 0,  -- kind 0: scheduling answers
    redrills       INTEGER NOT NULL DEFAULT 0,  -- kind 1
    cram           INTEGER NOT NULL DEFAULT 0,  -- kind 2
    duration_ms    INTEGER NOT NULL DEFAULT 0,  -- every kind
    young          INTEGER NOT NULL DEFAULT 0,
    young_passed   INTEGER NOT NULL DEFAULT 0,
    mature         INTEGER NOT NULL DEFAULT 0,
    mature_passed  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, deck_id)
) STRICT, WITHOUT ROWID;

-- Every row, with its id. No trigger exists yet, so copying the log does not
-- count it into `review_days` a second time.
INSERT INTO decks (id, name, description, created_at)
SELECT id, name, description, created_at FROM decks_0004;

INSERT INTO cards (id, deck_id, key, front, back, notes, tags, created_at, updated_at,
                   repetitions, efactor, interval, due, lapses, last_review, suspended,
                   buried_until)
SELECT id, deck_id, key, front, back, notes, tags, created_at, updated_at,
       repetitions, efactor, interval, due, lapses, last_review, suspended, buried_until
FROM cards_0004;

INSERT INTO reviews (id, card_id, reviewed_at, utc_offset, day, grade, kind, duration_ms,
                     reps_before, ef_before, interval_before, due_before, lapses_before,
                     last_before, reps_after, ef_after, interval_after, due_after,
                     lapses_after, anki_kind)
SELECT id, card_id, reviewed_at, utc_offset, day, grade, kind, duration_ms,
       reps_before, ef_before, interval_before, due_before, lapses_before,
       last_before, reps_after, ef_after, interval_after, due_after,
       lapses_after, anki_kind
FROM reviews_0004;

INSERT INTO review_days (day, deck_id, reviews, redrills, cram, duration_ms,
                         young, young_passed, mature, mature_passed)
SELECT day, deck_id, reviews, redrills, cram, duration_ms,
       young, young_passed, mature, mature_passed
FROM review_days_0004;

-- Child first: a table is dropped only once nothing refers to it.
DROP TABLE reviews_0004;
DROP TABLE cards_0004;
DROP TABLE review_days_0004;
DROP TABLE decks_0004;

-- The sequences: the largest id each table holds (see the top).
DELETE FROM sqlite_sequence WHERE name IN ('decks', 'cards', 'reviews');
INSERT INTO sqlite_sequence (name, seq)
SELECT 'decks', MAX(id) FROM decks HAVING COUNT(*) > 0
UNION ALL SELECT 'cards', MAX(id) FROM cards HAVING COUNT(*) > 0
UNION ALL SELECT 'reviews', MAX(id) FROM reviews HAVING COUNT(*) > 0;

-- 0001
CREATE INDEX cards_due ON cards (due) WHERE due IS NOT NULL AND suspended = 0;
CREATE INDEX cards_new ON cards (deck_id, id) WHERE due IS NULL AND suspended = 0;
CREATE INDEX reviews_day ON reviews (day, card_id);
CREATE INDEX reviews_card ON reviews (card_id, reviewed_at);

-- 0002
CREATE TRIGGER review_days_insert AFTER INSERT ON reviews
BEGIN
    INSERT INTO review_days (day, deck_id, reviews, redrills, cram, duration_ms,
                             young, young_passed, mature, mature_passed)
    VALUES (NEW.day, (SELECT deck_id FROM cards WHERE id = NEW.card_id),
            NEW.kind = 0, NEW.kind = 1, NEW.kind = 2, NEW.duration_ms,
            NEW.kind = 0 AND NEW.interval_before < 21,
            NEW.kind = 0 AND NEW.interval_before < 21 AND NEW.grade >= 3,
            NEW.kind = 0 AND NEW.interval_before >= 21,
            NEW.kind = 0 AND NEW.interval_before >= 21 AND NEW.grade >= 3)
    ON CONFLICT (day, deck_id) DO UPDATE SET
        reviews       = reviews       + excluded.reviews,
        redrills      = redrills      + excluded.redrills,
        cram          = cram          + excluded.cram,
        duration_ms   = duration_ms   + excluded.duration_ms,
        young         = young         + excluded.young,
        young_passed  = young_passed  + excluded.young_passed,
        mature        = mature        + excluded.mature,
        mature_passed = mature_passed + excluded.mature_passed;
END;

CREATE TRIGGER review_days_delete AFTER DELETE ON reviews
BEGIN
    UPDATE review_days SET
        reviews       = reviews       - (OLD.kind = 0),
        redrills      = redrills      - (OLD.kind = 1),
        cram          = cram          - (OLD.kind = 2),
        duration_ms   = duration_ms   - OLD.duration_ms,
        young         = young         - (OLD.kind = 0 AND OLD.interval_before < 21),
        young_passed  = young_passed  - (OLD.kind = 0 AND OLD.interval_before < 21 AND OLD.grade >= 3),
        mature        = mature        - (OLD.kind = 0 AND OLD.interval_before >= 21),
        mature_passed = mature_passed - (OLD.kind = 0 AND OLD.interval_before >= 21 AND OLD.grade >= 3)
    WHERE day = OLD.day AND deck_id = (SELECT deck_id FROM cards WHERE id = OLD.card_id);
END;

CREATE TRIGGER cards_delete_reviews BEFORE DELETE ON cards
BEGIN
    DELETE FROM reviews WHERE card_id = OLD.id;
END;

CREATE INDEX cards_stats ON cards
    (deck_id, suspended, due, interval, repetitions, efactor, lapses, buried_until);

-- 0003
CREATE INDEX cards_deck_due ON cards (deck_id, due) WHERE due IS NOT NULL AND suspended = 0;
