// `hrtrack user ...` and `hrtrack institution ...`: users, roles, resets, API tokens and
// institutions, through access/directory.h and access/auth.h as the command-line principal
// (access::system_principal()).
#include "cli/commands.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "access/auth.h"
#include "access/directory.h"
#include "core/error.h"
#include "core/text.h"
#include "ingest/institutions_csv.h"
#include "store/store.h"

namespace hrtrack::cli {

namespace {

User find_user(Store& s, const std::string& name) {
  auto u = s.access().user_by_name(name);
  if (!u) throw NotFound("no user named '" + name + "' (see `hrtrack user list`)");
  return *u;
}

Institution find_institution(Store& s, const std::string& code) {
  auto i = s.access().institution_by_code(code);
  if (!i)
    throw NotFound("no institution with code '" + code + "' (see `hrtrack institution list`)");
  return *i;
}

std::int64_t user_id_or_zero(Store& s, const std::string& name) {
  return name.empty() ? 0 : find_user(s, name).id;
}

std::string read_password_stdin() {
  std::string pw;
  std::getline(std::cin, pw);
  if (!pw.empty() && pw.back() == '\r') pw.pop_back();
  return pw;
}

void print_reset(const std::string& username, const std::string& token,
                 const std::string& base_url) {
  std::cout << "one-time link for " << username << " to set a password (valid 48 hours):\n  "
            << base_url << "/reset?token=" << token << "\n";
}

}  // namespace

void add_user_commands(CLI::App& app, Context& ctx) {
  // Option values live as long as the App: shared_ptrs captured by the callbacks.
  auto* user = app.add_subcommand("user", "Users, roles, password resets and API tokens");
  user->require_subcommand(1);

  struct UserOpts {
    std::string username, name, email, institution, base_url = "http://127.0.0.1:8080";
    std::vector<std::string> roles, add, remove;
    bool password_stdin = false;
    std::string format = "text";
    std::string token_name, scope = "read";
    long revoke = 0;
    bool list = false;
  };
  auto uo = std::make_shared<UserOpts>();

  auto* add = user->add_subcommand("add", "Create a user");
  add->add_option("username", uo->username, "Sign-in name")->required();
  add->add_option("--name", uo->name, "Full name as shown to colleagues")->required();
  add->add_option("--email", uo->email, "E-mail address (for reminders and resets)");
  add->add_option("--institution", uo->institution, "Institution code");
  add->add_option("--role", uo->roles, "A role (repeat for several)")->required();
  add->add_flag("--password-stdin", uo->password_stdin,
                "Read the password from standard input (else a one-time link is printed)");
  add->add_option("--base-url", uo->base_url, "Address of the portal, for the link")
      ->capture_default_str();
  add->callback([&ctx, uo] {
    ctx.action = [&ctx, uo] {
      auto s = open_db(ctx.db);
      access::NewUser n;
      n.username = uo->username;
      n.display_name = uo->name;
      n.email = uo->email;
      n.roles = uo->roles;
      if (!uo->institution.empty()) n.institution_id = find_institution(*s, uo->institution).id;
      if (uo->password_stdin) n.password = read_password_stdin();
      auto u = access::create_user(*s, access::system_principal(), n);
      std::cout << "user " << u.username << " created (id " << u.id << ", roles "
                << join(u.roles, ",") << ")\n";
      if (!uo->password_stdin)
        print_reset(u.username,
                    access::Auth(*s).issue_reset(u.id, access::system_principal().username),
                    uo->base_url);
      return 0;
    };
  });

  auto* list = user->add_subcommand("list", "List users");
  list->add_option("--institution", uo->institution, "Only this institution (code)");
  list->add_option("--format", uo->format, "text or csv")->check(CLI::IsMember({"text", "csv"}));
  list->callback([&ctx, uo] {
    ctx.action = [&ctx, uo] {
      auto s = open_db(ctx.db);
      std::int64_t iid = uo->institution.empty() ? 0 : find_institution(*s, uo->institution).id;
      auto users = s->access().users(iid);
      auto code_of = [&](std::int64_t id) -> std::string {
        if (!id) return "";
        auto i = s->access().institution(id);
        return i ? i->code : "";
      };
      if (uo->format == "csv") {
        std::cout << "id,username,display_name,email,institution,roles,disabled_at,"
                     "last_sign_in_at\r\n";
        for (const auto& u : users)
          std::cout << u.id << "," << csv_quote(u.username) << "," << csv_quote(u.display_name)
                    << "," << csv_quote(u.email) << "," << csv_quote(code_of(u.institution_id))
                    << "," << csv_quote(join(u.roles, ",")) << "," << u.disabled_at.value_or("")
                    << "," << u.last_sign_in_at.value_or("") << "\r\n";
      } else {
        for (const auto& u : users)
          std::printf("%-20s %-28s %-12s %-30s%s\n", u.username.c_str(), u.display_name.c_str(),
                      code_of(u.institution_id).c_str(), join(u.roles, ",").c_str(),
                      u.disabled_at ? "  (disabled)" : "");
      }
      return 0;
    };
  });

  auto* role = user->add_subcommand("role", "Set, add or remove roles");
  role->add_option("username", uo->username)->required();
  role->add_option("--set", uo->roles, "The roles (replacing all)");
  role->add_option("--add", uo->add, "Add a role");
  role->add_option("--remove", uo->remove, "Remove a role");
  role->callback([&ctx, uo] {
    ctx.action = [&ctx, uo] {
      auto s = open_db(ctx.db);
      auto u = find_user(*s, uo->username);
      std::vector<std::string> roles = uo->roles.empty() ? u.roles : uo->roles;
      for (const auto& r : uo->add) roles.push_back(r);
      std::erase_if(roles, [&](const std::string& r) {
        return std::find(uo->remove.begin(), uo->remove.end(), r) != uo->remove.end();
      });
      access::set_roles(*s, access::system_principal(), u.id, roles);
      std::cout << u.username << ": roles " << join(find_user(*s, u.username).roles, ",") << "\n";
      return 0;
    };
  });

  for (bool disable : {true, false}) {
    auto* c = user->add_subcommand(disable ? "disable" : "enable",
                                   disable ? "Disable a user: their sessions and tokens stop "
                                             "working at once"
                                           : "Enable a disabled user again");
    c->add_option("username", uo->username)->required();
    c->callback([&ctx, uo, disable] {
      ctx.action = [&ctx, uo, disable] {
        auto s = open_db(ctx.db);
        auto u = find_user(*s, uo->username);
        access::set_disabled(*s, access::system_principal(), u.id, disable);
        std::cout << u.username << (disable ? " disabled" : " enabled") << "\n";
        return 0;
      };
    });
  }

  auto* reset = user->add_subcommand("reset", "Issue a one-time link to set a new password");
  reset->add_option("username", uo->username)->required();
  reset->add_option("--base-url", uo->base_url, "Address of the portal")->capture_default_str();
  reset->callback([&ctx, uo] {
    ctx.action = [&ctx, uo] {
      auto s = open_db(ctx.db);
      auto u = find_user(*s, uo->username);
      access::require(access::system_principal(), "user.manage", {u.institution_id});
      print_reset(u.username,
                  access::Auth(*s).issue_reset(u.id, access::system_principal().username),
                  uo->base_url);
      return 0;
    };
  });

  auto* token = user->add_subcommand("token", "Create, list or revoke API tokens of a user");
  token->add_option("username", uo->username)->required();
  token->add_option("--name", uo->token_name, "Create a token with this name");
  token->add_option("--scope", uo->scope, "read (GET only) or write")
      ->check(CLI::IsMember({"read", "write"}))
      ->capture_default_str();
  token->add_option("--revoke", uo->revoke, "Revoke the token with this id");
  token->add_flag("--list", uo->list, "List the user's tokens");
  token->callback([&ctx, uo] {
    ctx.action = [&ctx, uo] {
      auto s = open_db(ctx.db);
      auto u = find_user(*s, uo->username);
      access::require(access::system_principal(), "user.manage", {u.institution_id});
      access::Auth auth(*s);
      auto p = access::principal_of(*s, u);
      if (!uo->token_name.empty()) {
        auto [t, secret] =
            auth.create_token(p, uo->token_name, uo->scope, access::system_principal().username);
        std::cout << "token " << t.id << " (" << t.scope << ") for " << u.username
                  << "; shown once, stored only as a hash:\n"
                  << secret << "\n";
      } else if (uo->revoke) {
        auth.revoke_token(p, uo->revoke, access::system_principal().username);
        std::cout << "token " << uo->revoke << " revoked\n";
      } else {
        for (const auto& t : s->access().tokens_of(u.id))
          std::printf("%4lld  %-24s %-5s created %s%s%s\n", static_cast<long long>(t.id),
                      t.name.c_str(), t.scope.c_str(), t.created_at.c_str(),
                      t.last_used_at ? ("  last used " + *t.last_used_at).c_str() : "",
                      t.revoked_at ? "  REVOKED" : "");
      }
      return 0;
    };
  });
}

void add_institution_commands(CLI::App& app, Context& ctx) {
  auto* inst = app.add_subcommand("institution", "Institutions: ministries, agencies, NHRI, ...");
  inst->require_subcommand(1);
  // --- institutions ---
  struct InstOpts {
    std::string code, name, type, parent, main_focal, alternate_focal, validator, file;
  };
  auto io = std::make_shared<InstOpts>();
  auto* iadd = inst->add_subcommand("add", "Create an institution");
  iadd->add_option("code", io->code, "Short code (MOJ, MOJ-DHR)")->required();
  iadd->add_option("--name", io->name)->required();
  iadd->add_option("--type", io->type, join(institution_types(), ", "))->required();
  iadd->add_option("--parent", io->parent, "Code of the parent institution");
  iadd->callback([&ctx, io] {
    ctx.action = [&ctx, io] {
      auto s = open_db(ctx.db);
      Institution i;
      i.code = io->code;
      i.name = io->name;
      i.type = io->type;
      if (!io->parent.empty()) i.parent_id = find_institution(*s, io->parent).id;
      i = access::create_institution(*s, access::system_principal(), i);
      std::cout << "institution " << i.code << " created (id " << i.id << ")\n";
      return 0;
    };
  });
  auto* iset = inst->add_subcommand("set", "Change an institution; focal points by user name");
  iset->add_option("code", io->code)->required();
  iset->add_option("--name", io->name);
  iset->add_option("--type", io->type);
  iset->add_option("--parent", io->parent, "Parent code ('-' for none)");
  iset->add_option("--main-focal", io->main_focal, "User name ('-' for none)");
  iset->add_option("--alternate-focal", io->alternate_focal, "User name ('-' for none)");
  iset->add_option("--validator", io->validator, "User name ('-' for none)");
  iset->callback([&ctx, io] {
    ctx.action = [&ctx, io] {
      auto s = open_db(ctx.db);
      auto i = find_institution(*s, io->code);
      if (!io->name.empty()) i.name = io->name;
      if (!io->type.empty()) i.type = io->type;
      if (!io->parent.empty())
        i.parent_id = io->parent == "-" ? 0 : find_institution(*s, io->parent).id;
      auto user_ref = [&](const std::string& v, std::int64_t& slot) {
        if (!v.empty()) slot = v == "-" ? 0 : user_id_or_zero(*s, v);
      };
      user_ref(io->main_focal, i.main_focal_id);
      user_ref(io->alternate_focal, i.alternate_focal_id);
      user_ref(io->validator, i.validator_id);
      access::update_institution(*s, access::system_principal(), i);
      std::cout << "institution " << i.code << " saved\n";
      return 0;
    };
  });
  auto* ilist = inst->add_subcommand("list", "List institutions");
  ilist->callback([&ctx] {
    ctx.action = [&ctx] {
      auto s = open_db(ctx.db);
      auto all = s->access().institutions();
      auto code_of = [&](std::int64_t id) -> std::string {
        for (const auto& i : all)
          if (i.id == id) return i.code;
        return "";
      };
      for (const auto& i : all)
        std::printf("%-14s %-14s %-14s %s\n", i.code.c_str(), i.type.c_str(),
                    code_of(i.parent_id).c_str(), i.name.c_str());
      return 0;
    };
  });
  auto* iimp = inst->add_subcommand(
      "import",
      "Create or update institutions from CSV: code,name,type,parent_code,main_focal,"
      "alternate_focal,validator (all or nothing)");
  iimp->add_option("file", io->file)->required()->check(CLI::ExistingFile);
  iimp->callback([&ctx, io] {
    ctx.action = [&ctx, io] {
      auto s = open_db(ctx.db);
      auto r = ingest::import_institutions_csv(*s, access::system_principal(), io->file);
      for (const auto& p : r.problems) std::cerr << p.to_string() << "\n";
      if (!r.problems.empty()) {
        std::cerr << "nothing imported: " << r.problems.size() << " problem"
                  << (r.problems.size() == 1 ? "" : "s") << " found\n";
        return 1;
      }
      std::cout << io->file << ": " << r.created << " institutions created, " << r.updated
                << " updated\n";
      return 0;
    };
  });
}

}  // namespace hrtrack::cli
