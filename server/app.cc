#include "server/app.h"

#include <algorithm>
#include <boost/json.hpp>

#include "server/client_address.h"
#include "server/completion.h"
#include "server/gzip.h"
#include "server/http_util.h"
#include "stats/period.h"
#include "survey/errc.h"
#include "survey/stored_response.h"
#include "survey/submission.h"
#include "survey/text_codec.h"
#include "web/assets.h"
#include "web/dashboard.h"
#include "web/pages.h"
#include "web/qr.h"
#include "web/results_view.h"
#include "web/ui_text.h"

namespace candour::server {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Outcome = survey::SubmitOutcome;

constexpr char kCsp[] =
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

survey::SubmissionsOptions SubmissionsOptionsOf(const ServerConfig& config,
                                                survey::Incidents& incidents) {
  return {.comments_key = config.comments_key,
          .rate_limit_per_hour = config.rate_limit_per_hour,
          .now = [&config] { return config.now(); },
          .incidents = &incidents};
}

survey::OrganiserOptions OrganiserOptionsOf(const ServerConfig& config,
                                            survey::Incidents& incidents) {
  return {.now = [&config] { return config.now(); }, .incidents = &incidents};
}

}  // namespace

App::App(const ServerConfig& config, survey::SurveyCatalog& catalog, store::Store& store,
         survey::SurveyIndexes& indexes, survey::AuditLog& audit)
    : config_(config),
      catalog_(catalog),
      store_(store),
      indexes_(indexes),
      router_(Routes()),
      metrics_(router_.Names(), config.operator_log),
      results_(config.release_options, survey::StoreHistory(store), &metrics_.incidents()),
      codes_(store),
      submissions_(SubmissionsOptionsOf(config, metrics_.incidents()), catalog, store, indexes,
                   codes_),
      organiser_(OrganiserOptionsOf(config, metrics_.incidents()), catalog, store, indexes, audit,
                 codes_),
      admin_(config, catalog, store, indexes, organiser_),
      console_(config, catalog, store, indexes, organiser_, audit) {}

