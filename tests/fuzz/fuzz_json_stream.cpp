// libFuzzer target: read_json_array on arbitrary bytes, taking every record.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ingest/json_stream.h"

#define SUFFIX ".json"

namespace {

// The readers take a path: each input is written to a temp file (one per process, removed at
// exit). No exception is caught: bad input must become Problems, so any exception escaping a
// reader is a bug, and libFuzzer reports it as a crash.
const std::string& temp_path() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/hrtrack_fuzz_XXXXXX" SUFFIX;
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    int fd = mkstemps(buf.data(), static_cast<int>(sizeof SUFFIX - 1));
    if (fd < 0) std::abort();
    close(fd);
    return std::string(buf.data());
  }();
  static const int cleanup = std::atexit([] { std::remove(temp_path().c_str()); });
  (void)cleanup;
  return path;
}

void write_file(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
}

// Every problem must render (exercises shorten_for_display on arbitrary values).
void render(const std::vector<hrtrack::Problem>& problems) {
  for (const auto& p : problems)
    if (p.to_string().empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hrtrack;
  const std::string& path = temp_path();
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
