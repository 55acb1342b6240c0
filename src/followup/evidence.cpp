#include "followup/evidence.h"

#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "followup/internal.h"

namespace hrtrack::followup {

using namespace detail;

namespace {

class FolderFiles final : public EvidenceFiles {
 public:
  explicit FolderFiles(std::string dir) : dir_(std::move(dir)) {}

  void put(const std::string& sha256, const std::string& bytes) override {
    std::filesystem::create_directories(dir_);
    auto final_path = std::filesystem::path(dir_) / sha256;
    if (std::filesystem::exists(final_path)) return;
    // A name of its own for every upload (mkstemp), so parallel uploads of one file never share
    // a temporary file; rename() then replaces atomically, so they all end with the whole file.
    std::string tmpl = (std::filesystem::path(dir_) / ".upload-XXXXXX").string();
    int fd = ::mkstemp(tmpl.data());
    if (fd < 0) throw Error("cannot create a file under " + dir_ + ": " + std::strerror(errno));
    const char* data = bytes.data();
    std::size_t left = bytes.size();
    bool ok = true;
    while (left > 0 && ok) {
      ssize_t n = ::write(fd, data, left);
      if (n < 0 && errno == EINTR) continue;
      ok = n > 0;
      if (ok) {
        data += n;
        left -= static_cast<std::size_t>(n);
      }
    }
    ok = ok && ::fsync(fd) == 0;
    ::close(fd);
    std::error_code ec;
    if (ok) std::filesystem::rename(tmpl, final_path, ec);
    if (!ok || ec) {
      std::filesystem::remove(tmpl, ec);
      throw Error("cannot write the evidence file under " + dir_);
    }
  }

  std::optional<std::string> get(const std::string& sha256) override {
    std::ifstream in(std::filesystem::path(dir_) / sha256, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  std::string dir_;
};

struct FileType {
  const char* ext;
  const char* mime;
  std::string_view magic;  // "" = text
};

const std::vector<FileType>& file_types() {
  static const std::vector<FileType> t = {
      {"pdf", "application/pdf", "%PDF-"},
      {"png", "image/png", "\x89PNG\r\n\x1a\n"},
      {"jpg", "image/jpeg", "\xFF\xD8\xFF"},
      {"jpeg", "image/jpeg", "\xFF\xD8\xFF"},
      {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
       "PK\x03\x04"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04"},
      {"odt", "application/vnd.oasis.opendocument.text", "PK\x03\x04"},
      {"ods", "application/vnd.oasis.opendocument.spreadsheet", "PK\x03\x04"},
      {"txt", "text/plain; charset=utf-8", ""},
      {"csv", "text/csv; charset=utf-8", ""},
  };
  return t;
}

std::string sha256_hex(const std::string& data) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return to_hex(h, sizeof h);
}

ProgressUpdate editable_update(Store& store, const Principal& p, std::int64_t id) {
  auto u = load_update(store, id);
  access::require(p, "update.edit", {u.institution_id});
  require_editable("the update", u.state);
  return u;
}

}  // namespace

std::unique_ptr<EvidenceFiles> evidence_folder(const std::string& dir) {
  return std::make_unique<FolderFiles>(dir);
}

Evidence attach_file(Store& store, const Principal& p, std::int64_t update_id, const Upload& f,
                     EvidenceFiles& files, const EvidenceLimits& limits) {
  editable_update(store, p, update_id);
  // The name: its last path part, valid UTF-8, no control characters.
  std::string name = f.filename;
  if (auto slash = name.find_last_of("/\\"); slash != std::string::npos)
    name = name.substr(slash + 1);
  check_text("file name", name, 200, true);
  if (name.find_first_of("\r\n\t") != std::string::npos)
    throw InvalidArgument("file name: line breaks are not allowed");
  if (find_display_control(name))
    throw InvalidArgument(
        "file name: it holds an invisible character that changes how the name is displayed "
        "(such as a right-to-left override); rename the file and send it again");
  if (f.content.empty()) throw InvalidArgument("file: it is empty");
  if (f.content.size() > limits.max_bytes)
    throw InvalidArgument("file: " + std::to_string(f.content.size()) + " bytes; at most " +
                          std::to_string(limits.max_bytes / (1024 * 1024)) + " MB");
  auto dot = name.rfind('.');
  std::string ext = dot == std::string::npos ? "" : ascii_lower(name.substr(dot + 1));
  const FileType* type = nullptr;
  for (const auto& t : file_types())
    if (ext == t.ext) type = &t;
  if (!type) {
    std::vector<std::string> exts;
    for (const auto& t : file_types()) exts.push_back(t.ext);
    throw InvalidArgument("file: ." + shorten_for_display(ext, 10) +
                          " files are not accepted; send " + join(exts, ", "));
  }
  if (type->magic.empty()) {
    if (find_invalid_utf8(f.content) || f.content.find('\0') != std::string::npos)
      throw InvalidArgument("file: a ." + ext + " file must be UTF-8 text");
  } else if (f.content.compare(0, type->magic.size(), type->magic) != 0) {
    throw InvalidArgument("file: the content is not a ." + ext +
                          " file (its first bytes do not match)");
  }
  Evidence e;
  e.update_id = update_id;
  e.kind = EvidenceKind::File;
  e.filename = name;
  e.content_type = type->mime;
  e.size = static_cast<std::int64_t>(f.content.size());
  e.sha256 = sha256_hex(f.content);
  // The file is in place before the row that names it is committed.
  files.put(e.sha256, f.content);
  auto txn = store.begin();
  store.followup().add_evidence(e, actor(p));
  txn->commit();
  return e;
}

Evidence attach_link(Store& store, const Principal& p, std::int64_t update_id,
                     const std::string& url) {
  editable_update(store, p, update_id);
  check_text("url", url, limits::kShortText, true);
  static const std::regex re("https?://[^\\s<>\"]+", std::regex::icase);
  if (!std::regex_match(url, re))
    throw InvalidArgument("url: a web address starting with http:// or https://");
  Evidence e;
  e.update_id = update_id;
  e.kind = EvidenceKind::Link;
  e.url = url;
  auto txn = store.begin();
  store.followup().add_evidence(e, actor(p));
  txn->commit();
  return e;
}

std::optional<Evidence> evidence_for(Store& store, const Principal& p, std::int64_t id) {
  auto e = store.followup().evidence(id);
  if (!e) return std::nullopt;
  auto u = store.followup().update(e->update_id);
  if (!u || !view_update(store, p, *u).visible) return std::nullopt;
  return e;
}

}  // namespace hrtrack::followup
