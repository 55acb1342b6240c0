-- hrtrack schema, version 4: follow-up. Clusters of recommendations, responsible institutions,
-- implementation plans (actions with costs, indicators, links to national plans and SDG
-- targets), progress updates with evidence, assessments by each party, the official status,
-- review comments and reminders. Workflow states (followup/workflow.h): draft, submitted,
-- returned, validated, approved, published. Only `published` rows reach the public.

CREATE TABLE cluster (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE cluster_member (
  cluster_id INTEGER NOT NULL REFERENCES cluster(id),
  rec_uid TEXT NOT NULL REFERENCES recommendation(uid),
  PRIMARY KEY (cluster_id, rec_uid)
) WITHOUT ROWID;
CREATE INDEX cluster_member_uid ON cluster_member(rec_uid);

-- Who must act: on one recommendation, or on every recommendation of a cluster.
CREATE TABLE assignment (
  id INTEGER PRIMARY KEY,
  rec_uid TEXT REFERENCES recommendation(uid),
  cluster_id INTEGER REFERENCES cluster(id),
  institution_id INTEGER NOT NULL REFERENCES institution(id),
  role TEXT NOT NULL CHECK (role IN ('lead', 'support')),
  created_at TEXT NOT NULL,
  CHECK ((rec_uid IS NULL) <> (cluster_id IS NULL))
);
CREATE UNIQUE INDEX assignment_target ON assignment(COALESCE(rec_uid, ''), COALESCE(cluster_id, 0),
                                                     institution_id);
CREATE INDEX assignment_institution ON assignment(institution_id);

-- National human rights action plans and national development plans, and their items.
CREATE TABLE policy_plan (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('nhrap', 'ndp')),
  name TEXT NOT NULL,
  period TEXT NOT NULL DEFAULT ''
);
CREATE TABLE policy_item (
  id INTEGER PRIMARY KEY,
  policy_plan_id INTEGER NOT NULL REFERENCES policy_plan(id),
  code TEXT NOT NULL,
  title TEXT NOT NULL,
  UNIQUE (policy_plan_id, code)
);

CREATE TABLE plan (
  id INTEGER PRIMARY KEY,
  rec_uid TEXT REFERENCES recommendation(uid),
  cluster_id INTEGER REFERENCES cluster(id),
  institution_id INTEGER NOT NULL REFERENCES institution(id),
  title TEXT NOT NULL,
  expected_results TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'draft',
  author_id INTEGER REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((rec_uid IS NULL) <> (cluster_id IS NULL))
);
CREATE INDEX plan_uid ON plan(rec_uid);
CREATE INDEX plan_cluster ON plan(cluster_id);

