// A source of rows with a header: CSV files and XLSX sheets both look like this to the format
// readers. Problems in the physical file (encoding, quoting, size) are appended to `problems`
// with the row and column where they were found; the reader then goes on with the next row.
// Problems are values, never exceptions (core/error.h); an Error is thrown only when the file
// cannot be opened at all. Memory does not grow with the file (read/limits.h). A reader is used
// by one thread; the caller owns it (unique_ptr).
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "read/limits.h"

namespace hrtrack::read {

struct Row {
  long number = 0;  // 1-based; the header is row 1
  std::vector<std::string> cells;
  bool bad = false;  // a physical problem was found in this row (already reported)
};

class TableReader {
 public:
  virtual ~TableReader() = default;
  // The header row (read on construction). Empty when the file is empty.
  virtual const std::vector<std::string>& header() const = 0;
  // Reads the next data row; false at end of input.
  virtual bool next(Row& row) = 0;
  // Bytes consumed so far and total size (for the progress bar); total 0 if unknown.
  virtual std::size_t bytes_read() const = 0;
  virtual std::size_t bytes_total() const = 0;
  // True when a problem stopped the reading before the end of the input (a limit, a broken
  // structure): the rows delivered are not the whole file, and an import must not take them.
  virtual bool stopped() const = 0;
};

// The limits (read/limits.h) and the CSV delimiter. By default the limits of a small file
// read whole (small_file_limits(): every caller without options reads one, e.g. vocabulary,
// institution and policy-plan files); the import of recommendation files passes ReaderLimits{}.
struct TableOptions : ReaderLimits {
  TableOptions() : ReaderLimits(small_file_limits()) {}
  explicit TableOptions(const ReaderLimits& limits) : ReaderLimits(limits) {}
  char delimiter = ',';
};

// CSV per RFC 4180 (quotes doubled inside quoted fields; CRLF or LF; a UTF-8 BOM is skipped).
std::unique_ptr<TableReader> open_csv(const std::string& path, std::vector<Problem>& problems,
                                      const TableOptions& opt = {});
// The same for CSV text held in memory (uploads, compiled-in data); `name` names it in problems.
std::unique_ptr<TableReader> open_csv_text(std::string text, const std::string& name,
                                           std::vector<Problem>& problems,
                                           const TableOptions& opt = {});
// The first worksheet of an XLSX workbook (libzip + expat, streamed). Every cell as text;
// numbers as written in the file (dates stay Excel serial numbers: the format decides what
// they mean).
std::unique_ptr<TableReader> open_xlsx(const std::string& path, std::vector<Problem>& problems,
                                       const TableOptions& opt = {});

// Guesses the encoding of bytes that are not valid UTF-8 with ICU's charset detector, for
// messages ("ISO-8859-1", "windows-1252", ...); "" when nothing fits.
std::string guess_encoding(std::string_view bytes);

// Counts the errors appended to `problems` since construction (warnings aside) against
// ReaderLimits::max_problems; a reader stops when exceeded() and calls stop().
class ProblemBudget {
 public:
  ProblemBudget(std::vector<Problem>& problems, std::size_t max)
      : problems_(problems), start_(problems.size()), seen_(start_), max_(max) {}
  bool exceeded() {
    for (; seen_ < problems_.size(); ++seen_) errors_ += problems_[seen_].warning ? 0 : 1;
    return errors_ > max_;
  }
  // Says so before the file's other problems (a list that long is seldom read to its end).
  void stop(const std::string& file) {
    Problem p{file,
              0,
              "",
              "",
              "more than " + std::to_string(max_) +
                  " errors: the rest of the file is not read (fix the problems listed and "
                  "import it again)",
              false};
    problems_.insert(problems_.begin() + static_cast<std::ptrdiff_t>(start_), std::move(p));
    seen_ = problems_.size();
  }

 private:
  std::vector<Problem>& problems_;
  std::size_t start_, seen_, max_, errors_ = 0;
};

// The message for text that looks like UTF-16 (a UTF-16 byte order mark, or NUL bytes at
// most odd or most even positions of the first bytes, as UTF-16 gives Latin text), or "".
// `head` is the start of the file.
std::string utf16_hint(std::string_view head);

// Checks one cell: valid UTF-8, no NUL byte. Appends a problem naming row and column.
bool check_cell(const std::string& file, long row, const std::string& column,
                const std::string& value, std::vector<Problem>& problems);

}  // namespace hrtrack::read
