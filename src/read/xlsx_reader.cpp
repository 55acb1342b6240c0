// XLSX reader: the first worksheet of a workbook, every cell as text.
// Built on libzip (unzip) and expat (XML, through ingest/xml_stream.h), both packaged in Debian
// 12; no packaged C++ library reads XLSX with row/column positions for every problem. The
// sheet is streamed twice, never held: a first pass checks that its XML is whole and within the
// limits (so that a damaged or hostile sheet is refused before any row is delivered, and the
// progress bar knows its size), the second hands over one row at a time. Only the shared
// strings are held, within their limits (read/limits.h).
// What the reader yields matches what a user sees in Excel: rows by their spreadsheet number,
// cells placed by their column letters (gaps filled with ""), data rows padded to the width of
// the header, rows without any value skipped.
#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>

#include "core/text.h"
#include "read/table.h"
#include "read/xlsx_parts.h"
#include "read/xml_stream.h"

namespace hrtrack::read {
namespace {

using namespace xlsx;

struct ZipDiscard {
  void operator()(zip_t* z) const { zip_discard(z); }
};

class XlsxReader final : public TableReader, private XmlSink {
 public:
  XlsxReader(const std::string& path, std::vector<Problem>& problems, const TableOptions& opt)
      : file_(std::filesystem::path(path).filename().string()),
        problems_(problems),
        opt_(opt),
        row_limit_(std::max(opt.max_row_bytes, opt.max_field_bytes)),
        shared_(opt_) {
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
    if (opt_.max_file_bytes > 0 && total_ > opt_.max_file_bytes) {
      problem(0, "", "",
              "the file is " + std::to_string(total_) + " bytes, over the " +
                  std::to_string(opt_.max_file_bytes) + "-byte limit for this kind of file");
      stopped_ = true;
      return;
    }
    if (!open_zip(path, magic) || !load_workbook() || !scan_sheet()) {
      release();
      stopped_ = true;
      return;
    }
    XmlSink& rows = *this;
    sheet_ = std::make_unique<XmlPart>(zip_.get(), sheet_name_, total_, opt_, rows);
    read_header();
  }

  const std::vector<std::string>& header() const override { return header_; }
  std::size_t bytes_read() const override {
    if (!sheet_ || sheet_bytes_ == 0) return total_;
    return static_cast<std::size_t>(
        static_cast<double>(total_) *
        std::min(1.0, static_cast<double>(sheet_->bytes()) / static_cast<double>(sheet_bytes_)));
  }
  std::size_t bytes_total() const override { return total_; }
  bool stopped() const override { return stopped_; }

