// Console: the organisers' web console under /admin, for people who will not use curl. Sign
// in with the admin token (the same check as the API's bearer token: survey::IsAdminToken);
// a session is a random id in the `candour_session` cookie (HttpOnly, SameSite=Strict,
// Path=/admin, Secure when the public URL is https), kept in memory (SessionStore). Every POST
// must come from the service's own origin (the Origin header) and, but for sign-in, carry a
// live session. Actions go through survey::Organiser exactly as the admin API's (audited the
// same way). Only /admin responses ever set a cookie.
// Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "server/config.h"
#include "server/http_util.h"
#include "server/router.h"
#include "server/sessions.h"
#include "store/store.h"
#include "survey/audit_log.h"
#include "survey/catalog.h"
#include "survey/organiser.h"
#include "survey/survey_form.h"
#include "survey/survey_index.h"
#include "web/console_pages.h"

namespace candour::server {

class Console {
 public:
  static constexpr char kCookie[] = "candour_session";

  // Everything must outlive the Console.
  Console(const ServerConfig& config, survey::SurveyCatalog& catalog, store::Store& store,
          survey::SurveyIndexes& indexes, survey::Organiser& organiser, survey::AuditLog& audit);

  // GET /admin/sign-in, POST /admin/sign-in (form field "token"), POST /admin/sign-out.
  Response SignInPage(const Call& call) const;
  Response SignIn(const Call& call);
  Response SignOut(const Call& call);
  // GET /admin: every survey.
  Response Surveys(const Call& call);
  // GET /admin/surveys/{survey}/{change}: the confirmation page (open, close, publish,
  // unpublish); POST: does it and goes back to the list.
  Response Confirm(const Call& call);
  boost::asio::awaitable<Response> Change(const Call& call);
  // GET /admin/surveys/{survey}/codes: the form; POST (count=N): the code sheet as a file.
  Response CodesForm(const Call& call);
  boost::asio::awaitable<Response> IssueCodes(const Call& call);
  // GET /admin/audit.
  Response Audit(const Call& call);
  // GET /admin/new: the form for a survey from the built-in template (survey/survey_form.h);
  // POST: creates it through Organiser::Create and goes back to the list, or shows the form
  // again, as filled in, with the refusal beside the field it concerns (400).
  Response NewSurveyForm(const Call& call);
  boost::asio::awaitable<Response> CreateSurvey(const Call& call);
  // GET /admin/surveys/{survey}/edit: the same form as the survey now stands; POST: makes the
  // next version through Organiser::NewVersion (its compatibility rules), or shows the form
  // again with the refusal beside its field (400).
  Response EditForm(const Call& call);
  boost::asio::awaitable<Response> SaveVersion(const Call& call);
  // GET /admin/surveys/{survey}/preview?lang=xx: the residents' form, marked as a preview,
  // that sends nothing; in the survey's default language when `lang` is not one of its own.
  Response Preview(const Call& call);
  // GET /admin/token: the confirmation page; POST: rotates the admin token, ends every other
  // session, and shows the new token once (Cache-Control: no-store).
  Response TokenConfirm(const Call& call);
  boost::asio::awaitable<Response> RotateToken(const Call& call);
  // GET /admin/surveys/{survey}/sources: responses per source and month (protected,
  // survey/source_counts.h), and each declared source's posters and QR codes.
  Response Sources(const Call& call);

  // The origin the console accepts POSTs from: the public URL's scheme, host and port.
  std::string Origin() const;

 private:
  // The refusal of a request without a live session (303 to sign-in for GET, 403 for POST),
  // or of a POST from another origin (403); nullopt if it may go on.
  std::optional<Response> Refuse(const Call& call, bool needs_session);
  std::optional<web::ConsoleSurvey> Summary(const std::string& id) const;
  Response Page(const Call& call, boost::beast::http::status status, std::string body) const;
  // 404 pages: a survey id that names no survey, and an action that is none.
  Response NoSuchSurvey(const Call& call, const std::string& id) const;
  Response NoSuchAction(const Call& call) const;
  // The reply to a save of the survey form (create when `version` is 0, else a new version
  // of `version`): back to the list when done, else the form again with the problem.
  Response Saved(const Call& call, const survey::SurveyForm& form,
                 const survey::OrganiserResult& result, const std::string& definition,
                 int64_t version) const;
  Response FormAgain(const Call& call, const survey::SurveyForm& form,
                     const survey::FormProblem& problem, int64_t version) const;

  const ServerConfig& config_;
  survey::SurveyCatalog& catalog_;
  store::Store& store_;
  survey::SurveyIndexes& indexes_;
  survey::Organiser& organiser_;
  survey::AuditLog& audit_;
  SessionStore sessions_;
};

}  // namespace candour::server
