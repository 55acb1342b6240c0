// Format readers turn a file into candidate recommendations, one per source row or record.
// One file per format: uprinfo_csv.cpp, ohchr_thematic_csv.cpp, uhri.cpp (JSON and XLSX),
// generic_table.cpp (hrtrack's own CSV/XLSX/JSON and any CSV with a column mapping).
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/recommendation.h"
#include "core/vocabulary.h"
#include "read/table.h"

namespace hrtrack::ingest {

// The readers (CSV, XLSX, streaming JSON) are the floor below: src/read.
using namespace hrtrack::read;

// What a reader may need to know from the store (read-only).
struct Context {
  std::vector<Mechanism> mechanisms;
  std::map<int, UprSession> sessions;
  // Resolves a body label ("- CRC", "SR on torture", "CRC") to a mechanism code; "" if none.
  std::string mechanism_code(std::string_view label) const;
  const Mechanism* mechanism(std::string_view code) const;
  // A UPR session held so far, from the calendar (data/vocab/upr_sessions.csv, built in, and any
  // later sessions loaded with `hrtrack vocab import --kind upr-sessions`); nullptr for one it does
  // not hold. Nothing is estimated: a session's cycle and year come from its dates.
  const UprSession* upr_session(int session) const;
};

struct SourceItem {
  long row = 0;                // row number (tabular: header = 1) or record index (JSON: 1-based)
  Recommendation rec;          // the candidate
  bool ok = true;              // false: problems were reported for this row; it is rejected
  std::string raw;             // the raw row/record as CSV line or JSON, for the rejects file
  std::size_t raw_digest = 0;  // a hash of the row as read, to tell an exact duplicate from a
                               // row that is the same record once its white space is normalised
};

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // Calls `fn` for every row/record in file order. Problems of an item are appended to the
  // problems vector given at construction, and item.ok is false when any is an error.
  // (Push, not pull: the JSON reader is a SAX parser that calls back.)
  virtual void each(const std::function<void(SourceItem&)>& fn) = 0;
  virtual std::size_t bytes_read() const = 0;
  virtual std::size_t bytes_total() const = 0;
  // True after each() when a problem stopped the reading before the end of the file (a limit,
  // a truncated or broken file, too many errors): the rows seen are not the whole file, so the
  // import refuses it even with skip_invalid.
  virtual bool stopped() const = 0;
  // "csv" or "json": how the rejects file is written.
  virtual std::string raw_kind() const = 0;
  // For csv raw rows: the header line to put on top of the rejects file.
  virtual std::string raw_header() const { return ""; }
};

struct SourceOptions {
  std::string format;  // uhri-json | uhri-xlsx | uprinfo-csv | ohchr-thematic-csv | csv |
                       // xlsx | json
  std::string path;
  std::string mapping_path;  // csv/xlsx: column mapping file (optional)
  std::size_t max_field_bytes = 1 << 20;
};

const std::vector<std::string>& import_formats();

// Opens a reader for the format; throws InvalidArgument for an unknown format. File-level
// problems (missing required column, ...) are appended to `problems` and make each() yield
// nothing.
std::unique_ptr<RecordSource> open_source(const SourceOptions& opt, const Context& ctx,
                                          std::vector<Problem>& problems);

// ---- helpers shared by the format readers (formats_common.cpp) ----

// Maps header names (case-insensitive, trimmed) to column indexes and checks required ones.
// Remembers which columns were asked for, so that a format with fixed columns can warn about
// the others. `quiet`: the file could not be read (already reported), so a missing column is
// no news and require() records nothing.
class Columns {
 public:
  Columns(const std::vector<std::string>& header, const std::string& file, bool quiet = false);
  // Index of a column by any of its names, -1 if absent.
  int find(std::initializer_list<const char*> names) const;
  int find(const std::string& name) const;
  // Like find, but records a "missing required column" problem when absent.
  int require(const char* name, std::vector<Problem>& problems) const;
  // One warning (row 1) per column no find() or require() asked for, and per repeated column.
  void warn_unread(std::vector<Problem>& problems) const;

 private:
  std::vector<std::string> header_;
  std::map<std::string, int> idx_;
  mutable std::vector<bool> asked_;
  std::string file_;
  bool quiet_;
};

