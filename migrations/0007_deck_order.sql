-- 0007: decks listed in an order a deck file can give (its `order` key).
--
-- Why: deck listings (the home screen, `recall decks`, statistics, the
-- browser) were alphabetical, which scrambles the bundled decks: they are
-- one lesson, read in the order of their files (RDS, Multi-AZ, Aurora, …).
-- A nullable position: decks with one come first, in its order, then the
-- others by name (storage/decks.rs, `deck_order!`). NULL for every deck a
-- file gave no order, which is every deck before this migration.
ALTER TABLE decks ADD COLUMN position INTEGER;

-- Forget the fingerprint of the bundled decks, so the next open imports
-- them again (keeping all progress) and they get their lesson positions
-- even where the deck files themselves did not change.
DELETE FROM meta WHERE key = 'bundled_decks_hash';
