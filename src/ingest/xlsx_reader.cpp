// XLSX reader: the first worksheet of a workbook, every cell as text.
// Built on libzip (unzip) and pugixml (XML) as the project decided: both are packaged in
// Debian 12, while no packaged C++ library reads XLSX with row/column positions for every
// problem. pugixml builds a DOM, so the sheet's XML is held in memory once (parsed in place);
// each decompressed entry is capped at 2 GiB against zip bombs. pugixml does not process
// DTDs or external entities, so entity expansion attacks do not apply.
// What the reader yields matches what a user sees in Excel: rows by their spreadsheet number,
// cells placed by their column letters (gaps filled with ""), data rows padded to the width of
// the header, rows without any value skipped.
#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <pugixml.hpp>

#include "core/text.h"
#include "ingest/table.h"

namespace hrtrack::ingest {
namespace {

constexpr std::uint64_t kMaxEntryBytes = std::uint64_t{2} << 30;  // 2 GiB decompressed
constexpr std::size_t kMaxColumns = 16384;                        // Excel's limit (XFD)
constexpr long kMaxRows = 1048576;                                // Excel's limit

// Element and attribute names without their namespace prefix ("x:row" -> "row"): generators
// differ in the prefixes they use, and pugixml does not resolve namespaces.
std::string_view local_name(const char* name) {
  std::string_view s(name);
  std::size_t colon = s.rfind(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

pugi::xml_node child_named(pugi::xml_node n, std::string_view name) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && local_name(c.name()) == name) return c;
  return {};
}

pugi::xml_node next_named(pugi::xml_node n, std::string_view name) {
  for (n = n.next_sibling(); n; n = n.next_sibling())
    if (n.type() == pugi::node_element && local_name(n.name()) == name) return n;
  return {};
}

// Text of a node's PCDATA/CDATA children.
std::string text_of(pugi::xml_node n) {
  std::string out;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// OOXML strings escape characters XML cannot carry as _xHHHH_ (UTF-16 code units; Excel
// writes a carriage return as _x000D_ and a literal "_x" as _x005F_x). Decodes them.
std::string decode_xstring(std::string s) {
  if (s.find("_x") == std::string::npos) return s;
  auto unit_at = [&](std::size_t i) -> long {
    if (i + 7 > s.size() || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return -1;
    long v = 0;
    for (std::size_t k = i + 2; k < i + 6; ++k) {
      char c = s[k];
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    long u = unit_at(i);
    if (u < 0) {
      out += s[i++];
      continue;
    }
    if (u >= 0xD800 && u <= 0xDBFF) {
      long lo = unit_at(i + 7);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((static_cast<std::uint32_t>(u) - 0xD800) << 10) +
                             (static_cast<std::uint32_t>(lo) - 0xDC00));
        i += 14;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) {  // a lone surrogate: keep the text as written
      out.append(s, i, 7);
    } else {
      append_utf8(out, static_cast<std::uint32_t>(u));
    }
    i += 7;
  }
  return out;
}

// Text of an <si> (shared string) or <is> (inline string): a plain <t>, or rich-text runs
// <r><t>..</t></r> concatenated. Phonetic runs (<rPh>) are reading aids, not content.
std::string rich_text(pugi::xml_node n) {
  std::string out;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view name = local_name(c.name());
    if (name == "t") {
      out += text_of(c);
    } else if (name == "r") {
      for (pugi::xml_node t = child_named(c, "t"); t; t = next_named(t, "t")) out += text_of(t);
    }
  }
  return decode_xstring(std::move(out));
}

std::string column_letters(std::size_t col) {  // 0 -> "A", 26 -> "AA"
  std::string out;
  for (std::size_t n = col + 1; n > 0; n = (n - 1) / 26)
    out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  return out;
}

// "B3" -> column 1. Row digits must follow; nullopt for anything else or past column XFD.
std::optional<std::size_t> parse_cell_ref(std::string_view ref) {
  std::size_t i = 0, col = 0;
  while (i < ref.size() && i < 3 &&
         ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z'))) {
    char c = static_cast<char>(ref[i] & ~0x20);
    col = col * 26 + static_cast<std::size_t>(c - 'A' + 1);
    ++i;
  }
  if (i == 0 || col > kMaxColumns || i == ref.size()) return std::nullopt;
  for (std::size_t k = i; k < ref.size(); ++k)
    if (ref[k] < '0' || ref[k] > '9') return std::nullopt;
  return col - 1;
}

// Cuts a string to at most `max` bytes without splitting a UTF-8 sequence.
void truncate_utf8(std::string& s, std::size_t max) {
  if (s.size() <= max) return;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
}

// Resolves a relationship target against the folder of the part that refers to it.
std::string resolve_target(const std::string& base_dir, std::string_view target) {
  std::string joined = !target.empty() && target[0] == '/' ? std::string(target.substr(1))
                                                           : base_dir + std::string(target);
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    std::string part = joined.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  return join(parts, "/");
}

struct ZipDiscard {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileClose {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

class XlsxReader final : public TableReader {
 public:
  XlsxReader(const std::string& path, std::vector<Problem>& problems, const TableOptions& opt)
      : file_(std::filesystem::path(path).filename().string()), problems_(problems), opt_(opt) {
    std::string magic;
    {
      std::ifstream in(path, std::ios::binary);
      std::error_code ec;
      if (!in || std::filesystem::is_directory(path, ec))
        throw Error("cannot open '" + path + "' for reading");
      char buf[8] = {};
      in.read(buf, sizeof buf);
      magic.assign(buf, static_cast<std::size_t>(in.gcount()));
      total_ = std::filesystem::file_size(path, ec);
      if (ec) total_ = 0;
    }
    if (!open_zip(path, magic) || !load_workbook() || !load_sheet()) {
      release();
      return;
    }
    read_header();
  }

  const std::vector<std::string>& header() const override { return header_; }
  std::size_t bytes_read() const override {
    if (!cur_ || rows_total_ == 0) return total_;
    return static_cast<std::size_t>(static_cast<double>(total_) * rows_done_ / rows_total_);
  }
  std::size_t bytes_total() const override { return total_; }

  bool next(Row& row) override {
    while (cur_) {
      if (!read_row(row, false)) break;
      if (!row.bad &&
          std::all_of(row.cells.begin(), row.cells.end(), [](auto& c) { return c.empty(); }))
        continue;  // a formatted but empty row: invisible in Excel
      while (row.cells.size() > header_.size() && row.cells.back().empty()) row.cells.pop_back();
      if (row.cells.size() < header_.size()) row.cells.resize(header_.size());
      for (std::size_t i = 0; i < row.cells.size(); ++i)
        if (!check_cell(file_, row.number, column_name(i), row.cells[i], problems_)) row.bad = true;
      return true;
    }
    release();
    return false;
  }

 private:
  void problem(long row, std::string column, std::string value, std::string reason) {
    problems_.push_back(
        {file_, row, std::move(column), std::move(value), std::move(reason), false});
  }

  std::string column_name(std::size_t i) const {
    if (i < header_.size() && !header_[i].empty()) return header_[i];
    return column_letters(i);
  }

  bool open_zip(const std::string& path, const std::string& magic) {
    if (total_ == 0 && magic.empty()) {
      problem(0, "", "", "the file is empty (0 bytes), not an XLSX workbook");
      return false;
    }
    if (magic.starts_with("\xD0\xCF\x11\xE0")) {
      problem(0, "", "",
              "not an XLSX workbook: this is an Excel 97-2003 (.xls) file or a password-protected "
              "workbook; open it in a spreadsheet program and save it as an unprotected .xlsx");
      return false;
    }
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
    if (!z) {
      zip_error_t ze;
      zip_error_init_with_code(&ze, err);
      // libzip says "No such file" for a missing ZIP64 field: misleading for a user.
      std::string msg = err == ZIP_ER_NOENT ? "Zip archive inconsistent" : zip_error_strerror(&ze);
      zip_error_fini(&ze);
      // The file was opened above, so this is about its content: libzip reports damaged
      // archives with all sorts of codes (even ZIP_ER_NOENT or ZIP_ER_SEEK), never throw here.
      if (magic.starts_with("PK"))
        problem(0, "", "",
                "the XLSX file is damaged: its zip archive cannot be read (" + msg +
                    "); was the download or copy cut short?");
      else
        problem(0, "", "",
                "not an XLSX workbook: the file is not a zip archive (" + msg +
                    "); if it is CSV or an old .xls file, import it as such or save it as .xlsx");
      return false;
    }
    zip_.reset(z);
    return true;
  }

  enum class Entry { ok, missing, failed };

  bool exists(const std::string& name) {
    return zip_name_locate(zip_.get(), name.c_str(), ZIP_FL_NOCASE) >= 0;
  }

  // Decompresses one entry of the archive into `out`, refusing more than kMaxEntryBytes.
  Entry read_entry(const std::string& name, std::string& out) {
    out.clear();
    zip_int64_t idx = zip_name_locate(zip_.get(), name.c_str(), ZIP_FL_NOCASE);
    if (idx < 0) return Entry::missing;
    auto too_big = [&] {
      problem(0, "", "",
              "the workbook part " + name + " is larger than " +
                  std::to_string(kMaxEntryBytes >> 30) +
                  " GiB when decompressed; refusing it (a damaged file or a zip bomb?)");
      return Entry::failed;
    };
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(idx), 0, &st) == 0 &&
        (st.valid & ZIP_STAT_SIZE)) {
      if (st.size > kMaxEntryBytes) return too_big();
      // The declared size may lie: reserve no more than a modest amount up front.
      out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(st.size, 64u << 20)));
    }
    std::unique_ptr<zip_file_t, ZipFileClose> f(
        zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(idx), 0));
    if (!f) {
      problem(0, "", "",
              "cannot read " + name + " in the workbook (" + zip_strerror(zip_.get()) +
                  "); the file is damaged or encrypted");
      return Entry::failed;
    }
    char buf[1 << 16];
    while (true) {
      zip_int64_t n = zip_fread(f.get(), buf, sizeof buf);
      if (n < 0) {
        problem(0, "", "",
                "cannot decompress " + name + " in the workbook (" + zip_file_strerror(f.get()) +
                    "); the file is damaged (was the download or copy cut short?)");
        return Entry::failed;
      }
      if (n == 0) break;
      if (out.size() + static_cast<std::uint64_t>(n) > kMaxEntryBytes) return too_big();
      out.append(buf, static_cast<std::size_t>(n));
    }
    return Entry::ok;
  }

