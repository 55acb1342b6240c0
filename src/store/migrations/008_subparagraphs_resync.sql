-- hrtrack schema, version 8 (issue #10):
--  * sub-paragraphs: a record of a sub-paragraph ("24 (a)") names the paragraph it belongs to
--    ("24"), derived from its paragraph (core/recommendation.h derive_paragraph), so that a
--    record's page finds its paragraph and its siblings in the same document;
--  * re-sync: an import records which records it held (import_record, the last import of each
--    source only) and its scope (format, States, mechanisms: ingest/importer.cpp), so that a
--    newer export of the same source reports the records it no longer contains (import.absent)
--    without deleting them.
ALTER TABLE recommendation ADD COLUMN parent_paragraph TEXT NOT NULL DEFAULT '';
ALTER TABLE import_change ADD COLUMN parent_paragraph TEXT NOT NULL DEFAULT '';
-- Paragraphs already held in the normalised form "24 (a)" (hrtrack's own files could hold them).
UPDATE recommendation SET parent_paragraph = substr(paragraph, 1, instr(paragraph, ' (') - 1)
WHERE paragraph GLOB '[0-9]*' AND paragraph GLOB '* ([a-z]*)' AND instr(paragraph, ' (') > 1;
CREATE INDEX recommendation_symbol ON recommendation(symbol COLLATE NOCASE, parent_paragraph);

ALTER TABLE import ADD COLUMN scope TEXT NOT NULL DEFAULT '';
ALTER TABLE import ADD COLUMN previous_import INTEGER;
ALTER TABLE import ADD COLUMN absent_count INTEGER NOT NULL DEFAULT 0;
-- The records absent from this import that the previous import of the same source held, as a
-- JSON array of {"uid", "symbol", "paragraph"}.
ALTER TABLE import ADD COLUMN absent TEXT NOT NULL DEFAULT '[]';
CREATE TABLE import_record (
  import_id INTEGER NOT NULL REFERENCES import(id),
  rec_id INTEGER NOT NULL REFERENCES recommendation(id),
  PRIMARY KEY (import_id, rec_id)
) WITHOUT ROWID;
CREATE INDEX import_source ON import(format, scope) WHERE state = 'done';
