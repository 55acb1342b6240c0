// Shared by the libFuzzer targets: the readers take a path, so each input is written to a
// temporary file first.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace hrtrack_fuzz {

// The readers take a path: each input is written to a temp file (one per process, removed at
// exit). No exception is caught: bad input must become Problems, so any exception escaping a
// reader is a bug, and libFuzzer reports it as a crash.
inline const std::string& temp_path(const char* suffix) {
  static const std::string path = [suffix] {
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl =
        std::string(dir && *dir ? dir : "/tmp") + "/hrtrack_fuzz_XXXXXX" + std::string(suffix);
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    int fd = mkstemps(buf.data(), static_cast<int>(std::string_view(suffix).size()));
    if (fd < 0) std::abort();
    close(fd);
    return std::string(buf.data());
  }();
  static const int cleanup = std::atexit([] { std::remove(path.c_str()); });
  (void)cleanup;
  return path;
}

inline void write_file(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
}

// Every problem must render (exercises shorten_for_display on arbitrary values).
inline void render(const std::vector<hrtrack::Problem>& problems) {
  for (const auto& p : problems)
    if (p.to_string().empty()) std::abort();
}

}  // namespace hrtrack_fuzz
