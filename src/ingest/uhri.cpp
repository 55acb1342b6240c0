// The Universal Human Rights Index export: JSON (`export-full-en.json`, an array of records)
// and its Excel twin. Both go through uhri_record_to_item(): the XLSX row is first turned
// into the JSON record layout. Field shapes follow uhri_genuine_record_crc_peru.json; numbers
// or strings, lists or scalars, and null are all accepted where UHRI's shape is not known.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <regex>

#include "core/record_json.h"
#include "core/text.h"
#include "ingest/source.h"
#include "read/json_stream.h"

namespace hrtrack::ingest {

using ojson = nlohmann::ordered_json;

namespace {

// An integer as written: numbers above the largest signed 64-bit one are unsigned in
// nlohmann::json (read as signed, 18446744073709551615 would say -1).
std::string integer_text(const ojson& v) {
  return v.is_number_unsigned() ? std::to_string(v.get<std::uint64_t>())
                                : std::to_string(v.get<std::int64_t>());
}

// A value as a list of strings: arrays as they are, a scalar as one element, null as none.
std::vector<std::string> as_list(const ojson& j, const char* key, bool& bad) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  auto one = [&](const ojson& v) {
    if (v.is_string()) {
      auto s = std::string(trim(v.get<std::string>()));
      if (!s.empty()) out.push_back(strip_dash_prefix(s));
    } else if (v.is_number_integer() || v.is_number_unsigned()) {
      out.push_back(integer_text(v));
    } else if (!v.is_null()) {
      bad = true;
    }
  };
  if (it->is_array())
    for (const auto& v : *it) one(v);
  else
    one(*it);
  return out;
}

std::string as_text(const ojson& j, const char* key, bool& bad) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer() || it->is_number_unsigned()) return integer_text(*it);
  bad = true;
  return "";
}

// "115.1 Take ..." -> ("115.1", "Take ..."); "4.The Committee" -> ("4", "The Committee");
// a sub-paragraph "24 (a) Ensure", "24(a) Ensure", "24 a) Ensure" -> ("24 (a)", "Ensure").
void split_paragraph(const std::string& text, std::string& para, std::string& rest) {
  static const std::regex re(
      R"(^\s*(\d{1,4}(?:\.\d{1,4})*)(?:\.(?=\s*\(?[a-z]{1,4}\)))?((?:\s*\(?[a-z]{1,4}\))*)\.?\s*(?=\S))");
  std::smatch m;
  if (std::regex_search(text, m, re) && m.length(0) < static_cast<long>(text.size())) {
    para = normalise_paragraph(m.str(1) + m.str(2));
    rest = text.substr(static_cast<std::size_t>(m.length(0)));
  } else {
    para.clear();
    rest = text;
  }
}

// "(b) Strengthen ..." (a sub-paragraph whose record does not repeat its paragraph's number):
// "(b)" and the rest; false if the text does not begin so.
bool split_sub_only(const std::string& text, std::string& sub, std::string& rest) {
  static const std::regex re(R"(^\s*\(([a-z]{1,4})\)\s*(?=\S))");
  std::smatch m;
  if (!std::regex_search(text, m, re)) return false;
  sub = "(" + m.str(1) + ")";
  rest = text.substr(static_cast<std::size_t>(m.length(0)));
  return true;
}

// The language a file's name says: "export-full-fr.json" -> "fr" (UHRI names its exports so);
// "" when it says none.
std::string language_of_file(const std::string& file) {
  static const std::regex re(R"((?:^|[-_. ])(ar|en|es|fr|ru|zh)\.(?:json|xlsx)$)",
                             std::regex::icase);
  std::smatch m;
  return std::regex_search(file, m, re) ? ascii_lower(m.str(1)) : "";
}