  bool next(Row& row) override {
    while (sheet_) {
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
  std::string col_label(std::size_t i) const {
    return is_header_ ? "header " + column_letters(i) : column_name(i);
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

  bool exists(const std::string& name) {
    return zip_name_locate(zip_.get(), name.c_str(), ZIP_FL_NOCASE) >= 0;
  }

  // Streams a part through `sink`; false (after reporting) when it failed. A missing part is
  // not a failure.
  template <typename Sink>
  bool parse_part(const std::string& name, Sink& sink) {
    XmlPart part(zip_.get(), name, total_, opt_, sink);
    if (!part.exists()) return true;
    sink.part = &part;
    if (part.run() == XmlPart::Status::failed) {
      report(part, 0);
      return false;
    }
    return true;
  }

  // A part's failure as a problem: at the row it was found in when it is at a place in the
  // sheet, else about the file as a whole.
  void report(const XmlPart& part, long row) {
    std::string why = part.why();
    if (!part.at_place()) row = 0;
    if (row > 0) why += ", in or after spreadsheet row " + std::to_string(row);
    if (part.malformed()) why += "; the file is damaged, re-save it in a spreadsheet program";
    problem(row, "", "", why);
  }

  // Finds the first worksheet and the shared strings via the workbook and its relationships;
  // loads the shared strings.
  bool load_workbook() {
    RelsSink rels;
    rels.max = opt_.max_relationships;
    if (!parse_part("xl/_rels/workbook.xml.rels", rels)) return false;
    std::string ss_name = "xl/sharedStrings.xml";
    for (const auto& [id, rel] : rels.rels)
      if (rel.first.ends_with("/sharedStrings") && exists(rel.second)) ss_name = rel.second;
    WorkbookSink wb;
    wb.rels = &rels.rels;
    wb.exists = [this](const std::string& n) { return exists(n); };
    if (!parse_part("xl/workbook.xml", wb)) return false;
    sheet_name_ = wb.sheet;
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
    return parse_part(ss_name, shared_);
  }

  // The first pass: the whole sheet must be well-formed XML within the limits.
  bool scan_sheet() {
    ScanSink scan;
    scan.max_rows = opt_.max_rows;
    XmlPart part(zip_.get(), sheet_name_, total_, opt_, scan);
    scan.part = &part;
    if (part.run() == XmlPart::Status::failed) {
      report(part, scan.last);
      return false;
    }
    sheet_bytes_ = part.bytes();
    return true;
  }

  void read_header() {
    Row row;
    while (sheet_) {
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

  // Reads the next <row> of the sheet into `row`. False at the end of the sheet, or (after
  // reporting) when its structure is broken and reading must stop.
  bool read_row(Row& row, bool is_header) {
    out_ = &row;
    is_header_ = is_header;
    row_done_ = false;
    while (!row_done_) {
      XmlPart::Status st = sheet_->run();
      if (row_done_) break;
      if (st == XmlPart::Status::failed) {
        if (!stop_) report(*sheet_, last_row_);
        stopped_ = true;
        return false;
      }
      if (st == XmlPart::Status::done) return false;
    }
    return true;
  }

  // ---- the sheet's elements (XmlSink), the second pass ----
  void start(std::string_view name, const char** atts) override {
    ++depth_;
    if (depth_ == 2 && name == "sheetData") {
      in_data_ = true;
    } else if (depth_ == 3 && in_data_ && name == "row") {
      begin_row(atts);
    } else if (depth_ == 4 && in_row_ && name == "c") {
      begin_cell(atts);
    } else if (depth_ == 5 && in_c_ && name == "v" && !has_v_) {
      in_v_ = has_v_ = true;
    } else if (depth_ == 5 && in_c_ && name == "is" && !has_is_) {
      in_is_ = has_is_ = true;
    } else if (in_is_ && ((depth_ == 6 && name == "t") || (depth_ == 7 && in_r_ && name == "t"))) {
      in_t_ = true;
    } else if (in_is_ && depth_ == 6 && name == "r") {
      in_r_ = true;
    }
  }

  void end(std::string_view name) override {
    int d = depth_--;
    if (d == 2 && name == "sheetData") {
      in_data_ = false;
    } else if (d == 3 && in_row_) {
      in_row_ = false;
      row_done_ = true;
      sheet_->suspend();
    } else if (d == 4 && in_c_) {
      end_cell();
    } else if (d == 5) {
      in_v_ = in_is_ = false;
    } else if (name == "t") {
      in_t_ = false;
    } else if (d == 6 && name == "r") {
      in_r_ = false;
    }
  }

  void text(std::string_view s) override {
    if (in_v_) {
      v_raw_ += s.size();
      if (v_.size() < cap()) v_.append(s.substr(0, cap() - v_.size()));
    } else if (in_t_) {
      is_raw_ += s.size();
      if (is_.size() < cap()) is_.append(s.substr(0, cap() - is_.size()));
    }
  }

  std::size_t cap() const { return opt_.max_field_bytes + 16; }

  // A structural problem: reported here, and reading stops.
  void stop(long row, std::string value, std::string reason) {
    problem(row, "", std::move(value), std::move(reason));
    stop_ = true;
    sheet_->fail("(stopped)");
  }

  void begin_row(const char** atts) {
    Row& row = *out_;
    row.cells.clear();
    row.bad = false;
    long number = last_row_ + 1;
    if (const char* a = xml_attribute(atts, "r")) {
      auto n = parse_int(a);
      if (!n || *n <= last_row_ || *n > opt_.max_rows) {
        stop(n && *n <= opt_.max_rows ? *n : 0, a,
             "invalid row number r=\"" + shorten_for_display(a, 20) + "\" in " + sheet_name_ +
                 " after spreadsheet row " + std::to_string(last_row_) +
                 " (rows must be numbered 1 to " + std::to_string(opt_.max_rows) +
                 " in increasing order); the file is damaged");
        return;
      }
      number = *n;
    }
    if (number > opt_.max_rows) {
      stop(0, "", "more than " + std::to_string(opt_.max_rows) + " rows in " + sheet_name_);
      return;
    }
    last_row_ = row.number = number;
    in_row_ = true;
    row_bytes_ = 0;
    row_over_ = cols_over_ = false;
  }

  void begin_cell(const char** atts) {
    Row& row = *out_;
    in_c_ = true;
    skip_cell_ = has_v_ = has_is_ = false;
    v_.clear();
    is_.clear();
    v_raw_ = is_raw_ = 0;
    const char* t = xml_attribute(atts, "t");
    type_ = t ? t : "";
    std::size_t col = row.cells.size();
    if (const char* ref = xml_attribute(atts, "r")) {
      auto parsed = parse_cell_ref(ref);
      if (!parsed) {
        problem(row.number, "", ref,
                "invalid cell reference r=\"" + shorten_for_display(ref, 20) +
                    "\" (expected a column A to XFD and a row number); the cell is skipped");
        row.bad = skip_cell_ = true;
        return;
      }
      if (*parsed < row.cells.size()) {
        problem(row.number, col_label(*parsed), ref,
                "cell " + shorten_for_display(ref, 20) +
                    " appears twice or out of order in the row; the cell is skipped");
        row.bad = skip_cell_ = true;
        return;
      }
      col = *parsed;
    }
    if (col >= opt_.max_columns) {
      if (!cols_over_)
        problem(row.number, "", "",
                "more than " + std::to_string(opt_.max_columns) +
                    " columns; the cells after column " + column_letters(opt_.max_columns - 1) +
                    " are skipped");
      cols_over_ = row.bad = skip_cell_ = true;
      return;
    }
    col_ = col;
  }

  void end_cell() {
    in_c_ = in_v_ = in_is_ = in_t_ = in_r_ = false;
    if (skip_cell_) return;
    Row& row = *out_;
    row.cells.resize(col_);
    std::uint64_t real = 0;
    std::string value = cell_value(row.number, col_label(col_), row.bad, real);
    if (real > opt_.max_field_bytes) {
      problem(row.number, col_label(col_), shorten_for_display(value, 40),
              "cell " + column_letters(col_) + std::to_string(row.number) + " is " +
                  std::to_string(real) + " bytes, over the " +
                  std::to_string(opt_.max_field_bytes) +
                  "-byte limit (raise it with --max-field-bytes)");
      truncate_utf8(value, opt_.max_field_bytes);
      row.bad = true;
    }
    if (row_bytes_ + value.size() > row_limit_) {
      if (!row_over_)
        problem(row.number, col_label(col_), "",
                "the row is over the " + std::to_string(row_limit_) +
                    "-byte limit for a whole row; the rest of it is not kept");
      row_over_ = row.bad = true;
      value.clear();
    }
    row_bytes_ += value.size();
    row.cells.push_back(std::move(value));
  }

  // The cell's text, and its size before any cut (`real`).
  std::string cell_value(long number, const std::string& column, bool& bad, std::uint64_t& real) {
    std::string out;
    if (type_ == "s") {
      auto idx = parse_int(v_);
      if (!idx || static_cast<std::size_t>(*idx) >= shared_.size()) {
        problem(number, column, v_,
                "shared-string index " + shorten_for_display(v_, 20) +
                    " is out of range: the workbook has " + std::to_string(shared_.size()) +
                    " shared strings (xl/sharedStrings.xml is missing or damaged)");
        bad = true;
        return "";
      }
      real = shared_.real_size(static_cast<std::size_t>(*idx));
      return shared_.at(static_cast<std::size_t>(*idx));
    }
    if (type_ == "inlineStr" || (!has_v_ && has_is_)) {
      out = decode_xstring(std::move(is_));
      real = is_raw_ > cap() ? is_raw_ : out.size();
      return out;
    }
    if (type_ == "b" && (v_ == "1" || v_ == "0")) {
      real = v_ == "1" ? 4 : 5;
      return v_ == "1" ? "TRUE" : "FALSE";
    }
    out = type_ == "str" ? decode_xstring(std::move(v_)) : std::move(v_);
    real = v_raw_ > cap() ? v_raw_ : out.size();
    return out;  // n (numbers as written), e (#N/A, ...), d (ISO 8601 dates), str, b
  }

  void release() {
    sheet_.reset();
    shared_.clear();
    zip_.reset();
  }

  std::string file_;
  std::vector<Problem>& problems_;
  TableOptions opt_;
  std::size_t row_limit_;
  std::size_t total_ = 0;
  std::unique_ptr<zip_t, ZipDiscard> zip_;
  std::string sheet_name_;
  SharedStrings shared_;
  std::unique_ptr<XmlPart> sheet_;  // the second pass (destroyed before zip_)
  std::uint64_t sheet_bytes_ = 0;   // the sheet's decompressed size (from the first pass)
  long last_row_ = 0;
  std::vector<std::string> header_;
  // The row being read (second pass).
  Row* out_ = nullptr;
  int depth_ = 0;
  bool is_header_ = false, row_done_ = false, stop_ = false;
  bool stopped_ = false;  // the sheet could not be read to its end (stopped())
  bool in_data_ = false, in_row_ = false, in_c_ = false, in_v_ = false, in_is_ = false,
       in_t_ = false, in_r_ = false;
  bool skip_cell_ = false, has_v_ = false, has_is_ = false, row_over_ = false, cols_over_ = false;
  std::size_t col_ = 0, row_bytes_ = 0;
  std::string type_, v_, is_;
  std::uint64_t v_raw_ = 0, is_raw_ = 0;
};

}  // namespace

std::unique_ptr<TableReader> open_xlsx(const std::string& path, std::vector<Problem>& problems,
                                       const TableOptions& opt) {
  return std::make_unique<XlsxReader>(path, problems, opt);
}

}  // namespace hrtrack::read
