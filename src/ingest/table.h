// A source of rows with a header: CSV files and XLSX sheets both look like this to the format
// readers. Problems in the physical file (encoding, quoting, size) are appended to `problems`
// with the row and column where they were found; the reader then goes on with the next row.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"

namespace hrtrack::ingest {

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
};

struct TableOptions {
  std::size_t max_field_bytes = 1 << 20;  // 1 MiB: a longer field is reported, not kept
  char delimiter = ',';
};

// CSV per RFC 4180 (quotes doubled inside quoted fields; CRLF or LF; a UTF-8 BOM is skipped).
std::unique_ptr<TableReader> open_csv(const std::string& path, std::vector<Problem>& problems,
                                      const TableOptions& opt = {});
// The same for CSV text held in memory (uploads, compiled-in data); `name` names it in problems.
std::unique_ptr<TableReader> open_csv_text(std::string text, const std::string& name,
                                           std::vector<Problem>& problems,
                                           const TableOptions& opt = {});
// The first worksheet of an XLSX workbook (libzip + pugixml). Every cell as text; numbers as
// written in the file (dates stay Excel serial numbers: the format decides what they mean).
std::unique_ptr<TableReader> open_xlsx(const std::string& path, std::vector<Problem>& problems,
                                       const TableOptions& opt = {});

// Guesses the encoding of bytes that are not valid UTF-8 with ICU's charset detector, for
// messages ("ISO-8859-1", "windows-1252", ...); "" when nothing fits.
std::string guess_encoding(std::string_view bytes);

// Checks one cell: valid UTF-8, no NUL byte. Appends a problem naming row and column.
bool check_cell(const std::string& file, long row, const std::string& column,
                const std::string& value, std::vector<Problem>& problems);

}  // namespace hrtrack::ingest
