// nlohmann's SAX parser does the parsing; this file bounds what it may hold. The parser keeps
// its nesting in a bit vector (no recursion), but it holds each string and number token whole
// before handing it over, and a materialised record may be copied or dumped recursively later.
// So: the input guard below cuts strings and numbers while they are read, and the handler
// refuses nesting past max_depth and stops keeping a record that has too many values or bytes.
#include "read/json_stream.h"

#include <cstdio>
#include <filesystem>
#include <unordered_set>

#include "read/table.h"

namespace hrtrack::read {
namespace {

using ojson = nlohmann::ordered_json;

// The file's bytes for the parser, in 64 KiB blocks, with a guard on the two tokens the parser
// holds whole. A string whose raw form passes string_cut_at bytes (6 bytes as written per byte
// decoded, "\u00e9", so it is over max_field_bytes whatever its escapes) is cut at a character
// boundary and the rest skipped up to its closing quote; `string_cut` tells the handler. A
// number longer than max_number_chars ends the input (`number_too_long`): the parser then
// reports an error, which the handler turns into the reason.
class Input {
 public:
  Input(std::FILE* f, const JsonStreamOptions& opt)
      : f_(f), cut_at_(opt.max_field_bytes * 6 + 12), max_number_(opt.max_number_chars) {}

  int next() {
    int b = byte();
    if (b < 0) return -1;
    if (!in_string_) {
      if (b == '"') {
        in_string_ = true;
        raw_ = 0;
        esc_ = pending_high_ = false;
        hex_left_ = 0;
        number_run_ = 0;
      } else if ((b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' ||
                 b == 'E') {
        if (++number_run_ > max_number_) {
          number_too_long = true;
          return -1;
        }
      } else {
        number_run_ = 0;
      }
      return b;
    }
    bool boundary = !esc_ && hex_left_ == 0 && !pending_high_ && (b & 0xC0) != 0x80 && b != '"';
    if (++raw_ > cut_at_ && boundary) return skip_rest();
    if (hex_left_ > 0) {
      unit_ = unit_ * 16 + hex(b);
      if (--hex_left_ == 0) pending_high_ = unit_ >= 0xD800 && unit_ <= 0xDBFF;
    } else if (esc_) {
      esc_ = false;
      if (b == 'u') {
        hex_left_ = 4;
        unit_ = 0;
      } else {
        pending_high_ = false;
      }
    } else if (b == '\\') {
      esc_ = true;
    } else {
      pending_high_ = false;
      if (b == '"') in_string_ = false;
    }
    return b;
  }

  std::size_t pos() const { return pos_; }
  bool string_cut = false;
  bool number_too_long = false;

 private:
  int byte() {
    if (at_ == len_) {
      len_ = std::fread(buf_, 1, sizeof buf_, f_);
      at_ = 0;
      if (len_ == 0) return -1;
    }
    ++pos_;
    return static_cast<unsigned char>(buf_[at_++]);
  }
  static unsigned hex(int c) {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
    return 0;  // the parser reports the bad escape
  }
  // Skips to the closing quote of the string being read and returns it.
  int skip_rest() {
    string_cut = true;
    bool esc = false;
    for (int b = byte(); b >= 0; b = byte()) {
      if (esc)
        esc = false;
      else if (b == '\\')
        esc = true;
      else if (b == '"') {
        in_string_ = false;
        return b;
      }
    }
    return -1;
  }

  std::FILE* f_;
  char buf_[1 << 16];
  std::size_t at_ = 0, len_ = 0, pos_ = 0;
  std::size_t cut_at_, max_number_, raw_ = 0, number_run_ = 0;
  bool in_string_ = false, esc_ = false, pending_high_ = false;
  int hex_left_ = 0;
  unsigned unit_ = 0;
};

// The iterator nlohmann's parser reads from (any input iterator works).
struct It {
  Input* in;
  int c;
  const std::function<void(std::size_t)>* progress;
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  char cur = 0;
  reference operator*() {
    cur = static_cast<char>(c);
    return cur;
  }
  It& operator++() {
    c = in->next();
    if ((in->pos() & ((1u << 22) - 1)) == 0 && *progress) (*progress)(in->pos());
    return *this;
  }
  bool operator==(const It& o) const { return (c < 0) == (o.c < 0); }
  bool operator!=(const It& o) const { return !(*this == o); }
};

// Cuts a string to at most `max` bytes without splitting a UTF-8 sequence.
void truncate_utf8(std::string& s, std::size_t max) {
  if (s.size() <= max) return;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
}

// SAX handler that materialises one top-level element at a time.
class Handler : public nlohmann::json_sax<ojson> {
 public:
  Handler(const std::function<void(ojson&&, long, bool)>& cb, const JsonStreamOptions& opt,
          std::vector<Problem>& problems, std::string file, Input& in)
      : cb_(cb),
        opt_(opt),
        problems_(problems),
        file_(std::move(file)),
        in_(in),
        record_limit_(std::max(opt.max_row_bytes, opt.max_field_bytes)),
        budget_(problems, opt.max_problems) {}

