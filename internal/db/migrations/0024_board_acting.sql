-- Issue 15: a post or comment written by staff acting for a citizen (an
-- operator on the phone, a guide in person) says so on the board: the
-- channel it came through, '' when the citizen wrote it themselves. Who on
-- the staff wrote it is in the audit log, not on the board.
ALTER TABLE board_posts ADD COLUMN acting_channel TEXT NOT NULL DEFAULT '';
ALTER TABLE board_comments ADD COLUMN acting_channel TEXT NOT NULL DEFAULT '';
