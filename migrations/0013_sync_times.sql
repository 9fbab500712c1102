-- 0013: the times of card-state changes, and the state events of a sync
-- (issue 19; docs/sync.md › Card events).
--
-- Why: a sync tells the other devices of a suspension, a burial, a reset,
-- a deletion and a deck rename, and the newest change wins everywhere. The
-- time that decides must be when the change was made (the command's clock,
-- RECALL_NOW included), not when a later sync noticed it; and resets must
-- be remembered for good, since every replay of the card's log (a merge
-- of another device's answers) starts over from new at each.

-- When this device last changed a card's suspension or burial (unix ms).
-- A card without a row was never changed so.
CREATE TABLE card_times (
    card      INTEGER PRIMARY KEY,
    flags_at  INTEGER
) STRICT;

-- Every reset of a card (here or read from a log): a replay of its log
-- starts from new again at each, as the answers after it were given.
CREATE TABLE card_resets (
    card   INTEGER NOT NULL,
    at_ms  INTEGER NOT NULL,
    PRIMARY KEY (card, at_ms)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER card_times_gone AFTER DELETE ON cards BEGIN
    DELETE FROM card_times WHERE card = old.id;
    DELETE FROM card_resets WHERE card = old.id;
END;

-- Cards deleted here that no sync has told the others of yet, by name
-- (their rows are gone): the deletion's time.
CREATE TABLE deleted_cards (
    deck   TEXT NOT NULL,
    card   TEXT NOT NULL,
    at_ms  INTEGER NOT NULL,
    PRIMARY KEY (deck, card)
) STRICT, WITHOUT ROWID;

-- Each deck's name as the logs know it (as it was made, before its first
-- sync), and when it was renamed here since (NULL: not renamed): a name
-- here that differs is a rename to send.
CREATE TABLE sync_decks (
    deck        INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    renamed_at  INTEGER
) STRICT;

INSERT INTO sync_decks (deck, name) SELECT id, name FROM decks;

CREATE TRIGGER sync_decks_new AFTER INSERT ON decks BEGIN
    INSERT OR IGNORE INTO sync_decks (deck, name) VALUES (new.id, new.name);
END;

-- Every reset the logs hold.
CREATE TABLE sync_resets (
    deck   TEXT NOT NULL,
    card   TEXT NOT NULL,
    at_ms  INTEGER NOT NULL,
    PRIMARY KEY (deck, card, at_ms)
) STRICT, WITHOUT ROWID;

-- The newest deletion of each card the logs hold, and its newest revival
-- (imported again after it): the card is gone while deleted_at is the
-- later, and its answers up to deleted_at are gone for good.
CREATE TABLE sync_deletes (
    deck        TEXT NOT NULL,
    card        TEXT NOT NULL,
    deleted_at  INTEGER,
    revived_at  INTEGER,
    PRIMARY KEY (deck, card)
) STRICT, WITHOUT ROWID;

-- Every deck rename the logs hold, by its time and device: folded in that
-- order, they give each deck its one name on every device.
CREATE TABLE sync_renames (
    from_name  TEXT NOT NULL,
    to_name    TEXT NOT NULL,
    at_ms      INTEGER NOT NULL,
    origin     TEXT NOT NULL,
    PRIMARY KEY (at_ms, origin, from_name)
) STRICT, WITHOUT ROWID;
