// Every limit of the readers, stated once (docs/import-formats.md lists them with their
// messages). A file that goes past one gets a Problem naming the row (record) and column
// (field) where it happened, never a crash, an abort or an out-of-memory kill: together the
// limits bound the memory a reader needs, whatever the file holds (the readers stream; only
// the small files of small_file_limits() and an XLSX workbook's shared strings are held whole).
#pragma once
#include <cstddef>
#include <cstdint>

namespace hrtrack::read {

struct ReaderLimits {
  // ---- every reader ----
  // One CSV field, XLSX cell, JSON string or JSON key (`import --max-field-bytes`). A longer
  // one is reported and cut; the rest is read but not kept.
  std::size_t max_field_bytes = std::size_t{1} << 20;
  // All fields of one row (CSV, XLSX) or all strings of one JSON record together (at least
  // max_field_bytes). Past it the row is reported and its further fields are not kept.
  std::size_t max_row_bytes = std::size_t{16} << 20;
  // Fields in one row: Excel's last column (XFD). Further fields are read but not kept.
  std::size_t max_columns = 16384;
  // Rows of a table, the header included (Excel's last row), or records of a JSON array. The
  // file is refused (a problem about the file as a whole) when it has more: split it.
  long max_rows = 1048576;
  // Size of the file itself; 0 = any size (the readers stream). Set for the small files read
  // whole (small_file_limits()).
  std::uint64_t max_file_bytes = 0;
  // Errors in one file: each is kept to be shown, so a file with more stops being read there
  // (the problems found so far are shown and the file is refused). Warnings do not count.
  std::size_t max_problems = 100000;

  // ---- JSON ----
  // Nesting of arrays and objects, the top-level array counting as 1. UHRI and hrtrack records
  // need 4. Deeper is refused where it is found (nothing after it is read).
  int max_depth = 64;
  // Values (strings, numbers, literals, arrays, objects) in one record; a record has about 40.
  // Past it the record is rejected and the rest of it not kept.
  std::size_t max_record_values = 100000;
  // Characters of one number (the parser holds a number whole); a longer one stops the reading.
  std::size_t max_number_chars = 1000;

  // ---- XLSX (a zip archive of XML parts) ----
  // One part once decompressed (the worksheet is streamed, not held).
  std::uint64_t max_part_bytes = std::uint64_t{2} << 30;
  // Decompressed / compressed size of one part, checked once it has inflated past
  // ratio_grace_bytes: real sheets compress 5 to 20 times, zip bombs hundreds of times (Apache
  // POI's default zip-bomb guard uses the same ratio, 100).
  std::uint64_t max_ratio = 100;
  std::uint64_t ratio_grace_bytes = std::uint64_t{64} << 20;
  // The shared-string table, the one part held in memory (cells refer to it by index).
  std::size_t max_shared_strings = std::size_t{1} << 22;         // 4,194,304 strings
  std::size_t max_shared_string_bytes = std::size_t{256} << 20;  // their text together
  // Element nesting in a part (a worksheet needs 7) and the size of one tag, comment or
  // processing instruction (which the XML parser must hold whole; text is streamed).
  int max_xml_depth = 64;
  std::size_t max_xml_markup_bytes = std::size_t{1} << 20;
  // Relationships of the workbook (one per sheet, style, theme, ...).
  std::size_t max_relationships = 65536;
};

// The small files that are read whole: vocabulary files, institution and policy-plan CSVs,
// built-in tables. The defaults above, plus at most this many rows and bytes.
inline constexpr long kSmallFileRows = 100000;
inline constexpr std::uint64_t kSmallFileBytes = std::uint64_t{64} << 20;
// A column mapping file (`import --mapping`): a few dozen lines.
inline constexpr std::uint64_t kMappingFileBytes = std::uint64_t{1} << 20;

inline ReaderLimits small_file_limits() {
  ReaderLimits l;
  l.max_rows = kSmallFileRows;
  l.max_file_bytes = kSmallFileBytes;
  return l;
}

}  // namespace hrtrack::read
