// Static assets (CSS, JS, icons) and the message catalogues for scripts.
#include "core/error.h"
#include "web/app.h"
#include "web/routes.h"

namespace hrtrack::web {

Response asset_static(const Request& rq) {
  const auto& file = rq.path_param("file");
  auto data = rq.app->assets().find("static/" + file);
  if (!data) throw NotFound("no file /static/" + file);
  auto res = Response::text(std::move(*data), content_type_for(file));
  res.headers.emplace_back("Cache-Control",
                           rq.app->assets().from_disk() ? "no-cache" : "public, max-age=3600");
  return res;
}

Response asset_i18n(const Request& rq) {
  const auto& lang = rq.path_param("lang");
  if (!find_language(lang)) throw NotFound("no message catalogue for '" + lang + "'");
  auto cat = rq.app->catalogues();
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [id, text] : cat->merged(lang)) j[id] = text;
  auto res = Response::json(j);
  res.headers.emplace_back("Cache-Control",
                           rq.app->assets().from_disk() ? "no-cache" : "public, max-age=3600");
  return res;
}

}  // namespace hrtrack::web
