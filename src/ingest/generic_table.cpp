// Generic tabular import (CSV or XLSX). Without a mapping file the columns are hrtrack's own
// export columns (core/record_json.h), so `export --format csv` files import back as they are.
// A mapping file adapts any other layout, one line per field:
//
//   # hrtrack column mapping
//   text = Recommendation
//   state_name = Country
//   mechanism = Body
//   themes = Themes
//   separator = ;          (how multi-valued cells are joined; default " | ")
//   default.mechanism = UPR  (a constant for a field the file lacks)
//
// Header names match case-insensitively and in any order.
//
// hrtrack's export puts one "'" before every cell that begins with = + - @ tab CR or "'"
// (spreadsheet safety, export/exporter.h), so that a quote begins an exported cell only as that
// added quote. Without a mapping file one leading "'" is therefore removed from every cell read
// from the file: an export imports back to the same records, a text that really begins with "'"
// included (it was exported with two). A mapped layout is someone else's file: read as it is.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/record_json.h"
#include "core/text.h"
#include "ingest/source.h"
#include "read/json_stream.h"

namespace hrtrack::ingest {
namespace {

// JSON in a cell (the text variants) is parsed whole; its nesting is checked first, since a
// parsed value is copied and dumped recursively later.
constexpr int kVariantsDepth = ReaderLimits{}.max_depth;

// Whether a string or key anywhere in `j` holds a NUL character (j nests at most
// kVariantsDepth levels, so the recursion is bounded).
bool holds_nul(const ojson& j) {
  if (j.is_string()) return j.get_ref<const std::string&>().find('\0') != std::string::npos;
  if (j.is_object())
    for (const auto& [k, v] : j.items())
      if (k.find('\0') != std::string::npos || holds_nul(v)) return true;
  if (j.is_array())
    for (const auto& v : j)
      if (holds_nul(v)) return true;
  return false;
}

class GenericTable final : public TabularSource {
 public:
  GenericTable(const SourceOptions& opt, const Context& ctx, std::vector<Problem>& problems)
      : TabularSource(opt, ctx, problems, opt.format == "xlsx"),
        format_(opt.format),
        own_columns_(opt.mapping_path.empty()) {
    std::size_t before = problems.size();
    std::map<std::string, std::string> mapping;  // field -> header
    bool mapping_ok = opt.mapping_path.empty() || read_mapping(opt.mapping_path, mapping, problems);
    // A file or mapping that could not be read is reported as such: its columns are no news.
    bool quiet = unreadable() || !mapping_ok;
    Columns c(table_->header(), file_, quiet);
    for (const auto& f : record_fields()) {
      auto it = mapping.find(f.name);
      std::string header = it != mapping.end() ? it->second : f.name;
      int i = c.find(header);
      if (i < 0 && it != mapping.end() && !quiet)
        problems.push_back({file_, 1, header, "",
                            "the mapping names column '" + header + "' for field '" + f.name +
                                "', but the file has no such column",
                            false});
      cols_[f.name] = i;
    }
    if (quiet) {
      header_checked(before);
      return;
    }
    if (cols_["text"] < 0 && mapping.find("text") == mapping.end())
      problems.push_back(
          {file_, 1, "text", "", "missing required column 'text' (or map one)", false});
    if (cols_["state_iso3"] < 0 && cols_["state_name"] < 0 && !defaults_.count("state_iso3") &&
        !defaults_.count("state_name"))
      problems.push_back({file_, 1, "state_iso3", "",
                          "missing required column 'state_iso3' or 'state_name' (or map one)",
                          false});
    header_checked(before);
    if (opt.mapping_path.empty()) c.warn_unread(problems);  // the fixed columns of hrtrack's export
  }

