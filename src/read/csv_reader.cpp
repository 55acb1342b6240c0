// Streaming CSV reader. Reads the file in 1 MiB blocks, so memory does not grow with file
// size; a field longer than max_field_bytes is reported and truncated, never kept whole.
// Hand-written rather than a library: Debian 12 packages no C++ CSV parser that reports
// row/column positions for every problem and keeps going after one.
#include <unicode/ucsdet.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/text.h"
#include "read/table.h"

namespace hrtrack::read {

std::string guess_encoding(std::string_view bytes) {
  UErrorCode st = U_ZERO_ERROR;
  UCharsetDetector* d = ucsdet_open(&st);
  if (U_FAILURE(st)) return "";
  ucsdet_setText(d, bytes.data(), static_cast<int32_t>(std::min<std::size_t>(bytes.size(), 65536)),
                 &st);
  const UCharsetMatch* m = ucsdet_detect(d, &st);
  std::string out;
  if (U_SUCCESS(st) && m) {
    const char* name = ucsdet_getName(m, &st);
    if (U_SUCCESS(st) && name && std::string_view(name) != "UTF-8") out = name;
  }
  ucsdet_close(d);
  return out;
}

std::string utf16_hint(std::string_view head) {
  if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF"))
    return "the file is UTF-16 encoded (it starts with a UTF-16 byte order mark); save it as "
           "UTF-8";
  // Latin text in UTF-16 has a NUL byte in every other position: at odd offsets for
  // little-endian, at even ones for big-endian. Other text (even with stray NULs) has few.
  std::size_t n = std::min<std::size_t>(head.size(), 4096) & ~std::size_t{1};
  if (n < 4) return "";
  std::size_t nul[2] = {0, 0};
  for (std::size_t i = 0; i < n; ++i)
    if (head[i] == '\0') ++nul[i & 1];
  std::size_t half = n / 2;
  for (int odd = 0; odd < 2; ++odd)
    if (nul[odd] * 10 >= half * 4 && nul[1 - odd] * 10 < half)
      return std::string("NUL bytes at every other position (") + (odd ? "little" : "big") +
             "-endian UTF-16 without a byte order mark?): this looks like UTF-16; save it as "
             "UTF-8";
  return "";
}

bool check_cell(const std::string& file, long row, const std::string& column,
                const std::string& value, std::vector<Problem>& problems) {
  if (auto bad = find_invalid_utf8(value)) {
    std::string enc = guess_encoding(value);
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(value[*bad]));
    problems.push_back({file, row, column, value,
                        "not valid UTF-8 (byte " + std::string(hex) + " at offset " +
                            std::to_string(*bad) + "); the file looks like " +
                            (enc.empty() ? "a legacy 8-bit encoding" : enc) +
                            " (Latin-1, Windows-1252 or Mac-Roman); convert it to UTF-8, e.g. "
                            "iconv -f MACINTOSH -t UTF-8",
                        false});
    return false;
  }
  if (value.find('\0') != std::string::npos) {
    problems.push_back({file, row, column, value, "contains a NUL byte", false});
    return false;
  }
  return true;
}

namespace {

class CsvReader final : public TableReader {
 public:
  // `in` is a file or, for text held in memory, a string stream; `file` names it in problems.
  CsvReader(std::unique_ptr<std::istream> in, std::string file, std::size_t total,
            std::vector<Problem>& problems, const TableOptions& opt)
      : in_(std::move(in)), file_(std::move(file)), problems_(problems), opt_(opt), total_(total) {
    row_limit_ = std::max(opt_.max_row_bytes, opt_.max_field_bytes);
    if (opt_.max_file_bytes > 0 && total_ > opt_.max_file_bytes) {
      problems_.push_back({file_, 0, "", "",
                           "the file is " + std::to_string(total_) + " bytes, over the " +
                               std::to_string(opt_.max_file_bytes) +
                               "-byte limit for this kind of file",
                           false});
      eof_ = stopped_ = true;
      return;
    }
    buf_.resize(1 << 20);
    fill();
    // Byte order marks: UTF-8 is skipped; UTF-16/32 are refused with a clear message, and so
    // is UTF-16 without a byte order mark.
    std::string u16 = utf16_hint(std::string_view(buf_.data(), len_));
    if (len_ >= 3 && std::string_view(buf_.data(), 3) == "\xEF\xBB\xBF") {
      pos_ = 3;
    } else if (!u16.empty()) {
      bool bom = len_ >= 2 && (std::string_view(buf_.data(), 2) == "\xFF\xFE" ||
                               std::string_view(buf_.data(), 2) == "\xFE\xFF");
      problems_.push_back({file_, 0, "", "",
                           bom ? "the file is UTF-16 encoded; save it as UTF-8 CSV" : u16, false});
      eof_ = stopped_ = true;
      pos_ = len_;  // nothing more is read from this file
      return;
    }
    Row h;
    if (read_record(h)) {
      header_ = std::move(h.cells);
      for (std::size_t i = 0; i < header_.size(); ++i)
        check_cell(file_, 1, "header " + std::to_string(i + 1), header_[i], problems_);
    }
  }

  const std::vector<std::string>& header() const override { return header_; }
  std::size_t bytes_read() const override { return consumed_ + pos_; }
  std::size_t bytes_total() const override { return total_; }
  bool stopped() const override { return stopped_; }

  bool next(Row& row) override {
    if (eof_ && pos_ >= len_) return false;
    if (record_ >= opt_.max_rows && peek() != -1) {
      problems_.push_back({file_, 0, "", "",
                           "more than " + std::to_string(opt_.max_rows) +
                               " rows (the header included): row " + std::to_string(record_ + 1) +
                               " is past the limit and the file is refused; split it",
                           false});
      eof_ = stopped_ = true;
      pos_ = len_;
      return false;
    }
    if (!read_record(row)) return false;
    for (std::size_t i = 0; i < row.cells.size(); ++i)
      if (!check_cell(file_, row.number, column_name(i), row.cells[i], problems_)) row.bad = true;
    return true;
  }

