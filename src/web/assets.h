// Templates, CSS, JS and message catalogues: compiled into the binary (cmake/embed.cmake, from
// src/web/assets/), or read from a folder on every use when HRTRACK_ASSETS_DIR points at one,
// so a template or stylesheet can be edited and reloaded without rebuilding.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace hrtrack::web {

class Assets {
 public:
  // `dir` empty: the compiled-in files only.
  explicit Assets(std::string dir = "");

  // The file at `rel` ("templates/home.mustache", "static/style.css"), or nullopt. `rel` must be
  // a plain relative path (no "..", no leading "/"); anything else is simply not found.
  std::optional<std::string> find(const std::string& rel) const;
  // Like find() but a missing file is a bug in the build: throws hrtrack::Error.
  std::string get(const std::string& rel) const;
  // Relative paths of the files under `prefix` ("i18n/").
  std::vector<std::string> list(const std::string& prefix) const;
  bool from_disk() const { return !dir_.empty(); }

 private:
  std::string dir_;
};

// Content-Type for a file name by its extension ("style.css" -> "text/css; charset=utf-8").
std::string content_type_for(const std::string& path);

}  // namespace hrtrack::web