CREATE TABLE plan_action (
  id INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES plan(id),
  description TEXT NOT NULL,
  institution_id INTEGER NOT NULL REFERENCES institution(id),
  start_date TEXT NOT NULL DEFAULT '',
  end_date TEXT NOT NULL DEFAULT '',
  cost TEXT NOT NULL DEFAULT '',       -- a decimal as written ("125000.50"), validated
  currency TEXT NOT NULL DEFAULT '',   -- ISO 4217
  funding_source TEXT NOT NULL DEFAULT '',
  budget_line TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_action_plan ON plan_action(plan_id);

CREATE TABLE indicator (
  id INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES plan(id),
  name TEXT NOT NULL,
  baseline TEXT NOT NULL DEFAULT '',
  target TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  means_of_verification TEXT NOT NULL DEFAULT '',
  frequency_months INTEGER NOT NULL DEFAULT 12,
  disaggregation TEXT NOT NULL DEFAULT ''
);
CREATE INDEX indicator_plan ON indicator(plan_id);

CREATE TABLE plan_link (
  id INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES plan(id),
  policy_item_id INTEGER REFERENCES policy_item(id),
  sdg_target TEXT,
  CHECK ((policy_item_id IS NULL) <> (sdg_target IS NULL))
);
CREATE INDEX plan_link_plan ON plan_link(plan_id);

CREATE TABLE progress_update (
  id INTEGER PRIMARY KEY,
  rec_uid TEXT NOT NULL REFERENCES recommendation(uid),
  plan_id INTEGER REFERENCES plan(id),
  institution_id INTEGER NOT NULL REFERENCES institution(id),
  author_id INTEGER REFERENCES app_user(id),
  update_date TEXT NOT NULL,
  measure_type TEXT NOT NULL CHECK (measure_type IN ('legislative', 'policy', 'budgetary',
    'judicial', 'administrative', 'institutional', 'training', 'data_collection')),
  description TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'draft',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX progress_update_uid ON progress_update(rec_uid);
CREATE INDEX progress_update_plan ON progress_update(plan_id);

CREATE TABLE indicator_value (
  update_id INTEGER NOT NULL REFERENCES progress_update(id),
  indicator_id INTEGER NOT NULL REFERENCES indicator(id),
  value TEXT NOT NULL,
  PRIMARY KEY (update_id, indicator_id)
) WITHOUT ROWID;

-- An uploaded file (stored under the evidence folder by its SHA-256, never served as a page) or
-- a link.
CREATE TABLE evidence (
  id INTEGER PRIMARY KEY,
  update_id INTEGER NOT NULL REFERENCES progress_update(id),
  kind TEXT NOT NULL CHECK (kind IN ('file', 'link')),
  url TEXT NOT NULL DEFAULT '',
  filename TEXT NOT NULL DEFAULT '',
  content_type TEXT NOT NULL DEFAULT '',
  size INTEGER NOT NULL DEFAULT 0,
  sha256 TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX evidence_update ON evidence(update_id);

-- One party's view of how far a recommendation is implemented. `protected`: a civil-society
-- submission whose organisation is shown to the public and government only as "a civil
-- society organisation".
CREATE TABLE assessment (
  id INTEGER PRIMARY KEY,
  rec_uid TEXT NOT NULL REFERENCES recommendation(uid),
  party TEXT NOT NULL CHECK (party IN ('government', 'nhri', 'civil_society')),
  institution_id INTEGER NOT NULL REFERENCES institution(id),
  author_id INTEGER REFERENCES app_user(id),
  status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'partially_implemented',
    'fully_implemented', 'not_applicable')),
  assessed_on TEXT NOT NULL,
  justification TEXT NOT NULL,
  protected INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL DEFAULT 'draft',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX assessment_uid ON assessment(rec_uid);

-- The coordinator's official status of a recommendation (public once set).
CREATE TABLE official_status (
  rec_uid TEXT PRIMARY KEY REFERENCES recommendation(uid),
  status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'partially_implemented',
    'fully_implemented', 'not_applicable')),
  justification TEXT NOT NULL DEFAULT '',
  set_by TEXT NOT NULL,
  set_at TEXT NOT NULL
);

-- Internal comments of the review (never public).
CREATE TABLE review_comment (
  id INTEGER PRIMARY KEY,
  entity TEXT NOT NULL CHECK (entity IN ('plan', 'progress_update', 'assessment')),
  entity_id INTEGER NOT NULL,
  author_id INTEGER REFERENCES app_user(id),
  author_name TEXT NOT NULL,
  transition TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX review_comment_entity ON review_comment(entity, entity_id);

-- Reminders: one row per user and thing to remind of (the key makes the daily job idempotent).
CREATE TABLE notification (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(id),
  kind TEXT NOT NULL CHECK (kind IN ('overdue_update', 'deadline', 'review')),
  key TEXT NOT NULL,
  message TEXT NOT NULL,
  link TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  emailed_at TEXT,
  read_at TEXT,
  UNIQUE (user_id, key)
);

-- The public search index shows responsible institutions, clusters, the official status and
-- published assessments and updates: changes to them rebuild it (see 003). Drafts and reviews
-- do not: a focal point editing a draft does not make every search wait for a rebuild.
CREATE TRIGGER cluster_gen_insert AFTER INSERT ON cluster
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER cluster_gen_update AFTER UPDATE ON cluster
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER cluster_gen_delete AFTER DELETE ON cluster
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER cluster_member_gen_insert AFTER INSERT ON cluster_member
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER cluster_member_gen_update AFTER UPDATE ON cluster_member
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER cluster_member_gen_delete AFTER DELETE ON cluster_member
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER assignment_gen_insert AFTER INSERT ON assignment
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER assignment_gen_update AFTER UPDATE ON assignment
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER assignment_gen_delete AFTER DELETE ON assignment
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER assessment_gen_insert AFTER INSERT ON assessment WHEN NEW.state = 'published'
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER assessment_gen_update AFTER UPDATE ON assessment WHEN OLD.state = 'published' OR NEW.state = 'published'
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER assessment_gen_delete AFTER DELETE ON assessment WHEN OLD.state = 'published'
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER official_status_gen_insert AFTER INSERT ON official_status
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER official_status_gen_update AFTER UPDATE ON official_status
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER official_status_gen_delete AFTER DELETE ON official_status
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER progress_update_gen_insert AFTER INSERT ON progress_update WHEN NEW.state = 'published'
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER progress_update_gen_update AFTER UPDATE ON progress_update WHEN OLD.state = 'published' OR NEW.state = 'published'
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER progress_update_gen_delete AFTER DELETE ON progress_update WHEN OLD.state = 'published'
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