  bool null() override { return put(ojson(nullptr)); }
  bool boolean(bool v) override { return put(ojson(v)); }
  bool number_integer(number_integer_t v) override { return put(ojson(v)); }
  bool number_unsigned(number_unsigned_t v) override { return put(ojson(v)); }
  bool number_float(number_float_t v, const string_t&) override { return put(ojson(v)); }
  bool string(string_t& v) override {
    check_text(v, "");
    return put(ojson(std::move(v)));
  }
  bool binary(binary_t&) override { return put(ojson(nullptr)); }
  bool start_object(std::size_t) override { return open(ojson::object()); }
  bool key(string_t& k) override {
    Level& top = stack_.back();
    top.key.clear();  // a problem with the key is one of the object holding it
    check_text(k, "a key ");
    top.key = k;
    top.duplicate = top.node && !bytes_over_ && !top.keys.insert(k).second;
    if (top.duplicate)
      bad(path(), "duplicate key '" + k + "' in the record; the first value is kept");
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
    if (in_.number_too_long)
      reason = "a number of more than " + std::to_string(opt_.max_number_chars) +
               " characters at byte " + std::to_string(in_.pos()) + " in record " +
               std::to_string(index_ + 1) + "; the rest of the file is not read";
    // An error at the very end of the file means the file was cut short, whatever token the
    // parser was in (a string, a number, between records).
    else if (what.find("unexpected end of input") != std::string::npos || pos + 1 >= file_size_)
      reason = "the JSON is truncated: it ends inside record " + std::to_string(index_ + 1) +
               " at byte " + std::to_string(pos) + " (the download or copy was cut short)";
    else if (what.find("UTF-8") != std::string::npos || what.find("utf-8") != std::string::npos)
      reason = "not valid UTF-8 at byte " + std::to_string(pos) + " in record " +
               std::to_string(index_ + 1) + "; convert the file to UTF-8";
    else
      reason = "invalid JSON at byte " + std::to_string(pos) + " in record " +
               std::to_string(index_ + 1) + ": " + what;
    problems_.push_back({file_, index_ + 1, path(), "", reason, false});
    return false;
  }

  bool saw_top_array() const { return top_array_; }
  std::size_t file_size_ = 0;

 private:
  // One open array or object of the record. node is null when it is not kept (past the
  // record's value limit); keys are those of an object, for duplicates.
  struct Level {
    ojson* node;
    std::string key;
    std::unordered_set<std::string> keys;
    bool duplicate = false;
  };

  // The field being read, as the keys from the record down: "Text", "variants.text".
  std::string path() const {
    std::string out;
    for (const auto& l : stack_)
      if (!l.key.empty()) out += (out.empty() ? "" : ".") + l.key;
    return out;
  }

  void bad(const std::string& column, const std::string& reason) {
    problems_.push_back({file_, index_ + 1, column, "", reason, false});
    bad_ = true;
  }

  // Strings and keys: the field and record size limits, no NUL.
  void check_text(std::string& v, const char* what) {
    bool cut = in_.string_cut;
    in_.string_cut = false;
    if (cut || v.size() > opt_.max_field_bytes) {
      bad(path(), std::string(what) + (what[0] ? "of " : "field is ") + (cut ? "more than " : "") +
                      std::to_string(v.size()) + " bytes, over the " +
                      std::to_string(opt_.max_field_bytes) +
                      "-byte limit (raise it with --max-field-bytes)");
      truncate_utf8(v, opt_.max_field_bytes);
    }
    if (v.find('\0') != std::string::npos)
      bad(path(), std::string(what[0] ? "a key " : "") +
                      "contains a NUL character (\\u0000), which no text field may hold");
    record_bytes_ += v.size();
    if (record_bytes_ > record_limit_) {
      if (!bytes_over_)
        bad(path(), "the record's strings are over the " + std::to_string(record_limit_) +
                        "-byte limit for a whole record; the rest of it is not kept");
      bytes_over_ = true;
      v.clear();
    }
  }

  // Counts a value of the record; false when it is past the limit and not to be kept.
  bool count_value() {
    if (++values_ <= opt_.max_record_values) return true;
    if (values_ == opt_.max_record_values + 1)
      bad(path(), "more than " + std::to_string(opt_.max_record_values) +
                      " values in the record; the rest of it is not kept");
    return false;
  }

  // A value at the top level starts a record: refused past the records limit.
  void starts_record() {
    if (index_ >= opt_.max_rows) {
      problems_.push_back({file_, 0, "", "",
                           "more than " + std::to_string(opt_.max_rows) + " records: record " +
                               std::to_string(index_ + 1) +
                               " is past the limit and the file is refused; split it",
                           false});
      too_many_ = true;
    }
  }

