// The parts of an XLSX workbook other than the rows of its sheet, for xlsx_reader.cpp: the
// workbook's relationships, its list of sheets, the shared-string table (held in memory, within
// its limits), the first pass over the sheet (rows and their limit), and the helpers for cell
// references and OOXML strings. Each part is streamed through ingest/xml_stream.h.
#pragma once
#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/text.h"
#include "read/limits.h"
#include "read/xml_stream.h"

namespace hrtrack::read::xlsx {

constexpr std::size_t kMaxExcelColumns = 16384;  // XFD: what a cell reference can name

// OOXML strings escape characters XML cannot carry as _xHHHH_ (UTF-16 code units; Excel
// writes a carriage return as _x000D_ and a literal "_x" as _x005F_x). Decodes them.
std::string decode_xstring(std::string s);
std::string column_letters(std::size_t col);  // 0 -> "A", 26 -> "AA"
// "B3" -> column 1. Row digits must follow; nullopt for anything else or past column XFD.
std::optional<std::size_t> parse_cell_ref(std::string_view ref);
// Cuts a string to at most `max` bytes without splitting a UTF-8 sequence.
void truncate_utf8(std::string& s, std::size_t max);
// Resolves a relationship target against the folder of the part that refers to it.
std::string resolve_target(const std::string& base_dir, std::string_view target);

// Each sink counts the depth of its own elements.
struct Depth {
  int depth = 0;
};

// xl/_rels/workbook.xml.rels: relationship id -> (type, target part).
struct RelsSink final : XmlSink, Depth {
  XmlPart* part = nullptr;
  std::size_t max = 0;
  std::map<std::string, std::pair<std::string, std::string>> rels;
  void start(std::string_view name, const char** atts) override {
    if (++depth != 2 || name != "Relationship") return;
    if (rels.size() >= max) {
      part->fail("has more than " + std::to_string(max) + " relationships", false);
      return;
    }
    const char* id = xml_attribute(atts, "Id");
    const char* type = xml_attribute(atts, "Type");
    const char* target = xml_attribute(atts, "Target");
    rels[id ? id : ""] = {type ? type : "", resolve_target("xl/", target ? target : "")};
  }
  void end(std::string_view) override { --depth; }
  void text(std::string_view) override {}
};

// xl/workbook.xml: the part of the first sheet listed that is a worksheet present.
struct WorkbookSink final : XmlSink, Depth {
  XmlPart* part = nullptr;
  const std::map<std::string, std::pair<std::string, std::string>>* rels = nullptr;
  std::function<bool(const std::string&)> exists;
  std::string sheet;
  bool in_sheets = false;
  void start(std::string_view name, const char** atts) override {
    ++depth;
    if (depth == 2 && name == "sheets") in_sheets = true;
    if (depth != 3 || !in_sheets || name != "sheet" || !sheet.empty()) return;
    for (; atts[0]; atts += 2) {
      std::string_view an(atts[0]);
      if (an.find(':') == std::string_view::npos || xml_local_name(an) != "id") continue;
      auto it = rels->find(atts[1]);
      if (it != rels->end() && it->second.first.ends_with("/worksheet") &&
          exists(it->second.second))
        sheet = it->second.second;
    }
  }
  void end(std::string_view name) override {
    if (depth-- == 2 && name == "sheets") in_sheets = false;
  }
  void text(std::string_view) override {}
};

// The shared-string table, held as one buffer and the end offset of each string. An <si> is a
// plain <t>, or rich-text runs <r><t>..</t></r> concatenated; phonetic runs (<rPh>) are reading
// aids, not content. A string over max_field_bytes is kept cut, with its size for the message.
class SharedStrings final : public XmlSink, Depth {
 public:
  SharedStrings(const ReaderLimits& l) : limits_(l), cap_(l.max_field_bytes + 16) {}
  XmlPart* part = nullptr;

  std::size_t size() const { return ends_.size(); }
  std::string at(std::size_t i) const {
    std::size_t from = i == 0 ? 0 : ends_[i - 1];
    return text_.substr(from, ends_[i] - from);
  }
  std::uint64_t real_size(std::size_t i) const {
    auto it = long_.find(i);
    return it == long_.end() ? (ends_[i] - (i == 0 ? 0 : ends_[i - 1])) : it->second;
  }
  void clear() {
    std::string().swap(text_);
    std::vector<std::uint32_t>().swap(ends_);
    long_.clear();
  }

  void start(std::string_view name, const char**) override {
    ++depth;
    if (depth == 2 && name == "si") {
      in_si_ = true;
      cur_.clear();
      raw_ = 0;
    } else if (in_si_ && name == "r" && depth == 3) {
      in_r_ = true;
    } else if (in_si_ && name == "t" && (depth == 3 || (depth == 4 && in_r_))) {
      in_t_ = true;
    }
  }
  void end(std::string_view name) override {
    if (name == "t") in_t_ = false;
    if (name == "r" && depth == 3) in_r_ = false;
    if (depth-- == 2 && in_si_) {
      in_si_ = false;
      add();
    }
  }
  void text(std::string_view s) override {
    if (!in_t_) return;
    raw_ += s.size();
    if (cur_.size() < cap_) cur_.append(s.substr(0, cap_ - cur_.size()));
  }

 private:
  void add() {
    if (ends_.size() >= limits_.max_shared_strings) {
      part->fail("has more than " + std::to_string(limits_.max_shared_strings) +
                     " shared strings; refusing it (save the data as CSV)",
                 false);
      return;
    }
    std::string s = decode_xstring(std::move(cur_));
    std::uint64_t real = raw_ > cap_ ? raw_ : s.size();
    truncate_utf8(s, limits_.max_field_bytes);
    std::size_t max = std::min<std::size_t>(limits_.max_shared_string_bytes, UINT32_MAX);
    if (text_.size() + s.size() > max) {
      part->fail("holds more than " + std::to_string(max) +
                     " bytes of shared strings; refusing it (save the data as CSV)",
                 false);
      return;
    }
    if (real > s.size()) long_[ends_.size()] = real;
    text_ += s;
    ends_.push_back(static_cast<std::uint32_t>(text_.size()));
    cur_.clear();
  }

  const ReaderLimits& limits_;
  std::size_t cap_;
  std::string text_, cur_;
  std::vector<std::uint32_t> ends_;
  std::unordered_map<std::size_t, std::uint64_t> long_;
  std::uint64_t raw_ = 0;
  bool in_si_ = false, in_r_ = false, in_t_ = false;
};

// The first pass over the sheet: its rows, the last one it got to, and the row limit.
struct ScanSink final : XmlSink, Depth {
  XmlPart* part = nullptr;
  long max_rows = 0, last = 0;
  bool in_data = false;
  void start(std::string_view name, const char** atts) override {
    ++depth;
    if (depth == 2 && name == "sheetData") in_data = true;
    if (depth != 3 || !in_data || name != "row") return;
    long n = last + 1;
    if (const char* r = xml_attribute(atts, "r"))
      if (auto v = parse_int(r); v && *v > last) n = *v;
    last = n;
    if (n > max_rows)
      part->fail("has more than " + std::to_string(max_rows) + " rows (spreadsheet row " +
                     std::to_string(n) + " is past the limit); split the data into several files",
                 false);
  }
  void end(std::string_view name) override {
    if (depth-- == 2 && name == "sheetData") in_data = false;
  }
  void text(std::string_view) override {}
};

}  // namespace hrtrack::read::xlsx
