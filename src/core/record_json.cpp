#include "core/record_json.h"

#include <sodium.h>

#include <cstdint>
#include <limits>
#include <type_traits>

#include "core/error.h"
#include "core/text.h"

namespace hrtrack {

const std::vector<FieldDef>& record_fields() {
  static const std::vector<FieldDef> f = {
      {"uid", FieldType::Text, false},
      {"kind", FieldType::Text, true},
      {"level", FieldType::Text, true},
      {"mechanism", FieldType::Text, true},
      {"body", FieldType::Text, true},
      {"state_iso3", FieldType::Text, true},
      {"state_name", FieldType::Text, true},
      {"regions", FieldType::List, true},
      {"state_orgs", FieldType::List, true},
      {"symbol", FieldType::Text, true},
      {"paragraph", FieldType::Text, true},
      {"parent_paragraph", FieldType::Text, false},
      {"pub_date", FieldType::Text, true},
      {"year", FieldType::Int, true},
      {"upr_cycle", FieldType::Int, true},
      {"upr_session", FieldType::Int, true},
      {"recommending_states", FieldType::List, true},
      {"recommending_regions", FieldType::List, true},
      {"recommending_orgs", FieldType::List, true},
      {"response", FieldType::Text, true},
      {"response_raw", FieldType::Text, true},
      {"response_doc", FieldType::Text, true},
      {"text", FieldType::Text, true},
      {"lang", FieldType::Text, true},
      {"variants", FieldType::Variants, true},
      {"themes", FieldType::List, true},
      {"persons", FieldType::List, true},
      {"sdgs", FieldType::List, true},
      {"sdg_targets", FieldType::List, false},
      {"sdg_goals", FieldType::List, false},
      {"issues", FieldType::List, true},
      {"source_cluster", FieldType::Text, true},
      {"action_category", FieldType::Int, true},
      {"annotation_id", FieldType::Text, true},
      {"document_id", FieldType::Text, true},
      {"uhri_pub_date", FieldType::Text, true},
      {"source_format", FieldType::Text, false},
      {"source_file", FieldType::Text, false},
      {"source_row", FieldType::Int, false},
  };
  return f;
}

ojson to_json(const Recommendation& r) {
  ojson j;
  j["uid"] = r.uid;
  j["kind"] = std::string(to_string(r.kind));
  j["level"] = std::string(to_string(r.level));
  j["mechanism"] = r.mechanism;
  j["body"] = r.body;
  j["state_iso3"] = r.state_iso3;
  j["state_name"] = r.state_name;
  j["regions"] = r.regions;
  j["state_orgs"] = r.state_orgs;
  j["symbol"] = r.symbol;
  j["paragraph"] = r.paragraph;
  j["parent_paragraph"] = r.parent_paragraph;
  j["pub_date"] = r.pub_date;
  j["year"] = r.year;
  j["upr_cycle"] = r.upr_cycle;
  j["upr_session"] = r.upr_session;
  j["recommending_states"] = r.recommending_states;
  j["recommending_regions"] = r.recommending_regions;
  j["recommending_orgs"] = r.recommending_orgs;
  j["response"] = std::string(to_string(r.response));
  j["response_raw"] = r.response_raw;
  j["response_doc"] = r.response_doc;
  j["text"] = r.text;
  j["lang"] = r.lang;
  ojson v = ojson::array();
  for (const auto& tv : r.variants) v.push_back(ojson{{"lang", tv.lang}, {"text", tv.text}});
  j["variants"] = std::move(v);
  j["themes"] = r.themes;
  j["persons"] = r.persons;
  j["sdgs"] = r.sdgs;
  j["sdg_targets"] = r.sdg_targets;
  j["sdg_goals"] = r.sdg_goals;
  j["issues"] = r.issues;
  j["source_cluster"] = r.source_cluster;
  j["action_category"] = r.action_category;
  j["annotation_id"] = r.annotation_id;
  j["document_id"] = r.document_id;
  j["uhri_pub_date"] = r.uhri_pub_date;
  j["source_format"] = r.provenance.format;
  j["source_file"] = r.provenance.file;
  j["source_row"] = r.provenance.row;
  return j;
}

namespace {
template <typename T>
void get_to(const ojson& j, const char* key, T& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  if constexpr (std::is_integral_v<T>) {
    // nlohmann::json converts numbers with a plain cast: 18446744073709551615 would become -1
    // and 2.5 would become 2. Say the value as written instead.
    bool fits = it->is_number_unsigned()
                    ? it->template get<std::uint64_t>() <=
                          static_cast<std::uint64_t>(std::numeric_limits<T>::max())
                : it->is_number_integer()
                    ? it->template get<std::int64_t>() >= std::numeric_limits<T>::min() &&
                          it->template get<std::int64_t>() <= std::numeric_limits<T>::max()
                    : !it->is_number();
    if (!fits)
      throw InvalidArgument(std::string("field '") + key + "': " + it->dump() +
                            " is not a whole number in range (" +
                            std::to_string(std::numeric_limits<T>::min()) + " to " +
                            std::to_string(std::numeric_limits<T>::max()) + ")");
  }
  try {
    it->get_to(out);
  } catch (const nlohmann::json::exception& e) {
    throw InvalidArgument(std::string("field '") + key + "' has the wrong type: " + e.what());
  }
}
}  // namespace

Recommendation from_json(const ojson& j) {
  if (!j.is_object()) throw InvalidArgument("a recommendation must be a JSON object");
  Recommendation r;
  std::string s;
  get_to(j, "uid", r.uid);
  get_to(j, "kind", s);
  if (auto k = kind_from_string(s))
    r.kind = *k;
  else
    throw InvalidArgument("field 'kind': unknown kind '" + s + "'");
  s.clear();
  get_to(j, "level", s);
  if (auto l = level_from_string(s))
    r.level = *l;
  else
    throw InvalidArgument("field 'level': unknown level '" + s + "'");
  get_to(j, "mechanism", r.mechanism);
  get_to(j, "body", r.body);
  get_to(j, "state_iso3", r.state_iso3);
  get_to(j, "state_name", r.state_name);
  get_to(j, "regions", r.regions);
  get_to(j, "state_orgs", r.state_orgs);
  get_to(j, "symbol", r.symbol);
  get_to(j, "paragraph", r.paragraph);
  get_to(j, "pub_date", r.pub_date);
  get_to(j, "year", r.year);
  get_to(j, "upr_cycle", r.upr_cycle);
  get_to(j, "upr_session", r.upr_session);
  get_to(j, "recommending_states", r.recommending_states);
  get_to(j, "recommending_regions", r.recommending_regions);
  get_to(j, "recommending_orgs", r.recommending_orgs);
  s.clear();
  get_to(j, "response", s);
  if (auto resp = response_from_string(s))
    r.response = *resp;
  else
    throw InvalidArgument("field 'response': unknown response '" + s + "'");
  get_to(j, "response_raw", r.response_raw);
  get_to(j, "response_doc", r.response_doc);
  get_to(j, "text", r.text);
  get_to(j, "lang", r.lang);
  if (auto it = j.find("variants"); it != j.end() && it->is_array()) {
    for (const auto& v : *it) {
      TextVariant tv;
      get_to(v, "lang", tv.lang);
      get_to(v, "text", tv.text);
      r.variants.push_back(std::move(tv));
    }
  }
  get_to(j, "themes", r.themes);
  get_to(j, "persons", r.persons);
  get_to(j, "sdgs", r.sdgs);
  get_to(j, "issues", r.issues);
  get_to(j, "source_cluster", r.source_cluster);
  get_to(j, "action_category", r.action_category);
  get_to(j, "annotation_id", r.annotation_id);
  get_to(j, "document_id", r.document_id);
  get_to(j, "uhri_pub_date", r.uhri_pub_date);
  get_to(j, "source_format", r.provenance.format);
  get_to(j, "source_file", r.provenance.file);
  get_to(j, "source_row", r.provenance.row);
  derive_sdg_codes(r);
  derive_paragraph(r);  // parent_paragraph is derived, whatever the file says
  return r;
}

ojson imported_fields(const Recommendation& r) {
  ojson all = to_json(r);
  ojson out;
  for (const auto& f : record_fields())
    if (f.imported) out[f.name] = all[f.name];
  return out;
}

namespace {

// Escapes like nlohmann::json::dump(): '"' '\\' and control characters; UTF-8 kept as is.
}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          static const char* hex = "0123456789abcdef";
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

namespace {

void put_array(std::string& out, const std::vector<std::string>& v) {
  out += '[';
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, v[i]);
  }
  out += ']';
}

}  // namespace

