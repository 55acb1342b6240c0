// Reminders: the daily job. It finds overdue progress updates (no update with a value for an
// indicator within its reporting frequency), action deadlines that are near or past, and items
// waiting for someone's review; records one notification per user and thing (running it twice
// adds nothing), and e-mails what has not been e-mailed yet through an SMTP server (libcurl).
#pragma once
#include <string>

#include "store/store.h"

namespace hrtrack::followup {

struct SmtpOptions {
  std::string url;                                 // "smtp://127.0.0.1:2525" ("" = no e-mail)
  std::string from;                                // "hrtrack@ministry.example"
  std::string username, password;                  // optional
  std::string base_url = "http://127.0.0.1:8080";  // links in the messages
};

struct ReminderOptions {
  std::string today;       // YYYY-MM-DD; "" = the real date (tests set the clock forward)
  int deadline_days = 30;  // remind of actions ending within this many days (and overdue ones)
};

struct ReminderReport {
  long created = 0;      // new notifications
  long emails_sent = 0;  // messages (one per user)
  long email_failures = 0;
  std::string last_error;
};

// Finds what is due and records notifications. Then, when smtp.url is set, e-mails every user
// with an address their notifications not yet e-mailed (one message per user).
ReminderReport run_reminders(Store& store, const ReminderOptions& opt, const SmtpOptions& smtp);

// Sends one plain-text UTF-8 message. Throws Error with the server's answer on failure.
void send_mail(const SmtpOptions& smtp, const std::string& to, const std::string& subject,
               const std::string& body);

// "2026-11-27" + n months (day clamped to the month's length).
std::string add_months(const std::string& date, int months);
// Days from a to b (b - a), for YYYY-MM-DD dates.
long days_between(const std::string& a, const std::string& b);

}  // namespace hrtrack::followup
