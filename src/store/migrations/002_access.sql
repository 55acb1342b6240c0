-- hrtrack schema, version 2: institutions, users and roles, sessions, API tokens.
-- Secrets (session ids, API tokens, reset tokens) are stored only as SHA-256 hashes; passwords
-- only as argon2id strings (libsodium's crypto_pwhash_str).

-- Ministry -> department -> agency. `type` says which side an institution speaks for.
CREATE TABLE institution (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('executive', 'legislature', 'judiciary', 'nhri',
                                     'civil_society', 'un_agency', 'other')),
  parent_id INTEGER REFERENCES institution(id),
  main_focal_id INTEGER REFERENCES app_user(id),
  alternate_focal_id INTEGER REFERENCES app_user(id),
  validator_id INTEGER REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX institution_parent ON institution(parent_id);

CREATE TABLE app_user (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  institution_id INTEGER REFERENCES institution(id),
  password_hash TEXT NOT NULL DEFAULT '',  -- '' = no password yet (a reset token sets one)
  disabled_at TEXT,
  last_sign_in_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX app_user_institution ON app_user(institution_id);

CREATE TABLE user_role (
  user_id INTEGER NOT NULL REFERENCES app_user(id),
  role TEXT NOT NULL,
  PRIMARY KEY (user_id, role)
) WITHOUT ROWID;

CREATE TABLE session (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(id),
  csrf TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX session_user ON session(user_id);

CREATE TABLE api_token (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);

CREATE TABLE reset_token (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);

-- Failed sign-ins, for throttling per account and per address (kept in the database so that
-- several app nodes share them). Old rows are pruned on each failure.
CREATE TABLE login_failure (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('account', 'address')),
  key TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);
CREATE INDEX login_failure_key ON login_failure(kind, key, at_ms);
