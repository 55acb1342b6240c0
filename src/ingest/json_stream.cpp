#include "ingest/json_stream.h"

#include <cstdio>
#include <filesystem>

namespace hrtrack::ingest {
namespace {

using ojson = nlohmann::ordered_json;

// SAX handler that materialises one top-level element at a time.
class Handler : public nlohmann::json_sax<ojson> {
 public:
  Handler(const std::function<void(ojson&&, long, bool)>& cb, const JsonStreamOptions& opt,
          std::vector<Problem>& problems, std::string file)
      : cb_(cb), opt_(opt), problems_(problems), file_(std::move(file)) {}

  bool null() override { return put(ojson(nullptr)); }
  bool boolean(bool v) override { return put(ojson(v)); }
  bool number_integer(number_integer_t v) override { return put(ojson(v)); }
  bool number_unsigned(number_unsigned_t v) override { return put(ojson(v)); }
  bool number_float(number_float_t v, const string_t&) override { return put(ojson(v)); }
  bool string(string_t& v) override {
    if (v.size() > opt_.max_string_bytes) {
      too_big_ = true;
      v.resize(opt_.max_string_bytes);
    }
    return put(ojson(std::move(v)));
  }
  bool binary(binary_t&) override { return put(ojson(nullptr)); }
  bool start_object(std::size_t) override { return open(ojson::object()); }
  bool key(string_t& k) override {
    key_ = k;
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override {
    if (depth_ == 0) {
      ++depth_;
      top_array_ = true;
      return true;
    }
    return open(ojson::array());
  }
  bool end_array() override {
    if (depth_ == 1 && stack_.empty()) {
      --depth_;
      return true;
    }
    return close();
  }
  bool parse_error(std::size_t pos, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    std::string what = ex.what();
    std::string reason;
    // An error at the very end of the file means the file was cut short, whatever token the
    // parser was in (a string, a number, between records).
    if (what.find("unexpected end of input") != std::string::npos || pos + 1 >= file_size_)
      reason = "the JSON is truncated: it ends inside record " + std::to_string(index_ + 1) +
               " at byte " + std::to_string(pos) + " (the download or copy was cut short)";
    else if (what.find("UTF-8") != std::string::npos || what.find("utf-8") != std::string::npos)
      reason = "not valid UTF-8 at byte " + std::to_string(pos) + " in record " +
               std::to_string(index_ + 1) + "; convert the file to UTF-8";
    else
      reason = "invalid JSON at byte " + std::to_string(pos) + " in record " +
               std::to_string(index_ + 1) + ": " + what;
    problems_.push_back({file_, index_ + 1, key_, "", reason, false});
    return false;
  }

  bool saw_top_array() const { return top_array_; }
  std::size_t file_size_ = 0;

 private:
  bool put(ojson v) {
    if (stack_.empty()) {
      if (depth_ == 0) {
        problems_.push_back(
            {file_, 0, "", "", "the top level must be a JSON array of records", false});
        return false;
      }
      emit(std::move(v));
      return true;
    }
    ojson& top = *stack_.back();
    if (top.is_object())
      top[key_] = std::move(v);
    else
      top.push_back(std::move(v));
    return true;
  }
  bool open(ojson v) {
    if (stack_.empty()) {
      if (depth_ == 0) {
        problems_.push_back(
            {file_, 0, "", "", "the top level must be a JSON array of records", false});
        return false;
      }
      current_ = std::move(v);
      stack_.push_back(&current_);
      return true;
    }
    ojson& top = *stack_.back();
    ojson* child;
    if (top.is_object()) {
      top[key_] = std::move(v);
      child = &top[key_];
    } else {
      top.push_back(std::move(v));
      child = &top.back();
    }
    stack_.push_back(child);
    return true;
  }
  bool close() {
    stack_.pop_back();
    if (stack_.empty()) emit(std::move(current_));
    return true;
  }
  void emit(ojson v) {
    ++index_;
    bool big = too_big_;
    too_big_ = false;
    cb_(std::move(v), index_, big);
    current_ = ojson();
  }

  const std::function<void(ojson&&, long, bool)>& cb_;
  const JsonStreamOptions& opt_;
  std::vector<Problem>& problems_;
  std::string file_;
  std::vector<ojson*> stack_;
  ojson current_;
  std::string key_;
  int depth_ = 0;
  long index_ = 0;
  bool too_big_ = false, top_array_ = false;
};

// Reads a FILE* byte by byte for nlohmann's SAX parser (any input iterator works) and
// reports progress every 4 MiB.
struct It {
  std::FILE* f;
  int c;
  std::size_t* n;
  const std::function<void(std::size_t)>* p;
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  char cur;
  reference operator*() {
    cur = static_cast<char>(c);
    return cur;
  }
  It& operator++() {
    c = std::getc(f);
    if ((++*n & ((1u << 22) - 1)) == 0 && *p) (*p)(*n);
    return *this;
  }
  bool operator==(const It& o) const { return (c == EOF) == (o.c == EOF); }
  bool operator!=(const It& o) const { return !(*this == o); }
};

}  // namespace

bool read_json_array(const std::string& path,
                     const std::function<void(ojson&&, long, bool)>& on_record,
                     std::vector<Problem>& problems, const JsonStreamOptions& opt,
                     const std::function<void(std::size_t)>& on_progress) {
  std::string file = std::filesystem::path(path).filename().string();
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw Error("cannot open '" + path + "' for reading");
  // Skip a UTF-8 byte order mark.
  unsigned char bom[3];
  std::size_t got = std::fread(bom, 1, 3, f);
  if (!(got == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF)) std::rewind(f);
  Handler h(on_record, opt, problems, file);
  std::error_code ec;
  h.file_size_ = std::filesystem::file_size(path, ec);
  bool ok;
  {
    std::size_t n = 0;
    It b{f, std::getc(f), &n, &on_progress, 0};
    It e{nullptr, EOF, &n, &on_progress, 0};
    ok = ojson::sax_parse(b, e, &h, nlohmann::json::input_format_t::json, true);
  }
  std::fclose(f);
  if (ok && !h.saw_top_array()) {
    problems.push_back(
        {file, 0, "", "", "the file is empty or not a JSON array of records", false});
    return false;
  }
  return ok;
}

}  // namespace hrtrack::ingest