  bool put(ojson v) {
    if (stack_.empty()) {
      if (depth_ == 0) {
        problems_.push_back(
            {file_, 0, "", "", "the top level must be a JSON array of records", false});
        return false;
      }
      starts_record();
      if (too_many_) return false;
      count_value();
      return emit(std::move(v));
    }
    Level& top = stack_.back();
    if (!count_value() || !top.node || top.duplicate) return true;
    if (top.node->is_object())
      static_cast<ojson::object_t::Container&>(top.node->get_ref<ojson::object_t&>())
          .emplace_back(top.key, std::move(v));
    else
      top.node->push_back(std::move(v));
    return true;
  }

  bool open(ojson v) {
    if (stack_.empty()) {
      if (depth_ == 0) {
        problems_.push_back(
            {file_, 0, "", "", "the top level must be a JSON array of records", false});
        return false;
      }
      starts_record();
      if (too_many_) return false;
    }
    // The top-level array is level 1, each open array or object of the record one more.
    if (static_cast<int>(stack_.size()) + 2 > opt_.max_depth) {
      problems_.push_back({file_, index_ + 1, path(), "",
                           "JSON nested more than " + std::to_string(opt_.max_depth) +
                               " levels deep at byte " + std::to_string(in_.pos()) + " in record " +
                               std::to_string(index_ + 1) +
                               "; no record needs that, the rest of the file is not read",
                           false});
      return false;
    }
    bool keep = count_value();
    if (stack_.empty()) {
      current_ = std::move(v);
      stack_.push_back({&current_, {}, {}});
      return true;
    }
    Level& top = stack_.back();
    ojson* child = nullptr;
    if (keep && top.node && !top.duplicate) {
      if (top.node->is_object()) {
        auto& members =
            static_cast<ojson::object_t::Container&>(top.node->get_ref<ojson::object_t&>());
        members.emplace_back(top.key, std::move(v));
        child = &members.back().second;
      } else {
        top.node->push_back(std::move(v));
        child = &top.node->back();
      }
    }
    stack_.push_back({child, {}, {}});
    return true;
  }

  bool close() {
    stack_.pop_back();
    return stack_.empty() ? emit(std::move(current_)) : true;
  }

  // Hands a record over; false (stop reading) when the file has had too many errors.
  bool emit(ojson v) {
    ++index_;
    bool was_bad = bad_;
    bad_ = bytes_over_ = false;
    values_ = 0;
    record_bytes_ = 0;
    cb_(std::move(v), index_, was_bad);
    current_ = ojson();
    if (!budget_.exceeded()) return true;
    budget_.stop(file_);
    return false;
  }

  const std::function<void(ojson&&, long, bool)>& cb_;
  const JsonStreamOptions& opt_;
  std::vector<Problem>& problems_;
  std::string file_;
  Input& in_;
  std::size_t record_limit_;
  ProblemBudget budget_;
  std::vector<Level> stack_;
  ojson current_;
  int depth_ = 0;
  long index_ = 0;
  std::size_t values_ = 0, record_bytes_ = 0;
  bool bad_ = false, bytes_over_ = false, top_array_ = false, too_many_ = false;
};

}  // namespace

bool read_json_array(const std::string& path,
                     const std::function<void(ojson&&, long, bool)>& on_record,
                     std::vector<Problem>& problems, const JsonStreamOptions& opt,
                     const std::function<void(std::size_t)>& on_progress) {
  std::string file = std::filesystem::path(path).filename().string();
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw Error("cannot open '" + path + "' for reading");
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (!ec && opt.max_file_bytes > 0 && size > opt.max_file_bytes) {
    std::fclose(f);
    problems.push_back({file, 0, "", "",
                        "the file is " + std::to_string(size) + " bytes, over the " +
                            std::to_string(opt.max_file_bytes) +
                            "-byte limit for this kind of file",
                        false});
    return false;
  }
  // UTF-16 (with or without a byte order mark) is refused with a hint; a UTF-8 byte order
  // mark is skipped.
  char head[4096];
  std::size_t got = std::fread(head, 1, sizeof head, f);
  std::string u16 = utf16_hint(std::string_view(head, got));
  if (!u16.empty()) {
    std::fclose(f);
    problems.push_back({file, 0, "", "", u16, false});
    return false;
  }
  bool bom = got >= 3 && std::string_view(head, 3) == "\xEF\xBB\xBF";
  std::fseek(f, bom ? 3 : 0, SEEK_SET);
  Input in(f, opt);
  Handler h(on_record, opt, problems, file, in);
  h.file_size_ = ec ? static_cast<std::size_t>(-1) : size;
  bool ok;
  {
    It b{&in, in.next(), &on_progress};
    It e{&in, -1, &on_progress};
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

bool json_nests_deeper_than(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false, esc = false;
  for (char c : text) {
    if (in_string) {
      if (esc)
        esc = false;
      else if (c == '\\')
        esc = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

}  // namespace hrtrack::read
