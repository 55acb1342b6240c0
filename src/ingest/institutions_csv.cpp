#include "ingest/institutions_csv.h"

#include <algorithm>
#include <functional>
#include <map>

#include "access/directory.h"
#include "core/text.h"
#include "read/table.h"

namespace hrtrack::ingest {

using namespace hrtrack::read;

InstitutionImport import_institutions_csv(Store& store, const access::Principal& p,
                                          const std::string& path) {
  access::require(p, "institution.create");
  access::require(p, "institution.edit");
  InstitutionImport res;
  auto t = open_csv(path, res.problems);
  std::string file = path.substr(path.find_last_of('/') + 1);
  std::map<std::string, int> col;
  for (std::size_t c = 0; c < t->header().size(); ++c) col[std::string(trim(t->header()[c]))] = c;
  for (const char* need : {"code", "name", "type"})
    if (!col.count(need))
      res.problems.push_back({file, 1, need, "", "required column missing", false});
  if (!res.problems.empty()) return res;
  struct In {
    long row;
    Institution inst;
    std::string parent, focal[3];
  };
  std::vector<In> rows;
  std::map<std::string, std::size_t> by_code;
  auto cell = [&](const Row& r, const char* name) -> std::string {
    auto it = col.find(name);
    if (it == col.end() || static_cast<std::size_t>(it->second) >= r.cells.size()) return "";
    return std::string(trim(r.cells[it->second]));
  };
  Row r;
  while (t->next(r)) {
    if (r.bad) continue;
    In in;
    in.row = r.number;
    in.inst.code = cell(r, "code");
    in.inst.name = cell(r, "name");
    in.inst.type = ascii_lower(cell(r, "type"));
    std::replace(in.inst.type.begin(), in.inst.type.end(), ' ', '_');
    in.parent = cell(r, "parent_code");
    in.focal[0] = cell(r, "main_focal");
    in.focal[1] = cell(r, "alternate_focal");
    in.focal[2] = cell(r, "validator");
    if (by_code.count(in.inst.code)) {
      res.problems.push_back(
          {file, r.number, "code", in.inst.code,
           "listed twice (first in row " + std::to_string(rows[by_code[in.inst.code]].row) + ")",
           false});
      continue;
    }
    // What can be checked without the database, so that every such problem is reported at once.
    if (!access::valid_institution_code(in.inst.code))
      res.problems.push_back({file, r.number, "code", in.inst.code,
                              "1 to 40 letters, digits, '.', '_' or '-'", false});
    if (in.inst.name.empty())
      res.problems.push_back({file, r.number, "name", "", "required", false});
    if (!is_institution_type(in.inst.type))
      res.problems.push_back({file, r.number, "type", in.inst.type,
                              "one of " + join(institution_types(), ", "), false});
    by_code[in.inst.code] = rows.size();
    rows.push_back(std::move(in));
  }
  auto& a = store.access();
  // Parents first: a depth-first walk over the rows, reporting cycles.
  std::vector<std::size_t> order;
  std::vector<int> state(rows.size(), 0);  // 0 new, 1 on the path, 2 done
  std::function<void(std::size_t)> visit = [&](std::size_t k) {
    if (state[k] == 2) return;
    if (state[k] == 1) {
      res.problems.push_back(
          {file, rows[k].row, "parent_code", rows[k].parent, "the parents form a cycle", false});
      return;
    }
    state[k] = 1;
    if (!rows[k].parent.empty()) {
      auto it = by_code.find(rows[k].parent);
      if (it != by_code.end()) {
        visit(it->second);
      } else if (auto par = a.institution_by_code(rows[k].parent);
                 !par || access::hidden_from(p, *par)) {
        res.problems.push_back({file, rows[k].row, "parent_code", rows[k].parent,
                                "no institution has this code (in the file or the database)",
                                false});
      }
    }
    state[k] = 2;
    order.push_back(k);
  };
  for (std::size_t k = 0; k < rows.size(); ++k) visit(k);
  if (!res.problems.empty()) return res;

  auto txn = store.begin();
  for (auto k : order) {
    auto& in = rows[k];
    auto existing = a.institution_by_code(in.inst.code);
    Institution i = existing ? *existing : Institution{};
    i.code = in.inst.code;
    i.name = in.inst.name;
    i.type = in.inst.type;
    i.parent_id = in.parent.empty() ? 0 : a.institution_by_code(in.parent)->id;
    static const char* names[3] = {"main_focal", "alternate_focal", "validator"};
    std::int64_t* slots[3] = {&i.main_focal_id, &i.alternate_focal_id, &i.validator_id};
    bool row_ok = true;
    for (int f = 0; f < 3; ++f) {
      if (in.focal[f].empty()) continue;
      auto u = a.user_by_name(in.focal[f]);
      std::optional<Institution> home;
      if (u && u->institution_id) home = a.institution(u->institution_id);
      if (!u || (home && access::hidden_from(p, *home))) {
        res.problems.push_back(
            {file, in.row, names[f], in.focal[f], "no user has this name", false});
        row_ok = false;
        continue;
      }
      *slots[f] = u->id;
    }
    if (!row_ok) continue;
    try {
      access::check_institution(store, p, i);
    } catch (const InvalidArgument& e) {
      // "field: message" -> column and reason
      std::string m = e.what();
      auto colon = m.find(": ");
      res.problems.push_back({file, in.row, colon == std::string::npos ? "" : m.substr(0, colon),
                              "", colon == std::string::npos ? m : m.substr(colon + 2), false});
      continue;
    }
    if (existing) {
      if (existing->type == "civil_society" || i.type == "civil_society")
        access::require(p, "identity.protected", {i.id});
      a.update_institution(i, p.username);
      ++res.updated;
    } else {
      a.add_institution(i, p.username);
      ++res.created;
    }
  }
  if (!res.problems.empty()) {
    res.created = res.updated = 0;
    return res;  // the transaction rolls back
  }
  txn->commit();
  return res;
}

}  // namespace hrtrack::ingest