  // Reads the mapping file (at most kMappingFileBytes, UTF-8). False when it could not be read
  // at all (the problem is in `problems`).
  bool read_mapping(const std::string& path, std::map<std::string, std::string>& mapping,
                    std::vector<Problem>& problems) {
    std::ifstream in(path, std::ios::binary);
    std::error_code ec;
    if (!in || std::filesystem::is_directory(path, ec))
      throw Error("cannot open mapping file '" + path + "'");
    std::string mfile = std::filesystem::path(path).filename();
    auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > kMappingFileBytes) {
      problems.push_back({mfile, 0, "", "",
                          "the mapping file is " + std::to_string(size) + " bytes, over the " +
                              std::to_string(kMappingFileBytes) + "-byte limit for a mapping file",
                          false});
      return false;
    }
    std::string text(static_cast<std::size_t>(kMappingFileBytes) + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (std::string u16 = utf16_hint(text); !u16.empty() || text.size() > kMappingFileBytes) {
      problems.push_back({mfile, 0, "", "",
                          u16.empty() ? "the mapping file is over the " +
                                            std::to_string(kMappingFileBytes) + "-byte limit"
                                      : u16,
                          false});
      return false;
    }
    std::istringstream lines(text);
    std::string line;
    long n = 0;
    while (std::getline(lines, line)) {
      ++n;
      if (!check_cell(mfile, n, "", line, problems)) continue;
      auto t = trim(line);
      if (t.empty() || t[0] == '#') continue;
      auto eq = t.find('=');
      if (eq == std::string_view::npos) {
        problems.push_back({mfile, n, "", std::string(t), "expected 'field = column'", false});
        continue;
      }
      std::string key = ascii_lower(trim(t.substr(0, eq)));
      std::string value(trim(t.substr(eq + 1)));
      if (key == "separator") {
        sep_ = value.empty() ? " | " : value;
        continue;
      }
      bool is_default = key.rfind("default.", 0) == 0;
      std::string field = is_default ? key.substr(8) : key;
      bool known = false;
      for (const auto& f : record_fields()) known = known || field == f.name;
      if (!known) {
        problems.push_back({mfile, n, "", field,
                            "unknown field; fields are those of `hrtrack "
                            "export --format csv`'s header",
                            false});
        continue;
      }
      if (is_default)
        defaults_[field] = value;
      else
        mapping[field] = value;
    }
    return true;
  }

  void map_row(const Row& row, SourceItem& item) override {
    {
      ojson j = ojson::object();
      for (const auto& f : record_fields()) {
        int i = cols_[f.name];
        std::string v;
        bool present = false;
        if (i >= 0 && i < static_cast<int>(row.cells.size())) {
          v = row.cells[static_cast<std::size_t>(i)];
          if (own_columns_ && !v.empty() && v[0] == '\'') v.erase(0, 1);  // see the top
          present = true;
        } else if (auto d = defaults_.find(f.name); d != defaults_.end()) {
          v = d->second;
          present = true;
        }
        if (!present) continue;
        switch (f.type) {
          case FieldType::Text:
            j[f.name] = v;
            break;
          case FieldType::Int:
            if (trim(v).empty()) break;
            if (auto n = parse_int(v))
              j[f.name] = *n;
            else {
              problems_.push_back(
                  {file_, row.number, header_of(i, f.name), v, "must be a whole number", false});
              item.ok = false;
            }
            break;
          case FieldType::List:
            j[f.name] = split_trim(v, sep_);
            break;
          case FieldType::Variants:
            if (trim(v).empty()) break;
            if (json_nests_deeper_than(v, kVariantsDepth)) {
              problems_.push_back({file_, row.number, header_of(i, f.name), "",
                                   "JSON nested more than " + std::to_string(kVariantsDepth) +
                                       " levels deep; text variants need 2",
                                   false});
              item.ok = false;
              break;
            }
            try {
              ojson parsed = ojson::parse(v);
              if (holds_nul(parsed)) {
                problems_.push_back({file_, row.number, header_of(i, f.name), v,
                                     "contains a NUL character (\\u0000), which no text field "
                                     "may hold",
                                     false});
                item.ok = false;
              } else {
                j[f.name] = std::move(parsed);
              }
            } catch (const std::exception&) {
              problems_.push_back({file_, row.number, header_of(i, f.name), v,
                                   "must be a JSON array of {\"lang\", \"text\"}", false});
              item.ok = false;
            }
            break;
        }
      }
      if (!j.contains("kind")) j["kind"] = "recommendation";
      if (!j.contains("level") || j["level"] == "") j["level"] = "international";
      if (j.contains("mechanism") && j["mechanism"].is_string()) {
        std::string code = ctx_.mechanism_code(j["mechanism"].get<std::string>());
        if (!code.empty()) j["mechanism"] = code;
      }
      try {
        item.rec = from_json(j);
      } catch (const Error& e) {
        problems_.push_back({file_, row.number, "", "", e.what(), false});
        item.ok = false;
        return;  // nothing was read to check further
      }
      if (item.rec.provenance.format.empty()) item.rec.provenance = {0, format_, file_, row.number};
      finish_record(item, ctx_, file_, problems_);
    }
  }

  std::string header_of(int i, const std::string& fallback) const {
    return i >= 0 && i < static_cast<int>(table_->header().size())
               ? table_->header()[static_cast<std::size_t>(i)]
               : fallback;
  }

 private:
  std::string format_;
  bool own_columns_;  // no mapping file: hrtrack's export columns and quoting
  std::map<std::string, int> cols_;
  std::map<std::string, std::string> defaults_;
  std::string sep_ = " | ";
};

}  // namespace

std::unique_ptr<RecordSource> open_generic_table(const SourceOptions& opt, const Context& ctx,
                                                 std::vector<Problem>& problems) {
  return std::make_unique<GenericTable>(opt, ctx, problems);
}

}  // namespace hrtrack::ingest