  // Parses `buf` in place (it must outlive `doc`). On malformed XML reports where.
  bool parse_xml(const std::string& name, std::string& buf, pugi::xml_document& doc) {
    pugi::xml_parse_result res = doc.load_buffer_inplace(
        buf.data(), buf.size(), pugi::parse_default | pugi::parse_ws_pcdata_single);
    if (res) return true;
    std::string where = "at byte " + std::to_string(res.offset);
    long row = 0;
    if (name == sheet_name_) {
      // pugixml keeps the part of the tree it parsed: name the last row it got to.
      pugi::xml_node data = child_named(doc.document_element(), "sheetData");
      for (pugi::xml_node r = data.last_child(); r; r = r.previous_sibling()) {
        if (r.type() != pugi::node_element || local_name(r.name()) != "row") continue;
        if (auto n = parse_int(r.attribute("r").value()); n && *n > 0 && *n <= kMaxRows) {
          row = *n;
          where += ", in or after spreadsheet row " + std::to_string(*n);
        }
        break;
      }
    }
    problem(row, "", "",
            "malformed XML in " + name + " of the workbook (" + where + ": " + res.description() +
                "); the file is damaged, re-save it in a spreadsheet program");
    return false;
  }

  // Finds the first worksheet and the shared strings via the workbook and its relationships;
  // loads the shared strings.
  bool load_workbook() {
    std::string ss_name = "xl/sharedStrings.xml";
    std::string buf;
    std::map<std::string, std::pair<std::string, std::string>> rels;  // id -> (type, target)
    Entry e = read_entry("xl/_rels/workbook.xml.rels", buf);
    if (e == Entry::failed) return false;
    if (e == Entry::ok) {
      pugi::xml_document doc;
      if (!parse_xml("xl/_rels/workbook.xml.rels", buf, doc)) return false;
      for (pugi::xml_node r = child_named(doc.document_element(), "Relationship"); r;
           r = next_named(r, "Relationship")) {
        std::string type = r.attribute("Type").value();
        std::string target = resolve_target("xl/", r.attribute("Target").value());
        if (type.ends_with("/sharedStrings") && exists(target)) ss_name = target;
        rels[r.attribute("Id").value()] = {type, target};
      }
    }
    e = read_entry("xl/workbook.xml", buf);
    if (e == Entry::failed) return false;
    if (e == Entry::ok) {
      pugi::xml_document doc;
      if (!parse_xml("xl/workbook.xml", buf, doc)) return false;
      pugi::xml_node sheets = child_named(doc.document_element(), "sheets");
      for (pugi::xml_node s = child_named(sheets, "sheet"); s && sheet_name_.empty();
           s = next_named(s, "sheet")) {
        for (pugi::xml_attribute a = s.first_attribute(); a; a = a.next_attribute()) {
          std::string_view an(a.name());
          if (an.find(':') == std::string_view::npos || local_name(a.name()) != "id") continue;
          auto it = rels.find(a.value());
          if (it != rels.end() && it->second.first.ends_with("/worksheet") &&
              exists(it->second.second))
            sheet_name_ = it->second.second;
        }
      }
    }
    if (sheet_name_.empty()) {
      if (exists("xl/worksheets/sheet1.xml")) {
        sheet_name_ = "xl/worksheets/sheet1.xml";
      } else if (exists("content.xml")) {
        problem(0, "", "",
                "no worksheet found: this looks like an OpenDocument spreadsheet (.ods); save it "
                "as .xlsx");
        return false;
      } else {
        problem(0, "", "",
                "no worksheet found: the zip archive has no worksheet listed in xl/workbook.xml "
                "and no xl/worksheets/sheet1.xml; is it really an .xlsx workbook?");
        return false;
      }
    }
    e = read_entry(ss_name, buf);
    if (e == Entry::failed) return false;
    if (e == Entry::ok) {
      pugi::xml_document doc;
      if (!parse_xml(ss_name, buf, doc)) return false;
      for (pugi::xml_node si = child_named(doc.document_element(), "si"); si;
           si = next_named(si, "si"))
        shared_.push_back(rich_text(si));
    }
    return true;
  }

