// Roles, the permission table and its checker, passwords, sessions, tokens, throttling,
// institutions and users (src/access).
#include <gtest/gtest.h>

#include <unistd.h>
#include "temp_db.h"

#include <filesystem>
#include <fstream>

#include "access/auth.h"
#include "access/directory.h"
#include "access/permissions.h"
#include "ingest/institutions_csv.h"
#include "store/store.h"

using namespace hrtrack;
using namespace hrtrack::access;

namespace {

Principal with_roles(std::vector<std::string> roles, std::int64_t institution = 7) {
  Principal p;
  p.user_id = 1;
  p.username = "x";
  p.institution_id = institution;
  p.roles = std::move(roles);
  return p;
}

Institution inst(std::string code, std::string name, std::string type, std::int64_t parent = 0) {
  Institution i;
  i.code = std::move(code);
  i.name = std::move(name);
  i.type = std::move(type);
  i.parent_id = parent;
  return i;
}

}  // namespace

TEST(Permissions, TableParsesAndRefusesBadCells) {
  auto t = PermissionTable::parse(
      "action,administrator,coordinator,focal_point,validator,nhri,civil_society,parliament,"
      "reviewer,public,description\n"
      "a.b,any,own,-,-,-,-,-,-,-,\"x, y\"\n");
  ASSERT_EQ(t.rows().size(), 1u);
  EXPECT_EQ(t.rows()[0].scope.at("coordinator"), Scope::Own);
  EXPECT_EQ(t.rows()[0].description, "x, y");
  try {
    PermissionTable::parse(
        "action,administrator,coordinator,focal_point,validator,nhri,civil_society,parliament,"
        "reviewer,public,description\na.b,any,mine,-,-,-,-,-,-,-,d\n");
    FAIL() << "a bad cell was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("row 2, column coordinator"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(PermissionTable::parse("action,admin,description\n"), Error);
  EXPECT_THROW(permissions().row("no.such.action"), Error);
}

TEST(Permissions, OwnMeansTheSameInstitutionAndAnyMeansEvery) {
  // From the compiled-in table: focal_point has institution.view `own`, coordinator `any`.
  ASSERT_EQ(permissions().row("institution.view").scope.at("focal_point"), Scope::Own);
  ASSERT_EQ(permissions().row("institution.view").scope.at("coordinator"), Scope::Any);
  auto fp = with_roles({"focal_point"}, 7);
  EXPECT_TRUE(allowed(fp, "institution.view", {7}));
  EXPECT_FALSE(allowed(fp, "institution.view", {8}));
  EXPECT_FALSE(allowed(fp, "institution.view", {0}));
  auto homeless = with_roles({"focal_point"}, 0);
  EXPECT_FALSE(allowed(homeless, "institution.view", {0}));  // 0 == 0 is not "own"
  auto co = with_roles({"coordinator"}, 7);
  EXPECT_TRUE(allowed(co, "institution.view", {8}));
  // Several roles: the widest scope wins.
  auto both = with_roles({"focal_point", "reviewer"}, 7);
  EXPECT_TRUE(allowed(both, "institution.view", {8}));
  // The public: only what the table's public column grants.
  Principal anon;
  EXPECT_TRUE(allowed(anon, "record.read"));
  EXPECT_FALSE(allowed(anon, "record.history"));
  EXPECT_THROW(require(anon, "log.view"), Forbidden);
  EXPECT_NO_THROW(require(co, "log.view"));
}

TEST(Passwords, PolicyHashAndVerify) {
  EXPECT_TRUE(password_problem("short", "ana").has_value());
  EXPECT_TRUE(password_problem("Password1234", "ana").has_value());  // common, any case
  EXPECT_TRUE(password_problem("ana-is-my-name-really", "ana").has_value());
  EXPECT_TRUE(password_problem("aaaaaaaaaaaaaaaa", "bob").has_value());
  EXPECT_TRUE(password_problem(std::string("abcdefghijk\xff", 12), "bob").has_value());
  EXPECT_FALSE(password_problem("contraseña segura", "bob").has_value());
  // 11 characters but 12 bytes: counted in characters, refused.
  EXPECT_TRUE(password_problem("contraseñaa", "bob").has_value());
  auto h = hash_password("orange river candle");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u) << h;
  EXPECT_TRUE(verify_password(h, "orange river candle"));
  EXPECT_FALSE(verify_password(h, "orange river candlE"));
  EXPECT_FALSE(verify_password("", ""));
  EXPECT_NE(hash_password("orange river candle"), h);  // salted
}

