// GET /api/export: every recommendation matching a search (no row cap) as CSV, JSON or XLSX.
// The matching ids come from the index in the requested order; records are read from this
// thread's Store a batch at a time while the response is sent, so memory holds the id list and
// one batch, never the whole file. XLSX cannot be streamed (a zip with a directory at the end):
// it is written to an unlinked temporary file first, in libxlsxwriter's constant-memory mode.
#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>

#include "core/error.h"
#include "core/record_json.h"
#include "core/text.h"
#include "export/exporter.h"
#include "web/app.h"
#include "web/routes.h"

namespace hrtrack::web {

namespace {

constexpr std::size_t kBatch = 256;

// Field values as spreadsheet cells, as export/exporter.cpp writes them (lists joined with
// " | ", variants as JSON), so an XLSX from here imports back like one from the CLI.
// TODO(lead): exporter.h could expose this (or an export over a record source) instead.
std::vector<std::string> cells(const Recommendation& r) {
  ojson j = to_json(r);
  std::vector<std::string> out;
  for (const auto& f : record_fields()) {
    const auto& v = j[f.name];
    switch (f.type) {
      case FieldType::Text:
        out.push_back(v.get<std::string>());
        break;
      case FieldType::Int:
        out.push_back(std::to_string(v.get<long>()));
        break;
      case FieldType::List:
        out.push_back(join(v.get<std::vector<std::string>>(), " | "));
        break;
      case FieldType::Variants:
        out.push_back(v.empty() ? "" : v.dump());
        break;
    }
  }
  return out;
}

// Releases the export slot when the last copy of the stream function is destroyed.
struct ExportSlot {
  App* app;
  ~ExportSlot() { app->end_export(); }
};

std::string write_xlsx(App& app, const std::vector<std::string>& uids) {
  if (uids.size() >= 1048576)
    throw search::BadRequest("format", "more rows (" + std::to_string(uids.size()) +
                                           ") than an XLSX sheet holds (1,048,575); use csv");
  auto tmpl = (std::filesystem::temp_directory_path() / "hrtrack-export-XXXXXX").string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) throw Error("cannot create a temporary file for the export");
  close(fd);
  lxw_workbook_options opt = {};
  opt.constant_memory = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(tmpl.c_str(), &opt);
  if (!wb) {
    std::filesystem::remove(tmpl);
    throw Error("cannot create the XLSX export");
  }
  lxw_worksheet* ws = workbook_add_worksheet(wb, "recommendations");
  lxw_row_t row = 0;
  lxw_col_t col = 0;
  for (const auto& f : record_fields()) worksheet_write_string(ws, row, col++, f.name, nullptr);
  const std::size_t kMaxCell = 32767;  // Excel's limit on characters in a cell
  auto& store = app.store();
  for (const auto& uid : uids) {
    auto r = store.get(uid);
    if (!r || r->deleted) continue;
    ++row;
    col = 0;
    for (auto& c : cells(*r)) {
      if (c.size() > kMaxCell) {
        std::size_t cut = kMaxCell;
        while (cut > 0 && (static_cast<unsigned char>(c[cut]) & 0xC0) == 0x80) --cut;
        c.resize(cut);
      }
      if (!c.empty()) worksheet_write_string(ws, row, col, c.c_str(), nullptr);
      ++col;
    }
  }
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    std::filesystem::remove(tmpl);
    throw Error(std::string("writing the XLSX export failed: ") + lxw_strerror(err));
  }
  return tmpl;
}

}  // namespace

Response api_export(const Request& rq) {
  auto format = single(rq.query, "format");
  if (!format) throw search::BadRequest("format", "format is required: csv, xlsx or json");
  if (*format != "csv" && *format != "xlsx" && *format != "json")
    throw search::BadRequest("format", "format must be csv, xlsx or json (got '" +
                                           shorten_for_display(*format, 40) + "')");
  auto req = parse_search_request(rq.query, search::facets(), false);
  req.with_facets = false;
  App* app = rq.app;
  if (!app->try_start_export()) {
    auto res = Response::json(
        {{"error", "too many exports are running; try again in a minute"}, {"parameter", nullptr}},
        503);
    res.headers.emplace_back("Retry-After", "30");
    return res;
  }
  auto slot = std::make_shared<ExportSlot>(ExportSlot{app});
  auto index = app->index();
  auto uids = std::make_shared<std::vector<std::string>>();
  index->for_each_match(req, [&](const std::string& uid) { uids->push_back(uid); });

  Response res;
  res.headers.emplace_back("X-Total-Count", std::to_string(uids->size()));
  res.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"hrtrack-export." + *format + "\"");
  res.headers.emplace_back("Cache-Control", "no-store");

  if (*format == "xlsx") {
    auto path = write_xlsx(*app, *uids);
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    std::filesystem::remove(path);  // the open descriptor keeps the data until it is closed
    if (fd < 0) throw Error("cannot read back the XLSX export");
    auto fd_holder = std::shared_ptr<int>(new int(fd), [](int* p) {
      close(*p);
      delete p;
    });
    res.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
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
  res.content_type = csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
  auto pos = std::make_shared<std::size_t>(0);
  auto written = std::make_shared<long>(0);
  auto started = std::make_shared<bool>(false);
  res.stream = [app, uids, pos, written, started, csv, slot](std::string& out) {
    if (!*started) {
      *started = true;
      out += csv ? exporter::csv_header() + "\r\n" : std::string("[");
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
        out += to_json(*r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
