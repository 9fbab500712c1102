-- 0006: card search (`recall cards`, the browser), by index at 100 000 cards.
--
-- Why a full-text index: text is matched anywhere in a word ("sync" finds
-- "asynchronously"), case-insensitively, as Anki does. A LIKE scan over the
-- text of 100 000 cards took 50-300 ms (measured with SQLite 3.40 on
-- cards of about 50 words); this trigram index answers in milliseconds.
--   trigram         : every run of three characters is a token, so any
--                     substring of three or more characters is found.
--   case_sensitive 0: folded as Unicode, so "Über" finds "über".
--   detail=none     : no positions: a third of the size of detail=full and
--                     a fifth of its build time. The index only narrows the
--                     candidates (cards holding every trigram of the text);
--                     the query checks each candidate's text itself.
--   content='cards' : the text lives once, in `cards`.
--
-- Why indexed at the first search, not on insert: a trigger indexing each
-- inserted card made a 100 000-card import about 30 times slower (0.5 s to
-- 13-30 s, SQLite 3.40, cards of 40 words); indexing them all in one
-- statement costs a fraction of that, once. So inserts only pass the mark
-- below, and a search first indexes the cards above it (storage/search.rs).
-- Edits and deletions of indexed cards keep the index in step at once.
CREATE VIRTUAL TABLE cards_text USING fts5(
    front, back, notes,
    content = 'cards', content_rowid = 'id',
    tokenize = 'trigram case_sensitive 0', detail = none
);
INSERT INTO cards_text (cards_text) VALUES ('rebuild');

-- Cards with an id up to this one are in `cards_text`.
CREATE TABLE cards_text_state (indexed_through INTEGER NOT NULL) STRICT;
INSERT INTO cards_text_state VALUES ((SELECT IFNULL(MAX(id), 0) FROM cards));

-- A deleted card leaves the index, and the mark comes down to the largest
-- id left. Since 0005 ids are never reused, so this only matters for a
-- database restored from an older copy; it keeps the rule simple: every
-- card above the mark is indexed at the next search.
CREATE TRIGGER cards_text_delete AFTER DELETE ON cards
BEGIN
    INSERT INTO cards_text (cards_text, rowid, front, back, notes)
    SELECT 'delete', OLD.id, OLD.front, OLD.back, OLD.notes
    WHERE OLD.id <= (SELECT indexed_through FROM cards_text_state);
    UPDATE cards_text_state
    SET indexed_through = MIN(indexed_through, (SELECT IFNULL(MAX(id), 0) FROM cards));
END;

-- Only text changes touch the index: an answer updates the schedule alone.
CREATE TRIGGER cards_text_update AFTER UPDATE OF front, back, notes ON cards
WHEN OLD.id <= (SELECT indexed_through FROM cards_text_state)
BEGIN
    INSERT INTO cards_text (cards_text, rowid, front, back, notes)
    VALUES ('delete', OLD.id, OLD.front, OLD.back, OLD.notes);
    INSERT INTO cards_text (rowid, front, back, notes)
    VALUES (NEW.id, NEW.front, NEW.back, NEW.notes);
END;

-- The browser lists cards by deck, then due day (new cards first, in the
-- order they were added). Walking the decks by name and this index in
-- order, a page stops after its last row instead of sorting every match;
-- covering every column a filter tests, it reads no card row until one is
-- shown.
CREATE INDEX cards_browse ON cards
    (deck_id, due, id, suspended, buried_until, repetitions, interval, efactor, lapses, tags);
