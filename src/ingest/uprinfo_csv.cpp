// UPR Info database export (columns To, To-Rgrp, To-Org, Text, From, From-Rgrp, From-Org,
// Response, Action, Issue, Session[, source_file]). Issues are comma-separated (no issue label
// contains a comma); organisations too. "Voluntary Pledge" in Response marks a pledge.
#include <filesystem>

#include "core/text.h"
#include "ingest/source.h"

namespace hrtrack::ingest {
namespace {

class UprInfoCsv final : public RecordSource {
 public:
  UprInfoCsv(const SourceOptions& opt, const Context& ctx, std::vector<Problem>& problems)
      : ctx_(ctx), problems_(problems), file_(std::filesystem::path(opt.path).filename()) {
    TableOptions to;
    to.max_field_bytes = opt.max_field_bytes;
    table_ = open_csv(opt.path, problems, to);
    Columns c(table_->header(), file_);
    std::size_t before = problems.size();
    to_ = c.require("To", problems);
    text_ = c.require("Text", problems);
    from_ = c.require("From", problems);
    response_ = c.require("Response", problems);
    session_ = c.require("Session", problems);
    to_rgrp_ = c.find({"To-Rgrp"});
    to_org_ = c.find({"To-Org"});
    from_rgrp_ = c.find({"From-Rgrp"});
    from_org_ = c.find({"From-Org"});
    action_ = c.find({"Action"});
    issue_ = c.find({"Issue"});
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
      auto cell = [&](int i) -> std::string {
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
      r.mechanism = "UPR";
      r.body = "UPR";
      r.state_name = cell(to_);
      r.regions = split_trim(cell(to_rgrp_), ",");
      r.state_orgs = split_trim(cell(to_org_), ",");
      r.text = cell(text_);
      std::string from = cell(from_);
      if (!from.empty()) r.recommending_states.push_back(from);
      r.recommending_regions = split_trim(cell(from_rgrp_), ",");
      r.recommending_orgs = split_trim(cell(from_org_), ",");
      r.response_raw = cell(response_);
      if (iequals(r.response_raw, "Voluntary Pledge")) {
        r.kind = Kind::Pledge;
      } else if (auto resp = response_from_string(r.response_raw)) {
        r.response = *resp;
      } else {
        problems_.push_back({file_, row.number, "Response", r.response_raw,
                             "unknown response; expected Accepted, Supported, Noted, Rejected, "
                             "Voluntary Pledge or empty",
                             false});
        item.ok = false;
      }
      if (std::string a = cell(action_); !a.empty()) {
        auto n = parse_int(a);
        if (!n || *n < 1 || *n > 5) {
          problems_.push_back(
              {file_, row.number, "Action", a, "action category must be 1 to 5", false});
          item.ok = false;
        } else {
          r.action_category = static_cast<int>(*n);
        }
      }
      r.issues = split_trim(cell(issue_), ",");
      std::string s = cell(session_);
      auto n = parse_int(s);
      if (!n || *n < 1 || *n > 200) {
        problems_.push_back(
            {file_, row.number, "Session", s, "UPR session must be a number 1-200", false});
        item.ok = false;
      } else {
        r.upr_session = static_cast<int>(*n);
      }
      r.provenance = {0, "uprinfo-csv", file_, row.number};
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
  int to_, text_, from_, response_, session_, to_rgrp_, to_org_, from_rgrp_, from_org_, action_,
      issue_;
  bool usable_ = false;
};

}  // namespace

std::unique_ptr<RecordSource> open_uprinfo_csv(const SourceOptions& opt, const Context& ctx,
                                               std::vector<Problem>& problems) {
  return std::make_unique<UprInfoCsv>(opt, ctx, problems);
}

}  // namespace hrtrack::ingest