// The route table. Patterns are also the names in metrics and the access log.
std::vector<RouteSpec> App::Routes() {
  using V = http::verb;
  using Change = survey::Organiser::Change;
  // Most handlers answer at once; these adapt them to the table's awaitable form.
  auto now = [this](Response (App::*f)(const Call&) const) -> Handler {
    return [this, f](const Call& c) -> Awaitable { co_return (this->*f)(c); };
  };
  auto state = [this](Change change) -> Handler {
    return [this, change](const Call& c) { return admin_.SetState(c, change); };
  };
  auto now_console = [this](Response (Console::*f)(const Call&) const) -> Handler {
    return [this, f](const Call& c) -> Awaitable { co_return (console_.*f)(c); };
  };
  const size_t small = config_.small_body_limit;
  const size_t definition = config_.definition_body_limit;
  return {
      {V::get, "/", now(&App::Index), "", small},
      {V::get, "/healthz", now(&App::Health), "", small},
      {V::get, "/readyz", now(&App::Ready), "", small},
      // For operators only: its live counters would tell anyone polling when responses arrive.
      {V::get, "/metrics", now(&App::MetricsText), "", small, true},
      {V::get, "/static/{file}", now(&App::Static), "", small},
      {V::get, "/s/{survey}", now(&App::Form), "", small},
      {V::post, "/s/{survey}/responses", [this](const Call& c) { return Submit(c); }, "",
       config_.body_limit},
      {V::get, "/s/{survey}/thanks", now(&App::Thanks), "", small},
      {V::get, "/s/{survey}/poster", now(&App::Poster), "", small},
      {V::get, "/s/{survey}/qr.svg", [this](const Call& c) -> Awaitable { co_return Qr(c, false); },
       "", small},
      {V::get, "/s/{survey}/qr.png", [this](const Call& c) -> Awaitable { co_return Qr(c, true); },
       "", small},
      {V::get, "/r/{survey}", [this](const Call& c) { return Dashboard(c, false); }, "", small},
      {V::get, "/r/{survey}/figures.csv", [this](const Call& c) { return Dashboard(c, true); }, "",
       small},
      {V::get, "/r/{survey}/{measure}", [this](const Call& c) { return Dashboard(c, false); }, "",
       small},
      {V::get, "/api/surveys/{survey}", now(&App::ApiSurvey), "", small},
      {V::get, "/api/surveys/{survey}/results",
       [this](const Call& c) {
         const auto accept = c.req[http::field::accept];
         return ApiResults(c,
                           std::string_view(accept.data(), accept.size()).starts_with("text/csv"));
       },
       "", small},
      {V::get, "/api/surveys/{survey}/results.csv",
       [this](const Call& c) { return ApiResults(c, true); }, "", small},
      {V::get, "/api/admin/surveys",
       [this](const Call& c) -> Awaitable { co_return admin_.List(c); }, "", small, true},
      {V::post, "/api/admin/surveys", [this](const Call& c) { return admin_.Create(c); }, "",
       definition, true},
      {V::get, "/api/admin/surveys/{survey}",
       [this](const Call& c) -> Awaitable { co_return admin_.Get(c); }, "", small, true},
      {V::put, "/api/admin/surveys/{survey}",
       [this](const Call& c) { return admin_.NewVersion(c); }, "", definition, true},
      {V::post, "/api/admin/surveys/{survey}/open", state(Change::kOpen), "", small, true},
      {V::post, "/api/admin/surveys/{survey}/close", state(Change::kClose), "", small, true},
      {V::post, "/api/admin/surveys/{survey}/publish", state(Change::kPublish), "", small, true},
      {V::post, "/api/admin/surveys/{survey}/unpublish", state(Change::kUnpublish), "", small,
       true},
      {V::post, "/api/admin/surveys/{survey}/codes",
       [this](const Call& c) { return admin_.IssueCodes(c); }, "", small, true},
      // Responses per source and month
      {V::get, "/api/admin/surveys/{survey}/sources",
       [this](const Call& c) -> Awaitable { co_return admin_.Sources(c); }, "", small, true},
      {V::post, "/api/admin/backup", [this](const Call& c) { return admin_.Backup(c); }, "", small,
       true},  // pkg
      // ---- console: the organisers' web console (server/console.h); its own sessions ----
      {V::get, "/admin", [this](const Call& c) -> Awaitable { co_return console_.Surveys(c); }, "",
       small},
      {V::get, "/admin/sign-in", now_console(&Console::SignInPage), "", small},
      {V::post, "/admin/sign-in",
       [this](const Call& c) -> Awaitable { co_return console_.SignIn(c); }, "", small},
      {V::post, "/admin/sign-out",
       [this](const Call& c) -> Awaitable { co_return console_.SignOut(c); }, "", small},
      {V::get, "/admin/audit", [this](const Call& c) -> Awaitable { co_return console_.Audit(c); },
       "", small},
      {V::get, "/admin/new",
       [this](const Call& c) -> Awaitable { co_return console_.NewSurveyForm(c); }, "", small},
      {V::post, "/admin/new", [this](const Call& c) { return console_.CreateSurvey(c); }, "",
       definition},
      {V::get, "/admin/token",
       [this](const Call& c) -> Awaitable { co_return console_.TokenConfirm(c); }, "", small},
      {V::post, "/admin/token", [this](const Call& c) { return console_.RotateToken(c); }, "",
       small},
      {V::get, "/admin/surveys/{survey}/edit",
       [this](const Call& c) -> Awaitable { co_return console_.EditForm(c); }, "", small},
      {V::post, "/admin/surveys/{survey}/edit",
       [this](const Call& c) { return console_.SaveVersion(c); }, "", definition},
      {V::get, "/admin/surveys/{survey}/preview",
       [this](const Call& c) -> Awaitable { co_return console_.Preview(c); }, "", small},
      {V::get, "/admin/surveys/{survey}/codes",
       [this](const Call& c) -> Awaitable { co_return console_.CodesForm(c); }, "", small},
      {V::post, "/admin/surveys/{survey}/codes",
       [this](const Call& c) { return console_.IssueCodes(c); }, "", small},
      {V::get, "/admin/surveys/{survey}/sources",
       [this](const Call& c) -> Awaitable { co_return console_.Sources(c); }, "", small},
      {V::get, "/admin/surveys/{survey}/{change}",
       [this](const Call& c) -> Awaitable { co_return console_.Confirm(c); }, "", small},
      {V::post, "/admin/surveys/{survey}/{change}",
       [this](const Call& c) { return console_.Change(c); }, "", small},
      // ---- console: end ----
  };
}

