-- 0011: media (issue 21): the images and sounds a deck's cards refer to.
--
-- Why: cards keep their markers (`[image: name]`, `[sound:name]`,
-- `![alt](name)`) exactly as imported, so each deck maps the names its text
-- uses to a stored file. The files live beside the database in
-- `media/<first 2 hex>/<sha256 hex>`, one copy per content however many
-- decks or names share it; a row names its file by that hash.
--
-- Stands alone: it refers only to `decks` (0001), whatever 0010 and 0012
-- add beside it.
CREATE TABLE media (
    deck_id  INTEGER NOT NULL REFERENCES decks(id) ON DELETE CASCADE,
    -- As the card's text names it (Anki's file name, a deck file's path).
    name     TEXT    NOT NULL,
    sha256   TEXT    NOT NULL CHECK (length(sha256) = 64),
    size     INTEGER NOT NULL CHECK (size >= 0),
    mime     TEXT    NOT NULL,
    PRIMARY KEY (deck_id, name)
) STRICT, WITHOUT ROWID;

-- `recall check --fix` keeps a file while any row names its hash.
CREATE INDEX media_by_hash ON media (sha256);

-- The review screen looks a name up in the card's deck first, then in any
-- (a card moved to another deck keeps its pictures).
CREATE INDEX media_by_name ON media (name);