 private:
  std::string column_name(std::size_t i) const {
    if (i < header_.size() && !header_[i].empty()) return header_[i];
    return "#" + std::to_string(i + 1);
  }

  void fill() {
    consumed_ += pos_;
    if (pos_ < len_) std::memmove(buf_.data(), buf_.data() + pos_, len_ - pos_);
    len_ -= pos_;
    pos_ = 0;
    in_->read(buf_.data() + len_, static_cast<std::streamsize>(buf_.size() - len_));
    len_ += static_cast<std::size_t>(in_->gcount());
  }

  // Returns the next byte or -1 at end of input.
  int get() {
    if (pos_ >= len_) {
      if (eof_) return -1;
      fill();
      if (len_ == 0) {
        eof_ = true;
        return -1;
      }
    }
    return static_cast<unsigned char>(buf_[pos_++]);
  }
  int peek() {
    if (pos_ >= len_) {
      if (eof_) return -1;
      fill();
      if (len_ == 0) {
        eof_ = true;
        return -1;
      }
    }
    return static_cast<unsigned char>(buf_[pos_]);
  }

  // Reads one record. Fields past max_columns and bytes past max_field_bytes (of a field) or
  // row_limit_ (of the row) are read but not kept; each is reported once with its column.
  bool read_record(Row& row) {
    row.cells.clear();
    row.bad = false;
    int c = peek();
    if (c == -1) return false;
    row.number = ++record_;
    long start_line = line_;
    std::string field;
    std::size_t field_bytes = 0, row_bytes = 0, fields = 0;
    bool quoted = false, over = false, row_over = false;
    auto keep = [&](int ch) {
      ++field_bytes;
      if (row.cells.size() >= opt_.max_columns) return;  // a field past the column limit
      if (field.size() >= opt_.max_field_bytes) {
        over = true;
      } else if (row_bytes >= row_limit_) {
        if (!row_over)
          problems_.push_back({file_, row.number, column_name(row.cells.size()), "",
                               "the row is over the " + std::to_string(row_limit_) +
                                   "-byte limit for a whole row; the rest of it is not kept",
                               false});
        row_over = row.bad = true;
      } else {
        field += static_cast<char>(ch);
        ++row_bytes;
      }
    };
    auto end_field = [&]() {
      ++fields;
      if (row.cells.size() >= opt_.max_columns) {
        field_bytes = 0;
        return;
      }
      if (over) {
        problems_.push_back({file_, row.number, column_name(row.cells.size()), "",
                             "field is " + std::to_string(field_bytes) + " bytes, over the " +
                                 std::to_string(opt_.max_field_bytes) +
                                 "-byte limit (raise it with --max-field-bytes)",
                             false});
        row.bad = true;
      }
      row.cells.push_back(std::move(field));
      field.clear();
      field_bytes = 0;
      over = false;
    };
    auto end_record = [&]() {
      end_field();
      if (fields > opt_.max_columns) {
        problems_.push_back({file_, row.number, column_name(opt_.max_columns), "",
                             "more than " + std::to_string(opt_.max_columns) +
                                 " fields in the row (it has " + std::to_string(fields) +
                                 "); only the first " + std::to_string(opt_.max_columns) +
                                 " are kept",
                             false});
        row.bad = true;
      }
      return true;
    };
    while (true) {
      c = get();
      if (c == -1) {
        if (quoted) {
          problems_.push_back(
              {file_, row.number, column_name(row.cells.size()), field.substr(0, 40),
               "unterminated quoted field: the quote opened on line " + std::to_string(start_line) +
                   " is never closed before the end of the file",
               false});
          row.bad = true;
        }
        return end_record();
      }
      if (quoted) {
        if (c == '"') {
          if (peek() == '"') {
            get();
            keep('"');
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') ++line_;
          keep(c);
        }
        continue;
      }
      if (c == '"' && field_bytes == 0) {
        quoted = true;
      } else if (c == opt_.delimiter) {
        end_field();
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && peek() == '\n') get();
        ++line_;
        return end_record();
      } else {
        keep(c);
      }
    }
  }

  std::unique_ptr<std::istream> in_;
  std::string file_;
  std::vector<Problem>& problems_;
  TableOptions opt_;
  std::size_t total_ = 0, row_limit_ = 0;
  std::vector<char> buf_;
  std::size_t pos_ = 0, len_ = 0, consumed_ = 0;
  bool eof_ = false;
  bool stopped_ = false;  // a problem stopped the reading (stopped())
  long record_ = 0, line_ = 1;
  std::vector<std::string> header_;
};

}  // namespace

std::unique_ptr<TableReader> open_csv(const std::string& path, std::vector<Problem>& problems,
                                      const TableOptions& opt) {
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) throw Error("cannot open '" + path + "' for reading");
  std::error_code ec;
  auto total = std::filesystem::file_size(path, ec);
  return std::make_unique<CsvReader>(std::move(in), std::filesystem::path(path).filename().string(),
                                     ec ? 0 : total, problems, opt);
}

std::unique_ptr<TableReader> open_csv_text(std::string text, const std::string& name,
                                           std::vector<Problem>& problems,
                                           const TableOptions& opt) {
  auto size = text.size();
  return std::make_unique<CsvReader>(std::make_unique<std::istringstream>(std::move(text)), name,
                                     size, problems, opt);
}

}  // namespace hrtrack::read