// A record's language as given: an ISO 639-1 code ("fr", "fr-FR") or the name of one of the UN's
// six languages (in English or in itself); "" when not recognised.
std::string language_code(const std::string& value) {
  std::string v = ascii_lower(trim(value));
  static const std::map<std::string, std::string> names = {
      {"arabic", "ar"},   {"chinese", "zh"},  {"english", "en"}, {"french", "fr"},
      {"français", "fr"}, {"francais", "fr"}, {"russian", "ru"}, {"spanish", "es"},
      {"español", "es"},  {"espanol", "es"},  {"русский", "ru"}, {"中文", "zh"},
      {"العربية", "ar"}};
  if (auto it = names.find(v); it != names.end()) return it->second;
  static const std::regex code(R"(^([a-z]{2})(?:[-_][a-z0-9]{2,8})*$)");
  std::smatch m;
  return std::regex_match(v, m, code) ? m.str(1) : "";
}

}  // namespace

void uhri_record_to_item(const ojson& j, SourceItem& item, const Context& ctx,
                         const std::string& file, std::vector<Problem>& problems,
                         UhriReading* reading) {
  auto& r = item.rec;
  if (!j.is_object()) {
    problems.push_back({file, item.row, "", "", "a record must be a JSON object", false});
    item.ok = false;
    return;
  }
  auto wrong = [&](const char* field) {
    problems.push_back({file, item.row, field, "", "has an unexpected type", false});
    item.ok = false;
  };
  bool bad = false;
  r.annotation_id = as_text(j, "AnnotationId", bad);
  if (bad) wrong("AnnotationId"), bad = false;
  std::string type = as_text(j, "AnnotationType", bad);
  if (bad) wrong("AnnotationType"), bad = false;
  if (type.empty())
    r.kind = Kind::Recommendation;
  else if (auto k = kind_from_string(strip_dash_prefix(type)))
    r.kind = *k;
  else {
    problems.push_back({file, item.row, "AnnotationType", type,
                        "unknown annotation type; expected Recommendations or "
                        "Concerns/Observations",
                        false});
    item.ok = false;
  }
  r.body = strip_dash_prefix(as_text(j, "Body", bad));
  if (bad) wrong("Body"), bad = false;
  r.mechanism = ctx.mechanism_code(r.body);
  // The document symbol tells a treaty body's committee when the body label does not.
  std::string symbol = as_text(j, "Symbol", bad);
  if (bad) wrong("Symbol"), bad = false;
  r.symbol = std::string(trim(symbol));
  if (r.mechanism.empty() || r.mechanism == "TB") {
    for (const auto& m : ctx.mechanisms)
      for (const auto& p : m.symbol_prefixes)
        if (m.type == "treaty-body" && starts_with_ci(r.symbol, p)) r.mechanism = m.code;
  }
  auto countries = as_list(j, "Countries", bad);
  if (bad) wrong("Countries"), bad = false;
  if (!countries.empty()) r.state_name = countries.front();
  if (countries.size() > 1)
    problems.push_back({file, item.row, "Countries", join(countries, "; "),
                        "several States concerned; the first is kept as the State concerned",
                        true});
  r.regions = as_list(j, "Regions", bad);
  if (bad) wrong("Regions"), bad = false;
  r.sdgs = as_list(j, "Sdgs", bad);
  if (bad) wrong("Sdgs"), bad = false;
  r.themes = as_list(j, "Themes", bad);
  if (bad) wrong("Themes"), bad = false;
  r.persons = as_list(j, "AffectedPersons", bad);
  if (bad) wrong("AffectedPersons"), bad = false;
  r.document_id = as_text(j, "DocumentId", bad);
  if (bad) wrong("DocumentId"), bad = false;
  std::string pub = as_text(j, "PublicationDate", bad);
  if (bad) wrong("PublicationDate"), bad = false;
  r.pub_date = to_iso_date(pub);
  if (!pub.empty() && r.pub_date.empty()) {
    problems.push_back({file, item.row, "PublicationDate", pub, "not a date", false});
    item.ok = false;
  }
  r.uhri_pub_date = as_text(j, "PublicationDateOnUhri", bad);
  if (bad) wrong("PublicationDateOnUhri"), bad = false;
  std::string text = as_text(j, "Text", bad);
  if (bad) wrong("Text"), bad = false;
  split_paragraph(std::string(trim(text)), r.paragraph, r.text);
  std::string sub, rest;
  if (r.paragraph.empty() && reading && split_sub_only(r.text, sub, rest)) {
    // "(b) ..." after a record of paragraph 24 of the same document: sub-paragraph 24 (b).
    if (!reading->paragraph.empty() && reading->symbol == r.symbol &&
        reading->state == r.state_name) {
      r.paragraph = reading->paragraph + " " + sub;
      r.text = rest;
    } else {
      problems.push_back({file, item.row, "Text", sub,
                          "a sub-paragraph without its paragraph's number, and no record of the "
                          "same document before it in this file to take it from: kept without a "
                          "paragraph number",
                          true});
    }
  }
  if (reading) {
    reading->symbol = r.symbol;
    reading->state = r.state_name;
    auto space = r.paragraph.find(' ');
    reading->paragraph = r.paragraph.substr(0, space);  // the number, without sub-paragraphs
  }
  // The text's language: the record's own field, else what the file's name says, else English.
  std::string lang = as_text(j, "Language", bad);
  if (bad) wrong("Language"), bad = false;
  if (!lang.empty()) {
    r.lang = language_code(lang);
    if (r.lang.empty()) {
      problems.push_back({file, item.row, "Language", lang,
                          "not a language: give an ISO 639-1 code (en, fr, es, ar, ru, zh, ...)",
                          false});
      item.ok = false;
    }
  } else if (reading && !reading->file_lang.empty()) {
    r.lang = reading->file_lang;
  }
  // hrtrack's uhri-json export carries a record's other language versions (not UHRI's layout).
  if (auto it = j.find("TextVariants"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) {
      wrong("TextVariants");
    } else {
      for (const auto& v : *it) {
        if (!v.is_object()) {
          wrong("TextVariants");
          break;
        }
        std::string vl = language_code(as_text(v, "Language", bad));
        std::string vt = as_text(v, "Text", bad);
        if (bad || vl.empty()) {
          wrong("TextVariants"), bad = false;
          break;
        }
        std::string vpara, vtext;
        split_paragraph(std::string(trim(vt)), vpara, vtext);
        if (vpara.empty() && split_sub_only(vtext, sub, rest)) vtext = rest;
        if (!vtext.empty() && vl != r.lang) r.variants.push_back({vl, vtext});
      }
      std::sort(r.variants.begin(), r.variants.end(),
                [](const auto& a, const auto& b) { return a.lang < b.lang; });
    }
  }
  constexpr long kMaxNumber = 9999;
  const std::string not_a_number = "not a whole number from 0 to " + std::to_string(kMaxNumber);
  auto cycle = as_list(j, "UprCycle", bad);
  if (bad) wrong("UprCycle"), bad = false;
  if (!cycle.empty()) {
    if (auto n = parse_int(cycle.front()); n && *n <= kMaxNumber)
      r.upr_cycle = static_cast<int>(*n);
    else {
      problems.push_back({file, item.row, "UprCycle", cycle.front(), not_a_number, false});
      item.ok = false;
    }
  }
  auto session = as_list(j, "UprSession", bad);
  if (bad) wrong("UprSession"), bad = false;
  if (!session.empty()) {
    if (auto n = parse_int(session.front()); n && *n <= kMaxNumber)
      r.upr_session = static_cast<int>(*n);
    else {
      problems.push_back({file, item.row, "UprSession", session.front(), not_a_number, false});
      item.ok = false;
    }
  }
  auto positions = as_list(j, "UprPositions", bad);
  if (bad) wrong("UprPositions"), bad = false;
  if (!positions.empty()) {
    r.response_raw = join(positions, "; ");
    if (iequals(positions.front(), "Voluntary Pledge"))  // hrtrack's uhri-json export of a pledge
      r.kind = Kind::Pledge;
    else if (auto resp = response_from_string(positions.front()))
      r.response = *resp;
    else {
      problems.push_back({file, item.row, "UprPositions", r.response_raw,
                          "unknown position; expected Supported or Noted", false});
      item.ok = false;
    }
  }
  r.recommending_states = recommending_states_of(as_list(j, "UprRecommendingCountry", bad), file,
                                                 item.row, "UprRecommendingCountry", problems);
  if (bad) wrong("UprRecommendingCountry"), bad = false;
  r.recommending_regions = as_list(j, "UprRecommendingRegions", bad);
  if (bad) wrong("UprRecommendingRegions"), bad = false;
  finish_record(item, ctx, file, problems);
}

