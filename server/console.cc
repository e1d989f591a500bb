#include "server/console.h"

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <map>

#include "server/completion.h"
#include "survey/admin_token.h"
#include "survey/source_counts.h"
#include "survey/template.h"
#include "survey/text_codec.h"
#include "web/pages.h"
#include "web/source_pages.h"
#include "web/survey_form_page.h"

namespace candour::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;
using Result = survey::OrganiserResult;
using Change = survey::Organiser::Change;

constexpr size_t kRecentPeriods = 4;

std::optional<Change> ChangeOf(std::string_view name) {
  if (name == "open") return Change::kOpen;
  if (name == "close") return Change::kClose;
  if (name == "publish") return Change::kPublish;
  if (name == "unpublish") return Change::kUnpublish;
  return std::nullopt;
}

std::string_view Done(std::string_view change) {
  if (change == "open") return "opened";
  if (change == "close") return "closed";
  if (change == "publish") return "results published";
  return "results unpublished";
}

// The value of cookie `name` in the request's Cookie headers, or empty.
std::string CookieValue(const Request& req, std::string_view name) {
  for (auto it = req.find(http::field::cookie);
       it != req.end() && it->name() == http::field::cookie; ++it) {
    std::string_view rest(it->value().data(), it->value().size());
    while (!rest.empty()) {
      const size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name)
        return std::string(pair.substr(eq + 1));
    }
  }
  return "";
}

// The first value of `key` in a form body, or nullopt if it is not there (or malformed).
std::optional<std::string> FormValue(const Request& req, std::string_view key) {
  std::string bad;
  auto pairs = survey::ParseFormPairs(req.body(), &bad);
  if (!pairs) return std::nullopt;
  for (auto& [k, v] : *pairs)
    if (k == key) return std::move(v);
  return std::nullopt;
}

// The survey form's fields from the body, or nullopt if it is malformed.
std::optional<survey::SurveyForm> FormOf(const Request& req) {
  std::string bad;
  auto pairs = survey::ParseFormPairs(req.body(), &bad);
  if (!pairs) return std::nullopt;
  return survey::ReadSurveyForm(*pairs);
}

Response Redirect(const Request& req, const std::string& to) {
  Response r = Make(req, http::status::see_other, "text/plain; charset=utf-8", "see " + to + "\n");
  r.set(http::field::location, to);
  return r;
}

}  // namespace

Console::Console(const ServerConfig& config, survey::SurveyCatalog& catalog, store::Store& store,
                 survey::SurveyIndexes& indexes, survey::Organiser& organiser,
                 survey::AuditLog& audit)
    : config_(config),
      catalog_(catalog),
      store_(store),
      indexes_(indexes),
      organiser_(organiser),
      audit_(audit),
      sessions_(config.console_idle, config.console_sessions, [&config] { return config.now(); }) {}

std::string Console::Origin() const {
  const std::string& url = config_.public_url;
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t path = url.find('/', scheme + 3);
  return path == std::string::npos ? url : url.substr(0, path);
}

Response Console::Page(const Call& call, http::status status, std::string body) const {
  return Html(call.req, status, std::move(body));
}

std::optional<Response> Console::Refuse(const Call& call, bool needs_session) {
  const bool post = call.req.method() == http::verb::post;
  if (post) {
    const auto origin = call.req[http::field::origin];
    const std::string expected = Origin();
    if (std::string_view(origin.data(), origin.size()) != expected) {
      return Page(call, http::status::forbidden,
                  web::RenderConsoleMessage(
                      "Refused: not sent from the console",
                      origin.empty()
                          ? "This request did not say which site sent it (no Origin header), so "
                            "nothing was done. The console accepts forms only from its own pages "
                            "at " +
                                expected + "."
                          : "This request was sent from another site (" +
                                std::string(origin.data(), origin.size()) +
                                "), so nothing was done. The console accepts forms only from "
                                "its own pages at " +
                                expected + ".",
                      false));
    }
  }
  const std::string cookie(CookieValue(call.req, kCookie));
  if (!needs_session || sessions_.Touch(cookie)) return std::nullopt;
  // A browser that still sends a session the console no longer has was signed in: say why.
  if (!post)
    return Redirect(call.req, cookie.empty() ? "/admin/sign-in" : "/admin/sign-in?ended=1");
  return Page(call, http::status::forbidden,
              web::RenderConsoleMessage("Signed out",
                                        "You are not signed in (or your session ended after a "
                                        "while unused), so nothing was done. Sign in and try "
                                        "again.",
                                        false));
}

