// Institutions and users: the rules for creating and changing them. Every function checks the
// permission table (access/permissions.h) for the acting principal, validates its input
// (InvalidArgument with a message naming the field), writes in one transaction, and leaves the
// change log to the store. Refusals throw access::Forbidden (naming the action) or NotFound for
// an id that does not exist (or that the principal may not know exists). Same thread rule as
// the Store.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "access/permissions.h"
#include "core/error.h"
#include "store/store.h"

namespace hrtrack::access {

// The principal of the command line: whoever can run `hrtrack --db` on the server can already
// read and write the database file, so the CLI acts as an administrator named "cli:<login>".
Principal system_principal();

// --- institutions ---
// Validates (code, name, type, parent without cycles, focal points and validator being users of
// the institution) and saves. Throws InvalidArgument naming the field.
Institution create_institution(Store& store, const Principal& p, Institution i);
void update_institution(Store& store, const Principal& p, const Institution& i);

// Whether `p` may see who belongs to `inst` (its users, focal points, contact details). A
// civil-society organisation's people are visible only to those the table grants
// identity.protected (the organisation itself and administrators): reprisal safety.
bool can_view_institution(const Principal& p, const Institution& inst);
void require_view_institution(const Principal& p, const Institution& inst);
// Whether `p` may see user `u` (its name, e-mail address, roles): themselves; with user.manage,
// anyone but the people of a civil-society organisation `p` may not see; with user.view, the
// people of institutions `p` may view.
bool can_view_user(Store& store, const Principal& p, const User& u);
// The institutions `p` may see listed (every one but civil-society organisations it may not
// see).
std::vector<Institution> visible_institutions(Store& store, const Principal& p);

// Validates everything about `i` but the uniqueness of its code (the store enforces it):
// code, name, type, a parent without cycles, focal points and validator being users of the
// institution. A parent or a user that `p` may not see gets the answer of one that does not
// exist. Throws InvalidArgument naming the field.
void check_institution(Store& store, const Principal& p, const Institution& i);
// An institution code: 1 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit.
bool valid_institution_code(const std::string& code);
// Whether `p` may not know that `i` exists: a civil-society organisation without
// identity.protected for it.
bool hidden_from(const Principal& p, const Institution& i);

// --- users ---
struct NewUser {
  std::string username, display_name, email;
  std::int64_t institution_id = 0;
  std::vector<std::string> roles;
  std::string password;  // "" = none yet: the user sets one with a reset link
};
User create_user(Store& store, const Principal& p, const NewUser& n);
void set_roles(Store& store, const Principal& p, std::int64_t user_id,
               std::vector<std::string> roles);
void set_disabled(Store& store, const Principal& p, std::int64_t user_id, bool disabled);
// Changes display name, e-mail and institution (user.manage).
void update_user_details(Store& store, const Principal& p, std::int64_t user_id,
                         const std::string& display_name, const std::string& email,
                         std::int64_t institution_id);

// Throws InvalidArgument when the roles do not fit the institution: civil_society only in a
// civil-society organisation (and nothing else there), nhri only in the NHRI, no "public".
void check_roles(const std::vector<std::string>& roles, const std::optional<Institution>& inst);

}  // namespace hrtrack::access

namespace hrtrack::access {

// Hides from `p` who is behind civil-society organisations in change-log entries: an entry
// about such an organisation, one of its users or their tokens shows "(protected)" for its
// values, and such a user as actor shows as "a civil society organisation", unless the table
// grants `p` identity.protected for that organisation. Caches lookups for one request.
class IdentityMask {
 public:
  IdentityMask(Store& store, const Principal& p) : store_(store), p_(p) {}
  void apply(ChangeEntry& e);
  static constexpr const char* kActor = "a civil society organisation";
  static constexpr const char* kValue = "(protected)";

 private:
  bool hidden_institution(std::int64_t id);
  bool hidden_user(std::int64_t id);
  Store& store_;
  const Principal& p_;
  std::map<std::int64_t, bool> inst_, user_;
  std::map<std::string, bool> actor_;
};

}  // namespace hrtrack::access
