// Exports recommendations, streaming from the store (no row cap, constant memory), in:
//   csv       hrtrack's columns (core/record_json.h), lists joined with " | "
//   xlsx      the same columns in one worksheet (libxlsxwriter, constant-memory mode)
//   json      an array of hrtrack records (core/record_json.h)
//   uhri-json the UHRI bulk-export record layout, for tools that read UHRI
// `csv`, `xlsx` and `json` import back with `import --format csv|xlsx|json` unchanged.
#pragma once
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

// One CSV line (RFC 4180 quoting) of a record, and the header line.
std::string csv_header();
std::string csv_row(const Recommendation& r);

}  // namespace hrtrack::exporter
