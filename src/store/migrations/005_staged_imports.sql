-- hrtrack schema, version 5: imports write in batches of short transactions, so that sign-ins
-- and edits never wait for a whole import (issue #17), and stay all or nothing:
--  * an import is `running` until it commits, then `done`; one that fails or whose process dies
--    becomes `failed` (found by the next import through `owner` and `heartbeat_at`);
--  * the records an import creates carry its id in recommendation.import_id and are invisible
--    to every read, as are the change-log rows that carry its id, until the import is done;
--  * its changes to records that were already there wait in import_change and are applied in
--    the import's last, short transaction.
-- The index generation is bumped by the store when visible recommendations change (one bump per
-- import, not one per row), so the triggers of migration 003 on recommendation go.
ALTER TABLE import ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
ALTER TABLE import ADD COLUMN owner TEXT;
ALTER TABLE import ADD COLUMN heartbeat_at TEXT;
CREATE INDEX import_not_done ON import(state) WHERE state <> 'done';
CREATE INDEX recommendation_import ON recommendation(import_id);
CREATE INDEX change_log_import ON change_log(import_id) WHERE import_id IS NOT NULL;

CREATE TABLE import_change (
  import_id INTEGER NOT NULL REFERENCES import(id),
  rec_id INTEGER NOT NULL REFERENCES recommendation(id),
  mode TEXT NOT NULL,  -- update (every imported field, keys, source) | keys (identity keys only)
  ext_key TEXT,
  doc_key TEXT,
  content_hash TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL DEFAULT '',
  level TEXT NOT NULL DEFAULT '',
  mechanism TEXT NOT NULL DEFAULT '',
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
  text TEXT NOT NULL DEFAULT '',
  lang TEXT NOT NULL DEFAULT '',
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
  source_format TEXT NOT NULL DEFAULT '',
  source_file TEXT NOT NULL DEFAULT '',
  source_row INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (import_id, rec_id)
);

DROP TRIGGER recommendation_gen_insert;
DROP TRIGGER recommendation_gen_update;
DROP TRIGGER recommendation_gen_delete;
