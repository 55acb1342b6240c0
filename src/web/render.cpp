#include "web/render.h"

#include <unicode/locid.h>
#include <unicode/numfmt.h>
#include <unicode/unistr.h>

#include <kainjow/mustache.hpp>
#include <map>
#include <memory>

#include "access/permissions.h"
#include "core/error.h"

namespace hrtrack::web {

namespace mst = kainjow::mustache;

namespace {

// JSON view model -> mustache data. Numbers become text (kainjow has no numbers and would turn
// an int into a bool); null becomes false.
mst::data to_mustache(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mst::data d{mst::data::type::object};
      for (const auto& [k, v] : j.items()) d.set(k, to_mustache(v));
      return d;
    }
    case nlohmann::json::value_t::array: {
      mst::data d{mst::data::type::list};
      for (const auto& v : j) d.push_back(to_mustache(v));
      return d;
    }
    case nlohmann::json::value_t::string:
      // kainjow opens a {{#section}} for any string, "" included: an empty text is false, so
      // that {{#error}} shows nothing when there is no error. {{x}} of false prints nothing.
      if (j.get_ref<const std::string&>().empty()) return mst::data{false};
      return mst::data{j.get<std::string>()};
    case nlohmann::json::value_t::boolean:
      return mst::data{j.get<bool>()};
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return mst::data{false};
    default:
      return mst::data{j.dump()};
  }
}

// {"search.button": "Search"} -> t.search.button. An id that is also the prefix of another id
// ("a.b" and "a.b.c") cannot be both a text and a group: the catalogue test forbids it.
mst::data catalogue_data(const std::map<std::string, std::string>& msgs) {
  nlohmann::json tree = nlohmann::json::object();
  for (const auto& [id, text] : msgs) {
    nlohmann::json* node = &tree;
    std::size_t start = 0;
    while (true) {
      auto dot = id.find('.', start);
      auto part = id.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (dot == std::string::npos) {
        if (node->is_object()) (*node)[part] = text;
        break;
      }
      auto& child = (*node)[part];
      if (!child.is_object()) child = nlohmann::json::object();
      node = &child;
      start = dot + 1;
    }
  }
  return to_mustache(tree);
}

}  // namespace

namespace {

std::string render_impl(const std::string& source, const nlohmann::json& data,
                        const Catalogues& cat, const std::string& lang, const Assets& assets,
                        const std::string* page_src) {
  mst::data root = to_mustache(data);
  root.set("t", catalogue_data(cat.merged(lang)));
  // Partials share the data's namespace in kainjow's lookup: a partial named like a data key
  // would be shadowed by it, so partial names must not be data keys (pager, result, ...).
  const std::string prefix = "templates/partials/";
  for (const auto& path : assets.list(prefix)) {
    auto name = path.substr(prefix.size());
    name = name.substr(0, name.rfind(".mustache"));
    auto src = assets.get(path);
    root.set(name, mst::partial([src] { return src; }));
  }
  // A page template is the partial "page_body" of the layout, rendered with the same data.
  if (page_src) {
    std::string src = *page_src;
    root.set("page_body", mst::partial([src] { return src; }));
  }
  mst::mustache tmpl{source};
  if (!tmpl.is_valid()) throw Error("template error: " + tmpl.error_message());
  std::string out = tmpl.render(root);
  if (!tmpl.is_valid()) throw Error("template error: " + tmpl.error_message());
  return out;
}

}  // namespace

std::string render_template(const std::string& source, const nlohmann::json& data,
                            const Catalogues& cat, const std::string& lang, const Assets& assets) {
  return render_impl(source, data, cat, lang, assets, nullptr);
}

Response render_page(const Request& rq, const std::string& name, const std::string& title,
                     nlohmann::json data, int status) {
  auto& app = *rq.app;
  auto cat = app.catalogues();
  const Language* lang = find_language(rq.lang);
  data["lang"] = rq.lang;
  data["dir"] = lang && lang->rtl ? "rtl" : "ltr";
  data["title"] = title;
  // Language switcher: the same page in each language.
  auto base = params_without(rq.query, {"lang"});
  nlohmann::json links = nlohmann::json::array();
  for (const auto& l : languages()) {
    auto p = base;
    p.emplace_back("lang", l.code);
    links.push_back({{"code", l.code},
                     {"endonym", l.endonym},
                     {"dir", l.rtl ? "rtl" : "ltr"},
                     {"href", url_with(rq.path, p)},
                     {"current", l.code == rq.lang}});
  }
  data["languages"] = links;
  // Who is signed in, the CSRF token every form carries, and the menu of what they may open.
  const auto& me = rq.principal;
  data["csrf"] = rq.csrf;
  data["signed_in"] = me.signed_in() && !me.via_token;
  data["me_name"] = me.display_name;
  data["can_institutions"] = me.signed_in();
  data["can_users"] = access::allowed(me, "user.manage");
  data["can_log"] = access::allowed(me, "log.view");
  data["login_next"] = url_with("/login", {{"next", rq.path}});
  // Reminders are shown on every page after sign-in (a count in the menu).
  if (me.signed_in() && me.user_id > 0) {
    auto n = app.store().followup().notifications_of(me.user_id, true).size();
    if (n) data["unread_reminders"] = std::to_string(n);
  }
  auto page_src = app.assets().get("templates/" + name + ".mustache");
  Response res;
  res.status = status;
  res.body = render_impl(app.assets().get("templates/layout.mustache"), data, *cat, rq.lang,
                         app.assets(), &page_src);
  res.headers.emplace_back("Content-Language", rq.lang);
  res.headers.emplace_back("Vary", "Accept-Language, Cookie");
  return res;
}

std::string format_count(long n, const std::string& lang) {
  thread_local std::map<std::string, std::unique_ptr<icu::NumberFormat>> formats;
  auto& f = formats[lang];
  if (!f) {
    UErrorCode err = U_ZERO_ERROR;
    // Latin digits in every language: years, sessions and symbols on the same page are written
    // with them (as on the UN's Arabic pages), and mixing digit systems reads badly.
    std::string loc = lang + "@numbers=latn";
    f.reset(icu::NumberFormat::createInstance(icu::Locale(loc.c_str()), err));
    if (U_FAILURE(err)) f.reset();
  }
  if (!f) return std::to_string(n);
  icu::UnicodeString s;
  f->format(static_cast<int64_t>(n), s);
  std::string out;
  s.toUTF8String(out);
  return out;
}

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3 / 2);
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string url_decode(std::string_view s) {
  auto hexval = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
      if (h >= 0 && l >= 0) {
        out += static_cast<char>(h * 16 + l);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::string url_with(const std::string& path, const Params& params) {
  std::string out;
  // Path segments are encoded too (a uid is plain, but a path is never trusted).
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    auto seg = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    out += url_encode(seg);
    if (slash == std::string::npos) break;
    out += '/';
    start = slash + 1;
  }
  char sep = '?';
  for (const auto& [k, v] : params) {
    out += sep;
    out += url_encode(k);
    out += '=';
    out += url_encode(v);
    sep = '&';
  }
  return out;
}

Params params_without(const Params& p, std::initializer_list<std::string_view> drop) {
  Params out;
  for (const auto& kv : p) {
    bool dropped = false;
    for (auto d : drop)
      if (kv.first == d) dropped = true;
    if (!dropped && !kv.second.empty()) out.push_back(kv);
  }
  return out;
}

}  // namespace hrtrack::web
