#include "read/xlsx_parts.h"

#include "core/text.h"

namespace hrtrack::read::xlsx {
namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

// OOXML strings escape characters XML cannot carry as _xHHHH_ (UTF-16 code units; Excel
// writes a carriage return as _x000D_ and a literal "_x" as _x005F_x). Decodes them.
std::string decode_xstring(std::string s) {
  if (s.find("_x") == std::string::npos) return s;
  auto unit_at = [&](std::size_t i) -> long {
    if (i + 7 > s.size() || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return -1;
    long v = 0;
    for (std::size_t k = i + 2; k < i + 6; ++k) {
      char c = s[k];
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    long u = unit_at(i);
    if (u < 0) {
      out += s[i++];
      continue;
    }
    if (u >= 0xD800 && u <= 0xDBFF) {
      long lo = unit_at(i + 7);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((static_cast<std::uint32_t>(u) - 0xD800) << 10) +
                             (static_cast<std::uint32_t>(lo) - 0xDC00));
        i += 14;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) {  // a lone surrogate: keep the text as written
      out.append(s, i, 7);
    } else {
      append_utf8(out, static_cast<std::uint32_t>(u));
    }
    i += 7;
  }
  return out;
}

std::string column_letters(std::size_t col) {  // 0 -> "A", 26 -> "AA"
  std::string out;
  for (std::size_t n = col + 1; n > 0; n = (n - 1) / 26)
    out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  return out;
}

// "B3" -> column 1. Row digits must follow; nullopt for anything else or past column XFD.
std::optional<std::size_t> parse_cell_ref(std::string_view ref) {
  std::size_t i = 0, col = 0;
  while (i < ref.size() && i < 3 &&
         ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z'))) {
    char c = static_cast<char>(ref[i] & ~0x20);
    col = col * 26 + static_cast<std::size_t>(c - 'A' + 1);
    ++i;
  }
  if (i == 0 || col > kMaxExcelColumns || i == ref.size()) return std::nullopt;
  for (std::size_t k = i; k < ref.size(); ++k)
    if (ref[k] < '0' || ref[k] > '9') return std::nullopt;
  return col - 1;
}

// Cuts a string to at most `max` bytes without splitting a UTF-8 sequence.
void truncate_utf8(std::string& s, std::size_t max) {
  if (s.size() <= max) return;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
}

// Resolves a relationship target against the folder of the part that refers to it.
std::string resolve_target(const std::string& base_dir, std::string_view target) {
  std::string joined = !target.empty() && target[0] == '/' ? std::string(target.substr(1))
                                                           : base_dir + std::string(target);
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    std::string part = joined.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  return join(parts, "/");
}

}  // namespace hrtrack::read::xlsx
