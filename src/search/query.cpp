#include "search/query.h"

#include "search/search.h"
#include "search/tokenizer.h"

namespace hrtrack::search {
namespace {

struct Lexeme {
  enum Kind { Word, Phrase, Or } kind;
  std::string text;
  bool negate = false;
  bool prefix = false;
};

std::vector<Lexeme> lex(std::string_view q) {
  std::vector<Lexeme> out;
  std::size_t i = 0;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < q.size()) {
    if (space(q[i])) {
      ++i;
      continue;
    }
    bool neg = false;
    if (q[i] == '-' && i + 1 < q.size() && !space(q[i + 1])) {
      neg = true;
      ++i;
    }
    if (q[i] == '"') {
      auto end = q.find('"', i + 1);
      if (end == std::string_view::npos)
        throw BadRequest("q",
                         "unbalanced quote in the query: a phrase opened with \" is not closed");
      out.push_back({Lexeme::Phrase, std::string(q.substr(i + 1, end - i - 1)), neg, false});
      i = end + 1;
      continue;
    }
    std::size_t start = i;
    while (i < q.size() && !space(q[i]) && q[i] != '"') ++i;
    std::string w(q.substr(start, i - start));
    if (w == "OR" && !neg) {
      out.push_back({Lexeme::Or, w, false, false});
      continue;
    }
    bool prefix = !w.empty() && w.back() == '*';
    while (!w.empty() && w.back() == '*') w.pop_back();
    out.push_back({Lexeme::Word, w, neg, prefix});
  }
  return out;
}

}  // namespace

Query parse_query(std::string_view q) {
  Query query;
  auto lexemes = lex(q);
  bool pending_or = false;
  for (std::size_t k = 0; k < lexemes.size(); ++k) {
    const auto& l = lexemes[k];
    if (l.kind == Lexeme::Or) {
      if (query.clauses.empty() || pending_or || k + 1 == lexemes.size())
        throw BadRequest("q", "OR must stand between two search terms");
      pending_or = true;
      continue;
    }
    Atom a;
    std::vector<Token> toks;
    tokenize(l.text, toks);
    for (auto& t : toks) a.words.push_back(std::move(t.word));
    if (a.words.empty()) {
      if (pending_or) throw BadRequest("q", "OR must stand between two search terms");
      if (l.negate) throw BadRequest("q", "nothing to exclude after '-'");
      continue;  // punctuation only: ignored
    }
    if (l.kind == Lexeme::Phrase) {
      a.phrase = a.words.size() > 1;
    } else if (a.words.size() > 1) {
      // "human-rights" or "d'Ivoire" typed as one word: treat as a phrase of its parts.
      a.phrase = true;
    }
    a.prefix = l.prefix && !a.phrase;
    if (pending_or) {
      Clause& last = query.clauses.back();
      if (last.negate || l.negate) throw BadRequest("q", "OR cannot combine excluded terms");
      last.any.push_back(std::move(a));
      pending_or = false;
    } else {
      Clause c;
      c.negate = l.negate;
      c.any.push_back(std::move(a));
      query.clauses.push_back(std::move(c));
    }
  }
  return query;
}

}  // namespace hrtrack::search
