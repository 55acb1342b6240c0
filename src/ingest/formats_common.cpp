#include <cmath>
#include <ctime>
#include <filesystem>

#include "core/countries.h"
#include "core/text.h"
#include "ingest/source.h"

namespace hrtrack::ingest {

std::string Context::mechanism_code(std::string_view label) const {
  std::string l = strip_dash_prefix(label);
  if (l.empty()) return "";
  for (const auto& m : mechanisms) {
    if (iequals(m.code, l) || iequals(m.name, l)) return m.code;
    for (const auto& a : m.aliases)
      if (iequals(strip_dash_prefix(a), l)) return m.code;
  }
  // UHRI names special procedures "SR on ...", "IE on ...", "WG on ...": any unknown one is
  // still a special procedure.
  for (const char* p :
       {"SR ", "IE ", "WG ", "Special Rapporteur", "Independent Expert", "Working Group"})
    if (starts_with_ci(l, p)) return "SP";
  return "";
}

const Mechanism* Context::mechanism(std::string_view code) const {
  for (const auto& m : mechanisms)
    if (m.code == code) return &m;
  return nullptr;
}

const UprSession* Context::upr_session(int session) const {
  auto it = sessions.find(session);
  return it == sessions.end() ? nullptr : &it->second;
}

const std::vector<std::string>& import_formats() {
  static const std::vector<std::string> f = {
      "uhri-json", "uhri-xlsx", "uprinfo-csv", "ohchr-thematic-csv", "csv", "xlsx", "json"};
  return f;
}

std::unique_ptr<RecordSource> open_source(const SourceOptions& opt, const Context& ctx,
                                          std::vector<Problem>& problems) {
  if (opt.format == "uprinfo-csv") return open_uprinfo_csv(opt, ctx, problems);
  if (opt.format == "ohchr-thematic-csv") return open_ohchr_thematic_csv(opt, ctx, problems);
  if (opt.format == "uhri-json") return open_uhri_json(opt, ctx, problems);
  if (opt.format == "uhri-xlsx") return open_uhri_xlsx(opt, ctx, problems);
  if (opt.format == "csv" || opt.format == "xlsx") return open_generic_table(opt, ctx, problems);
  if (opt.format == "json") return open_hrtrack_json(opt, ctx, problems);
  throw InvalidArgument("unknown import format '" + opt.format + "'; use one of " +
                        join(import_formats(), ", "));
}

Columns::Columns(const std::vector<std::string>& header, const std::string& file, bool quiet)
    : header_(header), asked_(header.size(), false), file_(file), quiet_(quiet) {
  for (std::size_t i = 0; i < header.size(); ++i)
    idx_.emplace(ascii_lower(trim(header[i])), static_cast<int>(i));
}

int Columns::find(const std::string& name) const {
  auto it = idx_.find(ascii_lower(trim(name)));
  if (it == idx_.end()) return -1;
  asked_[static_cast<std::size_t>(it->second)] = true;
  return it->second;
}

void Columns::warn_unread(std::vector<Problem>& problems) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    std::string name(trim(header_[i]));
    if (asked_[i] || name.empty()) continue;
    int first = idx_.at(ascii_lower(name));
    if (static_cast<std::size_t>(first) != i && asked_[static_cast<std::size_t>(first)])
      problems.push_back({file_, 1, name, "",
                          "the column appears twice; only the first one (column " +
                              std::to_string(first + 1) + ") is read",
                          true});
    else
      problems.push_back(
          {file_, 1, name, "",
           "unknown column, not read (docs/import-formats.md lists the columns of the format)",
           true});
  }
}

int Columns::find(std::initializer_list<const char*> names) const {
  for (const char* n : names)
    if (int i = find(std::string(n)); i >= 0) return i;
  return -1;
}

int Columns::require(const char* name, std::vector<Problem>& problems) const {
  int i = find(std::string(name));
  if (i < 0 && !quiet_)
    problems.push_back(
        {file_, 1, name, "", "missing required column '" + std::string(name) + "'", false});
  return i;
}

