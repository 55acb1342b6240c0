// OHCHR "Thematic list of recommendations" (UPR), parsed to CSV: one row per recommendation,
// multi-valued cells joined with " | " (labels contain both ',' and ';').
#include <filesystem>

#include "core/text.h"
#include "ingest/source.h"

namespace hrtrack::ingest {
namespace {

class OhchrThematicCsv final : public RecordSource {
 public:
  OhchrThematicCsv(const SourceOptions& opt, const Context& ctx, std::vector<Problem>& problems)
      : ctx_(ctx), problems_(problems), file_(std::filesystem::path(opt.path).filename()) {
    TableOptions to;
    to.max_field_bytes = opt.max_field_bytes;
    table_ = open_csv(opt.path, problems, to);
    Columns c(table_->header(), file_);
    std::size_t before = problems.size();
    for (const char* name : {"state_under_review", "wg_report_symbol", "recommendation_number",
                             "text", "recommending_states", "position"})
      col_[name] = c.require(name, problems);
    for (const char* name :
         {"mechanism", "cycle", "upr_session", "review_and_adoption", "source_of_position",
          "thematic_cluster", "themes", "affected_persons", "sdgs"})
      col_[name] = c.find(std::string(name));
    usable_ = problems.size() == before && !table_->header().empty();
    if (table_->header().empty())
      problems.push_back({file_, 0, "", "", "the file is empty", false});
  }

  void each(const std::function<void(SourceItem&)>& fn) override {
    if (!usable_) return;
    Row row;
    SourceItem item;
    while (table_->next(row)) {
      item = SourceItem{};
      item.row = row.number;
      item.ok = !row.bad;
      auto cell = [&](const char* name) -> std::string {
        int i = col_.at(name);
        return i >= 0 && i < static_cast<int>(row.cells.size()) ? std::string(trim(row.cells[i]))
                                                                : std::string();
      };
      if (row.cells.size() != table_->header().size()) {
        problems_.push_back({file_, row.number, "", "",
                             "has " + std::to_string(row.cells.size()) +
                                 " fields, the header has " +
                                 std::to_string(table_->header().size()),
                             false});
        item.ok = false;
      }
      auto& r = item.rec;
      std::string mech = cell("mechanism");
      r.body = mech.empty() ? "UPR" : mech;
      r.mechanism = ctx_.mechanism_code(r.body);
      r.state_name = cell("state_under_review");
      r.symbol = cell("wg_report_symbol");
      r.paragraph = cell("recommendation_number");
      r.text = cell("text");
      r.recommending_states = split_states(cell("recommending_states"));
      r.response_raw = cell("position");
      if (auto resp = response_from_string(r.response_raw))
        r.response = *resp;
      else {
        problems_.push_back({file_, row.number, "position", r.response_raw,
                             "unknown position; expected Supported, Noted or empty", false});
        item.ok = false;
      }
      r.response_doc = cell("source_of_position");
      r.source_cluster = cell("thematic_cluster");
      r.themes = split_trim(cell("themes"), " | ");
      r.persons = split_trim(cell("affected_persons"), " | ");
      r.sdgs = split_trim(cell("sdgs"), " | ");
      for (auto [name, target] :
           {std::pair{"upr_session", &r.upr_session}, {"cycle", &r.upr_cycle}}) {
        std::string v = cell(name);
        if (v.empty()) continue;
        if (auto n = parse_int(v))
          *target = static_cast<int>(*n);
        else {
          problems_.push_back({file_, row.number, name, v, "must be a whole number", false});
          item.ok = false;
        }
      }
      // "2014-10/2015-03": the review took place in the first month given.
      std::string ra = cell("review_and_adoption");
      if (ra.size() >= 4) r.year = static_cast<int>(parse_int(ra.substr(0, 4)).value_or(0));
      r.provenance = {0, "ohchr-thematic-csv", file_, row.number};
      finish_record(item, ctx_, file_, problems_);
      if (!item.ok) item.raw = csv_line(row.cells);
      fn(item);
    }
  }

  std::size_t bytes_read() const override { return table_->bytes_read(); }
  std::size_t bytes_total() const override { return table_->bytes_total(); }
  std::string raw_kind() const override { return "csv"; }
  std::string raw_header() const override { return csv_line(table_->header()); }

 private:
  const Context& ctx_;
  std::vector<Problem>& problems_;
  std::string file_;
  std::unique_ptr<TableReader> table_;
  std::map<std::string, int> col_;
  bool usable_ = false;
};

}  // namespace

std::unique_ptr<RecordSource> open_ohchr_thematic_csv(const SourceOptions& opt, const Context& ctx,
                                                      std::vector<Problem>& problems) {
  return std::make_unique<OhchrThematicCsv>(opt, ctx, problems);
}

}  // namespace hrtrack::ingest