Response Console::NoSuchSurvey(const Call& call, const std::string& id) const {
  return Page(
      call, http::status::not_found,
      web::RenderConsoleMessage("No such survey", "There is no survey \"" + id + "\".", true));
}

Response Console::NoSuchAction(const Call& call) const {
  return Page(call, http::status::not_found,
              web::RenderConsoleMessage("Nothing here", "There is no such action.", true));
}

Response Console::SignInPage(const Call& call) const {
  std::string notice;
  if (call.target.Query("ended") == "1") {
    const auto idle = std::chrono::duration_cast<std::chrono::seconds>(config_.console_idle);
    const auto n = idle.count() % 60 == 0 ? idle.count() / 60 : idle.count();
    notice = "Your session ended: it was unused for " + std::to_string(n) +
             (idle.count() % 60 == 0 ? (n == 1 ? " minute" : " minutes")
                                     : (n == 1 ? " second" : " seconds")) +
             " (or the service restarted, or you signed in elsewhere with a new token). Sign in "
             "again.";
  }
  return Page(call, http::status::ok, web::RenderConsoleSignIn("", notice));
}

Response Console::SignIn(const Call& call) {
  if (auto refused = Refuse(call, false)) return std::move(*refused);
  const std::string token = FormValue(call.req, "token").value_or("");
  if (token.empty()) {
    return Page(call, http::status::bad_request,
                web::RenderConsoleSignIn("Enter the admin token."));
  }
  const auto ok = survey::IsAdminToken(store_, token);
  if (!ok) {
    return Page(
        call, http::status::service_unavailable,
        web::RenderConsoleSignIn("The token cannot be checked right now; try again later."));
  }
  if (!*ok) {
    return Page(call, http::status::forbidden,
                web::RenderConsoleSignIn("That is not the admin token. Check it and try again."));
  }
  Response r = Redirect(call.req, "/admin");
  std::string cookie =
      std::string(kCookie) + "=" + sessions_.Start() + "; HttpOnly; SameSite=Strict; Path=/admin";
  if (config_.public_url.starts_with("https://")) cookie += "; Secure";
  r.set(http::field::set_cookie, cookie);
  return r;
}

Response Console::SignOut(const Call& call) {
  if (auto refused = Refuse(call, false)) return std::move(*refused);
  sessions_.End(CookieValue(call.req, kCookie));
  Response r = Redirect(call.req, "/admin/sign-in");
  std::string cookie =
      std::string(kCookie) + "=; Max-Age=0; HttpOnly; SameSite=Strict; Path=/admin";
  if (config_.public_url.starts_with("https://")) cookie += "; Secure";
  r.set(http::field::set_cookie, cookie);
  return r;
}

std::optional<web::ConsoleSurvey> Console::Summary(const std::string& id) const {
  const auto s = catalog_.Get(id);
  if (!s) return std::nullopt;
  web::ConsoleSurvey out{.id = s->id,
                         .title = s->title.In(s->default_language(), ""),
                         .version = s->version,
                         .open = s->open,
                         .public_results = s->public_results,
                         .requires_code = s->requires_code,
                         .responses = 0,
                         .recent = {}};
  indexes_.Read(s->id, [&](const stats::ResponseIndex& index) {
    out.responses = index.size();
    std::vector<size_t> per(index.period_count());
    for (size_t row = 0; row < index.size(); ++row) ++per[index.PeriodId(row)];
    std::map<std::string, size_t> by_label;
    for (uint16_t p = 0; p < per.size(); ++p)
      if (per[p]) by_label[index.PeriodLabel(p)] += per[p];
    auto from = by_label.size() > kRecentPeriods
                    ? std::next(by_label.begin(), by_label.size() - kRecentPeriods)
                    : by_label.begin();
    out.recent.assign(from, by_label.end());
  });
  return out;
}

