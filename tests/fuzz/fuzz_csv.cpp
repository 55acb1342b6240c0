// libFuzzer target: open_csv on arbitrary bytes, reading every row. Odd-sized inputs are read
// with small limits (read/limits.h) so that short inputs reach every limit; even-sized ones
// with the limits of a recommendation import (but a small field limit).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "read/table.h"

using namespace hrtrack_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hrtrack;
  const std::string& path = temp_path(".csv");
  write_file(path, data, size);
  std::vector<Problem> problems;
  read::TableOptions opt{read::ReaderLimits{}};
  opt.max_field_bytes = 64;  // small, so the over-limit path is reached
  if (size % 2) {
    opt.max_row_bytes = 200;
    opt.max_columns = 8;
    opt.max_rows = 20;
    opt.max_file_bytes = 32768;
  }
  opt.delimiter = size % 4 < 2 ? ',' : ';';
  auto reader = read::open_csv(path, problems, opt);
  if (reader->header().size() > opt.max_columns) std::abort();
  read::Row row;
  long last = 1;
  while (reader->next(row)) {
    if (row.number <= last || row.number > opt.max_rows) std::abort();  // increasing, bounded
    last = row.number;
    if (row.cells.size() > opt.max_columns) std::abort();  // fields past the limit not kept
    std::size_t bytes = 0;
    for (const auto& c : row.cells) {
      if (c.size() > opt.max_field_bytes) std::abort();  // over-limit fields are not kept
      bytes += c.size();
    }
    if (bytes > std::max(opt.max_row_bytes, opt.max_field_bytes)) std::abort();
    if (reader->bytes_read() > reader->bytes_total()) std::abort();
  }
  render(problems);
  return 0;
}
