#include "core/vocabulary.h"

namespace hrtrack {

int upr_cycle_of_session(int session) {
  if (session <= 0) return 0;
  if (session <= 12) return 1;
  return 2 + (session - 13) / 14;
}

}  // namespace hrtrack