TEST(Secrets, RandomTokensAndHashes) {
  auto a = random_token(), b = random_token();
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  // SHA-256("abc"), FIPS 180-2 test vector.
  EXPECT_EQ(secret_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

namespace {

struct World {
  TempDb t;
  std::unique_ptr<Store> store = open_store(t.path);
  Principal root = system_principal();
  Institution a, b, cso;
  User ana;

  World() {
    a = create_institution(*store, root, inst("A", "Ministry A", "executive"));
    b = create_institution(*store, root, inst("B", "Ministry B", "executive"));
    cso = create_institution(*store, root, inst("CSO", "Defenders", "civil_society"));
    ana =
        create_user(*store, root,
                    {"ana", "Ana", "ana@a.example", a.id, {"focal_point"}, "orange river candle"});
  }
};

}  // namespace

TEST(Auth, SignInRotatesSessionsAndThrottlesBeforeHashing) {
  World w;
  Auth auth(*w.store);
  auto r1 = auth.sign_in("ana", "orange river candle", "10.0.0.1");
  ASSERT_EQ(r1.status, SignInStatus::Ok);
  ASSERT_TRUE(auth.session(r1.session_token));
  EXPECT_EQ(auth.session(r1.session_token)->principal.institution_id, w.a.id);
  auto r2 = auth.sign_in("ANA", "orange river candle", "10.0.0.1", r1.session_token);
  ASSERT_EQ(r2.status, SignInStatus::Ok);  // user names are case-insensitive
  EXPECT_NE(r1.session_token, r2.session_token);
  EXPECT_FALSE(auth.session(r1.session_token));  // the old session was replaced
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(auth.sign_in("ana", "wrong", "10.0.0.2").status, SignInStatus::Wrong);
  EXPECT_EQ(auth.sign_in("ana", "orange river candle", "10.0.0.3").status, SignInStatus::Throttled);
  EXPECT_EQ(auth.sign_in("nobody", "x", "10.0.0.4").status, SignInStatus::Wrong);
  // Disabling ends the session at once.
  set_disabled(*w.store, w.root, w.ana.id, true);
  EXPECT_FALSE(auth.session(r2.session_token));
}

TEST(Auth, ThrottlesPerAddress) {
  World w;
  AuthOptions opt;
  opt.max_failures_per_address = 3;
  Auth auth(*w.store, opt);
  for (int i = 0; i < 3; ++i) auth.sign_in("user" + std::to_string(i), "x", "10.9.9.9");
  EXPECT_EQ(auth.sign_in("ana", "orange river candle", "10.9.9.9").status, SignInStatus::Throttled);
  EXPECT_EQ(auth.sign_in("ana", "orange river candle", "10.9.9.8").status, SignInStatus::Ok);
}

TEST(Auth, TokensAreHashedScopedAndRevocable) {
  World w;
  Auth auth(*w.store);
  auto p = principal_of(*w.store, w.ana);
  auto [t, secret] = auth.create_token(p, "sync", "read");
  EXPECT_EQ(secret.rfind("hrt_", 0), 0u);
  EXPECT_EQ(t.token_hash, secret_hash(secret));
  auto tp = auth.token_principal(secret);
  ASSERT_TRUE(tp);
  EXPECT_TRUE(tp->read_only);
  EXPECT_TRUE(tp->via_token);
  EXPECT_THROW(auth.create_token(p, "x", "admin"), InvalidArgument);
  auth.revoke_token(p, t.id);
  EXPECT_FALSE(auth.token_principal(secret));
  EXPECT_THROW(auth.revoke_token(p, 999), NotFound);
}

TEST(Auth, ResetTokensWorkOnce) {
  World w;
  Auth auth(*w.store);
  auto token = auth.issue_reset(w.ana.id, "admin");
  auto second = auth.issue_reset(w.ana.id, "admin");  // cancels the first
  EXPECT_THROW(auth.reset_password(token, "violet harbour lantern"), InvalidArgument);
  token = second;
  EXPECT_THROW(auth.reset_password(token, "short"), InvalidArgument);
  // The failed attempt rolled back: the token still works once.
  auth.reset_password(token, "violet harbour lantern");
  EXPECT_THROW(auth.reset_password(token, "violet harbour lantern 2"), InvalidArgument);
  EXPECT_EQ(auth.sign_in("ana", "violet harbour lantern", "").status, SignInStatus::Ok);
}

TEST(Directory, RolesFitTheInstitution) {
  World w;
  EXPECT_THROW(create_user(*w.store, w.root, {"c1", "C", "", w.a.id, {"civil_society"}, ""}),
               InvalidArgument);
  EXPECT_THROW(create_user(*w.store, w.root, {"c2", "C", "", w.cso.id, {"coordinator"}, ""}),
               InvalidArgument);
  EXPECT_THROW(create_user(*w.store, w.root, {"n1", "N", "", w.a.id, {"nhri"}, ""}),
               InvalidArgument);
  EXPECT_THROW(create_user(*w.store, w.root, {"p", "P", "", w.a.id, {"public"}, ""}),
               InvalidArgument);
  EXPECT_THROW(create_user(*w.store, w.root, {"bad name!", "P", "", w.a.id, {"reviewer"}, ""}),
               InvalidArgument);
  EXPECT_THROW(create_user(*w.store, w.root, {"ana", "Dup", "", w.a.id, {"reviewer"}, ""}),
               InvalidArgument);
  EXPECT_NO_THROW(create_user(*w.store, w.root, {"c3", "C", "", w.cso.id, {"civil_society"}, ""}));
  // A coordinator may not manage users (the table gives user.manage to administrators).
  auto co = with_roles({"coordinator"}, w.a.id);
  EXPECT_THROW(create_user(*w.store, co, {"z", "Z", "", w.a.id, {"reviewer"}, ""}), Forbidden);
}

TEST(Directory, InstitutionRulesAndCycles) {
  World w;
  auto child = create_institution(*w.store, w.root, inst("A-1", "Dept", "executive", w.a.id));
  Institution a = w.a;
  a.parent_id = child.id;
  EXPECT_THROW(update_institution(*w.store, w.root, a), InvalidArgument);  // a cycle
  a.parent_id = 0;
  a.main_focal_id = w.ana.id;
  EXPECT_NO_THROW(update_institution(*w.store, w.root, a));
  Institution b = w.b;
  b.main_focal_id = w.ana.id;  // ana belongs to A
  EXPECT_THROW(update_institution(*w.store, w.root, b), InvalidArgument);
  EXPECT_THROW(create_institution(*w.store, w.root, inst("A", "Again", "executive")),
               InvalidArgument);
  EXPECT_THROW(create_institution(*w.store, w.root, inst("Q", "Q", "ministry")), InvalidArgument);
  // A focal point cannot edit even its own institution.
  auto fp = principal_of(*w.store, w.ana);
  EXPECT_THROW(update_institution(*w.store, fp, a), Forbidden);
}

TEST(Directory, InstitutionCsvIsAllOrNothing) {
  World w;
  auto csv = std::filesystem::path(w.t.path).replace_extension(".csv").string();
  {
    std::ofstream f(csv);
    f << "code,name,type,parent_code\n"
         "D2,Agency,executive,D1\n"  // its parent comes later in the file
         "D1,Department,executive,A\n"
         "X1,Loop one,executive,X2\n"
         "X2,Loop two,executive,X1\n"
         "Y,Bad type,ministry,\n";
  }
  auto r = ingest::import_institutions_csv(*w.store, w.root, csv);
  EXPECT_EQ(r.created, 0);
  ASSERT_GE(r.problems.size(), 2u);
  bool cycle = false, type = false;
  for (const auto& p : r.problems) {
    cycle = cycle || p.reason.find("cycle") != std::string::npos;
    type = type || (p.row == 6 && p.column == "type");
  }
  EXPECT_TRUE(cycle);
  EXPECT_TRUE(type);
  EXPECT_FALSE(w.store->access().institution_by_code("D1"));  // nothing written
  {
    std::ofstream f(csv);
    f << "code,name,type,parent_code,main_focal\n"
         "D2,Agency,executive,D1,\n"
         "D1,Department,executive,A,\n"
         "A,Ministry A (renamed),executive,,ana\n";
  }
  r = ingest::import_institutions_csv(*w.store, w.root, csv);
  EXPECT_TRUE(r.problems.empty()) << r.problems.front().to_string();
  EXPECT_EQ(r.created, 2);
  EXPECT_EQ(r.updated, 1);
  auto d2 = w.store->access().institution_by_code("D2");
  ASSERT_TRUE(d2);
  EXPECT_EQ(d2->parent_id, w.store->access().institution_by_code("D1")->id);
  EXPECT_EQ(w.store->access().institution(w.a.id)->main_focal_id, w.ana.id);
  std::filesystem::remove(csv);
}

TEST(Directory, IdentityMaskHidesCivilSociety) {
  World w;
  auto rosa = create_user(*w.store, w.root,
                          {"rosa", "Rosa", "rosa@x.example", w.cso.id, {"civil_society"}, ""});
  ChangeFilter f;
  f.entity = "user";
  f.entity_id = std::to_string(rosa.id);
  std::vector<ChangeEntry> seen;
  w.store->for_each_change(f, [&](const ChangeEntry& e) { seen.push_back(e); });
  ASSERT_FALSE(seen.empty());
  auto co = with_roles({"coordinator"}, w.a.id);
  auto for_coordinator = seen.front();
  IdentityMask(*w.store, co).apply(for_coordinator);
  EXPECT_EQ(*for_coordinator.after, IdentityMask::kValue);
  auto for_admin = seen.front();
  IdentityMask(*w.store, w.root).apply(for_admin);
  EXPECT_NE(for_admin.after->find("rosa@x.example"), std::string::npos);
  auto for_rosa = seen.front();
  IdentityMask(*w.store, principal_of(*w.store, rosa)).apply(for_rosa);
  EXPECT_NE(for_rosa.after->find("rosa@x.example"), std::string::npos);
  // Rosa as the actor of a change is masked too.
  ChangeEntry e;
  e.actor = "rosa";
  e.entity = "recommendation";
  e.after = "x";
  IdentityMask(*w.store, co).apply(e);
  EXPECT_EQ(e.actor, IdentityMask::kActor);
  EXPECT_EQ(*e.after, "x");
}
