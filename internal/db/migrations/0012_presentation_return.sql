-- A request made for a page of the platform (a policy-fund application)
-- sends the citizen's browser back there once the wallet has answered, and
-- remembers whose card answered it, so that the page can check that the
-- card is the applicant's own.

ALTER TABLE presentation_requests ADD COLUMN redirect_path TEXT NOT NULL DEFAULT '';
ALTER TABLE presentation_requests ADD COLUMN holder_resident_id BIGINT REFERENCES residents (id);
