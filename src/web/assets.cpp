#include "web/assets.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string_view>

#include "core/error.h"

namespace hrtrack::embedded::web {
const std::map<std::string, std::string_view>& files();
}

namespace hrtrack::web {

namespace {

bool safe_relative(const std::string& rel) {
  if (rel.empty() || rel.front() == '/' || rel.size() > 200) return false;
  for (char c : rel) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return rel.find("..") == std::string::npos && rel.find("//") == std::string::npos;
}

}  // namespace

Assets::Assets(std::string dir) : dir_(std::move(dir)) {}

std::optional<std::string> Assets::find(const std::string& rel) const {
  if (!safe_relative(rel)) return std::nullopt;
  if (!dir_.empty()) {
    std::ifstream in(std::filesystem::path(dir_) / rel, std::ios::binary);
    if (in) {
      std::ostringstream ss;
      ss << in.rdbuf();
      return ss.str();
    }
  }
  const auto& files = embedded::web::files();
  auto it = files.find(rel);
  if (it == files.end()) return std::nullopt;
  return std::string(it->second);
}

std::string Assets::get(const std::string& rel) const {
  auto f = find(rel);
  if (!f) throw Error("web asset '" + rel + "' is missing from the build");
  return *f;
}

std::vector<std::string> Assets::list(const std::string& prefix) const {
  std::vector<std::string> out;
  for (const auto& [path, data] : embedded::web::files())
    if (path.rfind(prefix, 0) == 0) out.push_back(path);
  return out;
}

std::string content_type_for(const std::string& path) {
  auto dot = path.rfind('.');
  std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "json") return "application/json; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace hrtrack::web
