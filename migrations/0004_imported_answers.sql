-- 0004: answers imported from Anki's review log are marked as such.
--
-- Why: `recall import --with-progress` brings a card's Anki history into
-- the log so statistics show it. Those answers were not given in recall:
-- this column says so, and keeps the kind Anki logged, which recall's own
-- `kind` (schedule / re-drill / cram) cannot hold.
--   NULL: answered in recall (every row before this migration)
--   0 learn, 1 review, 2 relearn, 3 filtered deck: imported from Anki

ALTER TABLE reviews ADD COLUMN anki_kind INTEGER CHECK (anki_kind BETWEEN 0 AND 3);
