// Streams one XML part of a zip archive (an XLSX workbook's sheet, shared strings, ...) through
// expat, a SAX parser (Debian package libexpat1-dev), so that memory does not grow with the
// part: the decompressed bytes go to the parser in 64 KiB blocks and only the handlers' state
// is kept. The limits of read/limits.h are enforced here: decompressed size and ratio, element
// nesting, the size of one tag (expat must hold a tag whole; text is handed over in pieces);
// DTDs are refused (XLSX parts never have one, and entity expansion needs one).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "read/limits.h"

struct zip;
struct zip_file;
struct XML_ParserStruct;

namespace hrtrack::read {

// What a part's elements are handed to. Names are without their namespace prefix ("x:row"
// -> "row"): generators differ in the prefixes they use. `atts` is expat's attribute list
// (name, value, ..., nullptr), names as written.
class XmlSink {
 public:
  virtual ~XmlSink() = default;
  virtual void start(std::string_view name, const char** atts) = 0;
  virtual void end(std::string_view name) = 0;
  virtual void text(std::string_view s) = 0;
};

// The value of attribute `name` (compared without its prefix when `local`), or nullptr.
const char* xml_attribute(const char** atts, std::string_view name, bool local = false);
// "x:row" -> "row".
std::string_view xml_local_name(std::string_view name);

class XmlPart {
 public:
  enum class Status { suspended, done, failed };

  // `archive_bytes` (the size of the file) caps the compressed size the ratio is checked
  // against: an entry cannot really be larger than its archive.
  XmlPart(zip* archive, std::string name, std::uint64_t archive_bytes, const ReaderLimits& limits,
          XmlSink& sink);
  ~XmlPart();
  XmlPart(const XmlPart&) = delete;
  XmlPart& operator=(const XmlPart&) = delete;

  // Whether the part is in the archive (looked up without regard to case).
  bool exists() const { return index_ >= 0; }
  // Parses until a handler calls suspend() (returns suspended; run() again goes on), the part
  // ends (done) or something stops it (failed: why() says what, naming the part).
  Status run();
  // From a handler: run() returns after the current event.
  void suspend();
  // From a handler: stop with this reason (said after the part's name). `at_place`: the
  // problem is where the parser is (nesting, a malformed tag), not about the part as a whole
  // (its size, its number of rows or strings).
  void fail(const std::string& reason, bool at_place = true);
  const std::string& why() const { return why_; }
  // The failure is at a place in the part (see fail()); malformed XML is.
  bool at_place() const { return at_place_; }
  bool malformed() const { return malformed_; }
  // Decompressed bytes read so far.
  std::uint64_t bytes() const { return bytes_; }
  const std::string& name() const { return name_; }

 private:
  static void on_start(void* self, const char* name, const char** atts);
  static void on_end(void* self, const char* name);
  static void on_text(void* self, const char* s, int len);
  static void on_comment(void* self, const char* data);
  static void on_pi(void* self, const char* target, const char* data);
  static void on_doctype(void* self, const char* name, const char* sysid, const char* pubid,
                         int has_internal_subset);
  void event();
  bool within_limits(std::uint64_t size);
  bool feed();
  Status stopped(int status);

  zip* archive_;
  std::string name_;
  const ReaderLimits& limits_;
  XmlSink& sink_;
  std::int64_t index_ = -1;
  std::uint64_t compressed_ = 0, declared_ = 0;
  zip_file* file_ = nullptr;
  XML_ParserStruct* parser_ = nullptr;
  std::uint64_t bytes_ = 0, last_event_ = 0;
  int depth_ = 0, fed_ = 0;
  bool suspended_ = false, final_ = false, failed_ = false, at_place_ = false, malformed_ = false;
  std::string why_;
};

}  // namespace hrtrack::read