// Base of the tabular readers (CSV or XLSX): opens the table and runs the row loop (width
// check, rejects, delivery); a subclass checks its columns in its constructor, then calls
// header_checked(), and maps one row in map_row().
class TabularSource : public RecordSource {
 public:
  TabularSource(const SourceOptions& opt, const Context& ctx, std::vector<Problem>& problems,
                bool xlsx);
  void each(const std::function<void(SourceItem&)>& fn) final;
  std::size_t bytes_read() const final { return table_->bytes_read(); }
  std::size_t bytes_total() const final { return table_->bytes_total(); }
  bool stopped() const final { return too_many_errors_ || table_->stopped(); }
  std::string raw_kind() const final { return "csv"; }
  std::string raw_header() const final;

 protected:
  // The header's columns (quiet when the file could not be read at all).
  Columns columns() const;
  // The table could not be read at all and said why (damaged, wrong encoding, ...).
  bool unreadable() const { return unreadable_; }
  // The source is usable when no error was added since `problems_before` (header checks).
  void header_checked(std::size_t problems_before);
  // Maps one row; appends problems and sets item.ok = false for bad values. item.row and
  // item.ok (physical problems of the row) are set before the call.
  virtual void map_row(const Row& row, SourceItem& item) = 0;
  // Cell i of the row, trimmed; "" when the column is absent (i < 0) or the row is short.
  static std::string cell(const Row& row, int i);
  // Records an error of this row's column.
  void reject(SourceItem& item, const std::string& column, const std::string& value,
              const std::string& reason);

  const Context& ctx_;
  std::vector<Problem>& problems_;
  std::string file_;
  std::unique_ptr<TableReader> table_;
  bool check_width_ = true;  // rows must have as many cells as the header

 private:
  bool usable_ = false;
  bool unreadable_ = false;  // the table found no header and reported why
  bool too_many_errors_ = false;
  std::size_t max_problems_ = 0;
};

// CSV-escapes a row (for rejects files).
std::string csv_line(const std::vector<std::string>& cells);

// Splits "Portugal, Slovakia" or "Maldives | Portugal" into States without breaking names that
// contain ", ".
std::vector<std::string> split_states(std::string_view s);
// The recommending States a source's cell(s) name, split as split_states does. The lists parse
// them from the parentheses closing the text, so a treaty's abbreviation or a convention's number
// ("ICRMW", "No. 29") can sit among them: not a State, each is a warning (row, column) and is
// left out.
std::vector<std::string> recommending_states_of(const std::vector<std::string>& values,
                                                const std::string& file, long row,
                                                const std::string& column,
                                                std::vector<Problem>& problems);

// Fills level from the mechanism, year from session, cycle from session, SDG codes, and
// checks required fields, known State and mechanism. Appends problems (row/column named).
void finish_record(SourceItem& item, const Context& ctx, const std::string& file,
                   std::vector<Problem>& problems);

// Converts an Excel serial date ("45700") or an ISO date-time to "YYYY-MM-DD"; "" if neither.
std::string to_iso_date(std::string_view v);

// What a UHRI reader carries from one record to the next: the document and paragraph number of
// the record before (a sub-paragraph "(b) ..." that does not repeat its number takes it), and
// the language the file's name says ("export-full-fr.json": fr).
struct UhriReading {
  std::string symbol, state, paragraph;
  std::string file_lang;
};
// Makes the reader for one UHRI-layout record (JSON object): shared by uhri-json and uhri-xlsx.
// Without `reading`, every record stands alone (English unless it says otherwise).
void uhri_record_to_item(const nlohmann::ordered_json& j, SourceItem& item, const Context& ctx,
                         const std::string& file, std::vector<Problem>& problems,
                         UhriReading* reading = nullptr);

std::unique_ptr<RecordSource> open_uprinfo_csv(const SourceOptions&, const Context&,
                                               std::vector<Problem>&);
std::unique_ptr<RecordSource> open_ohchr_thematic_csv(const SourceOptions&, const Context&,
                                                      std::vector<Problem>&);
std::unique_ptr<RecordSource> open_uhri_json(const SourceOptions&, const Context&,
                                             std::vector<Problem>&);
std::unique_ptr<RecordSource> open_uhri_xlsx(const SourceOptions&, const Context&,
                                             std::vector<Problem>&);
std::unique_ptr<RecordSource> open_generic_table(const SourceOptions&, const Context&,
                                                 std::vector<Problem>&);
std::unique_ptr<RecordSource> open_hrtrack_json(const SourceOptions&, const Context&,
                                                std::vector<Problem>&);

}  // namespace hrtrack::ingest
