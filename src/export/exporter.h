// Exports recommendations, streaming from the store (no row cap, constant memory), in:
//   csv       hrtrack's columns (core/record_json.h), lists joined with " | "; with
//             ExportOptions::bom it starts with a UTF-8 byte-order mark (for Excel)
//   xlsx      the same columns in one worksheet (libxlsxwriter, constant-memory mode); the
//             numeric fields are number cells, everything else string cells (never a formula)
//   json      an array of hrtrack records (core/record_json.h), absent numbers as null
//   uhri-json the UHRI bulk-export record layout, for tools that read UHRI
// `csv`, `xlsx` and `json` import back with `import --format csv|xlsx|json` unchanged.
//
// Spreadsheet safety (OWASP "CSV injection"): a CSV or XLSX text cell whose value begins with
// '=', '+', '-', '@', a tab (0x09) or a carriage return (0x0D) - which Excel and LibreOffice
// would run as a formula - is written with one single quote "'" in front. So is a value that
// itself begins with "'": that makes the rule reversible without doubt, since every exported
// cell that begins with "'" then carries exactly one added quote. hrtrack's own csv/xlsx
// import (ingest/generic_table.cpp, without --mapping) removes it. Absent numbers (year, UPR
// cycle and session, UPR Info action category: 0 in a Recommendation) are empty cells, never 0.
// JSON and UHRI-JSON are not for spreadsheets: their texts are written as they are.
// docs/export-formats.md says the same for users.
//
// Errors: InvalidArgument for an unknown format (or a BOM asked for another format than csv),
// Error when the file cannot be written (a partial file may be left). Reads the store only; one
// thread.
#pragma once
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/record_json.h"
#include "store/store.h"

namespace hrtrack::exporter {

const std::vector<std::string>& export_formats();

struct ExportResult {
  long rows = 0;
  std::vector<std::string> warnings;
};

struct ExportOptions {
  // csv only: start the file with a UTF-8 byte-order mark (kUtf8Bom), so that Excel opens it
  // as UTF-8 rather than in the computer's 8-bit code page. hrtrack's CSV reader skips it.
  bool bom = false;
};

// The UTF-8 byte-order mark (U+FEFF encoded), written first by a csv export with `bom`.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Writes to `path` (a temporary file renamed into place on success: no half-written output).
ExportResult export_to_file(Store& store, const std::string& format, const RecordFilter& filter,
                            const std::string& path, const ExportOptions& options = {});
// csv, json and uhri-json can also stream to any ostream.
ExportResult export_to_stream(Store& store, const std::string& format, const RecordFilter& filter,
                              std::ostream& out, const ExportOptions& options = {});

// Any sequence of records: calls its argument once per record, in order.
using RecordSource = std::function<void(const std::function<void(const Recommendation&)>&)>;

// Writes records as an XLSX workbook (constant-memory mode) to `path`; cells over Excel's
// 32,767-character limit are cut, with a warning. Used by export_to_file and the HTTP export.
ExportResult write_xlsx(const RecordSource& records, const std::string& path);

// The first characters that OWASP's CSV-injection guidance names: a cell that begins with one
// of them may be run by a spreadsheet as a formula.
inline constexpr std::string_view kFormulaTriggers = "=+-@\t\r";
// `cell` as a spreadsheet may hold it: with "'" in front when it begins with one of
// kFormulaTriggers or with "'" itself (see the rule above); otherwise unchanged.
std::string spreadsheet_text(std::string cell);

// A record's fields as cells, in record_fields() order: lists joined with " | ", variants as
// JSON, numbers in decimal (absent ones empty), every text cell through spreadsheet_text.
// CSV and XLSX exports both use it (XLSX writes the numeric fields as numbers).
std::vector<std::string> record_cells(const Recommendation& r);
// Whether the field `name` holds a number that 0 marks as absent (year, upr_cycle,
// upr_session, action_category): exported as an empty cell and as null in JSON.
bool zero_means_absent(std::string_view name);

// One CSV line (RFC 4180 quoting) of a record, and the header line.
std::string csv_header();
std::string csv_row(const Recommendation& r);
// What a CSV export starts with: kUtf8Bom if options.bom, then csv_header() and CRLF.
std::string csv_start(const ExportOptions& options);

// A record as the json export writes it: to_json(r) (core/record_json.h) with the absent
// numbers (zero_means_absent) as null. from_json reads null back as 0.
ojson json_record(const Recommendation& r);
// A record in the UHRI bulk-export layout, as the uhri-json export writes it (and reads back:
// a pledge is "- Voluntary Pledges", its position "Voluntary Pledge").
ojson uhri_record(const Recommendation& r);

}  // namespace hrtrack::exporter
