// libFuzzer target: read_json_array on arbitrary bytes, taking every record. Odd-sized inputs
// are read with small limits (read/limits.h) so that short inputs reach every limit.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "read/json_stream.h"

using namespace hrtrack_fuzz;

namespace {

using ojson = nlohmann::ordered_json;

// Nesting (the value is level 2: the top-level array is level 1) and number of values, with
// an explicit stack: the depth is what is being checked.
void measure(const ojson& v, int& depth, std::size_t& values, std::size_t max_string) {
  std::vector<std::pair<const ojson*, int>> todo{{&v, 2}};
  while (!todo.empty()) {
    auto [j, d] = todo.back();
    todo.pop_back();
    ++values;
    // Depth counts arrays and objects (limits.h: the top-level array is 1), not the scalars in
    // them: a record of 7 nested arrays around a number is 8 deep, within max_depth 8.
    if (j->is_array() || j->is_object()) depth = std::max(depth, d);
    if (j->is_string() && j->get_ref<const std::string&>().size() > max_string) std::abort();
    if (j->is_object())
      for (const auto& [k, c] : j->items()) {
        if (k.size() > max_string) std::abort();
        todo.push_back({&c, d + 1});
      }
    if (j->is_array())
      for (const auto& c : *j) todo.push_back({&c, d + 1});
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hrtrack;
  const std::string& path = temp_path(".json");
  write_file(path, data, size);
  std::vector<Problem> problems;
  read::JsonStreamOptions opt;
  opt.max_field_bytes = 64;
  if (size % 2) {
    opt.max_row_bytes = 256;
    opt.max_depth = 8;
    opt.max_record_values = 40;
    opt.max_number_chars = 24;
    opt.max_rows = 30;
    opt.max_problems = 20;
  }
  long last = 0;
  read::read_json_array(
      path,
      [&](ojson&& v, long index, bool bad) {
        if (index != last + 1 || index > opt.max_rows) std::abort();  // 1, 2, 3, ...
        last = index;
        int depth = 0;
        std::size_t values = 0;
        measure(v, depth, values, opt.max_field_bytes);
        if (depth > opt.max_depth) std::abort();
        if (values > opt.max_record_values) std::abort();
        // A record reported as bad has its problem in the list.
        if (bad && problems.empty()) std::abort();
        (void)v.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);  // valid UTF-8
      },
      problems, opt, [](std::size_t) {});
  render(problems);
  return 0;
}