  bool load_sheet() {
    Entry e = read_entry(sheet_name_, sheet_xml_);
    if (e == Entry::missing) {  // cannot happen (checked), but be safe
      problem(0, "", "", "no worksheet found: " + sheet_name_ + " is missing from the workbook");
      return false;
    }
    if (e == Entry::failed || !parse_xml(sheet_name_, sheet_xml_, sheet_)) return false;
    pugi::xml_node data = child_named(sheet_.document_element(), "sheetData");
    cur_ = child_named(data, "row");
    for (pugi::xml_node r = cur_; r; r = next_named(r, "row")) ++rows_total_;
    return true;
  }

  void read_header() {
    Row row;
    while (cur_) {
      if (!read_row(row, true)) {
        release();
        return;
      }
      if (std::any_of(row.cells.begin(), row.cells.end(), [](auto& c) { return !c.empty(); }))
        break;
      row.cells.clear();
    }
    while (!row.cells.empty() && row.cells.back().empty()) row.cells.pop_back();
    header_ = std::move(row.cells);
    for (std::size_t i = 0; i < header_.size(); ++i)
      check_cell(file_, row.number, "header " + column_letters(i), header_[i], problems_);
  }

  // Reads the row at cur_ and advances. False (after reporting) when the sheet's structure is
  // broken and reading must stop.
  bool read_row(Row& row, bool is_header) {
    pugi::xml_node r = cur_;
    cur_ = next_named(cur_, "row");
    ++rows_done_;
    row.cells.clear();
    row.bad = false;
    long number = last_row_ + 1;
    if (pugi::xml_attribute a = r.attribute("r")) {
      auto n = parse_int(a.value());
      if (!n || *n <= last_row_ || *n > kMaxRows) {
        problem(n && *n <= kMaxRows ? *n : 0, "", a.value(),
                "invalid row number r=\"" + shorten_for_display(a.value(), 20) + "\" in " +
                    sheet_name_ + " after spreadsheet row " + std::to_string(last_row_) +
                    " (rows must be numbered 1 to " + std::to_string(kMaxRows) +
                    " in increasing order); the file is damaged");
        return false;
      }
      number = *n;
    }
    if (number > kMaxRows) {
      problem(0, "", "", "more than " + std::to_string(kMaxRows) + " rows in " + sheet_name_);
      return false;
    }
    last_row_ = number;
    row.number = number;
    auto col_label = [&](std::size_t i) {
      return is_header ? "header " + column_letters(i) : column_name(i);
    };
    for (pugi::xml_node c = child_named(r, "c"); c; c = next_named(c, "c")) {
      std::size_t col = row.cells.size();
      if (pugi::xml_attribute ref = c.attribute("r")) {
        auto parsed = parse_cell_ref(ref.value());
        if (!parsed) {
          problem(number, "", ref.value(),
                  "invalid cell reference r=\"" + shorten_for_display(ref.value(), 20) +
                      "\" (expected a column A to XFD and a row number); the cell is skipped");
          row.bad = true;
          continue;
        }
        if (*parsed < row.cells.size()) {
          problem(number, col_label(*parsed), ref.value(),
                  "cell " + shorten_for_display(ref.value(), 20) +
                      " appears twice or out of order in the row; the cell is skipped");
          row.bad = true;
          continue;
        }
        col = *parsed;
      }
      if (col >= kMaxColumns) {
        problem(number, "", "",
                "more than " + std::to_string(kMaxColumns) + " columns; the cell is skipped");
        row.bad = true;
        continue;
      }
      row.cells.resize(col);
      std::string value = cell_value(c, number, col_label(col), row.bad);
      if (value.size() > opt_.max_field_bytes) {
        problem(number, col_label(col), shorten_for_display(value, 40),
                "cell " + column_letters(col) + std::to_string(number) + " is " +
                    std::to_string(value.size()) + " bytes, over the " +
                    std::to_string(opt_.max_field_bytes) +
                    "-byte limit (raise it with --max-field-bytes)");
        truncate_utf8(value, opt_.max_field_bytes);
        row.bad = true;
      }
      row.cells.push_back(std::move(value));
    }
    return true;
  }

