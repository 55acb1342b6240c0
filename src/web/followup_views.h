// The view models of the follow-up pages (JSON for the templates), built from the one JSON form
// of each type (core/followup_json.h) plus what a person reads: labels in the page's language,
// institution names, who wrote it as the viewer may know it (followup::view_*). Shared by
// followup_pages.cpp, followup_forms.cpp and the record page (pages_record.cpp).
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/followup.h"
#include "web/http.h"

namespace hrtrack::web::fu {

using json = nlohmann::json;

std::string text(const Request& rq, const std::string& id);
// The label of an enum value: text(prefix + its spelling), e.g. "value.status.in_progress".
template <typename E>
std::string label(const Request& rq, const std::string& prefix, E value) {
  return text(rq, prefix + std::string(to_string(value)));
}
// Every value of a form field in order, empty ones included.
std::vector<std::string> values_of(const Params& p, const std::string& name);
std::string inst_name(Store& store, std::int64_t id);

// <select> options: every implementation status / measure type, the selected one marked.
json status_choices(const Request& rq, const std::string& selected);
json measure_choices(const Request& rq, const std::string& selected);
// The institutions that can be assigned (followup::assignable), for a <select>.
json assignable_choices(Store& store, std::int64_t selected = 0);

json transitions_json(const Request& rq, ReviewEntity entity, std::int64_t id,
                      const std::vector<std::string>& names);
json comments_json(Store& store, ReviewEntity entity, std::int64_t id);

// `internal`: the signed-in workspace (states, people); else the public view.
json plan_view(const Request& rq, const Plan& x, bool internal);
json update_view(const Request& rq, const ProgressUpdate& u, bool internal);
json assessment_view(const Request& rq, const Assessment& a, bool internal);
// Assessments side by side: one column per party, each with the assessments `rq` may see.
json side_by_side(const Request& rq, const std::vector<Assessment>& all, bool internal);

// The workspace of one recommendation, with `error` shown above and, after a refusal, the
// form that was sent filled with what was typed.
Response render_workspace(const Request& rq, const std::string& uid, const std::string& error,
                          int status);

}  // namespace hrtrack::web::fu