namespace {

class UhriJson final : public RecordSource {
 public:
  UhriJson(const SourceOptions& opt, const Context& ctx, std::vector<Problem>& problems,
           bool hrtrack_layout)
      : opt_(opt),
        ctx_(ctx),
        problems_(problems),
        file_(std::filesystem::path(opt.path).filename()),
        hrtrack_(hrtrack_layout) {
    std::error_code ec;
    total_ = std::filesystem::file_size(opt.path, ec);
    reading_.file_lang = language_of_file(file_);
  }

  void each(const std::function<void(SourceItem&)>& fn) override {
    JsonStreamOptions jo;
    jo.max_field_bytes = opt_.max_field_bytes;
    SourceItem item;
    reading_ = UhriReading{{}, {}, {}, reading_.file_lang};  // each reading from the start
    stopped_ = !read_json_array(
        opt_.path,
        [&](ojson&& j, long index, bool bad) {
          item = SourceItem{};
          item.row = index;
          item.ok = !bad;  // the reader has reported what (record and field)
          if (hrtrack_)
            hrtrack_record(j, item);
          else
            uhri_record_to_item(j, item, ctx_, file_, problems_, &reading_);
          // hrtrack's own export keeps the provenance it carries (the original source), so an
          // export imported elsewhere and exported again is byte-identical.
          if (!hrtrack_ || item.rec.provenance.format.empty())
            item.rec.provenance = {0, hrtrack_ ? "json" : "uhri-json", file_, index};
          std::string dumped = j.dump();
          item.raw_digest = std::hash<std::string>{}(dumped);
          if (!item.ok) item.raw = std::move(dumped);
          fn(item);
        },
        problems_, jo, [&](std::size_t n) { read_ = n; });
    read_ = total_;
  }

