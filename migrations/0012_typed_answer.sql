-- 0012: a card may ask for its answer to be typed (issue 21).
--
-- Why: a deck marks such cards (`type = true` in TOML, `Type: yes` in
-- Markdown, Anki's `{{type:Field}}` note types); the review screen then
-- takes the answer in a text field and suggests a grade from how close it
-- came. The flag is the file's, like the text: a re-import updates it.
-- Numbered 0012 because 0010 and 0011 are other branches' migrations; the
-- runner applies them in the order `src/storage/migrate.rs` lists them.

ALTER TABLE cards ADD COLUMN typed INTEGER NOT NULL DEFAULT 0 CHECK (typed IN (0, 1));
