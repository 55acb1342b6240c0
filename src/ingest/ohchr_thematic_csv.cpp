// OHCHR "Thematic list of recommendations" (UPR), parsed to CSV: one row per recommendation,
// multi-valued cells joined with " | " (labels contain both ',' and ';').
#include "core/text.h"
#include "ingest/source.h"

namespace hrtrack::ingest {
namespace {

class OhchrThematicCsv final : public TabularSource {
 public:
  OhchrThematicCsv(const SourceOptions& opt, const Context& ctx, std::vector<Problem>& problems)
      : TabularSource(opt, ctx, problems, false) {
    Columns c = columns();
    std::size_t before = problems.size();
    for (const char* name : {"state_under_review", "wg_report_symbol", "recommendation_number",
                             "text", "recommending_states", "position"})
      col_[name] = c.require(name, problems);
    for (const char* name :
         {"mechanism", "cycle", "upr_session", "review_and_adoption", "source_of_position",
          "thematic_cluster", "themes", "affected_persons", "sdgs"})
      col_[name] = c.find(std::string(name));
    header_checked(before);
    c.warn_unread(problems);
  }

 private:
  void map_row(const Row& row, SourceItem& item) override {
    auto get = [&](const char* name) { return cell(row, col_.at(name)); };
    auto& r = item.rec;
    std::string mech = get("mechanism");
    r.body = mech.empty() ? "UPR" : mech;
    r.mechanism = ctx_.mechanism_code(r.body);
    r.state_name = get("state_under_review");
    r.symbol = get("wg_report_symbol");
    r.paragraph = get("recommendation_number");
    r.text = get("text");
    r.recommending_states = recommending_states_of({get("recommending_states")}, file_, row.number,
                                                   "recommending_states", problems_);
    r.response_raw = get("position");
    if (auto resp = response_from_string(r.response_raw))
      r.response = *resp;
    else
      reject(item, "position", r.response_raw,
             "unknown position; expected Supported, Noted or empty");
    r.response_doc = get("source_of_position");
    r.source_cluster = get("thematic_cluster");
    r.themes = split_trim(get("themes"), " | ");
    r.persons = split_trim(get("affected_persons"), " | ");
    r.sdgs = split_trim(get("sdgs"), " | ");
    for (auto [name, target] :
         {std::pair{"upr_session", &r.upr_session}, {"cycle", &r.upr_cycle}}) {
      std::string v = get(name);
      if (v.empty()) continue;
      if (auto n = parse_int(v))
        *target = static_cast<int>(*n);
      else
        reject(item, name, v, "must be a whole number");
    }
    // "2014-10/2015-03": the review took place in the first month given.
    std::string ra = get("review_and_adoption");
    if (ra.size() >= 4) r.year = static_cast<int>(parse_int(ra.substr(0, 4)).value_or(0));
    r.provenance = {0, "ohchr-thematic-csv", file_, row.number};
    finish_record(item, ctx_, file_, problems_);
  }

  std::map<std::string, int> col_;
};

}  // namespace

std::unique_ptr<RecordSource> open_ohchr_thematic_csv(const SourceOptions& opt, const Context& ctx,
                                                      std::vector<Problem>& problems) {
  return std::make_unique<OhchrThematicCsv>(opt, ctx, problems);
}

}  // namespace hrtrack::ingest
