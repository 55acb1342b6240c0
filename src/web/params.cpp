#include "web/params.h"

#include "followup/public.h"
#include "store/store.h"

#include <algorithm>

#include "core/error.h"
#include "core/filters.h"
#include "core/text.h"

namespace hrtrack::web {

using search::BadRequest;

const Limits& limits() {
  static const Limits l;
  return l;
}

namespace {

std::string shown(const std::string& v) {
  return "'" + shorten_for_display(v, 40) + "'";
}

// Printable form of a parameter name for messages (it may itself be the bad part).
std::string name_for_message(const std::string& name) {
  if (find_invalid_utf8(name)) return shorten_for_display(name, 40);
  return name;
}

bool has_control(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f;
  });
}

// "2010", "2010..2012", "2010..", "..2012": the CLI's syntax and message (core/filters.h).
void check_range(const std::string& name, const std::string& v) {
  try {
    parse_filter_range(name, v);
  } catch (const InvalidArgument& e) {
    throw BadRequest(name, e.what());
  }
}

}  // namespace

void check_encoding(const Params& params) {
  if (params.size() > limits().max_params)
    throw BadRequest("", "too many query parameters (" + std::to_string(params.size()) +
                             "; at most " + std::to_string(limits().max_params) + ")");
  for (const auto& [name, value] : params) {
    if (find_invalid_utf8(name))
      throw BadRequest(name_for_message(name), "a parameter name is not valid UTF-8");
    if (has_control(name))
      throw BadRequest(name_for_message(name), "a parameter name holds a control character");
    if (auto at = find_invalid_utf8(value))
      throw BadRequest(name, "the value of " + name + " is not valid UTF-8 (at byte " +
                                 std::to_string(*at) + ")");
    if (has_control(value))
      throw BadRequest(name, "the value of " + name + " holds a control character");
  }
}

void check_known(const Params& params, const std::set<std::string>& allowed, bool filters) {
  for (const auto& [name, value] : params) {
    if (allowed.count(name)) continue;
    if (filters && !find_invalid_utf8(name)) {
      // A search address: the CLI's message for a name that is no filter (core/filters.h).
      if (const FilterField* f = find_filter_field(name)) {
        auto why = filter_scope_message(*f, FilterScope::Api);
        if (!why.empty()) throw BadRequest(name, why);
      }
      std::string others;
      for (const auto& a : allowed)
        if (!find_filter_field(a)) others += (others.empty() ? "" : ", ") + a;
      throw BadRequest(name, unknown_filter_message(name) + "; other parameters: " + others);
    }
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    throw BadRequest(name_for_message(name), "unknown parameter '" + name_for_message(name) +
                                                 "'; this address accepts: " + list);
  }
}

std::optional<std::string> single(const Params& params, const std::string& name) {
  std::optional<std::string> out;
  int seen = 0;
  for (const auto& [n, v] : params) {
    if (n != name) continue;
    if (++seen > 1) throw BadRequest(name, name + " is given more than once");
    if (!v.empty()) out = v;
  }
  return out;
}

std::vector<std::string> all(const Params& params, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& [n, v] : params)
    if (n == name && !v.empty()) out.push_back(v);
  return out;
}

long parse_bounded(const std::string& name, const std::string& value, long min, long max) {
  auto v = parse_int(value);
  if (!v || *v < min || *v > max)
    throw BadRequest(name, name + " must be a whole number from " + std::to_string(min) + " to " +
                               std::to_string(max) + " (got " + shown(value) + ")");
  return *v;
}