  void hrtrack_record(const ojson& j, SourceItem& item) {
    try {
      item.rec = from_json(j);
    } catch (const Error& e) {
      problems_.push_back({file_, item.row, "", "", e.what(), false});
      item.ok = false;
      return;  // nothing was read to check further
    }
    finish_record(item, ctx_, file_, problems_);
  }

  std::size_t bytes_read() const override { return read_; }
  std::size_t bytes_total() const override { return total_; }
  bool stopped() const override { return stopped_; }
  std::string raw_kind() const override { return "json"; }

 private:
  SourceOptions opt_;
  const Context& ctx_;
  std::vector<Problem>& problems_;
  std::string file_;
  bool hrtrack_;
  UhriReading reading_;
  bool stopped_ = false;
  std::size_t total_ = 0, read_ = 0;
};

// UHRI's Excel export: one row per record, multi-valued cells as "- "-prefixed lines, dates as
// Excel serial numbers. Column names as OHCHR spells them ("Reccomending Body").
class UhriXlsx final : public TabularSource {
 public:
  UhriXlsx(const SourceOptions& opt, const Context& ctx, std::vector<Problem>& problems)
      : TabularSource(opt, ctx, problems, true) {
    check_width_ = false;  // the XLSX reader pads rows to the header; extra cells are dropped
    Columns c = columns();
    std::size_t before = problems.size();
    text_ = c.require("Text", problems);
    countries_ = c.require("Countries Concerned", problems);
    body_ = c.find({"Reccomending Body", "Recommending Body"});
    if (body_ < 0) c.require("Reccomending Body", problems);
    symbol_ = c.require("Document Symbol", problems);
    for (auto [name, key] : kOptional) opt_cols_.emplace_back(c.find(std::string(name)), key);
    reading_.file_lang = language_of_file(file_);
    header_checked(before);
  }

