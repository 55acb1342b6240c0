// Streaming CSV reader. Reads the file in 1 MiB blocks, so memory does not grow with file
// size; a field longer than max_field_bytes is reported and truncated, never kept whole.
// Hand-written rather than a library: Debian 12 packages no C++ CSV parser that reports
// row/column positions for every problem and keeps going after one.
#include <unicode/ucsdet.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/text.h"
#include "ingest/table.h"

namespace hrtrack::ingest {

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
    buf_.resize(1 << 20);
    fill();
    // Byte order marks: UTF-8 is skipped; UTF-16/32 are refused with a clear message.
    if (len_ >= 3 && std::string_view(buf_.data(), 3) == "\xEF\xBB\xBF")
      pos_ = 3;
    else if (len_ >= 2 && (std::string_view(buf_.data(), 2) == "\xFF\xFE" ||
                           std::string_view(buf_.data(), 2) == "\xFE\xFF")) {
      problems_.push_back(
          {file_, 0, "", "", "the file is UTF-16 encoded; save it as UTF-8 CSV", false});
      eof_ = true;
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

  bool next(Row& row) override {
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

  void append(std::string& field, char c, long row, std::size_t col, bool& over) {
    if (field.size() < opt_.max_field_bytes) {
      field += c;
    } else {
      over = true;
    }
    (void)row;
    (void)col;
  }

  bool read_record(Row& row) {
    row.cells.clear();
    row.bad = false;
    int c = peek();
    if (c == -1) return false;
    row.number = ++record_;
    long start_line = line_;
    std::string field;
    std::size_t field_bytes = 0;
    bool quoted = false, over = false;
    auto end_field = [&]() {
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
        end_field();
        return true;
      }
      if (quoted) {
        if (c == '"') {
          if (peek() == '"') {
            get();
            ++field_bytes;
            append(field, '"', row.number, row.cells.size(), over);
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') ++line_;
          ++field_bytes;
          append(field, static_cast<char>(c), row.number, row.cells.size(), over);
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
        end_field();
        return true;
      } else {
        ++field_bytes;
        append(field, static_cast<char>(c), row.number, row.cells.size(), over);
      }
    }
  }

  std::unique_ptr<std::istream> in_;
  std::string file_;
  std::vector<Problem>& problems_;
  TableOptions opt_;
  std::size_t total_ = 0;
  std::vector<char> buf_;
  std::size_t pos_ = 0, len_ = 0, consumed_ = 0;
  bool eof_ = false;
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

}  // namespace hrtrack::ingest
