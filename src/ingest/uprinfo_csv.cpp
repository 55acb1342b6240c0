// UPR Info database export (columns To, To-Rgrp, To-Org, Text, From, From-Rgrp, From-Org,
// Response, Action, Issue, Session[, source_file]). Issues are comma-separated (no issue label
// contains a comma); organisations too. "Voluntary Pledge" in Response marks a pledge.
#include "core/text.h"
#include "ingest/source.h"

namespace hrtrack::ingest {
namespace {

class UprInfoCsv final : public TabularSource {
 public:
  UprInfoCsv(const SourceOptions& opt, const Context& ctx, std::vector<Problem>& problems)
      : TabularSource(opt, ctx, problems, false) {
    Columns c = columns();
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
    c.find({"source_file"});  // the PDF a row was taken from: known, not imported
    header_checked(before);
    c.warn_unread(problems);
  }

 private:
  void map_row(const Row& row, SourceItem& item) override {
    auto& r = item.rec;
    r.mechanism = "UPR";
    r.body = "UPR";
    r.state_name = cell(row, to_);
    r.regions = split_trim(cell(row, to_rgrp_), ",");
    r.state_orgs = split_trim(cell(row, to_org_), ",");
    r.text = cell(row, text_);
    // One State per row; "&#40;Unknown&#41;" (UPR Info's "(Unknown)") is none: reported, left out.
    r.recommending_states =
        recommending_states_of({cell(row, from_)}, file_, row.number, "From", problems_);
    r.recommending_regions = split_trim(cell(row, from_rgrp_), ",");
    r.recommending_orgs = split_trim(cell(row, from_org_), ",");
    r.response_raw = cell(row, response_);
    if (iequals(r.response_raw, "Voluntary Pledge")) {
      r.kind = Kind::Pledge;
    } else if (auto resp = response_from_string(r.response_raw)) {
      r.response = *resp;
    } else {
      reject(item, "Response", r.response_raw,
             "unknown response; expected Accepted, Supported, Noted, Rejected, Voluntary Pledge "
             "or empty");
    }
    if (std::string a = cell(row, action_); !a.empty()) {
      auto n = parse_int(a);
      if (!n || *n < 1 || *n > 5)
        reject(item, "Action", a, "action category must be 1 to 5");
      else
        r.action_category = static_cast<int>(*n);
    }
    r.issues = split_trim(cell(row, issue_), ",");
    std::string s = cell(row, session_);
    auto n = parse_int(s);
    if (!n || *n < 1 || *n > 200)
      reject(item, "Session", s, "UPR session must be a number 1-200");
    else
      r.upr_session = static_cast<int>(*n);
    r.provenance = {0, "uprinfo-csv", file_, row.number};
    finish_record(item, ctx_, file_, problems_);
  }

  int to_, text_, from_, response_, session_, to_rgrp_, to_org_, from_rgrp_, from_org_, action_,
      issue_;
};

}  // namespace

std::unique_ptr<RecordSource> open_uprinfo_csv(const SourceOptions& opt, const Context& ctx,
                                               std::vector<Problem>& problems) {
  return std::make_unique<UprInfoCsv>(opt, ctx, problems);
}

}  // namespace hrtrack::ingest
