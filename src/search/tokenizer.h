// Word tokenizer and folding for search: words are runs of letters and digits (Unicode, via
// ICU character properties); apostrophes, hyphens and all punctuation separate words; each
// Han/Hiragana/Katakana character is a word of its own. Folding is Unicode case folding with
// diacritics removed ("Élimination" -> "elimination"), so search is case- and
// diacritics-insensitive. Stems come from Xapian's Snowball stemmers.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hrtrack::search {

struct Token {
  std::string word;          // folded
  std::uint32_t begin, end;  // byte offsets in the original text
};

// Calls out.push_back for every word of `text`. Invalid UTF-8 bytes separate words.
void tokenize(std::string_view text, std::vector<Token>& out);

// Folds one word (as tokenize() would) — used for query words.
std::string fold_word(std::string_view word);

enum class Lang : std::uint8_t { En = 0, Fr = 1, Es = 2 };
constexpr int kLangs = 3;
Lang lang_of(std::string_view code);  // "fr" -> Fr, "es" -> Es, anything else -> En

// Stems a folded word in a language. Not thread-safe per object: keep one per thread.
class Stemmer {
 public:
  Stemmer();
  ~Stemmer();
  std::string stem(std::string_view folded_word, Lang lang);

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace hrtrack::search
