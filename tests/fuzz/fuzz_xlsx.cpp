// libFuzzer target: open_xlsx on arbitrary bytes, reading every row.
// Each input is read twice:
//  1. as the .xlsx file itself (the zip container: damaged archives, odd entries);
//  2. as the XML parts of a workbook that is zipped here: the input split at NUL bytes gives
//     xl/worksheets/sheet1.xml, xl/sharedStrings.xml, xl/workbook.xml and
//     xl/_rels/workbook.xml.rels (missing parts are left out). Mutating XML inside a zip
//     almost always breaks its CRC, so without this the XML paths are hardly reached.
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "read/table.h"

using namespace hrtrack_fuzz;

namespace {

// Small limits (read/limits.h) for odd-sized inputs, so that short inputs reach them all.
void read_all(const std::string& path, bool small) {
  using namespace hrtrack;
  std::vector<Problem> problems;
  read::TableOptions opt{read::ReaderLimits{}};
  opt.max_field_bytes = 64;
  if (small) {
    opt.max_row_bytes = 200;
    opt.max_columns = 8;
    opt.max_rows = 40;
    opt.max_part_bytes = 1 << 20;
    opt.ratio_grace_bytes = 4096;
    opt.max_shared_strings = 50;
    opt.max_shared_string_bytes = 2000;
    opt.max_xml_depth = 12;
    opt.max_xml_markup_bytes = 4096;
    opt.max_relationships = 10;
  }
  auto reader = read::open_xlsx(path, problems, opt);
  if (reader->header().size() > opt.max_columns) std::abort();
  read::Row row;
  long last = 0;
  while (reader->next(row)) {
    if (row.number <= last || row.number > opt.max_rows) std::abort();
    last = row.number;
    if (row.cells.size() < reader->header().size()) std::abort();  // padded to the header
    if (row.cells.size() > opt.max_columns) std::abort();
    std::size_t bytes = 0;
    for (const auto& c : row.cells) {
      if (c.size() > opt.max_field_bytes) std::abort();
      bytes += c.size();
    }
    if (bytes > std::max(opt.max_row_bytes, opt.max_field_bytes)) std::abort();
    if (reader->bytes_read() > reader->bytes_total()) std::abort();
  }
  render(problems);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hrtrack;
  const std::string& path = temp_path(".xlsx");
  write_file(path, data, size);
  bool small = size % 2;
  read_all(path, small);

  static const char* const parts[] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                      "xl/workbook.xml", "xl/_rels/workbook.xml.rels"};
  std::vector<std::string> chunks(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0 && chunks.size() < 4)
      chunks.emplace_back();
    else
      chunks.back() += static_cast<char>(data[i]);
  }
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!z) std::abort();
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    zip_source_t* s = zip_source_buffer(z, chunks[i].data(), chunks[i].size(), 0);
    zip_int64_t idx = s ? zip_file_add(z, parts[i], s, ZIP_FL_OVERWRITE) : -1;
    if (idx < 0) std::abort();
    zip_set_file_compression(z, static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0);
  }
  if (zip_close(z) != 0) std::abort();
  read_all(path, small);
  return 0;
}
