#include "core/access_json.h"

namespace hrtrack {

using ojson = nlohmann::ordered_json;

namespace {

ojson ref(std::int64_t id) {
  return id ? ojson(id) : ojson(nullptr);
}
ojson opt(const std::optional<std::string>& s) {
  return s ? ojson(*s) : ojson(nullptr);
}

}  // namespace

ojson to_json(const Institution& i) {
  return {{"id", i.id},
          {"code", i.code},
          {"name", i.name},
          {"type", i.type},
          {"parent_id", ref(i.parent_id)},
          {"main_focal_id", ref(i.main_focal_id)},
          {"alternate_focal_id", ref(i.alternate_focal_id)},
          {"validator_id", ref(i.validator_id)},
          {"created_at", i.created_at},
          {"updated_at", i.updated_at}};
}

ojson to_json(const User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"email", u.email},
          {"institution_id", ref(u.institution_id)},
          {"roles", u.roles},
          {"disabled_at", opt(u.disabled_at)},
          {"last_sign_in_at", opt(u.last_sign_in_at)},
          {"created_at", u.created_at},
          {"updated_at", u.updated_at}};
}

ojson to_json(const ApiToken& t) {
  return {{"id", t.id},
          {"user_id", t.user_id},
          {"name", t.name},
          {"scope", t.scope},
          {"created_at", t.created_at},
          {"last_used_at", opt(t.last_used_at)},
          {"revoked_at", opt(t.revoked_at)}};
}

}  // namespace hrtrack