Response Console::Surveys(const Call& call) {
  if (auto refused = Refuse(call, true)) return std::move(*refused);
  std::vector<web::ConsoleSurvey> list;
  for (const auto& s : catalog_.List()) {
    if (auto summary = Summary(s->id)) list.push_back(std::move(*summary));
  }
  std::string notice;
  const std::string changed = call.target.Query("changed"), to = call.target.Query("to");
  if (!changed.empty() && catalog_.Get(changed) && ChangeOf(to))
    notice = "Survey " + changed + ": " + std::string(Done(to)) + ". This is in the audit log.";
  const std::string saved = call.target.Query("saved");
  if (const auto s = saved.empty() ? nullptr : catalog_.Get(saved)) {
    notice = "Survey " + saved + ": version " + std::to_string(s->version) +
             " saved. This is in the audit log." +
             (s->open ? "" : " It is closed: preview it, then open it.");
  }
  return Page(call, http::status::ok, web::RenderConsoleSurveys(list, notice));
}

Response Console::Confirm(const Call& call) {
  if (auto refused = Refuse(call, true)) return std::move(*refused);
  const auto summary = Summary(call.Param("survey"));
  if (!summary) {
    return NoSuchSurvey(call, call.Param("survey"));
  }
  if (!ChangeOf(call.Param("change"))) {
    return NoSuchAction(call);
  }
  return Page(call, http::status::ok, web::RenderConsoleConfirm(*summary, call.Param("change")));
}

boost::asio::awaitable<Response> Console::Change(const Call& call) {
  if (auto refused = Refuse(call, true)) co_return std::move(*refused);
  const auto change = ChangeOf(call.Param("change"));
  if (!change) {
    co_return NoSuchAction(call);
  }
  const std::string id = call.Param("survey");
  const Result r = co_await Completion<Result>(
      [&](auto done) { organiser_.SetState(id, *change, std::move(done)); });
  if (r.status == Result::Status::kNotFound) {
    co_return Page(call, http::status::not_found,
                   web::RenderConsoleMessage("No such survey", r.message, true));
  }
  if (r.status != Result::Status::kDone) {
    co_return Page(call, http::status::internal_server_error,
                   web::RenderConsoleMessage("Not done", r.message, true));
  }
  co_return Redirect(call.req,
                     "/admin?changed=" + survey::PercentEncode(id) + "&to=" + call.Param("change"));
}

Response Console::CodesForm(const Call& call) {
  if (auto refused = Refuse(call, true)) return std::move(*refused);
  const auto summary = Summary(call.Param("survey"));
  if (!summary) {
    return NoSuchSurvey(call, call.Param("survey"));
  }
  return Page(call, http::status::ok, web::RenderConsoleCodes(*summary, ""));
}

