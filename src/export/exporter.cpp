#include "export/exporter.h"

#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/record_json.h"
#include "core/text.h"

namespace hrtrack::exporter {

const std::vector<std::string>& export_formats() {
  static const std::vector<std::string> f = {"csv", "xlsx", "json", "uhri-json"};
  return f;
}

namespace {}  // namespace

std::vector<std::string> record_cells(const Recommendation& r) {
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

namespace {

ojson uhri_record(const Recommendation& r) {
  ojson j;
  j["AnnotationId"] = r.annotation_id;
  j["AnnotationType"] =
      r.kind == Kind::Observation ? "- Concerns/Observations" : "- Recommendations";
  j["Body"] = "- " + (r.body.empty() ? r.mechanism : r.body);
  j["Countries"] = std::vector<std::string>{r.state_name.empty() ? r.state_iso3 : r.state_name};
  j["DocumentId"] = r.document_id;
  j["PublicationDate"] = r.pub_date.empty() ? ojson(nullptr) : ojson(r.pub_date + "T00:00:00");
  j["PublicationDateOnUhri"] = r.uhri_pub_date.empty() ? ojson(nullptr) : ojson(r.uhri_pub_date);
  j["Regions"] = r.regions;
  j["Sdgs"] = r.sdgs;
  j["Symbol"] = r.symbol;
  j["Text"] = r.paragraph.empty() ? r.text : r.paragraph + " " + r.text;
  j["Themes"] = r.themes;
  j["AffectedPersons"] = r.persons;
  j["UprCycle"] = r.upr_cycle ? ojson(r.upr_cycle) : ojson(nullptr);
  j["UprPositions"] =
      r.response_raw.empty() ? std::vector<std::string>{} : split_trim(r.response_raw, ";");
  j["UprRecommendingCountry"] = r.recommending_states;
  j["UprRecommendingRegions"] = r.recommending_regions;
  j["UprSession"] = r.upr_session ? std::vector<std::string>{std::to_string(r.upr_session)}
                                  : std::vector<std::string>{};
  return j;
}

}  // namespace

ExportResult write_xlsx(const RecordSource& records, const std::string& path) {
  ExportResult res;
  lxw_workbook_options opt = {};
  opt.constant_memory = LXW_TRUE;
  opt.tmpdir = nullptr;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &opt);
  if (!wb) throw Error("cannot create '" + path + "'");
  lxw_worksheet* ws = workbook_add_worksheet(wb, "recommendations");
  lxw_row_t row = 0;
  lxw_col_t col = 0;
  for (const auto& f : record_fields()) worksheet_write_string(ws, row, col++, f.name, nullptr);
  const std::size_t kMaxCell = 32767;  // Excel's limit on characters in a cell
  records([&](const Recommendation& r) {
    ++row;
    if (row >= 1048576) throw Error("more rows than an XLSX sheet holds (1,048,575); use csv");
    col = 0;
    for (auto& c : record_cells(r)) {
      if (c.size() > kMaxCell) {
        res.warnings.push_back("record " + r.uid +
                               ": a field is longer than Excel's 32,767-"
                               "character cell limit and was cut; use csv or json for it");
        std::size_t cut = kMaxCell;
        while (cut > 0 && (static_cast<unsigned char>(c[cut]) & 0xC0) == 0x80) --cut;
        c.resize(cut);
      }
      if (!c.empty()) worksheet_write_string(ws, row, col, c.c_str(), nullptr);
      ++col;
    }
    ++res.rows;
  });
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) throw Error("cannot write '" + path + "': " + lxw_strerror(err));
  return res;
}

std::string csv_header() {
  std::string out;
  for (const auto& f : record_fields()) out += (out.empty() ? "" : ",") + csv_quote(f.name);
  return out;
}

std::string csv_row(const Recommendation& r) {
  std::string out;
  bool first = true;
  for (const auto& c : record_cells(r)) {
    if (!first) out += ',';
    first = false;
    out += csv_quote(c);
  }
  return out;
}

ExportResult export_to_stream(Store& store, const std::string& format, const RecordFilter& filter,
                              std::ostream& out) {
  ExportResult res;
  if (format == "csv") {
    out << csv_header() << "\r\n";
    store.for_each(filter, [&](const Recommendation& r) {
      out << csv_row(r) << "\r\n";
      ++res.rows;
    });
  } else if (format == "json" || format == "uhri-json") {
    out << "[";
    store.for_each(filter, [&](const Recommendation& r) {
      out << (res.rows ? ",\n" : "\n")
          << (format == "json" ? to_json(r).dump() : uhri_record(r).dump());
      ++res.rows;
    });
    out << (res.rows ? "\n]\n" : "]\n");
  } else {
    throw InvalidArgument("format '" + format + "' cannot be streamed; use csv, json or uhri-json");
  }
  return res;
}

ExportResult export_to_file(Store& store, const std::string& format, const RecordFilter& filter,
                            const std::string& path) {
  if (std::find(export_formats().begin(), export_formats().end(), format) == export_formats().end())
    throw InvalidArgument("unknown export format '" + format + "'; use one of " +
                          join(export_formats(), ", "));
  std::string tmp = path + ".part";
  ExportResult res;
  try {
    if (format == "xlsx") {
      res = write_xlsx([&](const auto& fn) { store.for_each(filter, fn); }, tmp);
    } else {
      std::ofstream out(tmp, std::ios::binary);
      if (!out) throw Error("cannot write '" + path + "'");
      res = export_to_stream(store, format, filter, out);
      out.close();
      if (!out) throw Error("writing '" + path + "' failed (disk full?)");
    }
  } catch (...) {
    std::filesystem::remove(tmp);
    throw;
  }
  std::filesystem::rename(tmp, path);
  return res;
}

}  // namespace hrtrack::exporter