size_t App::BodyLimit(const Request& header) const {
  return router_.BodyLimit(header.method(),
                           std::string_view(header.target().data(), header.target().size()),
                           config_.small_body_limit);
}

void App::SetSecurityHeaders(Response& res, bool console) {
  res.set("Content-Security-Policy", kCsp);
  // With "no-referrer" a browser sends "Origin: null" with a form, which the console refuses.
  res.set("Referrer-Policy", console ? "same-origin" : "no-referrer");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  if (res.find(http::field::cache_control) == res.end())
    res.set(http::field::cache_control, "no-store");
}

Response App::Refusal(const Request& req, http::status status, std::string_view message) const {
  Response res = Error(req, status, message);
  SetSecurityHeaders(res);
  res.keep_alive(false);
  res.prepare_payload();
  return res;
}

Response App::Error(const Request& req, http::status status, std::string_view message) const {
  if (WantsJson(req)) {
    return Json(req, status, {{"error", message}, {"status", static_cast<int>(status)}});
  }
  const std::string title =
      std::to_string(static_cast<int>(status)) + " " + std::string(http::obsolete_reason(status));
  return Html(req, status, web::RenderMessage(title, message));
}

asio::awaitable<Response> App::Handle(Request req, const asio::ip::address& peer,
                                      bool metrics_listener) {
  const auto start = std::chrono::steady_clock::now();
  const Target target = TargetOf(req);
  const Router::Match match = router_.Find(req.method(), target.path);
  // Behind a declared proxy, the client it forwards for; for the rate limiter only.
  const asio::ip::address client = ClientAddress(req, peer, config_.trusted_proxies);
  const Call call{req, target, client, match.params};
  Response res = co_await Route(call, match, metrics_listener);
  SetSecurityHeaders(res, target.path == "/admin" || target.path.starts_with("/admin/"));
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  if (req.method() == http::verb::head) {
    // The GET reply's headers, its length included, and no body.
    const auto length = res.payload_size();
    res.body().clear();
    if (length) res.content_length(*length);
  }
  const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  metrics_.Record(match.name, res.result_int(), latency);
  if (config_.access_log) {
    config_.access_log(std::string(req.method_string()) + " " + std::string(match.name) + " " +
                       std::to_string(res.result_int()) + " " + std::to_string(latency.count()) +
                       "us");
  }
  co_return res;
}

asio::awaitable<Response> App::Route(const Call& call, const Router::Match& match,
                                     bool metrics_listener) {
  const bool operator_route =
      match.name == "/metrics" || match.name == "/healthz" || match.name == "/readyz";
  if (metrics_listener && !operator_route) {
    co_return Error(call.req, http::status::not_found,
                    "this address serves /metrics, /healthz and /readyz only");
  }
  if (!match.route && !match.allow.empty()) {
    Response r = Error(call.req, http::status::method_not_allowed,
                       "this address accepts " + match.allow + " only");
    r.set(http::field::allow, match.allow);
    co_return r;
  }
  if (!match.route) {
    co_return Error(call.req, http::status::not_found, "there is nothing at this address");
  }
  // On the metrics listener (meant for loopback) /metrics needs no token.
  if (match.route->admin && !(metrics_listener && match.name == "/metrics")) {
    if (auto refused = admin_.Refuse(call.req)) co_return std::move(*refused);
  }
  co_return co_await match.route->handler(call);
}

Response App::Index(const Call& call) const {
  std::vector<web::SurveyLink> links;
  for (const auto& s : catalog_.List()) {
    if (s->open)
      links.push_back({s->id, s->title.In(s->default_language(), ""), s->public_results});
  }
  return Html(call.req, http::status::ok, web::RenderIndex(links));
}

Response App::Health(const Call& call) const {
  return Make(call.req, http::status::ok, "text/plain; charset=utf-8", "ok\n");
}

Response App::Ready(const Call& call) const {
  // The store answers, and every survey's release history reads (what a release needs before
  // anything is published). A survey-less store is asked for one meta record.
  bool ready = true;
  const auto surveys = catalog_.List();
  const auto history = survey::StoreHistory(store_);
  for (const auto& s : surveys) ready = ready && history.load(s->id).has_value();
  if (surveys.empty()) ready = store_.GetMeta("admin/token").has_value();
  if (store_.Space().refusing) ready = false;  // Submissions would get 503
  return Make(call.req, ready ? http::status::ok : http::status::service_unavailable,
              "text/plain; charset=utf-8", ready ? "ready\n" : "not ready\n");
}

