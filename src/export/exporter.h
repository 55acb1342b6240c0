// Exports recommendations, streaming from the store (no row cap, constant memory), in:
//   csv       hrtrack's columns (core/record_json.h), lists joined with " | "
//   xlsx      the same columns in one worksheet (libxlsxwriter, constant-memory mode)
//   json      an array of hrtrack records (core/record_json.h)
//   uhri-json the UHRI bulk-export record layout, for tools that read UHRI
// `csv`, `xlsx` and `json` import back with `import --format csv|xlsx|json` unchanged.
// Errors: InvalidArgument for an unknown format, Error when the file cannot be written (a
// partial file may be left). Reads the store only; one thread.
#pragma once
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "store/store.h"

namespace hrtrack::exporter {

const std::vector<std::string>& export_formats();

struct ExportResult {
  long rows = 0;
  std::vector<std::string> warnings;
};

// Writes to `path` (a temporary file renamed into place on success: no half-written output).
ExportResult export_to_file(Store& store, const std::string& format, const RecordFilter& filter,
                            const std::string& path);
// csv, json and uhri-json can also stream to any ostream (the HTTP layer uses this).
ExportResult export_to_stream(Store& store, const std::string& format, const RecordFilter& filter,
                              std::ostream& out);

// Any sequence of records: calls its argument once per record, in order.
using RecordSource = std::function<void(const std::function<void(const Recommendation&)>&)>;

// Writes records as an XLSX workbook (constant-memory mode) to `path`; cells over Excel's
// 32,767-character limit are cut, with a warning. Used by export_to_file and the HTTP export.
ExportResult write_xlsx(const RecordSource& records, const std::string& path);

// A record's fields as cells, in record_fields() order: lists joined with " | ", variants as
// JSON, numbers in decimal. CSV and XLSX exports both use it.
std::vector<std::string> record_cells(const Recommendation& r);

// One CSV line (RFC 4180 quoting) of a record, and the header line.
std::string csv_header();
std::string csv_row(const Recommendation& r);

}  // namespace hrtrack::exporter
