#include "search/tokenizer.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>
#include <xapian.h>

#include <array>
#include <memory>
#include <mutex>

namespace hrtrack::search {
namespace {

// What a code point becomes in a folded word. Computed with ICU once per code point of the
// Basic Multilingual Plane and cached: tokenizing 263k records calls this ~50 million times.
struct Fold {
  enum Kind : std::uint8_t { Unknown = 0, Separator, Word, Alone, Drop } kind = Unknown;
  std::string utf8;  // folded form (may be several code points, may be empty)
};

Fold compute(UChar32 c) {
  Fold f;
  if (u_getIntPropertyValue(c, UCHAR_GENERAL_CATEGORY) == U_NON_SPACING_MARK) {
    f.kind = Fold::Drop;  // combining accents: part of the word, removed by folding
    return f;
  }
  if (!u_isalnum(c)) {
    f.kind = Fold::Separator;
    return f;
  }
  UErrorCode st = U_ZERO_ERROR;
  UScriptCode sc = uscript_getScript(c, &st);
  f.kind = (sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA) ? Fold::Alone
                                                                                   : Fold::Word;
  static const icu::Normalizer2* nfd = [] {
    UErrorCode s = U_ZERO_ERROR;
    return icu::Normalizer2::getNFDInstance(s);
  }();
  icu::UnicodeString u(static_cast<UChar32>(u_foldCase(c, U_FOLD_CASE_DEFAULT)));
  st = U_ZERO_ERROR;
  icu::UnicodeString d = nfd->normalize(u, st);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < d.length();) {
    UChar32 x = d.char32At(i);
    if (u_getIntPropertyValue(x, UCHAR_GENERAL_CATEGORY) != U_NON_SPACING_MARK) kept.append(x);
    i += U16_LENGTH(x);
  }
  kept.toUTF8String(f.utf8);
  return f;
}

const Fold& fold_of(UChar32 c) {
  static std::array<Fold, 0x10000>* table = new std::array<Fold, 0x10000>();
  static std::mutex mu;
  if (c < 0x10000) {
    Fold& f = (*table)[static_cast<std::size_t>(c)];
    if (f.kind == Fold::Unknown) {
      std::lock_guard<std::mutex> lock(mu);
      if (f.kind == Fold::Unknown) f = compute(c);
    }
    return f;
  }
  thread_local Fold tmp;
  tmp = compute(c);
  return tmp;
}

}  // namespace

void tokenize(std::string_view text, std::vector<Token>& out) {
  const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto n = static_cast<int32_t>(text.size());
  std::string word;
  std::uint32_t begin = 0;
  bool in_word = false;
  auto flush = [&](std::uint32_t end) {
    if (in_word && !word.empty()) out.push_back({word, begin, end});
    word.clear();
    in_word = false;
  };
  int32_t i = 0;
  while (i < n) {
    int32_t start = i;
    std::uint8_t b = s[i];
    if (b < 0x80) {
      ++i;
      bool alnum = (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z');
      if (!alnum) {
        flush(static_cast<std::uint32_t>(start));
        continue;
      }
      if (!in_word) {
        in_word = true;
        begin = static_cast<std::uint32_t>(start);
      }
      word += static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b);
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) {
      flush(static_cast<std::uint32_t>(start));
      continue;
    }
    const Fold& f = fold_of(c);
    switch (f.kind) {
      case Fold::Drop:
        break;
      case Fold::Separator:
      case Fold::Unknown:
        flush(static_cast<std::uint32_t>(start));
        break;
      case Fold::Alone:
        flush(static_cast<std::uint32_t>(start));
        if (!f.utf8.empty())
          out.push_back({f.utf8, static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(i)});
        break;
      case Fold::Word:
        if (!in_word) {
          in_word = true;
          begin = static_cast<std::uint32_t>(start);
        }
        word += f.utf8;
        break;
    }
  }
  flush(static_cast<std::uint32_t>(n));
}

std::string fold_word(std::string_view w) {
  std::vector<Token> t;
  tokenize(w, t);
  std::string out;
  for (const auto& x : t) out += x.word;
  return out;
}

Lang lang_of(std::string_view code) {
  if (code.size() >= 2 && (code[0] == 'f' || code[0] == 'F') && (code[1] == 'r' || code[1] == 'R'))
    return Lang::Fr;
  if (code.size() >= 2 && (code[0] == 'e' || code[0] == 'E') && (code[1] == 's' || code[1] == 'S'))
    return Lang::Es;
  return Lang::En;
}

struct Stemmer::Impl {
  Xapian::Stem stems[kLangs] = {Xapian::Stem("english"), Xapian::Stem("french"),
                                Xapian::Stem("spanish")};
};

Stemmer::Stemmer() : impl_(new Impl) {}
Stemmer::~Stemmer() {
  delete impl_;
}

std::string Stemmer::stem(std::string_view w, Lang lang) {
  return impl_->stems[static_cast<int>(lang)](std::string(w));
}

}  // namespace hrtrack::search