Response App::MetricsText(const Call& call) const {
  return Make(call.req, http::status::ok, "text/plain; version=0.0.4",
              metrics_.Render(store_.GetCommitStats()) + metrics_.RenderSpace(store_.Space()));
}

Response App::Static(const Call& call) const {
  auto asset = web::FindStatic(call.Param("file"));
  if (!asset) return Error(call.req, http::status::not_found, "no such file");
  Response res = Make(call.req, http::status::ok, asset->content_type, std::string(asset->body));
  res.set(http::field::cache_control, "public, max-age=3600");
  return res;
}

Response App::Form(const Call& call) const {
  const Request& req = call.req;
  const std::string& survey_id = call.Param("survey");
  auto survey = catalog_.Get(survey_id);
  if (!survey)
    return Error(req, http::status::not_found, "there is no survey \"" + survey_id + "\"");
  const std::string lang = PageLanguage(req, call.target, *survey);
  if (!survey->open) {
    return Html(req, http::status::gone,
                web::RenderMessage(web::UiText::BuiltIn().Plain(lang, "closed_title"),
                                   web::UiText::BuiltIn().Plain(lang, "closed_body"), lang));
  }
  // A mistyped tag on a poster should not stop anyone answering: an invalid one is dropped.
  std::string src = call.target.Query("src");
  if (!survey::IsValidSourceTag(src)) src.clear();
  const std::string code = call.target.Query("code");
  if (survey->requires_code) {
    if (code.empty()) return Html(req, http::status::ok, web::RenderCodeEntry(*survey, lang, ""));
    // A read, not a write: it may run here, on the I/O thread.
    auto state = codes_.Check(survey->id, code);
    if (!state)
      return Error(req, http::status::internal_server_error, "the code could not be checked");
    if (*state == survey::Codes::State::kUnknown)
      return CodeRefusal(req, *survey, lang, http::status::forbidden, "code_unknown");
    if (*state == survey::Codes::State::kSpent)
      return CodeRefusal(req, *survey, lang, http::status::gone, "code_spent");
  }
  return Html(req, http::status::ok,
              web::RenderForm(*survey, lang, src, nullptr, survey->requires_code ? code : ""));
}

std::optional<Response> App::OrganiserTarget(const Call& call,
                                             std::shared_ptr<const survey::Survey>* survey,
                                             std::string* src) const {
  const std::string& survey_id = call.Param("survey");
  *survey = catalog_.Get(survey_id);
  if (!*survey)
    return Error(call.req, http::status::not_found, "there is no survey \"" + survey_id + "\"");
  *src = call.target.Query("src");
  // For organisers printing posters: a bad tag is an error here, never silently dropped.
  if (!src->empty() && !survey::IsValidSourceTag(*src)) {
    return Error(call.req, http::status::bad_request,
                 "src: expected a source tag of 1-48 of a-z, 0-9 and '-'");
  }
  return std::nullopt;
}

Response App::Qr(const Call& call, bool png) const {
  std::shared_ptr<const survey::Survey> survey;
  std::string src;
  if (auto error = OrganiserTarget(call, &survey, &src)) return std::move(*error);
  const std::string link = survey::SurveyUrl(config_.public_url, survey->id, "src", src);
  auto image = png ? web::QrPng(link) : web::QrSvg(link);
  if (!image)
    return Error(call.req, http::status::bad_request, "the survey link is too long for a QR code");
  return Make(call.req, http::status::ok, png ? "image/png" : "image/svg+xml", std::move(*image));
}

Response App::Poster(const Call& call) const {
  std::shared_ptr<const survey::Survey> survey;
  std::string src;
  if (auto error = OrganiserTarget(call, &survey, &src)) return std::move(*error);
  const std::string lang = PageLanguage(call.req, call.target, *survey);
  return Html(call.req, http::status::ok,
              web::RenderPoster(*survey, lang, src,
                                survey::SurveyUrl(config_.public_url, survey->id, "src", src)));
}

Response App::CodeRefusal(const Request& req, const survey::Survey& survey, const std::string& lang,
                          http::status status, const char* key) const {
  return WantsJson(req) ? Error(req, status, web::UiText::BuiltIn().Plain("en", key))
                        : Html(req, status, web::RenderCodeEntry(survey, lang, key));
}