TabularSource::TabularSource(const SourceOptions& opt, const Context& ctx,
                             std::vector<Problem>& problems, bool xlsx)
    : ctx_(ctx), problems_(problems), file_(std::filesystem::path(opt.path).filename()) {
  // Recommendation files are streamed: the limits of any size of file (read/limits.h).
  TableOptions to{ReaderLimits{}};
  to.max_field_bytes = opt.max_field_bytes;
  max_problems_ = to.max_problems;
  std::size_t before = problems.size();
  table_ = xlsx ? open_xlsx(opt.path, problems, to) : open_csv(opt.path, problems, to);
  // A file the reader could not read at all has no header, and the reader said why.
  for (std::size_t i = before; i < problems.size(); ++i)
    unreadable_ = unreadable_ || (!problems[i].warning && table_->header().empty());
}

Columns TabularSource::columns() const {
  return Columns(table_->header(), file_, unreadable_);
}

void TabularSource::header_checked(std::size_t problems_before) {
  bool errors = false;
  for (std::size_t i = problems_before; i < problems_.size(); ++i)
    errors = errors || !problems_[i].warning;
  if (table_->header().empty() && !errors && !unreadable_) {
    problems_.push_back({file_, 0, "", "", "the file is empty", false});
    errors = true;
  }
  usable_ = !errors && !unreadable_;
}

std::string TabularSource::raw_header() const {
  return csv_line(table_->header());
}

std::string TabularSource::cell(const Row& row, int i) {
  return i >= 0 && i < static_cast<int>(row.cells.size())
             ? std::string(trim(row.cells[static_cast<std::size_t>(i)]))
             : std::string();
}

void TabularSource::reject(SourceItem& item, const std::string& column, const std::string& value,
                           const std::string& reason) {
  problems_.push_back({file_, item.row, column, value, reason, false});
  item.ok = false;
}

void TabularSource::each(const std::function<void(SourceItem&)>& fn) {
  if (!usable_) return;
  Row row;
  SourceItem item;
  ProblemBudget budget(problems_, max_problems_);
  while (!budget.exceeded() && table_->next(row)) {
    item = SourceItem{};
    item.row = row.number;
    item.ok = !row.bad;
    if (check_width_ && row.cells.size() != table_->header().size())
      reject(item, "", "",
             "has " + std::to_string(row.cells.size()) + " fields, the header has " +
                 std::to_string(table_->header().size()));
    map_row(row, item);
    std::string line = csv_line(row.cells);
    item.raw_digest = std::hash<std::string>{}(line);
    if (!item.ok) item.raw = std::move(line);
    fn(item);
  }
  if (budget.exceeded()) {
    budget.stop(file_);
    too_many_errors_ = true;
  }
}

std::string csv_line(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    out += csv_quote(cells[i]);
  }
  return out;
}

std::vector<std::string> split_states(std::string_view s) {
  // " | " joins the values of a multi-valued cell (OHCHR's lists); within one value, a comma may
  // still separate States ("France, Lithuania").
  if (s.find(" | ") != std::string_view::npos) {
    std::vector<std::string> out;
    for (const auto& part : split_trim(s, " | "))
      for (auto& st : split_states(part)) out.push_back(std::move(st));
    return out;
  }
  auto parts = split_trim(s, ",");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    // "Congo, Democratic Republic of": join with the next part when only the joined name is
    // a State.
    if (i + 1 < parts.size() && !find_country(parts[i + 1])) {
      std::string joined = parts[i] + ", " + parts[i + 1];
      if (find_country(joined)) {
        out.push_back(joined);
        ++i;
        continue;
      }
    }
    out.push_back(parts[i]);
  }
  return out;
}