std::optional<std::string> sdg_code(const std::string& value) {
  // A bare code, or a label that starts with one ("16.2 - Protect children ...").
  auto code = ascii_lower(trim(value));
  auto ok = [](const std::string& c) {
    auto dot = c.find('.');
    auto goal = c.substr(0, dot);
    if (goal.empty() || goal.size() > 2 ||
        !std::all_of(goal.begin(), goal.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      return false;
    long g = std::stol(goal);
    if (g < 1 || g > 17) return false;
    if (dot == std::string::npos) return true;
    auto target = c.substr(dot + 1);
    return !target.empty() && target.size() <= 2 &&
           std::all_of(target.begin(), target.end(), [](char ch) {
             return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z');
           });
  };
  if (ok(code)) return code;
  auto from_label = sdg_code_of(value);
  if (!from_label.empty() && ok(ascii_lower(from_label))) return ascii_lower(from_label);
  return std::nullopt;
}

std::set<std::string> search_param_names(const std::vector<search::FacetDef>& facets, bool paged) {
  std::set<std::string> out = {"q", "sort", "sdg", "symbol", "no_update_months"};
  for (const auto& f : facets) out.insert(f.name);
  // The filters' aliases (the CLI's former names: upr_cycle, upr_session, person).
  for (const auto& f : filter_fields())
    if (out.count(f.name)) out.insert(f.aliases.begin(), f.aliases.end());
  if (paged) out.insert({"page", "per_page", "facet_limit", "facets"});
  return out;
}

search::SearchRequest parse_search_request(const Params& given,
                                           const std::vector<search::FacetDef>& facets,
                                           bool paged) {
  const auto& lim = limits();
  // A filter's alias means the filter ("upr_cycle" is "cycle").
  Params params = given;
  for (auto& [name, value] : params)
    if (const FilterField* f = find_filter_field(name)) name = f->name;
  search::SearchRequest req;
  if (auto q = single(params, "q")) {
    if (q->size() > lim.max_q_bytes)
      throw BadRequest("q", "q is too long (" + std::to_string(q->size()) + " bytes; at most " +
                                std::to_string(lim.max_q_bytes) + ")");
    req.q = *q;
  }
  if (auto s = single(params, "sort")) {
    auto sort = search::sort_from_string(*s);
    if (!sort)
      throw BadRequest("sort",
                       "sort must be relevance, date, date_asc or state (got " + shown(*s) + ")");
    req.sort = *sort;
  }
  if (paged) {
    if (auto p = single(params, "page")) req.page = parse_bounded("page", *p, 1, lim.max_page);
    req.per_page = lim.default_per_page;
    if (auto p = single(params, "per_page"))
      req.per_page = parse_bounded("per_page", *p, 1, lim.max_per_page);
    if (auto p = single(params, "facet_limit"))
      req.facet_limit = static_cast<int>(parse_bounded("facet_limit", *p, 0, 100000));
    // facets=state,issue (or repeated): count only these; facets=none: no facet counts.
    for (const auto& v : all(params, "facets")) {
      for (const auto& name : split_trim(v, ",")) {
        if (name == "none") {
          req.with_facets = false;
          continue;
        }
        if (std::none_of(facets.begin(), facets.end(),
                         [&](const auto& f) { return f.name == name; })) {
          std::string list;
          for (const auto& f : facets) list += (list.empty() ? "" : ", ") + f.name;
          throw BadRequest("facets",
                           "unknown facet " + shown(name) + "; facets are " + list + " (or none)");
        }
        if (std::find(req.facet_names.begin(), req.facet_names.end(), name) ==
            req.facet_names.end())
          req.facet_names.push_back(name);
      }
    }
  }
  auto add_values = [&](const std::string& name, bool numeric) {
    auto values = all(params, name);
    if (values.size() > lim.max_values_per_param)
      throw BadRequest(name, name + " is given " + std::to_string(values.size()) +
                                 " times; at most " + std::to_string(lim.max_values_per_param));
    for (auto& v : values) {
      if (v.size() > lim.max_value_bytes)
        throw BadRequest(name, "a value of " + name + " is too long (" + std::to_string(v.size()) +
                                   " bytes; at most " + std::to_string(lim.max_value_bytes) + ")");
      if (numeric) check_range(name, std::string(trim(v)));
      auto& dst = req.filters[name];
      if (std::find(dst.begin(), dst.end(), v) == dst.end()) dst.push_back(v);
    }
  };
  for (const auto& f : facets) add_values(f.name, f.numeric);
  // no_update_months=N: followed recommendations whose latest published progress update is N or
  // more months old (by calendar month), or that have none: last_update 0..YYYYMM.
  if (auto n = single(params, "no_update_months");
      n && std::any_of(facets.begin(), facets.end(),
                       [](const auto& f) { return f.name == "last_update"; })) {
    long months = parse_bounded("no_update_months", *n, 0, 1200);
    req.filters["last_update"].push_back(
        followup::stale_filter(static_cast<int>(months), now_iso().substr(0, 10)));
  }
  // symbol: the document symbol, a filter no facet has.
  add_values("symbol", false);
  // sdg: a goal or a target, whichever the value is; the index resolves it.
  if (std::none_of(facets.begin(), facets.end(), [](const auto& f) { return f.name == "sdg"; })) {
    auto values = all(params, "sdg");
    if (values.size() > lim.max_values_per_param)
      throw BadRequest("sdg", "sdg is given too many times");
    for (const auto& v : values) {
      auto code = sdg_code(v);
      if (!code)
        throw BadRequest(
            "sdg", "sdg takes an SDG goal (\"16\") or target (\"16.2\") (got " + shown(v) + ")");
      auto& dst = req.filters["sdg"];
      if (std::find(dst.begin(), dst.end(), *code) == dst.end()) dst.push_back(*code);
    }
  }
  return req;
}

}  // namespace hrtrack::web