Response App::Thanks(const Call& call) const {
  const std::string& survey_id = call.Param("survey");
  auto survey = catalog_.Get(survey_id);
  if (!survey)
    return Error(call.req, http::status::not_found, "there is no survey \"" + survey_id + "\"");
  const std::string lang = PageLanguage(call.req, call.target, *survey);
  return Html(call.req, http::status::ok, web::RenderThanks(*survey, lang));
}

Response App::ApiSurvey(const Call& call) const {
  const std::string& survey_id = call.Param("survey");
  auto survey = catalog_.Get(survey_id);
  if (!survey)
    return Error(call.req, http::status::not_found, "there is no survey \"" + survey_id + "\"");
  return Make(call.req, http::status::ok, "application/json", survey->json);
}

namespace {

// The day's release of a survey (or, while that is built on the results cache's own thread,
// the one before it); survey::Errc::kPreparing while its first is built; an error when its
// history cannot be read or saved (see ResultsCache::Get). Never waits for a build.
asio::awaitable<survey::ResultsCache::ReleaseResult> Release(
    survey::ResultsCache& cache, std::shared_ptr<const survey::Survey> survey,
    const survey::SurveyIndexes& indexes, std::chrono::sys_days today) {
  using Ready = survey::ResultsCache::ReleaseResult;
  return Completion<Ready>([&cache, &indexes, survey = std::move(survey), today](auto done) {
    cache.Get(survey, indexes, today, std::move(done));
  });
}

constexpr int kPreparingRetrySeconds = 5;

// The reply when a survey has no release to show yet (`why`, from Release above). Its first
// being built: 503 with Retry-After: 5, and for the dashboard (`page_lang`: the page's
// language; null for the API and the CSVs, which get JSON) a page that reloads itself. A
// release refused because its history cannot be read or saved (the operator is told through
// the incidents): 503, and nothing is published until it can be.
Response NoRelease(const App& app, const Request& req, const boost::system::error_code& why,
                   const survey::Survey& survey, const std::string* page_lang) {
  if (why != survey::Errc::kPreparing) {
    Response res = app.Error(req, http::status::service_unavailable,
                             "results are not available right now; try again later");
    res.set(http::field::retry_after, "60");
    return res;
  }
  constexpr auto kStatus = http::status::service_unavailable;
  Response res =
      page_lang
          ? Html(req, kStatus, web::RenderPreparing(survey, *page_lang, kPreparingRetrySeconds))
          : Json(req, kStatus,
                 {{"error", "results are being prepared; try again in a few seconds"},
                  {"status", static_cast<int>(kStatus)}});
  res.set(http::field::retry_after, std::to_string(kPreparingRetrySeconds));
  return res;
}

}  // namespace

namespace {

// A body rendered from a release, from the render cache: gzip when the client accepts it (made
// once, with the body), else as it is.
Response Rendered(const Request& req, std::string_view content_type,
                  const RenderCache::Rendered& body) {
  const bool gzip = !body.gzip.empty() && AcceptsGzip(req[http::field::accept_encoding]);
  Response res = Make(req, http::status::ok, content_type, gzip ? body.gzip : body.plain);
  if (gzip) res.set(http::field::content_encoding, "gzip");
  res.set(http::field::vary, "Accept-Encoding");
  return res;
}

// What a rendered body depends on besides its release.
std::string RenderKey(const survey::Survey& survey, std::string_view route,
                      std::initializer_list<std::string_view> view) {
  std::string key = survey.id + '\n' + std::to_string(survey.version) + '\n' + std::string(route);
  for (std::string_view part : view) key.append("\n").append(part);
  return key;
}

}  // namespace

asio::awaitable<Response> App::ApiResults(const Call& call, bool csv) {
  const Request& req = call.req;
  const std::string& survey_id = call.Param("survey");
  auto survey = catalog_.Get(survey_id);
  if (!survey || !survey->public_results) {
    co_return Error(req, http::status::not_found,
                    "there are no public results for survey \"" + survey_id + "\"");
  }
  auto view = web::ParseResultsView(*survey, call.target.query);
  if (!view) co_return Error(req, http::status::bad_request, view.error());
  const auto today = std::chrono::floor<std::chrono::days>(config_.now());
  const auto built = co_await Release(results_, survey, indexes_, today);
  if (!built) co_return NoRelease(*this, req, built.error(), *survey, nullptr);
  const auto& release = *built;
  const auto body =
      renders_.Get(release,
                   RenderKey(*survey, csv ? "results.csv" : "results.json",
                             {std::to_string(static_cast<int>(view->level)), view->by}),
                   [&] {
                     return csv ? web::ResultsCsv(*survey, *release, *view)
                                : web::ResultsJson(*survey, *release, *view);
                   });
  Response res = Rendered(req, csv ? "text/csv; charset=utf-8" : "application/json", *body);
  if (csv)
    res.set(http::field::content_disposition,
            "attachment; filename=\"" + survey->id + "-results.csv\"");
  co_return res;
}

