// libFuzzer target: read_json_array on arbitrary bytes, taking every record.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "ingest/json_stream.h"

using namespace hrtrack_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hrtrack;
  const std::string& path = temp_path(".json");
  write_file(path, data, size);
  std::vector<Problem> problems;
  ingest::JsonStreamOptions opt;
  opt.max_string_bytes = 64;
  long last = 0;
  ingest::read_json_array(
      path,
      [&](nlohmann::ordered_json&& v, long index, bool) {
        if (index != last + 1) std::abort();  // records are numbered 1, 2, 3, ...
        last = index;
        (void)v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      },
      problems, opt, [](std::size_t) {});
  render(problems);
  return 0;
}
