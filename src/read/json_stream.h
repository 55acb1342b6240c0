// Streams a JSON file whose top level is an array of objects (the UHRI bulk export, hrtrack's
// own JSON export), handing each element to a callback as soon as it is complete: peak memory
// is one record, whatever the file size, and a record is bounded by the limits
// (read/limits.h: nesting depth, string and record size, values per record, number length,
// records per file). Syntax errors (a truncated file, invalid UTF-8) and the limits that stop
// the reading are reported as Problems with the record index and byte offset; records before
// the error have already been delivered.
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.h"
#include "read/limits.h"

namespace hrtrack::read {

// max_field_bytes bounds each string and key; max_row_bytes all strings and keys of a record.
struct JsonStreamOptions : ReaderLimits {};

// `on_record(value, index, bad)` is called per top-level array element (index 1-based); bad is
// true when the reader found a problem in it and reported it in `problems` with the record
// index and field name: a string or key over the limit (it has been cut short), a NUL
// character in a string, a duplicate key (the first value is kept), too many values or bytes
// in the record (the rest of it is not kept). `on_progress(bytes)` is called now and then.
// Returns false if the file could not be read to its end (the problem is in `problems`).
bool read_json_array(const std::string& path,
                     const std::function<void(nlohmann::ordered_json&&, long, bool)>& on_record,
                     std::vector<Problem>& problems, const JsonStreamOptions& opt = {},
                     const std::function<void(std::size_t)>& on_progress = {});

// Whether a JSON text nests deeper than `max_depth` arrays and objects (a cheap scan that
// skips strings): for JSON held in a cell, checked before nlohmann::json::parse.
bool json_nests_deeper_than(std::string_view text, int max_depth);

}  // namespace hrtrack::read