  std::string cell_value(pugi::xml_node c, long number, const std::string& column, bool& bad) {
    std::string_view type = c.attribute("t").value();
    pugi::xml_node v = child_named(c, "v");
    if (type == "s") {
      std::string raw = text_of(v);
      auto idx = parse_int(raw);
      if (!idx || static_cast<std::size_t>(*idx) >= shared_.size()) {
        problem(number, column, raw,
                "shared-string index " + shorten_for_display(raw, 20) +
                    " is out of range: the workbook has " + std::to_string(shared_.size()) +
                    " shared strings (xl/sharedStrings.xml is missing or damaged)");
        bad = true;
        return "";
      }
      return shared_[static_cast<std::size_t>(*idx)];
    }
    pugi::xml_node is = child_named(c, "is");
    if (type == "inlineStr" || (!v && is)) return rich_text(is);
    std::string raw = text_of(v);
    if (type == "b") {
      if (raw == "1") return "TRUE";
      if (raw == "0") return "FALSE";
      return raw;
    }
    if (type == "str") return decode_xstring(std::move(raw));
    return raw;  // n (numbers as written), e (#N/A, ...), d (ISO 8601 dates)
  }

  void release() {
    cur_ = pugi::xml_node();
    sheet_.reset();
    std::string().swap(sheet_xml_);
    std::vector<std::string>().swap(shared_);
    zip_.reset();
  }

  std::string file_;
  std::vector<Problem>& problems_;
  TableOptions opt_;
  std::size_t total_ = 0;
  std::unique_ptr<zip_t, ZipDiscard> zip_;
  std::string sheet_name_;
  std::vector<std::string> shared_;
  std::string sheet_xml_;  // the sheet's XML, parsed in place by sheet_
  pugi::xml_document sheet_;
  pugi::xml_node cur_;  // next <row> to read
  std::size_t rows_total_ = 0, rows_done_ = 0;
  long last_row_ = 0;
  std::vector<std::string> header_;
};

}  // namespace

std::unique_ptr<TableReader> open_xlsx(const std::string& path, std::vector<Problem>& problems,
                                       const TableOptions& opt) {
  return std::make_unique<XlsxReader>(path, problems, opt);
}

}  // namespace hrtrack::ingest
