-- hrtrack schema, version 7: the crosswalk's answers (core/crosswalk.h) for every label the
-- records carry: the concept (current term) of each theme, group of persons and region, and the
-- themes derived from each UPR Info issue. Facets, filters and counts read concepts through this
-- table; the records keep their labels verbatim. Written by ingest/concepts.h when an import
-- brings new labels and when vocabularies change; plain rows, no rules.
CREATE TABLE label_concept (
  field TEXT NOT NULL,     -- theme | person | region | issue
  raw TEXT NOT NULL,       -- the label as a record carries it
  concept TEXT NOT NULL,   -- its current term (for an issue: a derived theme)
  derived INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (field, raw, concept)
) WITHOUT ROWID;
