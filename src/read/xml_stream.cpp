#include "read/xml_stream.h"

#include <expat.h>
#include <zip.h>

#include <algorithm>

namespace hrtrack::read {

std::string_view xml_local_name(std::string_view s) {
  std::size_t colon = s.rfind(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

const char* xml_attribute(const char** atts, std::string_view name, bool local) {
  for (; atts && atts[0]; atts += 2) {
    std::string_view n(atts[0]);
    if (n == name || (local && xml_local_name(n) == name)) return atts[1];
  }
  return nullptr;
}

XmlPart::XmlPart(zip* archive, std::string name, std::uint64_t archive_bytes,
                 const ReaderLimits& limits, XmlSink& sink)
    : archive_(archive), name_(std::move(name)), limits_(limits), sink_(sink) {
  index_ = zip_name_locate(archive_, name_.c_str(), ZIP_FL_NOCASE);
  if (index_ < 0) return;
  zip_stat_t st;
  zip_stat_init(&st);
  compressed_ = archive_bytes;
  if (zip_stat_index(archive_, static_cast<zip_uint64_t>(index_), 0, &st) == 0) {
    if (st.valid & ZIP_STAT_COMP_SIZE)
      compressed_ = std::min<std::uint64_t>(st.comp_size, archive_bytes);
    if (st.valid & ZIP_STAT_SIZE) declared_ = st.size;
  }
}

// The size and ratio limits, against `size` decompressed bytes (read, or declared by the
// archive: a declared size may lie, but one over the limits is refused before reading).
bool XmlPart::within_limits(std::uint64_t size) {
  if (size > limits_.max_part_bytes) {
    failed_ = true;
    why_ = "the workbook part " + name_ + " is larger than " +
           std::to_string(limits_.max_part_bytes) +
           " bytes when decompressed; refusing it (a damaged file or a zip bomb?)";
    return false;
  }
  if (size > limits_.ratio_grace_bytes && size > limits_.max_ratio * compressed_) {
    failed_ = true;
    why_ = "the workbook part " + name_ + " inflates to more than " +
           std::to_string(limits_.max_ratio) + " times its compressed size (" +
           std::to_string(compressed_) + " bytes, " + std::to_string(size) +
           " decompressed); refusing it as a zip bomb (real workbooks compress 5 to 20 times)";
    return false;
  }
  return true;
}

XmlPart::~XmlPart() {
  if (parser_) XML_ParserFree(parser_);
  if (file_) zip_fclose(file_);
}

void XmlPart::event() {
  last_event_ =
      static_cast<std::uint64_t>(std::max<XML_Index>(0, XML_GetCurrentByteIndex(parser_)));
}

void XmlPart::on_start(void* self, const char* name, const char** atts) {
  auto* p = static_cast<XmlPart*>(self);
  if (p->failed_) return;
  p->event();
  if (++p->depth_ > p->limits_.max_xml_depth) {
    p->fail("elements nested more than " + std::to_string(p->limits_.max_xml_depth) +
            " levels deep (a worksheet needs 7)");
    return;
  }
  p->sink_.start(xml_local_name(name), atts);
}

void XmlPart::on_end(void* self, const char* name) {
  auto* p = static_cast<XmlPart*>(self);
  if (p->failed_) return;
  p->event();
  --p->depth_;
  p->sink_.end(xml_local_name(name));
}

void XmlPart::on_text(void* self, const char* s, int len) {
  auto* p = static_cast<XmlPart*>(self);
  if (p->failed_) return;
  p->event();
  p->sink_.text(std::string_view(s, static_cast<std::size_t>(len)));
}

void XmlPart::on_comment(void* self, const char*) {
  static_cast<XmlPart*>(self)->event();
}
void XmlPart::on_pi(void* self, const char*, const char*) {
  static_cast<XmlPart*>(self)->event();
}

void XmlPart::on_doctype(void* self, const char*, const char*, const char*, int) {
  static_cast<XmlPart*>(self)->fail(
      "has a document type declaration (DTD), which no XLSX part has; refusing it (entity "
      "expansion attacks need one)");
}

void XmlPart::suspend() {
  if (!failed_) XML_StopParser(parser_, XML_TRUE);
}

void XmlPart::fail(const std::string& reason, bool at_place) {
  if (failed_) return;
  failed_ = true;
  at_place_ = at_place;
  why_ = name_ + " " + reason;
  XML_StopParser(parser_, XML_FALSE);
}

// Decompresses the next block into the parser's buffer and parses it.
bool XmlPart::feed() {
  constexpr int kBlock = 1 << 16;
  void* buf = XML_GetBuffer(parser_, kBlock);
  if (!buf) {
    fail("cannot be parsed: out of memory");
    return false;
  }
  zip_int64_t n = zip_fread(file_, buf, kBlock);
  if (n < 0) {
    failed_ = true;
    why_ = "cannot decompress " + name_ + " in the workbook (" + zip_file_strerror(file_) +
           "); the file is damaged (was the download or copy cut short?)";
    return false;
  }
  bytes_ += static_cast<std::uint64_t>(n);
  if (!within_limits(bytes_)) return false;
  final_ = n == 0;
  fed_ = static_cast<int>(n);
  return true;
}

XmlPart::Status XmlPart::stopped(int status) {
  if (status == XML_STATUS_SUSPENDED && !failed_) {
    suspended_ = true;
    return Status::suspended;
  }
  if (failed_) return Status::failed;
  failed_ = at_place_ = malformed_ = true;
  XML_Error code = XML_GetErrorCode(parser_);
  why_ = "malformed XML in " + name_ + " of the workbook (at byte " +
         std::to_string(XML_GetCurrentByteIndex(parser_)) + ", line " +
         std::to_string(XML_GetCurrentLineNumber(parser_)) + ": " + XML_ErrorString(code) + ")";
  return Status::failed;
}

XmlPart::Status XmlPart::run() {
  if (failed_) return Status::failed;
  if (!parser_) {
    if (index_ < 0) {
      failed_ = true;
      why_ = name_ + " is missing from the workbook";
      return Status::failed;
    }
    if (!within_limits(declared_)) return Status::failed;
    file_ = zip_fopen_index(archive_, static_cast<zip_uint64_t>(index_), 0);
    if (!file_) {
      failed_ = true;
      why_ = "cannot read " + name_ + " in the workbook (" + zip_strerror(archive_) +
             "); the file is damaged or encrypted";
      return Status::failed;
    }
    parser_ = XML_ParserCreate(nullptr);
    if (!parser_) throw std::bad_alloc();
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, on_start, on_end);
    XML_SetCharacterDataHandler(parser_, on_text);
    XML_SetCommentHandler(parser_, on_comment);
    XML_SetProcessingInstructionHandler(parser_, on_pi);
    XML_SetStartDoctypeDeclHandler(parser_, on_doctype);
    XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);
  }
  while (true) {
    int status;
    if (suspended_) {
      suspended_ = false;
      status = XML_ResumeParser(parser_);
    } else {
      if (final_) return Status::done;
      if (!feed()) return Status::failed;
      status = XML_ParseBuffer(parser_, fed_, final_);
    }
    if (status != XML_STATUS_OK) return stopped(status);
    if (final_) return Status::done;
    // A tag, comment or processing instruction is held whole by expat until it ends: one that
    // long is no spreadsheet (text inside elements comes in pieces and moves last_event_).
    if (bytes_ - last_event_ > limits_.max_xml_markup_bytes) {
      failed_ = at_place_ = true;
      why_ = name_ + " has more than " + std::to_string(limits_.max_xml_markup_bytes) +
             " bytes in one tag, comment or processing instruction (at byte " +
             std::to_string(last_event_) + "); refusing it (a damaged file or a zip bomb?)";
      return Status::failed;
    }
  }
}

}  // namespace hrtrack::read
