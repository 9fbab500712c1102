-- 0008: each deck's cards counted by state and due day, kept by triggers.
--
-- Why: the home screen and `recall decks` count every deck's cards, new
-- ones and those due today. Counting index entries costs about 50 ns an
-- entry: at a million cards in one deck, the deck's total and its new cards
-- alone took over 100 ms per open (the target is 50 ms). This table holds
-- one row per deck, suspended flag and due day (a few thousand rows for a
-- heavy user), so the counts are sums over a few rows. Buried cards are few
-- and short-lived; they are counted from `cards_buried` below and taken
-- off the sums (storage/decks.rs).
--
-- `is_new` is 1 for a card never scheduled (due IS NULL), whose `due` here
-- is 0: a primary key column cannot be NULL.

CREATE TABLE deck_card_counts (
    deck_id   INTEGER NOT NULL REFERENCES decks(id) ON DELETE CASCADE,
    suspended INTEGER NOT NULL,
    is_new    INTEGER NOT NULL,
    due       INTEGER NOT NULL,
    cards     INTEGER NOT NULL,
    PRIMARY KEY (deck_id, suspended, is_new, due)
) STRICT, WITHOUT ROWID;

-- Grouped in the order of `cards_stats`, so SQLite streams the index
-- instead of sorting every card (a group's due is NULL or a day, never both).
INSERT INTO deck_card_counts
SELECT deck_id, suspended, due IS NULL, IFNULL(due, 0), COUNT(*)
FROM cards GROUP BY deck_id, suspended, due;

CREATE TRIGGER deck_card_counts_insert AFTER INSERT ON cards
BEGIN
    INSERT INTO deck_card_counts (deck_id, suspended, is_new, due, cards)
    VALUES (NEW.deck_id, NEW.suspended, NEW.due IS NULL, IFNULL(NEW.due, 0), 1)
    ON CONFLICT (deck_id, suspended, is_new, due) DO UPDATE SET cards = cards + 1;
END;

CREATE TRIGGER deck_card_counts_delete AFTER DELETE ON cards
BEGIN
    UPDATE deck_card_counts SET cards = cards - 1
    WHERE deck_id = OLD.deck_id AND suspended = OLD.suspended
      AND is_new = (OLD.due IS NULL) AND due = IFNULL(OLD.due, 0);
END;

-- Only when the counted columns change: an edit of the text or an answer
-- that leaves the due day where it was costs nothing here.
CREATE TRIGGER deck_card_counts_update AFTER UPDATE OF deck_id, suspended, due ON cards
WHEN OLD.deck_id IS NOT NEW.deck_id OR OLD.suspended IS NOT NEW.suspended
  OR OLD.due IS NOT NEW.due
BEGIN
    UPDATE deck_card_counts SET cards = cards - 1
    WHERE deck_id = OLD.deck_id AND suspended = OLD.suspended
      AND is_new = (OLD.due IS NULL) AND due = IFNULL(OLD.due, 0);
    INSERT INTO deck_card_counts (deck_id, suspended, is_new, due, cards)
    VALUES (NEW.deck_id, NEW.suspended, NEW.due IS NULL, IFNULL(NEW.due, 0), 1)
    ON CONFLICT (deck_id, suspended, is_new, due) DO UPDATE SET cards = cards + 1;
END;

-- Cards hidden until a later day, by deck: the few the sums above must not
-- count as new or due today. A card's `buried_until` stays after its day
-- has passed; the range `buried_until > today` reads only the current ones.
CREATE INDEX cards_buried ON cards (deck_id, buried_until, due)
    WHERE buried_until IS NOT NULL AND suspended = 0;
