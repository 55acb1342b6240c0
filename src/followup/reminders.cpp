#include "followup/reminders.h"

#include "followup/followup.h"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <map>
#include <set>

#include "access/auth.h"
#include "core/error.h"
#include "core/text.h"

namespace hrtrack::followup {

namespace {

struct Ymd {
  int y = 0, m = 0, d = 0;
};

Ymd parse_ymd(const std::string& s) {
  Ymd r;
  if (s.size() < 10) return r;
  r.y = static_cast<int>(parse_int(s.substr(0, 4)).value_or(0));
  r.m = static_cast<int>(parse_int(s.substr(5, 2)).value_or(0));
  r.d = static_cast<int>(parse_int(s.substr(8, 2)).value_or(0));
  return r;
}

int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

std::string format_ymd(const Ymd& v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", v.y, v.m, v.d);
  return buf;
}

// Days since 1970-01-01 (civil calendar).
long day_number(const Ymd& v) {
  using namespace std::chrono;
  return sys_days(year_month_day(year(v.y), month(static_cast<unsigned>(v.m)),
                                 day(static_cast<unsigned>(v.d))))
      .time_since_epoch()
      .count();
}

std::string today_utc() {
  return now_iso().substr(0, 10);
}

}  // namespace

std::string add_months(const std::string& date, int months) {
  Ymd v = parse_ymd(date);
  if (!v.y) return date;
  int total = v.y * 12 + (v.m - 1) + months;
  v.y = total / 12;
  v.m = total % 12 + 1;
  v.d = std::min(v.d, days_in_month(v.y, v.m));
  return format_ymd(v);
}

long days_between(const std::string& a, const std::string& b) {
  return day_number(parse_ymd(b)) - day_number(parse_ymd(a));
}

namespace {

// The people to remind for an institution: its focal points (the designated main and
// alternate ones, and every active user holding the focal_point role there).
std::vector<User> focal_points(Store& store, std::int64_t institution_id) {
  std::vector<User> out;
  auto inst = store.access().institution(institution_id);
  for (auto& u : store.access().users(institution_id)) {
    if (u.disabled_at) continue;
    bool focal = std::find(u.roles.begin(), u.roles.end(), "focal_point") != u.roles.end() ||
                 (inst && (u.id == inst->main_focal_id || u.id == inst->alternate_focal_id));
    if (focal) out.push_back(std::move(u));
  }
  return out;
}

std::vector<User> with_role(Store& store, const std::string& role, std::int64_t institution_id) {
  std::vector<User> out;
  auto inst = institution_id ? store.access().institution(institution_id) : std::nullopt;
  for (auto& u : store.access().users(institution_id)) {
    if (u.disabled_at) continue;
    bool has = std::find(u.roles.begin(), u.roles.end(), role) != u.roles.end() ||
               (role == "validator" && inst && u.id == inst->validator_id);
    if (has) out.push_back(std::move(u));
  }
  return out;
}

std::string where(const Plan& x) {
  return x.rec_uid.empty() ? "/clusters/" + std::to_string(x.cluster_id) : "/followup/" + x.rec_uid;
}

}  // namespace

ReminderReport run_reminders(Store& store, const ReminderOptions& opt, const SmtpOptions& smtp) {
  ReminderReport rep;
  const std::string today = opt.today.empty() ? today_utc() : opt.today;
  auto& f = store.followup();
  auto txn = store.begin();
  auto notify = [&](const User& u, const std::string& kind, const std::string& key,
                    const std::string& message, const std::string& link) {
    Notification n;
    n.user_id = u.id;
    n.kind = kind;
    n.key = key;
    n.message = message;
    n.link = link;
    if (f.add_notification(n)) ++rep.created;
  };

  for (const auto& x : f.all_plans()) {
    // Only adopted plans are followed: from validation on.
    if (x.state != ItemState::Validated && x.state != ItemState::Approved &&
        x.state != ItemState::Published)
      continue;
    auto updates = f.updates_of_plan(x.id);
    // --- overdue updates: per indicator, the last update (not a draft) with a value for it ---
    for (const auto& ind : x.indicators) {
      std::string last = x.created_at.substr(0, 10);
      for (const auto& u : updates)
        if (u.state != ItemState::Draft && u.values.count(ind.id) && u.update_date > last)
          last = u.update_date;
      std::string due = add_months(last, ind.frequency_months);
      if (due >= today) continue;
      for (const auto& u : focal_points(store, x.institution_id))
        notify(u, "overdue_update", "overdue:indicator:" + std::to_string(ind.id) + ":" + due,
               "No progress on \"" + ind.name + "\" (plan \"" + x.title + "\") since " + last +
                   "; an update was due by " + due + ".",
               where(x));
    }
    // --- action deadlines: near (within deadline_days) or past ---
    for (const auto& a : x.actions) {
      if (a.end_date.empty()) continue;
      long left = days_between(today, a.end_date);
      if (left > opt.deadline_days) continue;
      std::string msg = left >= 0
                            ? "Action due in " + std::to_string(left) + " days (" + a.end_date +
                                  "): " + a.description
                            : "Action past its end date (" + a.end_date + "): " + a.description;
      for (const auto& u : focal_points(store, a.institution_id))
        notify(u, "deadline",
               "deadline:action:" + std::to_string(a.id) + ":" + a.end_date +
                   (left < 0 ? ":past" : ":near"),
               shorten_for_display(msg, 400), where(x));
    }
  }

  // --- waiting for review ---
  using S = ItemState;
  for (const auto& it : f.review_items({S::Submitted, S::Validated, S::Approved}, 0)) {
    std::string entity(to_string(it.entity));
    std::string what = it.entity == ReviewEntity::ProgressUpdate ? "progress update" : entity;
    std::string link = it.rec_uid.empty() ? "/review" : "/followup/" + it.rec_uid;
    std::string key =
        "review:" + entity + ":" + std::to_string(it.id) + ":" + std::string(to_string(it.state));
    std::string title = review_title(it);
    if (title.empty()) title = it.rec_uid;
    if (it.state == S::Submitted) {
      for (const auto& u : with_role(store, "validator", it.institution_id))
        notify(u, "review", key, "A " + what + " waits for your validation: " + title, link);
    } else {
      for (const auto& u : with_role(store, "coordinator", 0))
        notify(u, "review", key,
               "A " + what +
                   (it.state == S::Validated ? " waits for approval: " : " is ready to publish: ") +
                   title,
               link);
    }
  }
  txn->commit();

  if (smtp.url.empty()) return rep;
  // One message per user with everything not yet e-mailed.
  std::map<std::int64_t, std::vector<Notification>> by_user;
  for (auto& n : f.unemailed()) by_user[n.user_id].push_back(std::move(n));
  for (const auto& [uid, list] : by_user) {
    auto u = store.access().user(uid);
    if (!u || u->email.empty() || u->disabled_at) continue;
    std::string body = "Hello " + u->display_name + ",\r\n\r\nhrtrack has " +
                       std::to_string(list.size()) + " reminder" + (list.size() == 1 ? "" : "s") +
                       " for you:\r\n\r\n";
    for (const auto& n : list)
      body += "- " + n.message + "\r\n  " + smtp.base_url + n.link + "\r\n";
    body += "\r\nSee them all at " + smtp.base_url + "/reminders\r\n";
    try {
      send_mail(
          smtp, u->email,
          "hrtrack: " + std::to_string(list.size()) + " reminder" + (list.size() == 1 ? "" : "s"),
          body);
      ++rep.emails_sent;
      auto t = store.begin();
      for (const auto& n : list) f.mark_emailed(n.id, now_iso());
      t->commit();
    } catch (const std::exception& e) {
      ++rep.email_failures;
      rep.last_error = e.what();
    }
  }
  return rep;
}

namespace {

struct Payload {
  std::string data;
  std::size_t pos = 0;
};

std::size_t read_payload(char* out, std::size_t size, std::size_t n, void* user) {
  auto* p = static_cast<Payload*>(user);
  std::size_t room = size * n;
  std::size_t take = std::min(room, p->data.size() - p->pos);
  std::memcpy(out, p->data.data() + p->pos, take);
  p->pos += take;
  return take;
}

// RFC 2047 encoded-word for a header with non-ASCII text.
std::string header_text(const std::string& s) {
  bool ascii = std::all_of(s.begin(), s.end(), [](char c) { return (c & 0x80) == 0; });
  if (ascii) return s;
  std::string b64(sodium_base64_ENCODED_LEN(s.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(s.data()),
                    s.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  return "=?UTF-8?B?" + b64 + "?=";
}

}  // namespace

void send_mail(const SmtpOptions& smtp, const std::string& to, const std::string& subject,
               const std::string& body) {
  // A header must not carry a line break from data (header injection).
  for (const auto* v : {&to, &subject, &smtp.from})
    if (v->find_first_of("\r\n") != std::string::npos)
      throw InvalidArgument("an e-mail header value holds a line break");
  static const bool init = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!init) throw Error("libcurl could not be initialised");
  CURL* c = curl_easy_init();
  if (!c) throw Error("libcurl could not be initialised");
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  Payload p;
  p.data = "Date: " + std::string(date) + "\r\nTo: <" + to + ">\r\nFrom: <" + smtp.from +
           ">\r\nSubject: " + header_text(subject) + "\r\nMessage-ID: <" +
           access::random_token(16) +
           "@hrtrack>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
           "Content-Transfer-Encoding: 8bit\r\n\r\n" +
           body;
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
  curl_easy_setopt(c, CURLOPT_URL, smtp.url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + smtp.from + ">").c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_payload);
  curl_easy_setopt(c, CURLOPT_READDATA, &p);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
  if (!smtp.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, smtp.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, smtp.password.c_str());
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(c);
  if (rc != CURLE_OK)
    throw Error("sending e-mail to " + to + " through " + smtp.url +
                " failed: " + curl_easy_strerror(rc));
}

}  // namespace hrtrack::followup
