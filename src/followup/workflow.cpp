// The review workflow: plans, progress updates and the government's assessments go draft ->
// submitted -> returned | validated -> approved -> published; the NHRI's and civil society's
// assessments are published (and withdrawn) by their authors.
#include <algorithm>

#include "followup/internal.h"
#include "followup/public.h"

namespace hrtrack::followup {

using namespace detail;

namespace {

struct Transition {
  const char* name;
  ItemState from, to;
  const char* action;  // permission-table action ("" = the assessing party's own action)
};

const std::vector<Transition>& review_transitions() {
  using S = ItemState;
  static const std::vector<Transition> t = {
      {"submit", S::Draft, S::Submitted, "followup.submit"},
      {"submit", S::Returned, S::Submitted, "followup.submit"},
      {"validate", S::Submitted, S::Validated, "followup.validate"},
      {"return", S::Submitted, S::Returned, "followup.validate"},
      {"approve", S::Validated, S::Approved, "followup.approve"},
      {"return", S::Validated, S::Returned, "followup.approve"},
      {"publish", S::Approved, S::Published, "followup.publish"},
      {"return", S::Approved, S::Returned, "followup.publish"},
  };
  return t;
}
const std::vector<Transition>& own_voice_transitions() {
  static const std::vector<Transition> t = {
      {"publish", ItemState::Draft, ItemState::Published, ""},
      {"withdraw", ItemState::Published, ItemState::Draft, ""},
  };
  return t;
}

const std::vector<Transition>& transitions_of(ReviewEntity entity, Party party) {
  if (entity == ReviewEntity::Assessment && party != Party::Government)
    return own_voice_transitions();
  return review_transitions();
}

// At most about `max` bytes of `s`, cut after a whole word (never inside a UTF-8 sequence),
// with "…" when something was left out.
std::string utf8_prefix(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  auto space = s.rfind(' ', cut);
  if (space != std::string::npos && space > max / 2) cut = space;
  return s.substr(0, cut) + "…";
}

}  // namespace

std::vector<std::string> transitions_for(const Principal& p, ReviewEntity entity, ItemState state,
                                         std::int64_t institution_id, Party party) {
  std::vector<std::string> out;
  for (const auto& t : transitions_of(entity, party)) {
    if (state != t.from) continue;
    std::string action = *t.action ? t.action : assessment_action(party);
    if (access::allowed(p, action, {institution_id}) &&
        std::find(out.begin(), out.end(), t.name) == out.end())
      out.push_back(t.name);
  }
  return out;
}

void transition(Store& store, const Principal& p, ReviewEntity entity, std::int64_t id,
                const std::string& name, const std::string& comment) {
  ItemState state = ItemState::Draft;
  Party party = Party::Government;
  std::int64_t institution = 0;
  switch (entity) {
    case ReviewEntity::Plan: {
      auto x = load_plan(store, id);
      state = x.state;
      institution = x.institution_id;
      break;
    }
    case ReviewEntity::ProgressUpdate: {
      auto x = load_update(store, id);
      state = x.state;
      institution = x.institution_id;
      break;
    }
    case ReviewEntity::Assessment: {
      auto x = load_assessment(store, id);
      state = x.state;
      institution = x.institution_id;
      party = x.party;
      break;
    }
  }
  check_text("comment", comment, limits::kText, name == "return");
  const Transition* found = nullptr;
  bool name_known = false;
  for (const auto& t : transitions_of(entity, party)) {
    if (name != t.name) continue;
    name_known = true;
    if (state == t.from) found = &t;
  }
  std::string what(to_string(entity));
  if (!name_known)
    throw InvalidArgument(
        "transition: '" + shorten_for_display(name, 20) + "' does not apply to " +
        (party == Party::Government ? what : std::string(to_string(party)) + " " + what));
  if (!found)
    throw InvalidArgument("this " + what + " is " + std::string(to_string(state)) +
                          ": it cannot be '" + name + "'ed now");
  std::string action = *found->action ? found->action : assessment_action(party);
  access::require(p, action, {institution});
  auto txn = store.begin();
  store.followup().set_state(entity, id, found->to, actor(p));
  if (!trim(comment).empty()) {
    ReviewComment c;
    c.entity = entity;
    c.entity_id = id;
    c.author_id = author_id(p);
    c.author_name = p.display_name;
    c.transition = name;
    c.text = comment;
    store.followup().add_comment(c, actor(p));
  }
  if (is_public(found->from) || is_public(found->to)) public_changed(store);
  txn->commit();
}

std::vector<ReviewItem> review_queue(Store& store, const Principal& p) {
  std::vector<ReviewItem> out;
  using S = ItemState;
  for (auto& it :
       store.followup().review_items({S::Submitted, S::Validated, S::Approved, S::Returned}, 0)) {
    Party party = Party::Government;
    if (it.entity == ReviewEntity::Assessment)
      if (auto a = store.followup().assessment(it.id)) party = a->party;
    if (party != Party::Government) continue;
    // A returned item waits for its institution's focal point (submit again).
    if (!transitions_for(p, it.entity, it.state, it.institution_id, party).empty())
      out.push_back(std::move(it));
  }
  return out;
}

std::string review_title(const ReviewItem& item) {
  switch (item.entity) {
    case ReviewEntity::Plan:
      return item.title;
    case ReviewEntity::ProgressUpdate:
      return utf8_prefix(item.title, 80);
    case ReviewEntity::Assessment:
      return "";
  }
  return item.title;
}

}  // namespace hrtrack::followup
