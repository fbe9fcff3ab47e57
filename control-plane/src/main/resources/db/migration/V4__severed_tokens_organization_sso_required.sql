-- Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode: only types and syntax both accept.

-- A severing rotation (rotate_token with sever_existing) stamps every older token of the tunnel:
-- edges close the live connector connections such a token admitted. NULL: the token's
-- connections stay up (the current token, or one retired by a plain rotation).
ALTER TABLE tunnel_tokens ADD COLUMN severed_at TIMESTAMP WITH TIME ZONE;

-- SPEC §4.3: the organization requires SSO for admin sign-in (the console enforces it).
ALTER TABLE organizations ADD COLUMN sso_required BOOLEAN NOT NULL DEFAULT FALSE;