std::vector<std::string> recommending_states_of(const std::vector<std::string>& values,
                                                const std::string& file, long row,
                                                const std::string& column,
                                                std::vector<Problem>& problems) {
  std::vector<std::string> out;
  for (const auto& v : values)
    for (auto& st : split_states(v)) {
      if (find_country(st))
        out.push_back(std::move(st));
      else
        problems.push_back(
            {file, row, column, st, "not a State; left out of the recommending States", true});
    }
  return out;
}

std::string to_iso_date(std::string_view v) {
  auto t = trim(v);
  if (t.empty()) return "";
  if (t.size() >= 10 && t[4] == '-' && t[7] == '-') return std::string(t.substr(0, 10));
  // Excel serial date: days since 1899-12-30 (the 1900 leap-year bug is absorbed by that
  // epoch for all dates after February 1900).
  char* end = nullptr;
  std::string s(t);
  double d = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0' || d < 1 || d > 2958465) return "";
  std::time_t secs = static_cast<std::time_t>(std::floor(d) - 25569) * 86400;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

void finish_record(SourceItem& item, const Context& ctx, const std::string& file,
                   std::vector<Problem>& problems) {
  auto& r = item.rec;
  auto error = [&](const std::string& col, const std::string& val, const std::string& why) {
    problems.push_back({file, item.row, col, val, why, false});
    item.ok = false;
  };
  if (trim(r.text).empty()) error("text", "", "the recommendation text is empty");
  if (r.mechanism.empty()) {
    error("mechanism", r.body, "no mechanism given or recognised");
  } else if (const Mechanism* m = ctx.mechanism(r.mechanism)) {
    if (auto l = level_from_string(m->level)) r.level = *l;
  } else {
    error("mechanism", r.mechanism, "unknown mechanism code (see `hrtrack vocab list mechanisms`)");
  }
  if (r.state_iso3.empty() && !r.state_name.empty()) {
    if (auto c = find_country(r.state_name))
      r.state_iso3 = c->iso3;
    else
      problems.push_back({file, item.row, "state", r.state_name,
                          "State not recognised; kept by name without an ISO code", true});
  } else if (!r.state_iso3.empty()) {
    auto c = find_country(r.state_iso3);
    if (!c)
      error("state_iso3", r.state_iso3, "not an ISO 3166-1 alpha-3 code");
    else
      r.state_iso3 = c->iso3;
  }
  if (r.state_iso3.empty() && r.state_name.empty()) error("state", "", "no State concerned");
  // A UPR session is one the calendar holds (a later one is an error, not a guess); its cycle and
  // year are the calendar's.
  const UprSession* session = nullptr;
  if (r.upr_session != 0) {
    session = ctx.upr_session(r.upr_session);
    if (!session) {
      std::string known;
      if (!ctx.sessions.empty()) {
        const auto& last = ctx.sessions.rbegin()->second;
        known = " (the calendar holds sessions 1 to " + std::to_string(last.session) +
                ", the last from " + last.start_date + " to " + last.end_date + ")";
      }
      error("upr_session", std::to_string(r.upr_session),
            "not a UPR session held so far" + known +
                "; a later session is added to the calendar with `hrtrack vocab import "
                "--kind upr-sessions FILE`");
    } else if (r.upr_cycle != 0 && r.upr_cycle != session->cycle) {
      error("upr_cycle", std::to_string(r.upr_cycle),
            "session " + std::to_string(session->session) + " belongs to cycle " +
                std::to_string(session->cycle));
    } else {
      r.upr_cycle = session->cycle;
    }
  }
  // The year of a UPR recommendation is its review's (the session's), whichever file it comes
  // from; otherwise its document's publication year.
  if (r.year == 0 && session && session->start_date.size() >= 4)
    r.year = static_cast<int>(parse_int(session->start_date.substr(0, 4)).value_or(0));
  if (r.year == 0 && r.pub_date.size() >= 4)
    r.year = static_cast<int>(parse_int(r.pub_date.substr(0, 4)).value_or(0));
  derive_sdg_codes(r);
  derive_paragraph(r);  // "24(a)" -> "24 (a)", a sub-paragraph of "24"
}

}  // namespace hrtrack::ingest
