-- hrtrack schema, version 6: the index-generation triggers of migrations 003 and 004 carried rules (what the public
-- search index shows of the follow-up) in the database. The follow-up rules now bump the index
-- generation themselves when they change something public (src/followup/public.h), so that
-- every storage engine behaves the same; triggers keep integrity only.
DROP TRIGGER cluster_gen_insert;
DROP TRIGGER cluster_gen_update;
DROP TRIGGER cluster_gen_delete;
DROP TRIGGER cluster_member_gen_insert;
DROP TRIGGER cluster_member_gen_update;
DROP TRIGGER cluster_member_gen_delete;
DROP TRIGGER assignment_gen_insert;
DROP TRIGGER assignment_gen_update;
DROP TRIGGER assignment_gen_delete;
DROP TRIGGER assessment_gen_insert;
DROP TRIGGER assessment_gen_update;
DROP TRIGGER assessment_gen_delete;
DROP TRIGGER official_status_gen_insert;
DROP TRIGGER official_status_gen_update;
DROP TRIGGER official_status_gen_delete;
DROP TRIGGER progress_update_gen_insert;
DROP TRIGGER progress_update_gen_update;
DROP TRIGGER progress_update_gen_delete;
-- The vocabularies, mechanisms and UPR sessions: the store bumps the generation itself when it
-- writes them (once per call, not once per row).
DROP TRIGGER vocab_term_gen_insert;
DROP TRIGGER vocab_term_gen_update;
DROP TRIGGER vocab_term_gen_delete;
DROP TRIGGER vocab_mapping_gen_insert;
DROP TRIGGER vocab_mapping_gen_update;
DROP TRIGGER vocab_mapping_gen_delete;
DROP TRIGGER mechanism_gen_insert;
DROP TRIGGER mechanism_gen_update;
DROP TRIGGER mechanism_gen_delete;
DROP TRIGGER upr_session_gen_insert;
DROP TRIGGER upr_session_gen_update;
DROP TRIGGER upr_session_gen_delete;
