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
std::string ascii_upper(std::string_view s);
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
// characters (code points; core/limits.h), no control characters (line breaks and tabs allowed when
// `multiline`). Throws InvalidArgument "field: reason".
void require_text(const std::string& field, std::string_view value, std::size_t max, bool required,
                  bool multiline = false);

// The number of code points of valid UTF-8.
std::size_t utf8_length(std::string_view s);

// Parses a whole non-negative decimal integer; nullopt on anything else (including "").
std::optional<long> parse_int(std::string_view s);

// The one boolean parser for values people and programs send (form fields, JSON bodies, CLI
// options). Accepted, ASCII case-insensitively: true, 1, on, yes / false, 0, off, no (an HTML
// checkbox sends "on"). Anything else is nullopt: the caller refuses it, naming the field, so
// that a value nobody meant (e.g. "ja", "2") never silently turns into false.
std::optional<bool> parse_bool(std::string_view s);
// The accepted spellings, for messages and tests: {"true", "1", "on", "yes"} and the false ones.
const std::vector<std::string>& bool_true_spellings();
const std::vector<std::string>& bool_false_spellings();

// The local path a redirect may go to, or nullopt. Browsers strip TAB, CR and LF anywhere in a
// URL, drop leading spaces and control characters, and read a backslash as '/': "/<TAB>/evil" or
// "/<backslash>evil" becomes "//evil", another site. So the value must be a path on this site as
// it is, with none of those characters: it starts with one '/', the next character is not '/'
// or a backslash, and it holds no control character, space, backslash or invisible
// direction-changing character anywhere.
std::optional<std::string> safe_local_path(std::string_view next);

// Characters that reorder or hide text when displayed (ICU: Bidi_Control, such as U+202E
// RIGHT-TO-LEFT OVERRIDE, and Default_Ignorable_Code_Point, such as U+200B ZERO WIDTH SPACE): a
// file name "invoice<U+202E>fdp.exe" displays as "invoiceexe.pdf". Returns the byte offset of the
// first one, or nullopt.
std::optional<std::size_t> find_display_control(std::string_view s);

// A calendar date written YYYY-MM-DD that exists (leap years counted), between 1945 and 2100.
bool is_iso_date(std::string_view s);

}  // namespace hrtrack
