-- hrtrack schema, version 1: the recommendation registry.
-- Multi-valued fields are JSON arrays of strings (labels as the source gives them): the
-- search index and the exporters read them whole; the vocabulary tables say what they mean.

CREATE TABLE import (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  actor TEXT NOT NULL,
  format TEXT NOT NULL,
  file TEXT NOT NULL,
  file_sha256 TEXT,
  rows_read INTEGER NOT NULL DEFAULT 0,
  new_count INTEGER NOT NULL DEFAULT 0,
  changed_count INTEGER NOT NULL DEFAULT 0,
  unchanged_count INTEGER NOT NULL DEFAULT 0,
  rejected_count INTEGER NOT NULL DEFAULT 0,
  duplicate_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE recommendation (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  ext_key TEXT UNIQUE,   -- identity keys (core/identity.h); NULL when absent
                         -- doc_key and txt_key are not unique: one paragraph can hold
                         -- several texts, and treaty bodies repeat standard paragraphs
  doc_key TEXT,
  txt_key INTEGER NOT NULL,  -- 64-bit BLAKE2b of the txt identity key (it holds the whole text)
  content_hash TEXT NOT NULL,
  kind TEXT NOT NULL,   -- recommendation | observation | pledge (core/recommendation.h)
  level TEXT NOT NULL,  -- international | regional | national
  mechanism TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  state_iso3 TEXT NOT NULL DEFAULT '',
  state_name TEXT NOT NULL DEFAULT '',
  regions TEXT NOT NULL DEFAULT '[]',
  state_orgs TEXT NOT NULL DEFAULT '[]',
  symbol TEXT NOT NULL DEFAULT '',
  paragraph TEXT NOT NULL DEFAULT '',
  pub_date TEXT NOT NULL DEFAULT '',
  year INTEGER NOT NULL DEFAULT 0,
  upr_cycle INTEGER NOT NULL DEFAULT 0,
  upr_session INTEGER NOT NULL DEFAULT 0,
  recommending_states TEXT NOT NULL DEFAULT '[]',
  recommending_regions TEXT NOT NULL DEFAULT '[]',
  recommending_orgs TEXT NOT NULL DEFAULT '[]',
  response TEXT NOT NULL DEFAULT '',
  response_raw TEXT NOT NULL DEFAULT '',
  response_doc TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  lang TEXT NOT NULL DEFAULT 'en',
  variants TEXT NOT NULL DEFAULT '[]',
  themes TEXT NOT NULL DEFAULT '[]',
  persons TEXT NOT NULL DEFAULT '[]',
  sdgs TEXT NOT NULL DEFAULT '[]',
  issues TEXT NOT NULL DEFAULT '[]',
  source_cluster TEXT NOT NULL DEFAULT '',
  action_category INTEGER NOT NULL DEFAULT 0,
  annotation_id TEXT NOT NULL DEFAULT '',
  document_id TEXT NOT NULL DEFAULT '',
  uhri_pub_date TEXT NOT NULL DEFAULT '',
  import_id INTEGER REFERENCES import(id),
  source_format TEXT NOT NULL DEFAULT '',
  source_file TEXT NOT NULL DEFAULT '',
  source_row INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX recommendation_doc_key ON recommendation(doc_key);
CREATE INDEX recommendation_txt_key ON recommendation(txt_key);

-- Append-only: triggers refuse UPDATE and DELETE. One row per changed field; a created record
-- is one row with field '*' and the whole record as JSON in `after`.
CREATE TABLE change_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  field TEXT NOT NULL,
  before TEXT,
  after TEXT,
  import_id INTEGER
);
CREATE INDEX change_log_entity ON change_log(entity, entity_id);
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END;

CREATE TABLE mechanism (
  code TEXT PRIMARY KEY,
  parent TEXT,
  level TEXT NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  symbol_prefixes TEXT NOT NULL DEFAULT '',
  aliases TEXT NOT NULL DEFAULT ''
);

-- Controlled vocabularies, versioned; two levels (a term's parent_code is its group).
CREATE TABLE vocabulary (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  UNIQUE (name, version)
);
CREATE TABLE vocab_term (
  id INTEGER PRIMARY KEY,
  vocab_id INTEGER NOT NULL REFERENCES vocabulary(id),
  code TEXT NOT NULL,
  parent_code TEXT NOT NULL DEFAULT '',
  label TEXT NOT NULL,
  labels TEXT NOT NULL DEFAULT '{}',
  is_group INTEGER NOT NULL DEFAULT 0,
  added_by_import INTEGER REFERENCES import(id),
  UNIQUE (vocab_id, code)
);
CREATE TABLE vocab_mapping (
  id INTEGER PRIMARY KEY,
  from_vocab_id INTEGER NOT NULL REFERENCES vocabulary(id),
  from_code TEXT NOT NULL,
  to_vocab_id INTEGER NOT NULL REFERENCES vocabulary(id),
  to_code TEXT NOT NULL,
  UNIQUE (from_vocab_id, from_code, to_vocab_id, to_code)
);

CREATE TABLE upr_session (
  session INTEGER PRIMARY KEY,
  cycle INTEGER NOT NULL,
  start_date TEXT NOT NULL DEFAULT '',
  end_date TEXT NOT NULL DEFAULT ''
);
