// libFuzzer target: open_csv on arbitrary bytes, reading every row.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "ingest/table.h"

using namespace hrtrack_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hrtrack;
  const std::string& path = temp_path(".csv");
  write_file(path, data, size);
  std::vector<Problem> problems;
  ingest::TableOptions opt;
  opt.max_field_bytes = 64;  // small, so the over-limit path is reached
  opt.delimiter = size % 2 ? ';' : ',';
  auto reader = ingest::open_csv(path, problems, opt);
  ingest::Row row;
  long last = 1;
  while (reader->next(row)) {
    if (row.number <= last) std::abort();  // rows come in increasing order
    last = row.number;
    for (const auto& c : row.cells)
      if (c.size() > opt.max_field_bytes) std::abort();  // over-limit fields are not kept
    if (reader->bytes_read() > reader->bytes_total()) std::abort();
  }
  render(problems);
  return 0;
}