boost::asio::awaitable<Response> Console::IssueCodes(const Call& call) {
  if (auto refused = Refuse(call, true)) co_return std::move(*refused);
  const std::string id = call.Param("survey");
  const auto summary = Summary(id);
  if (!summary) {
    co_return NoSuchSurvey(call, id);
  }
  const std::string text = FormValue(call.req, "count").value_or("");
  char* end = nullptr;
  const long count = std::strtol(text.c_str(), &end, 10);
  // Not a number: 0, which the Organiser refuses saying what is expected.
  const size_t wanted = text.empty() || *end != '\0' || count < 1 ? 0 : size_t(count);
  const Result r = co_await Completion<Result>(
      [&](auto done) { organiser_.IssueCodes(id, wanted, std::move(done)); });
  if (r.status == Result::Status::kInvalid) {
    co_return Page(call, http::status::bad_request,
                   web::RenderConsoleCodes(*summary, "Enter a whole number from 1 to 1000."));
  }
  if (r.status != Result::Status::kDone) {
    co_return Page(call, http::status::internal_server_error,
                   web::RenderConsoleMessage("Not done", r.message, true));
  }
  auto link = [&](const std::string& code) {
    return survey::SurveyUrl(config_.public_url, id, "code", code);
  };
  Response res =
      Html(call.req, http::status::created, web::RenderCodeSheet(*r.survey, r.codes, link));
  res.set(http::field::content_disposition,
          "attachment; filename=\"" + id + "-codes-" + std::to_string(r.codes.size()) + ".html\"");
  co_return res;
}

Response Console::Sources(const Call& call) {
  if (auto refused = Refuse(call, true)) return std::move(*refused);
  const auto survey = catalog_.Get(call.Param("survey"));
  if (!survey) {
    return NoSuchSurvey(call, call.Param("survey"));
  }
  const auto today = std::chrono::floor<std::chrono::days>(config_.now());
  return Page(call, http::status::ok,
              web::RenderConsoleSources(*survey, survey::CountSources(*survey, indexes_, today),
                                        [&](const std::string& tag) {
                                          return survey::SurveyUrl(config_.public_url, survey->id,
                                                                   "src", tag);
                                        }));
}

Response Console::Audit(const Call& call) {
  if (auto refused = Refuse(call, true)) return std::move(*refused);
  const auto verdict = survey::AuditLog::Verify(audit_.path().parent_path(), store_);
  std::vector<web::ConsoleAuditEntry> entries;
  std::ifstream in(audit_.path());
  std::string line;
  while (std::getline(in, line)) {
    boost::system::error_code ec;
    const json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) continue;
    const json::object& o = v.as_object();
    auto str = [&](const char* key) {
      const json::value* f = o.if_contains(key);
      if (!f) return std::string();
      return f->is_string() ? std::string(f->as_string()) : json::serialize(*f);
    };
    entries.push_back({str("seq"), str("time"), str("action"), str("survey"), str("detail")});
  }
  std::reverse(entries.begin(), entries.end());
  const std::string text =
      verdict ? "The audit log is intact: " + std::to_string(*verdict) +
                    " entries, each chained to the one before (as candour audit verify checks)."
              : "The audit log has been altered or damaged: " + verdict.error() +
                    ". Run candour audit verify and tell the operator.";
  return Page(call, http::status::ok, web::RenderConsoleAudit(bool(verdict), text, entries));
}

Response Console::FormAgain(const Call& call, const survey::SurveyForm& form,
                            const survey::FormProblem& problem, int64_t version) const {
  return Page(call, http::status::bad_request,
              web::RenderConsoleSurveyForm(form, problem, version));
}

Response Console::Saved(const Call& call, const survey::SurveyForm& form, const Result& r,
                        const std::string& definition, int64_t version) const {
  switch (r.status) {
    case Result::Status::kDone:
      return Redirect(call.req, "/admin?saved=" + survey::PercentEncode(r.survey->id));
    case Result::Status::kInvalid:
      return FormAgain(call, form, survey::ProblemOf(r.message, definition), version);
    case Result::Status::kConflict:
      return FormAgain(call, form,
                       {"id", "There is a survey \"" + form.id + "\" already: choose another id."},
                       version);
    case Result::Status::kNotFound:
      return NoSuchSurvey(call, call.Param("survey"));
    case Result::Status::kFailed:
      break;
  }
  return Page(call, http::status::internal_server_error,
              web::RenderConsoleMessage("Not saved", "Nothing was saved: " + r.message, true));
}

