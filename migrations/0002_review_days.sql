-- 0002: per-day, per-deck totals of the review log, kept by triggers.
--
-- Why: statistics over a year of a heavy user's history (a million reviews)
-- must take milliseconds. Scanning `reviews` and joining each row to its card
-- for the deck costs about a microsecond a row; this table holds one row per
-- study day and deck, so `recall stats` for all decks or one deck reads a few
-- thousand rows instead. (A tag scope still reads the log itself.)
--
-- "young" and "mature" split the scheduling answers (kind 0) by the card's
-- interval before the answer: mature when it was 21 days or more.

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

INSERT INTO review_days
SELECT r.day, c.deck_id,
       SUM(r.kind = 0), SUM(r.kind = 1), SUM(r.kind = 2), SUM(r.duration_ms),
       SUM(r.kind = 0 AND r.interval_before < 21),
       SUM(r.kind = 0 AND r.interval_before < 21 AND r.grade >= 3),
       SUM(r.kind = 0 AND r.interval_before >= 21),
       SUM(r.kind = 0 AND r.interval_before >= 21 AND r.grade >= 3)
FROM reviews r JOIN cards c ON c.id = r.card_id
GROUP BY r.day, c.deck_id;

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

-- A deleted card (import --prune) takes its history with it. The cascade on
-- reviews runs after the card row is gone, when the trigger above could no
-- longer find its deck; deleting the reviews first keeps the totals right.
CREATE TRIGGER cards_delete_reviews BEFORE DELETE ON cards
BEGIN
    DELETE FROM reviews WHERE card_id = OLD.id;
END;

-- Statistics count a collection's cards by state, deck, interval and
-- e-factor in a few passes. Covering those columns, this index lets each pass
-- read a few dozen bytes per card instead of whole rows with their text.
CREATE INDEX cards_stats ON cards
    (deck_id, suspended, due, interval, repetitions, efactor, lapses, buried_until);
