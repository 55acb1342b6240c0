#include "export/exporter.h"

#include <xlsxwriter.h>

#include <cctype>
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

std::string spreadsheet_text(std::string cell) {
  // The quote is added before a trigger character and before a quote, so that an exported
  // cell beginning with "'" always carries exactly one added quote: a text that really begins
  // with "'=" is written "''=", and removing one quote on import gives back every text.
  if (!cell.empty() &&
      (kFormulaTriggers.find(cell[0]) != std::string_view::npos || cell[0] == '\''))
    cell.insert(cell.begin(), '\'');
  return cell;
}

bool zero_means_absent(std::string_view name) {
  return name == "year" || name == "upr_cycle" || name == "upr_session" ||
         name == "action_category";
}

std::vector<std::string> record_cells(const Recommendation& r) {
  ojson j = to_json(r);
  std::vector<std::string> out;
  for (const auto& f : record_fields()) {
    const auto& v = j[f.name];
    switch (f.type) {
      case FieldType::Text:
        out.push_back(spreadsheet_text(v.get<std::string>()));
        break;
      case FieldType::Int: {
        long n = v.get<long>();
        out.push_back(n == 0 && zero_means_absent(f.name) ? "" : std::to_string(n));
        break;
      }
      case FieldType::List:
        out.push_back(spreadsheet_text(join(v.get<std::vector<std::string>>(), " | ")));
        break;
      case FieldType::Variants:
        out.push_back(v.empty() ? "" : spreadsheet_text(v.dump()));
        break;
    }
  }
  return out;
}

ojson uhri_record(const Recommendation& r) {
  ojson j;
  j["AnnotationId"] = r.annotation_id;
  // UHRI's types, and for a pledge (which UHRI does not hold) the same form, so that the export
  // reads back as a pledge.
  j["AnnotationType"] = r.kind == Kind::Observation ? "- Concerns/Observations"
                        : r.kind == Kind::Pledge    ? "- Voluntary Pledges"
                                                    : "- Recommendations";
  j["Body"] = "- " + (r.body.empty() ? r.mechanism : r.body);
  j["Countries"] = std::vector<std::string>{r.state_name.empty() ? r.state_iso3 : r.state_name};
  j["DocumentId"] = r.document_id;
  j["PublicationDate"] = r.pub_date.empty() ? ojson(nullptr) : ojson(r.pub_date + "T00:00:00");
  j["PublicationDateOnUhri"] = r.uhri_pub_date.empty() ? ojson(nullptr) : ojson(r.uhri_pub_date);
  j["Regions"] = r.regions;
  j["Sdgs"] = r.sdgs;
  j["Symbol"] = r.symbol;
  // A UPR paragraph ("115.1") is followed by a space, a treaty body's ("4") by ". ": the
  // documents' own numbering.
  bool whole =
      !r.paragraph.empty() && r.paragraph.find_first_not_of("0123456789") == std::string::npos;
  auto numbered = [&](const std::string& text) {
    return r.paragraph.empty() ? text : r.paragraph + (whole ? ". " : " ") + text;
  };
  j["Text"] = numbered(r.text);
  // Not UHRI's layout (each of its exports is in one language): hrtrack's, so that the export
  // imports back with the text's language and its other language versions.
  j["Language"] = r.lang;
  if (!r.variants.empty()) {
    ojson vs = ojson::array();
    for (const auto& v : r.variants)
      vs.push_back({{"Language", v.lang}, {"Text", numbered(v.text)}});
    j["TextVariants"] = std::move(vs);
  }
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

namespace {

// A cell's text as an ECMA-376 ST_Xstring: libxlsxwriter writes control characters as
// _xHHHH_, but leaves a text that itself holds "_x0041_" as it is, which every reader (Excel,
// LibreOffice, hrtrack's) then decodes to "A". The standard's escape for such a literal is to
// write its "_" as _x005F_.
std::string escape_xstring(const std::string& s) {
  if (s.find("_x") == std::string::npos) return s;
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  std::string out;
  out.reserve(s.size() + 7);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && hex(s[i + 2]) && hex(s[i + 3]) &&
        hex(s[i + 4]) && hex(s[i + 5]) && s[i + 6] == '_')
      out += "_x005F";
    out += s[i];
  }
  return out;
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
  const auto& fields = record_fields();
  records([&](const Recommendation& r) {
    ++row;
    if (row >= 1048576) throw Error("more rows than an XLSX sheet holds (1,048,575); use csv");
    col = 0;
    for (auto& c : record_cells(r)) {
      // Numeric fields are number cells (empty when absent); every other cell is a string
      // cell, already through spreadsheet_text, and never a formula.
      if (fields[col].type == FieldType::Int) {
        if (!c.empty())
          worksheet_write_number(ws, row, col, static_cast<double>(std::stol(c)), nullptr);
        ++col;
        continue;
      }
      if (c.size() > kMaxCell) {
        res.warnings.push_back("record " + r.uid +
                               ": a field is longer than Excel's 32,767-"
                               "character cell limit and was cut; use csv or json for it");
        std::size_t cut = kMaxCell;
        while (cut > 0 && (static_cast<unsigned char>(c[cut]) & 0xC0) == 0x80) --cut;
        c.resize(cut);
      }
      if (!c.empty()) worksheet_write_string(ws, row, col, escape_xstring(c).c_str(), nullptr);
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

std::string csv_start(const ExportOptions& options) {
  return (options.bom ? std::string(kUtf8Bom) : std::string()) + csv_header() + "\r\n";
}

ojson json_record(const Recommendation& r) {
  ojson j = to_json(r);
  for (const auto& f : record_fields())
    if (f.type == FieldType::Int && zero_means_absent(f.name) && j[f.name] == 0)
      j[f.name] = nullptr;
  return j;
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
                              std::ostream& out, const ExportOptions& options) {
  ExportResult res;
  if (options.bom && format != "csv")
    throw InvalidArgument("a byte-order mark (--bom) is for the csv format only, not '" + format +
                          "'");
  if (format == "csv") {
    out << csv_start(options);
    store.for_each(filter, [&](const Recommendation& r) {
      out << csv_row(r) << "\r\n";
      ++res.rows;
    });
  } else if (format == "json" || format == "uhri-json") {
    out << "[";
    store.for_each(filter, [&](const Recommendation& r) {
      out << (res.rows ? ",\n" : "\n")
          << (format == "json" ? json_record(r).dump() : uhri_record(r).dump());
      ++res.rows;
    });
    out << (res.rows ? "\n]\n" : "]\n");
  } else {
    throw InvalidArgument("format '" + format + "' cannot be streamed; use csv, json or uhri-json");
  }
  return res;
}

ExportResult export_to_file(Store& store, const std::string& format, const RecordFilter& filter,
                            const std::string& path, const ExportOptions& options) {
  if (std::find(export_formats().begin(), export_formats().end(), format) == export_formats().end())
    throw InvalidArgument("unknown export format '" + format + "'; use one of " +
                          join(export_formats(), ", "));
  if (options.bom && format != "csv")
    throw InvalidArgument("a byte-order mark (--bom) is for the csv format only, not '" + format +
                          "'");
  std::string tmp = path + ".part";
  ExportResult res;
  try {
    if (format == "xlsx") {
      res = write_xlsx([&](const auto& fn) { store.for_each(filter, fn); }, tmp);
    } else {
      std::ofstream out(tmp, std::ios::binary);
      if (!out) throw Error("cannot write '" + path + "'");
      res = export_to_stream(store, format, filter, out, options);
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
