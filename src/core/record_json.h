// The one place that lists a recommendation's fields by name. JSON export, CSV/XLSX export,
// the change log's before/after and the content hash that detects changed records all use it,
// so a field added here reaches all of them.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/recommendation.h"

namespace hrtrack {

using ojson = nlohmann::ordered_json;

enum class FieldType { Text, Int, List, Variants };
struct FieldDef {
  const char* name;
  FieldType type;
  bool imported;  // part of what a source provides (compared on re-import)
};

// Every field, in export column order. Provenance and ids come first.
const std::vector<FieldDef>& record_fields();

// All fields as JSON (lists as arrays, ints as numbers, enums as their canonical strings).
ojson to_json(const Recommendation& r);
// Inverse of to_json; unknown keys are ignored; throws InvalidArgument on a wrong type.
Recommendation from_json(const ojson& j);

// The imported fields only (no ids, provenance or deletion state): what a re-import compares.
ojson imported_fields(const Recommendation& r);
// imported_fields(r).dump(), written directly: the import hot path calls it once per row
// (to hash the content and to log a created record), and building an ordered_json first
// cost most of the import time. A unit test checks both give the same bytes.
std::string imported_json(const Recommendation& r);
// Appends `s` as a JSON string, escaped as nlohmann's dump() does ('"', '\\', control
// characters; UTF-8 kept as is). `s` must be valid UTF-8.
void append_json_string(std::string& out, std::string_view s);
// A JSON array of strings, as nlohmann's dump() writes it.
std::string json_string_array(const std::vector<std::string>& v);
// Hex BLAKE2b-128 of imported_json(r): equal hashes mean nothing changed.
std::string content_hash(const Recommendation& r);
std::string hash_hex(std::string_view bytes);

}  // namespace hrtrack