 private:
  void map_row(const Row& row, SourceItem& item) override {
    {
      auto cell = [&](int i) { return TabularSource::cell(row, i); };
      ojson j;
      j["Text"] = cell(text_);
      j["Countries"] = lines(cell(countries_));
      j["Body"] = cell(body_);
      j["Symbol"] = cell(symbol_);
      for (auto [col, key] : opt_cols_) {
        if (col < 0) continue;
        std::string v = cell(col);
        std::string k = key;
        if (k == "PublicationDate" || k == "PublicationDateOnUhri") {
          std::string d = to_iso_date(v);
          if (!v.empty() && d.empty()) {
            problems_.push_back({file_, row.number, header_of(col), v, "not a date", false});
            item.ok = false;
          }
          j[k] = d.empty() ? ojson(nullptr) : ojson(d + "T00:00:00");
        } else if (k == "AnnotationType" || k == "AnnotationId" || k == "UprCycle" ||
                   k == "Language") {
          j[k] = std::string(trim(v));
        } else {
          j[k] = lines(v);
        }
      }
      uhri_record_to_item(j, item, ctx_, file_, problems_, &reading_);
      item.rec.provenance = {0, "uhri-xlsx", file_, row.number};
    }
  }

  static ojson lines(const std::string& v) {
    ojson a = ojson::array();
    for (auto& l : split_trim(v, "\n")) a.push_back(strip_dash_prefix(l));
    return a;
  }
  std::string header_of(int col) const {
    return table_->header().at(static_cast<std::size_t>(col));
  }

  static constexpr std::pair<const char*, const char*> kOptional[] = {
      {"Themes", "Themes"},
      {"Affected Persons", "AffectedPersons"},
      {"Sdgs", "Sdgs"},
      {"Document Publication Date", "PublicationDate"},
      {"UPR Reccomending States", "UprRecommendingCountry"},
      {"UPR Recommending States", "UprRecommendingCountry"},
      {"UPR Position", "UprPositions"},
      {"Type", "AnnotationType"},
      {"OHCHR Annotation Id", "AnnotationId"},
      {"UPR Session", "UprSession"},
      {"UPR Cycle", "UprCycle"},
      {"Regions Concerned", "Regions"},
      {"Recommending Regions", "UprRecommendingRegions"},
      {"Date of publication on UHRI", "PublicationDateOnUhri"},
      {"Language", "Language"},
  };

  int text_, countries_, body_, symbol_;
  std::vector<std::pair<int, const char*>> opt_cols_;
  UhriReading reading_;
};

}  // namespace

std::unique_ptr<RecordSource> open_uhri_json(const SourceOptions& opt, const Context& ctx,
                                             std::vector<Problem>& problems) {
  return std::make_unique<UhriJson>(opt, ctx, problems, false);
}
std::unique_ptr<RecordSource> open_hrtrack_json(const SourceOptions& opt, const Context& ctx,
                                                std::vector<Problem>& problems) {
  return std::make_unique<UhriJson>(opt, ctx, problems, true);
}
std::unique_ptr<RecordSource> open_uhri_xlsx(const SourceOptions& opt, const Context& ctx,
                                             std::vector<Problem>& problems) {
  return std::make_unique<UhriXlsx>(opt, ctx, problems);
}

}  // namespace hrtrack::ingest