asio::awaitable<Response> App::Dashboard(const Call& call, bool csv) {
  const Request& req = call.req;
  const std::string& survey_id = call.Param("survey");
  auto survey = catalog_.Get(survey_id);
  if (!survey)
    co_return Error(req, http::status::not_found, "there is no survey \"" + survey_id + "\"");
  const std::string lang = PageLanguage(req, call.target, *survey);
  if (!survey->public_results) {
    co_return csv ? Error(req, http::status::not_found,
                          "there are no public results for survey \"" + survey_id + "\"")
                  : Html(req, http::status::not_found, web::RenderNotPublic(*survey, lang));
  }
  auto view = web::ParseDashboardView(*survey, call.target.query);
  if (!view) co_return Error(req, http::status::bad_request, view.error());
  view->lang = lang;
  const auto today = std::chrono::floor<std::chrono::days>(config_.now());
  const auto built = co_await Release(results_, survey, indexes_, today);
  if (!built) co_return NoRelease(*this, req, built.error(), *survey, csv ? nullptr : &lang);
  const auto& release = *built;
  if (!csv && !call.Param("measure").empty()) {
    view->measure = call.Param("measure");
    if (std::none_of(survey->measures.begin(), survey->measures.end(),
                     [&](const survey::Measure& m) { return m.id == view->measure; })) {
      co_return Html(req, http::status::not_found,
                     web::RenderUnknownMeasure(*survey, lang, view->measure));
    }
  }
  const auto body =
      renders_.Get(release,
                   RenderKey(*survey,
                             csv                     ? "dashboard.csv"
                             : view->measure.empty() ? "summary"
                                                     : "measure",
                             {view->lang, view->measure, view->print ? "print" : ""}),
                   [&] {
                     if (csv) return web::DashboardCsv(*survey, *release, *view);
                     if (view->measure.empty())
                       return web::RenderDashboard(*survey, *release, *view);
                     return web::RenderMeasurePage(*survey, *release, *view).value_or("");
                   });
  if (!csv) co_return Rendered(req, "text/html; charset=utf-8", *body);
  Response res = Rendered(req, "text/csv; charset=utf-8", *body);
  res.set(http::field::content_disposition,
          "attachment; filename=\"" + survey->id +
              (view->measure.empty() ? std::string() : "-" + view->measure) + ".csv\"");
  co_return res;
}

// How long a submitter refused for a full disk is asked to wait.
constexpr int kDiskFullRetrySeconds = 60;

asio::awaitable<Response> App::Submit(const Call& call) {
  const std::string media = MediaType(call.req[http::field::content_type]);
  const bool form = media == "application/x-www-form-urlencoded";
  const survey::SubmissionFormat format = form ? survey::SubmissionFormat::kForm
                                          : media == "application/json"
                                              ? survey::SubmissionFormat::kJson
                                              : survey::SubmissionFormat::kOther;
  // The service sees how many the sender may send, never who the sender is.
  const survey::Submissions::RateCheck rate_check =
      [this, &peer = call.peer](
          std::string_view survey, uint64_t per_hour,
          std::chrono::system_clock::time_point now) -> std::optional<std::chrono::seconds> {
    if (limiter_.Allow(survey, peer, per_hour, now)) return std::nullopt;
    return std::chrono::seconds(RateLimiter::SecondsLeft(now));
  };
  const Outcome outcome = co_await Completion<Outcome>([&](auto done) {
    submissions_.Submit(call.Param("survey"), format, call.req.body(), rate_check, std::move(done));
  });
  // A valid answer the store could not take because its disk is full (a code spend
  // refused for it is reported as uncheckable); the store takes answers again by itself.
  if (outcome.status == Outcome::Status::kDiskFull ||
      (outcome.status == Outcome::Status::kCodeUncheckable && store_.Space().refusing)) {
    metrics_.CountDiskFullRefusal();
    Response r = Error(call.req, http::status::service_unavailable,
                       "your answers could not be stored just now: the service's disk is full. "
                       "Nothing was kept; please send them again in a few minutes.");
    r.set(http::field::retry_after, std::to_string(kDiskFullRetrySeconds));
    co_return r;
  }
  co_return SubmitReply(call, form, outcome);
}

