// How much a person may type, as data: the limits the follow-up and access rules check (in
// characters, i.e. Unicode code points, as people count them) and, derived from them, the
// largest request body a form or a JSON body can need (web/server.h). A text of the largest
// allowed length is never refused for the size of its encoding.
#pragma once
#include <cstddef>

namespace hrtrack::limits {

constexpr std::size_t kName = 300;        // names of clusters, institutions, national plans
constexpr std::size_t kTitle = 500;       // titles of plans, names of indicators
constexpr std::size_t kShortText = 2000;  // indicator baselines, targets, units, links
constexpr std::size_t kText = 5000;       // descriptions of clusters and actions, comments
constexpr std::size_t kLongText = 20000;  // justifications, progress, expected results
constexpr std::size_t kIndicatorValue = 500;
constexpr std::size_t kIndicatorValues = 100;  // indicator values in one progress update

// The most text one form carries: a progress update (its description, the indicator values
// with their ids, the other short fields).
constexpr std::size_t kMaxFormChars =
    kLongText + kIndicatorValues * (kIndicatorValue + 40) + 8 * kName;
// In bytes after encoding: a character is at most 4 bytes of UTF-8, and each byte at most 3
// when percent-encoded ("%D8"); JSON's \u escapes take at most 12 bytes for 4 bytes of UTF-8 as
// well. Plus room for the field names, the CSRF token and the separators.
constexpr std::size_t kMaxFormBytes = kMaxFormChars * 12 + 64 * 1024;

}  // namespace hrtrack::limits
