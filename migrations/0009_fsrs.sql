-- 0009: FSRS beside SM-2 (issue 18), chosen per deck.
--
-- Why: a deck may be scheduled by FSRS instead of SM-2. The cards keep
-- SM-2's columns (due, interval, repetitions, lapses: what queues and
-- statistics read) and gain FSRS's memory state; switching a deck replays
-- its log into them, and switching back restores SM-2's exact state from
-- `sm2_states`, kept when the deck left SM-2.

-- NULL: the deck follows the config file's default (`scheduler`,
-- `desired_retention`), itself sm2 and 0.9 unless set.
ALTER TABLE decks ADD COLUMN scheduler TEXT CHECK (scheduler IN ('sm2', 'fsrs'));
ALTER TABLE decks ADD COLUMN retention REAL CHECK (retention > 0 AND retention < 1);
-- The algorithm the deck's card states were computed by: when the
-- effective one differs (the config default changed), the deck is replayed.
ALTER TABLE decks ADD COLUMN states_by TEXT NOT NULL DEFAULT 'sm2'
    CHECK (states_by IN ('sm2', 'fsrs'));

-- FSRS's memory state; NULL for a new card and under SM-2.
ALTER TABLE cards ADD COLUMN stability REAL;
ALTER TABLE cards ADD COLUMN difficulty REAL;

-- The memory state before each FSRS answer, so that undo restores it.
ALTER TABLE reviews ADD COLUMN stability_before REAL;
ALTER TABLE reviews ADD COLUMN difficulty_before REAL;

-- A card's SM-2 state when its deck left SM-2, and its newest answer then:
-- switching back starts from it and replays only the answers given since.
CREATE TABLE sm2_states (
    card_id      INTEGER PRIMARY KEY REFERENCES cards(id) ON DELETE CASCADE,
    repetitions  INTEGER NOT NULL,
    efactor      INTEGER NOT NULL,
    interval     INTEGER NOT NULL,
    due          INTEGER,
    lapses       INTEGER NOT NULL,
    last_review  INTEGER,
    last_answer  INTEGER NOT NULL            -- reviews.id, 0 for none
) STRICT;

-- Parameters fitted by `recall fsrs optimize`: one row per deck, and one
-- with deck_id NULL for every deck without its own.
CREATE TABLE fsrs_params (
    deck_id   INTEGER REFERENCES decks(id) ON DELETE CASCADE,
    params    TEXT    NOT NULL,              -- JSON array of the crate's 21 floats
    fitted_on INTEGER NOT NULL,              -- the study day of the fit
    reviews   INTEGER NOT NULL               -- how many reviews they rest on
) STRICT;
CREATE UNIQUE INDEX fsrs_params_deck ON fsrs_params (IFNULL(deck_id, 0));