Response App::SubmitReply(const Call& call, bool form, const Outcome& outcome) const {
  const Request& req = call.req;
  using S = Outcome::Status;
  if (outcome.status == S::kUnknownSurvey) {
    return Error(req, http::status::not_found,
                 "there is no survey \"" + call.Param("survey") + "\"");
  }
  const survey::Survey& survey = *outcome.survey;
  const std::string lang = ChooseLanguage(survey, outcome.lang, "");
  auto with_retry = [&](Response r) {
    r.set(http::field::retry_after, std::to_string(outcome.retry_after.count()));
    return r;
  };
  switch (outcome.status) {
    case S::kStored: {
      if (!form) {
        boost::json::object reply{{"status", "stored"}};
        if (!outcome.not_stored.empty()) {
          reply["not_stored"] =
              boost::json::array(outcome.not_stored.begin(), outcome.not_stored.end());
          reply["note"] = survey::NotStoredNote(survey, outcome.not_stored);
        }
        return Json(req, http::status::created, reply);
      }
      // The form simply does not store what was not for this respondent: the thank-you
      // page is the same for everyone.
      Response r = Make(req, http::status::see_other, "text/plain; charset=utf-8", "stored\n");
      r.set(http::field::location,
            "/s/" + survey.id + "/thanks?lang=" + survey::PercentEncode(lang));
      return r;
    }
    case S::kClosed:
      return Error(req, http::status::gone, "this survey is closed and no longer takes answers");
    case S::kUnreadable:
      return Error(req, http::status::unsupported_media_type,
                   "send application/x-www-form-urlencoded or application/json");
    case S::kInvalid:
      return form
                 ? InvalidForm(req, survey, outcome.rejection)
                 : Json(req, http::status::bad_request,
                        {{"error", outcome.rejection.message}, {"field", outcome.rejection.field}});
    case S::kRateLimited:
      return with_retry(
          form ? Html(req, http::status::too_many_requests,
                      web::RenderMessage(web::UiText::BuiltIn().Plain(lang, "rate_limited_title"),
                                         web::UiText::BuiltIn().Plain(lang, "rate_limited_body"),
                                         lang))
               : Error(req, http::status::too_many_requests,
                       "too many answers from this address this hour; please try again later"));
    case S::kCodeMissing:
      return CodeRefusal(req, survey, lang, http::status::forbidden, "code_needed_title");
    case S::kCodeUnknown:
      return CodeRefusal(req, survey, lang, http::status::forbidden, "code_unknown");
    case S::kCodeSpent:
      return CodeRefusal(req, survey, lang, http::status::gone, "code_spent");
    case S::kCodeUncheckable:
      return Error(req, http::status::internal_server_error, "the code could not be checked");
    case S::kOverloaded:
      return with_retry(
          Error(req, http::status::service_unavailable,
                "too many answers are arriving at once; please send again in a moment"));
    case S::kUnknownSurvey:
    case S::kDiskFull:  // answered in Submit
    case S::kFailed:
      break;
  }
  return Error(req, http::status::internal_server_error,
               "your answers could not be stored; nothing was kept. Please try again later");
}

Response App::InvalidForm(const Request& req, const survey::Survey& survey,
                          const survey::Rejection& why) const {
  // Show the form again in the person's language and keep the poster's tag.
  std::string lang_field, src, code;
  std::string ignored;
  if (auto pairs = survey::ParseFormPairs(req.body(), &ignored)) {
    for (const auto& [k, v] : *pairs) {
      if (k == "lang") lang_field = v;
      if (k == "src" && survey::IsValidSourceTag(v)) src = v;
      if (k == "code" && survey.requires_code && survey::IsWellFormedCode(v)) code = v;
    }
  }
  const std::string lang =
      ChooseLanguage(survey, lang_field, std::string_view(req[http::field::accept_language]));
  return Html(req, http::status::bad_request, web::RenderForm(survey, lang, src, &why, code));
}

}  // namespace candour::server
