#include "core/access.h"

#include <algorithm>

namespace hrtrack {

const std::vector<std::string>& institution_types() {
  static const std::vector<std::string> t = {"executive",     "legislature", "judiciary", "nhri",
                                             "civil_society", "un_agency",   "other"};
  return t;
}

bool is_institution_type(std::string_view type) {
  const auto& t = institution_types();
  return std::find(t.begin(), t.end(), type) != t.end();
}

}  // namespace hrtrack
