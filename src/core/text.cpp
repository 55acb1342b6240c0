#include "core/text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cctype>
#include <cstdio>

#include "core/error.h"

namespace hrtrack {

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n\f\v";
  auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(ws);
  s = s.substr(b, e - b + 1);
  // Also trim U+00A0 NO-BREAK SPACE, common in texts pasted from documents.
  while (s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0xC2 &&
         static_cast<unsigned char>(s[1]) == 0xA0)
    s.remove_prefix(2);
  while (s.size() >= 2 && static_cast<unsigned char>(s[s.size() - 2]) == 0xC2 &&
         static_cast<unsigned char>(s[s.size() - 1]) == 0xA0)
    s.remove_suffix(2);
  return s;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::vector<std::string> split_trim(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  if (sep.empty()) {
    auto t = trim(s);
    if (!t.empty()) out.emplace_back(t);
    return out;
  }
  std::size_t start = 0;
  while (true) {
    auto pos = s.find(sep, start);
    auto part = trim(s.substr(start, pos == std::string_view::npos ? s.npos : pos - start));
    if (!part.empty()) out.emplace_back(part);
    if (pos == std::string_view::npos) break;
    start = pos + sep.size();
  }
  return out;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

std::optional<std::size_t> find_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::nullopt;
}

namespace {
std::string collapse_ws(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}
}  // namespace

std::string normalise_for_identity(std::string_view s) {
  bool ascii = true;
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) return collapse_ws(ascii_lower(s));  // fast path: same result as ICU for ASCII
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) throw Error("ICU NFKC_Casefold normaliser unavailable");
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  icu::UnicodeString folded = nfkc->normalize(u, status);
  if (U_FAILURE(status)) throw Error("ICU normalisation failed");
  std::string out;
  folded.toUTF8String(out);
  // NFKC_Casefold maps NBSP to a space; whitespace collapsing then treats it like any space.
  return collapse_ws(out);
}

std::string sdg_code_of(std::string_view label) {
  auto t = trim(label);
  std::size_t i = 0;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  if (i == 0 || i > 2) return {};
  std::size_t end = i;
  if (end < t.size() && t[end] == '.') {
    std::size_t j = end + 1;
    while (j < t.size() && std::isalnum(static_cast<unsigned char>(t[j]))) ++j;
    if (j == end + 1) return {};
    end = j;
  }
  if (end < t.size() && t[end] != ' ' && t[end] != '-') return {};
  return std::string(t.substr(0, end));
}

std::string strip_dash_prefix(std::string_view s) {
  auto t = trim(s);
  if (t.size() >= 2 && t[0] == '-' && t[1] == ' ') t.remove_prefix(2);
  return std::string(trim(t));
}

std::string shorten_for_display(std::string_view s, std::size_t max) {
  std::string out;
  std::size_t i = 0;
  auto escape = [&out](unsigned char c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02X", c);
    out += buf;
  };
  while (i < s.size() && out.size() < max) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) {
      escape(c);
      ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else {
      std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      auto seq = s.substr(i, len);
      if (seq.size() == len && !find_invalid_utf8(seq)) {
        out += seq;
        i += len;
      } else {
        escape(c);  // invalid byte: show it, so a user can find it in a hex editor
        ++i;
      }
    }
  }
  if (i < s.size()) out += "…";
  return out;
}

std::string to_hex(const unsigned char* bytes, std::size_t n) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += hex[bytes[i] >> 4];
    out += hex[bytes[i] & 15];
  }
  return out;
}

std::string csv_quote(std::string_view c) {
  if (c.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(c);
  std::string out = "\"";
  for (char ch : c) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::optional<long> parse_int(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 18) return std::nullopt;
  long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<bool> parse_bool(std::string_view s) {
  std::string v = ascii_lower(s);
  for (const auto& t : bool_true_spellings())
    if (v == t) return true;
  for (const auto& f : bool_false_spellings())
    if (v == f) return false;
  return std::nullopt;
}

const std::vector<std::string>& bool_true_spellings() {
  static const std::vector<std::string> v = {"true", "1", "on", "yes"};
  return v;
}

const std::vector<std::string>& bool_false_spellings() {
  static const std::vector<std::string> v = {"false", "0", "off", "no"};
  return v;
}

std::optional<std::string> safe_local_path(std::string_view next) {
  if (next.size() < 1 || next.size() > 2000 || next[0] != '/') return std::nullopt;
  if (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) return std::nullopt;
  for (unsigned char c : next)
    if (c <= 0x20 || c == 0x7f || c == '\\') return std::nullopt;
  if (find_invalid_utf8(next)) return std::nullopt;
  if (find_display_control(next)) return std::nullopt;
  return std::string(next);
}

std::optional<std::size_t> find_display_control(std::string_view s) {
  // ICU's character properties: Bidi_Control (the overrides, embeddings, isolates and marks)
  // and Default_Ignorable_Code_Point (zero-width characters, invisible when displayed).
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    int32_t at = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) continue;
    if (u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL) ||
        u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
      return static_cast<std::size_t>(at);
  }
  return std::nullopt;
}

std::string Problem::to_string() const {
  std::string out = file.empty() ? std::string("input") : file;
  if (row > 0) out += ": row " + std::to_string(row);
  if (!column.empty()) out += ", column '" + column + "'";
  if (!value.empty()) out += ", value \"" + shorten_for_display(value) + "\"";
  out += warning ? ": warning: " : ": ";
  out += reason;
  return out;
}

}  // namespace hrtrack

namespace hrtrack {

void require_text(const std::string& field, std::string_view v, std::size_t max, bool required,
                  bool multiline) {
  if (find_invalid_utf8(v)) throw InvalidArgument(field + ": not valid UTF-8");
  if (required && trim(v).empty()) throw InvalidArgument(field + ": required");
  std::size_t chars = utf8_length(v);
  if (chars > max)
    throw InvalidArgument(field + ": at most " + std::to_string(max) + " characters (got " +
                          std::to_string(chars) + ")");
  for (unsigned char c : v)
    if (c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t')))
      throw InvalidArgument(field + ": control characters are not allowed");
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  int y = num(0, 4), mo = num(5, 2), d = num(8, 2);
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return y >= 1945 && y <= 2100 && mo >= 1 && mo <= 12 && d >= 1 && d <= days[mo - 1] &&
         !(mo == 2 && d == 29 && !leap);
}

}  // namespace hrtrack
