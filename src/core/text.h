// Small text helpers shared by all layers: trimming, splitting, UTF-8 checks, normalisation.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hrtrack {

std::string_view trim(std::string_view s);
std::string ascii_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);  // ASCII case-insensitive
bool starts_with_ci(std::string_view s, std::string_view prefix);

// Splits on `sep`, trims each part, drops empty parts.
std::vector<std::string> split_trim(std::string_view s, std::string_view sep);
std::string join(const std::vector<std::string>& v, std::string_view sep);

// Returns the byte offset of the first invalid UTF-8 sequence, or nullopt if `s` is valid
// UTF-8 (overlongs, surrogates and code points above U+10FFFF are invalid).
std::optional<std::size_t> find_invalid_utf8(std::string_view s);

// Text normalised for identity comparison: Unicode case folding and NFKC (ICU), every run of
// white space turned into one space, trimmed. "Ratify  the OP-CAT." == "ratify the op-cat."
std::string normalise_for_identity(std::string_view s);

// "16.2 - Protect children ..." -> "16.2"; "16 - PEACE ..." -> "16"; "5.a" -> "5.a"; "" if none.
std::string sdg_code_of(std::string_view label);

// Removes UHRI's leading "- " from values like "- CRC", "- Recommendations".
std::string strip_dash_prefix(std::string_view s);

// A value shortened for messages: at most `max` bytes (cut on a UTF-8 boundary) plus "…",
// with control characters shown as escapes.
std::string shorten_for_display(std::string_view s, std::size_t max = 60);

// Lower-case hexadecimal of bytes.
std::string to_hex(const unsigned char* bytes, std::size_t n);

// A CSV field per RFC 4180: quoted (quotes doubled) when it holds a comma, quote or line break.
std::string csv_quote(std::string_view field);

// Checks a text field a person typed: valid UTF-8, not blank when `required`, at most `max`
// bytes, no control characters (line breaks and tabs allowed when `multiline`). Throws
// InvalidArgument "field: reason".
void require_text(const std::string& field, std::string_view value, std::size_t max, bool required,
                  bool multiline = false);

// Parses a whole non-negative decimal integer; nullopt on anything else (including "").
std::optional<long> parse_int(std::string_view s);

}  // namespace hrtrack