Response Console::NewSurveyForm(const Call& call) {
  if (auto refused = Refuse(call, true)) return std::move(*refused);
  return Page(call, http::status::ok, web::RenderConsoleSurveyForm(survey::NewSurveyForm(), {}, 0));
}

boost::asio::awaitable<Response> Console::CreateSurvey(const Call& call) {
  if (auto refused = Refuse(call, true)) co_return std::move(*refused);
  const auto form = FormOf(call.req);
  if (!form) {
    co_return Page(call, http::status::bad_request,
                   web::RenderConsoleMessage("Not saved", "The form arrived garbled.", true));
  }
  const auto definition =
      survey::DefinitionOf(*form, survey::TrustAndConfidenceTemplate(), /*is_new=*/true);
  if (!definition) co_return FormAgain(call, *form, definition.error(), 0);
  const Result r = co_await Completion<Result>(
      [&](auto done) { organiser_.Create(*definition, std::move(done)); });
  co_return Saved(call, *form, r, *definition, 0);
}

Response Console::EditForm(const Call& call) {
  if (auto refused = Refuse(call, true)) return std::move(*refused);
  const auto current = catalog_.Get(call.Param("survey"));
  if (!current) return NoSuchSurvey(call, call.Param("survey"));
  return Page(call, http::status::ok,
              web::RenderConsoleSurveyForm(survey::FormOf(*current), {}, current->version));
}

boost::asio::awaitable<Response> Console::SaveVersion(const Call& call) {
  if (auto refused = Refuse(call, true)) co_return std::move(*refused);
  const std::string id = call.Param("survey");
  const auto current = catalog_.Get(id);
  if (!current) co_return NoSuchSurvey(call, id);
  auto form = FormOf(call.req);
  if (!form) {
    co_return Page(call, http::status::bad_request,
                   web::RenderConsoleMessage("Not saved", "The form arrived garbled.", true));
  }
  form->id = id;
  const auto definition = survey::DefinitionOf(*form, current->json, /*is_new=*/false);
  if (!definition) co_return FormAgain(call, *form, definition.error(), current->version);
  const Result r = co_await Completion<Result>(
      [&](auto done) { organiser_.NewVersion(id, *definition, std::move(done)); });
  co_return Saved(call, *form, r, *definition, current->version);
}

Response Console::Preview(const Call& call) {
  if (auto refused = Refuse(call, true)) return std::move(*refused);
  const auto survey = catalog_.Get(call.Param("survey"));
  if (!survey) return NoSuchSurvey(call, call.Param("survey"));
  std::string lang = call.target.Query("lang");
  if (std::find(survey->languages.begin(), survey->languages.end(), lang) ==
      survey->languages.end())
    lang = survey->default_language();
  return Page(call, http::status::ok, web::RenderFormPreview(*survey, lang));
}

Response Console::TokenConfirm(const Call& call) {
  if (auto refused = Refuse(call, true)) return std::move(*refused);
  return Page(call, http::status::ok, web::RenderConsoleTokenConfirm());
}

boost::asio::awaitable<Response> Console::RotateToken(const Call& call) {
  if (auto refused = Refuse(call, true)) co_return std::move(*refused);
  const Result r =
      co_await Completion<Result>([&](auto done) { organiser_.RotateToken(std::move(done)); });
  if (r.status != Result::Status::kDone) {
    co_return Page(
        call, http::status::internal_server_error,
        web::RenderConsoleMessage("Not rotated", "The token is unchanged: " + r.message, true));
  }
  // Whoever signed in with the old token is signed out; this organiser stays.
  sessions_.EndAllBut(CookieValue(call.req, kCookie));
  const std::string written =
      config_.write_admin_token ? config_.write_admin_token(r.token) : std::string();
  Response res = Page(call, http::status::ok, web::RenderConsoleNewToken(r.token, written));
  res.set(http::field::cache_control, "no-store");
  co_return res;
}

}  // namespace candour::server