std::string json_string_array(const std::vector<std::string>& v) {
  std::string out;
  put_array(out, v);
  return out;
}

std::string imported_json(const Recommendation& r) {
  std::string o;
  o.reserve(512 + r.text.size());
  auto key = [&](const char* k) {
    o += o.empty() ? "{\"" : ",\"";
    o += k;
    o += "\":";
  };
  auto str = [&](const char* k, std::string_view v) {
    key(k);
    append_json_string(o, v);
  };
  auto num = [&](const char* k, long v) {
    key(k);
    o += std::to_string(v);
  };
  auto arr = [&](const char* k, const std::vector<std::string>& v) {
    key(k);
    put_array(o, v);
  };
  // Same order as record_fields() (imported ones only).
  str("kind", to_string(r.kind));
  str("level", to_string(r.level));
  str("mechanism", r.mechanism);
  str("body", r.body);
  str("state_iso3", r.state_iso3);
  str("state_name", r.state_name);
  arr("regions", r.regions);
  arr("state_orgs", r.state_orgs);
  str("symbol", r.symbol);
  str("paragraph", r.paragraph);
  str("pub_date", r.pub_date);
  num("year", r.year);
  num("upr_cycle", r.upr_cycle);
  num("upr_session", r.upr_session);
  arr("recommending_states", r.recommending_states);
  arr("recommending_regions", r.recommending_regions);
  arr("recommending_orgs", r.recommending_orgs);
  str("response", to_string(r.response));
  str("response_raw", r.response_raw);
  str("response_doc", r.response_doc);
  str("text", r.text);
  str("lang", r.lang);
  key("variants");
  o += '[';
  for (std::size_t i = 0; i < r.variants.size(); ++i) {
    o += i ? ",{\"lang\":" : "{\"lang\":";
    append_json_string(o, r.variants[i].lang);
    o += ",\"text\":";
    append_json_string(o, r.variants[i].text);
    o += '}';
  }
  o += ']';
  arr("themes", r.themes);
  arr("persons", r.persons);
  arr("sdgs", r.sdgs);
  arr("issues", r.issues);
  str("source_cluster", r.source_cluster);
  num("action_category", r.action_category);
  str("annotation_id", r.annotation_id);
  str("document_id", r.document_id);
  str("uhri_pub_date", r.uhri_pub_date);
  o += '}';
  return o;
}

std::string hash_hex(std::string_view s) {
  unsigned char h[16];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(s.data()), s.size(),
                     nullptr, 0);
  return to_hex(h, sizeof h);
}

std::string content_hash(const Recommendation& r) {
  return hash_hex(imported_json(r));
}

}  // namespace hrtrack
