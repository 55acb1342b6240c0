-- A counter bumped by every change to data the search index reads, so that the index is rebuilt
-- after an import but not after a sign-in or an edit of a user (PRAGMA data_version, used
-- before, changes on every commit). Store::data_version() returns it.
CREATE TABLE index_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n INTEGER NOT NULL
);
INSERT INTO index_generation(id, n) VALUES (1, 1);
CREATE TRIGGER recommendation_gen_insert AFTER INSERT ON recommendation
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER recommendation_gen_update AFTER UPDATE ON recommendation
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER recommendation_gen_delete AFTER DELETE ON recommendation
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER vocab_term_gen_insert AFTER INSERT ON vocab_term
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER vocab_term_gen_update AFTER UPDATE ON vocab_term
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER vocab_term_gen_delete AFTER DELETE ON vocab_term
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER vocab_mapping_gen_insert AFTER INSERT ON vocab_mapping
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER vocab_mapping_gen_update AFTER UPDATE ON vocab_mapping
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER vocab_mapping_gen_delete AFTER DELETE ON vocab_mapping
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER mechanism_gen_insert AFTER INSERT ON mechanism
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER mechanism_gen_update AFTER UPDATE ON mechanism
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER mechanism_gen_delete AFTER DELETE ON mechanism
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER upr_session_gen_insert AFTER INSERT ON upr_session
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER upr_session_gen_update AFTER UPDATE ON upr_session
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER upr_session_gen_delete AFTER DELETE ON upr_session
BEGIN UPDATE index_generation SET n = n + 1 WHERE id = 1; END;
