// `hrtrack reminders` (the daily job) and `hrtrack policy ...` (national plans): the
// follow-up's commands, through followup/reminders.h and ingest/policy_csv.h.
#include <cstdlib>
#include <iostream>
#include <memory>

#include "access/directory.h"
#include "cli/commands.h"
#include "core/error.h"
#include "followup/reminders.h"
#include "ingest/policy_csv.h"

namespace hrtrack::cli {

void add_reminder_command(CLI::App& app, Context& ctx) {
  // --- reminders: the daily job ---
  struct RemOpts {
    followup::ReminderOptions rem;
    followup::SmtpOptions smtp;
  };
  auto ro = std::make_shared<RemOpts>();
  auto* rem = app.add_subcommand(
      "reminders",
      "The daily job: record reminders (overdue updates, deadlines, reviews) and e-mail them; "
      "run it from cron or a systemd timer once a day");
  rem->add_option("--today", ro->rem.today, "Act as if today were this date (YYYY-MM-DD)");
  rem->add_option("--deadline-days", ro->rem.deadline_days,
                  "Remind of actions ending within this many days")
      ->capture_default_str();
  rem->add_option("--smtp", ro->smtp.url,
                  "SMTP server, e.g. smtp://127.0.0.1:25 (none: no e-mail)");
  rem->add_option("--from", ro->smtp.from, "Sender address of the e-mails");
  rem->add_option("--smtp-user", ro->smtp.username, "SMTP user name (then TLS is required)");
  rem->add_option("--base-url", ro->smtp.base_url, "Address of the portal, for links")
      ->capture_default_str();
  rem->callback([&ctx, ro] {
    ctx.action = [&ctx, ro] {
      auto s = open_db(ctx.db);
      if (!ro->smtp.url.empty() && ro->smtp.from.empty())
        throw InvalidArgument("--from is required with --smtp");
      if (const char* pw = std::getenv("HRTRACK_SMTP_PASSWORD")) ro->smtp.password = pw;
      auto rep = followup::run_reminders(*s, ro->rem, ro->smtp);
      std::cout << rep.created << " new reminders; " << rep.emails_sent << " e-mails sent";
      if (rep.email_failures)
        std::cout << "; " << rep.email_failures << " failed (" << rep.last_error << ")";
      std::cout << "\n";
      return rep.email_failures ? 1 : 0;
    };
  });
}

void add_policy_commands(CLI::App& app, Context& ctx) {
  // --- national plans ---
  auto pfile = std::make_shared<std::string>();
  auto* policy = app.add_subcommand(
      "policy", "National plans (human rights action plan, development plan) and their items");
  policy->require_subcommand(1);
  auto* pimp = policy->add_subcommand(
      "import", "Create or update plans and items from CSV: kind,plan,period,code,title");
  pimp->add_option("file", *pfile)->required()->check(CLI::ExistingFile);
  pimp->callback([&ctx, pfile] {
    ctx.action = [&ctx, pfile] {
      auto s = open_db(ctx.db);
      auto r = ingest::import_policy_csv(*s, access::system_principal(), *pfile);
      for (const auto& p : r.problems) std::cerr << p.to_string() << "\n";
      if (!r.problems.empty()) {
        std::cerr << "nothing imported: " << r.problems.size() << " problems found\n";
        return 1;
      }
      std::cout << *pfile << ": " << r.plans_created << " plans and " << r.items_created
                << " items created, " << r.items_updated << " items updated\n";
      return 0;
    };
  });
  auto* plist = policy->add_subcommand("list", "List national plans and their items");
  plist->callback([&ctx] {
    ctx.action = [&ctx] {
      auto s = open_db(ctx.db);
      auto items = s->followup().policy_items();
      for (const auto& pp : s->followup().policy_plans()) {
        std::cout << pp.kind << "  " << pp.name << (pp.period.empty() ? "" : " (" + pp.period + ")")
                  << "\n";
        for (const auto& it : items)
          if (it.policy_plan_id == pp.id) std::cout << "  " << it.code << "  " << it.title << "\n";
      }
      return 0;
    };
  });
}

}  // namespace hrtrack::cli
