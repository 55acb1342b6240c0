#include "ingest/concepts.h"

#include <optional>
#include <vector>

#include "core/error.h"
#include "core/text.h"
#include "read/table.h"

namespace hrtrack::embedded::vocab {
const std::map<std::string, std::string_view>& files();
}

namespace hrtrack::ingest {

namespace {

// Calls fn(row) with the cells of a built-in CSV, keyed by header name.
template <typename Fn>
void each_row(const std::string& name, Fn fn) {
  const auto& files = embedded::vocab::files();
  auto it = files.find(name);
  if (it == files.end()) throw Error("built-in vocabulary file missing: " + name);
  std::vector<Problem> problems;
  auto t = read::open_csv_text(std::string(it->second), name, problems);
  auto header = t->header();
  read::Row row;
  while (t->next(row)) {
    std::map<std::string, std::string> cells;
    for (std::size_t i = 0; i < header.size() && i < row.cells.size(); ++i)
      cells[std::string(trim(header[i]))] = std::string(trim(row.cells[i]));
    fn(cells);
  }
  if (!problems.empty()) throw InvalidArgument(problems.front().to_string());
}

}  // namespace

Crosswalk build_crosswalk(Store& store) {
  Crosswalk cw;
  if (auto v = store.vocabulary("uhri-themes"))
    for (const auto& t : v->terms)
      if (!t.added_by_import) cw.add_term("theme", t.label);
  if (auto v = store.vocabulary("uhri-persons"))
    for (const auto& t : v->terms)
      if (!t.added_by_import) cw.add_term("person", t.label);
  each_row("regions.csv", [&](auto& c) {
    cw.add_term("region", c["name"]);
    for (const auto& a : split_trim(c["aliases"], "|")) cw.add_variant("region", a, c["name"]);
  });
  each_row("label_variants.csv",
           [&](auto& c) { cw.add_variant(c["field"], c["from_label"], c["to_label"]); });
  each_row("map_uhri-legacy_to_uhri-themes.csv",
           [&](auto& c) { cw.add_legacy_code(c["from_code"], c["to_label"]); });
  each_row("map_uprinfo-issues_to_uhri-themes.csv",
           [&](auto& c) { cw.add_issue_theme(c["from_code"], c["to_label"]); });
  // Mappings added to the store (beyond the built-in files) count too.
  for (const auto& m : store.mappings()) {
    if (m.to_vocab != "uhri-themes") continue;
    if (m.from_vocab == "uhri-themes-legacy") cw.add_legacy_code(m.from_code, m.to_code);
    if (m.from_vocab == "uprinfo-issues") cw.add_issue_theme(m.from_code, m.to_code);
  }
  return cw;
}

void refresh_label_concepts(Store& store) {
  Crosswalk cw = build_crosswalk(store);
  std::vector<LabelConcept> rows;
  for (const char* field : kConceptFields) {
    auto a = cw.answers(field, store.distinct_labels(field));
    rows.insert(rows.end(), a.begin(), a.end());
  }
  store.put_label_concepts(rows, true);
}

void add_label_concepts(Store& store, const std::map<std::string, std::set<std::string>>& labels) {
  Crosswalk cw = build_crosswalk(store);
  std::vector<LabelConcept> rows;
  auto stored = store.label_concepts();
  for (const auto& [field, set] : labels) {
    // Unknown labels are spelt consistently with the ones stored before (no scan of records).
    std::set<std::string> all = set;
    for (const auto& x : stored)
      if (x.field == field) all.insert(x.raw);
    auto a = cw.answers(field, std::vector<std::string>(all.begin(), all.end()));
    for (auto& x : a)
      if (set.count(x.raw)) rows.push_back(std::move(x));
  }
  store.put_label_concepts(rows, false);
}

void name_concepts(Store& store, RecordFilter& filter) {
  // The filters' names (core/filters.h) and the crosswalk's fields.
  static const std::map<std::string, std::string> fields = {
      {"theme", "theme"}, {"persons", "person"}, {"region", "region"}};
  std::optional<ConceptNames> names;  // read only when a filter needs it
  for (auto& [name, value] : filter.conditions) {
    auto f = fields.find(name);
    if (f == fields.end()) continue;
    if (!names) names.emplace(store.label_concepts());
    if (auto c = names->named(f->second, value); !c.empty()) value = c;
  }
}

}  // namespace hrtrack::ingest
