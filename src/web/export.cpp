// GET /api/export: every recommendation matching a search (no row cap) as CSV, JSON or XLSX.
// The matching ids come from the index in the requested order; records are read from this
// thread's Store a batch at a time while the response is sent, so memory holds the id list and
// one batch, never the whole file. XLSX cannot be streamed (a zip with a directory at the end):
// it is written to an unlinked temporary file first by exporter::write_xlsx (constant memory).
// At most App::options().max_concurrent_exports run at once: each holds a slot (App::
// start_export) in its stream function until the body has been sent. A public export's version
// is the data version and the address: If-None-Match answers 304 before any work or slot.
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "core/error.h"
#include "core/record_json.h"
#include "core/text.h"
#include "export/exporter.h"
#include "web/app.h"
#include "web/http_cache.h"
#include "web/render.h"
#include "web/routes.h"

namespace hrtrack::web {

namespace {

constexpr std::size_t kBatch = 256;

std::string write_xlsx(App& app, const std::vector<std::string>& uids) {
  if (uids.size() >= 1048576)
    throw search::BadRequest("format", "more rows (" + std::to_string(uids.size()) +
                                           ") than an XLSX sheet holds (1,048,575); use csv");
  auto tmpl = (std::filesystem::temp_directory_path() / "hrtrack-export-XXXXXX").string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) throw Error("cannot create a temporary file for the export");
  close(fd);
  auto& store = app.store();
  try {
    exporter::write_xlsx(
        [&](const auto& fn) {
          for (const auto& uid : uids)
            if (auto r = store.get(uid); r && !r->deleted) fn(*r);
        },
        tmpl);
  } catch (...) {
    std::filesystem::remove(tmpl);
    throw;
  }
  return tmpl;
}

}  // namespace

Response api_export(const Request& rq) {
  auto format = single(rq.query, "format");
  if (!format)
    throw search::BadRequest("format", "format is required: csv, xlsx, json or uhri-json");
  if (*format != "csv" && *format != "xlsx" && *format != "json" && *format != "uhri-json")
    throw search::BadRequest("format", "format must be csv, xlsx, json or uhri-json (got '" +
                                           shorten_for_display(*format, 40) + "')");
  const bool uhri = *format == "uhri-json";
  exporter::ExportOptions options;
  if (auto b = single(rq.query, "bom")) {
    auto v = parse_bool(*b);
    if (!v) throw search::BadRequest("bom", "bom must be true or false");
    if (*v && *format != "csv") throw search::BadRequest("bom", "bom is for format=csv only");
    options.bom = *v;
  }
  auto req = parse_search_request(rq.query, search::facets(), false);
  req.with_facets = false;
  App* app = rq.app;
  auto index = app->index();
  const char* content_type = *format == "csv" ? "text/csv; charset=utf-8"
                             : *format == "json" || uhri
                                 ? "application/json; charset=utf-8"
                                 : "application/vnd.openxmlformats-officedocument."
                                   "spreadsheetml.sheet";
  // What the answer holds is fixed by the data (its version, in this run of the app) and the
  // address: a revalidation that still holds costs neither the work nor an export slot.
  std::string version;
  if (rq.public_answer) {
    version = "export " + app->instance_id() + " " + std::to_string(index->data_version()) + " " +
              url_with(rq.path, rq.query);
    if (etag_matches(rq.if_none_match, version_etag(version))) {
      Response not_modified;
      not_modified.status = 304;
      not_modified.content_type = content_type;
      not_modified.version = version;
      return not_modified;
    }
  }
  auto slot = app->start_export();
  if (!slot) {
    int n = app->options().max_concurrent_exports;
    throw Busy(std::to_string(n) + (n == 1 ? " export is" : " exports are") +
                   " running already, the most at a time; nothing was exported; try again in "
                   "30 seconds",
               30);
  }
  auto uids = std::make_shared<std::vector<std::string>>();
  index->for_each_match(req, [&](const std::string& uid) { uids->push_back(uid); });

  Response res;
  res.headers.emplace_back("X-Total-Count", std::to_string(uids->size()));
  res.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"hrtrack-export" +
                               std::string(uhri ? "-uhri.json" : "." + *format) + "\"");
  res.content_type = content_type;
  res.version = version;

  if (*format == "xlsx") {
    auto path = write_xlsx(*app, *uids);
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    std::filesystem::remove(path);  // the open descriptor keeps the data until it is closed
    if (fd < 0) throw Error("cannot read back the XLSX export");
    auto fd_holder = std::shared_ptr<int>(new int(fd), [](int* p) {
      close(*p);
      delete p;
    });
    res.stream = [fd_holder, slot](std::string& out) {
      char buf[1 << 16];
      ssize_t n = read(*fd_holder, buf, sizeof buf);
      if (n < 0) throw Error("reading the XLSX export failed");
      out.append(buf, static_cast<std::size_t>(n));
      return n > 0;
    };
    return res;
  }

  const bool csv = *format == "csv";
  auto pos = std::make_shared<std::size_t>(0);
  auto written = std::make_shared<long>(0);
  auto started = std::make_shared<bool>(false);
  res.stream = [app, uids, pos, written, started, csv, uhri, slot, options](std::string& out) {
    if (!*started) {
      *started = true;
      out += csv ? exporter::csv_start(options) : std::string("[");
    }
    auto& store = app->store();  // this worker thread's connection
    std::size_t end = std::min(uids->size(), *pos + kBatch);
    for (; *pos < end; ++*pos) {
      auto r = store.get((*uids)[*pos]);
      if (!r || r->deleted) continue;  // deleted since the index was built
      if (csv) {
        out += exporter::csv_row(*r);
        out += "\r\n";
      } else {
        out += *written ? ",\n" : "\n";
        out += (uhri ? exporter::uhri_record(*r) : exporter::json_record(*r))
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      }
      ++*written;
    }
    if (*pos < uids->size()) return true;
    if (!csv) out += *written ? "\n]\n" : "]\n";
    return false;
  };
  return res;
}

}  // namespace hrtrack::web
