-- 0003: today's due cards of one deck, read by index.
--
-- Why: the queue queries scoped to one deck (`recall next --deck`, the home
-- screen's count for each deck, a session of one deck) could only walk
-- `cards_due` in due order and test each card's deck. For a deck with few or
-- no due cards in a large collection that meant reading every due card of
-- every deck: about 60 ms per deck at 100 000 cards, over half a second for
-- the home screen. New cards (due IS NULL) are not in this index, so imports
-- do not pay for it.

CREATE INDEX cards_deck_due ON cards (deck_id, due) WHERE due IS NOT NULL AND suspended = 0;
