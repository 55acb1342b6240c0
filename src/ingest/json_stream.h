// Streams a JSON file whose top level is an array of objects (the UHRI bulk export, hrtrack's
// own JSON export), handing each element to a callback as soon as it is complete: peak memory
// is one record, whatever the file size. Syntax errors (a truncated file, invalid UTF-8) are
// reported as Problems with the record index and byte offset; records before the error have
// already been delivered.
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.h"

namespace hrtrack::ingest {

struct JsonStreamOptions {
  std::size_t max_string_bytes = 1 << 20;  // a longer string is reported, the record rejected
};

// `on_record(value, index, too_big)` is called per top-level array element (index 1-based);
// too_big is true when a string in it exceeded the limit (it has been cut short).
// `on_progress(bytes)` is called now and then. Returns false if the file could not be read
// to its end (the problem is in `problems`).
bool read_json_array(const std::string& path,
                     const std::function<void(nlohmann::ordered_json&&, long, bool)>& on_record,
                     std::vector<Problem>& problems, const JsonStreamOptions& opt = {},
                     const std::function<void(std::size_t)>& on_progress = {});

}  // namespace hrtrack::ingest
