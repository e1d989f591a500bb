#include "server/app.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "server/http_util.h"
#include "stats/period.h"
#include "store/errc.h"
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
using boost::system::error_code;

constexpr char kCsp[] =
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

// Runs `f` (blocking: synced writes, scans) on `pool` and resumes the caller on its own
// executor with the result, so I/O threads never wait on the disk.
template <class F>
asio::awaitable<std::invoke_result_t<F>> OffIoThreads(asio::thread_pool& pool, F f) {
  using R = std::invoke_result_t<F>;
  co_return co_await asio::co_spawn(
      pool.get_executor(), [f = std::move(f)]() mutable -> asio::awaitable<R> { co_return f(); },
      asio::use_awaitable);
}

// Waits for the store to make one response durable, resuming on the caller's executor.
template <class Token>
auto AsyncSubmit(store::Store& store, std::string survey_id, std::string plaintext, Token&& token) {
  return asio::async_initiate<Token, void(error_code)>(
      [&store](auto handler, std::string id, std::string text) {
        using Handler = decltype(handler);
        auto ex = asio::get_associated_executor(handler);
        struct Pending {
          Handler handler;
          asio::executor_work_guard<decltype(ex)> work;  // keeps the I/O loop alive meanwhile
        };
        auto pending =
            std::make_shared<Pending>(Pending{std::move(handler), asio::make_work_guard(ex)});
        auto complete = [pending](error_code ec) {
          asio::post(pending->work.get_executor(), [pending, ec] {
            std::move(pending->handler)(ec);
            pending->work.reset();
          });
        };
        if (error_code ec = store.SubmitResponse(std::move(id), std::move(text), complete)) {
          complete(ec);
        }
      },
      token, std::move(survey_id), std::move(plaintext));
}

}  // namespace

App::App(const ServerConfig& config, survey::SurveyCatalog& catalog, store::Store& store,
         survey::SurveyIndexes& indexes, survey::AuditLog& audit)
    : config_(config),
      catalog_(catalog),
      store_(store),
      indexes_(indexes),
      results_(config.release_options, survey::StoreHistory(store)),
      codes_(store),
      admin_(config, catalog, store, indexes, audit, codes_) {}

Response App::Error(const Request& req, http::status status, std::string_view message) const {
  if (WantsJson(req)) {
    return Json(req, status, {{"error", message}, {"status", static_cast<int>(status)}});
  }
  const std::string title =
      std::to_string(static_cast<int>(status)) + " " + std::string(http::obsolete_reason(status));
  return Html(req, status, web::RenderMessage(title, message));
}

asio::awaitable<Response> App::Handle(Request req, const asio::ip::address& peer) {
  const auto start = std::chrono::steady_clock::now();
  Route route = Route::kOther;
  Response res = co_await Dispatch(req, peer, &route);
  res.set("Content-Security-Policy", kCsp);
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  if (res.find(http::field::cache_control) == res.end())
    res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  metrics_.Record(route, res.result_int(), latency);
  if (config_.access_log) {
    config_.access_log(std::string(req.method_string()) + " " + RoutePattern(route) + " " +
                       std::to_string(res.result_int()) + " " + std::to_string(latency.count()) +
                       "us");
  }
  co_return res;
}

asio::awaitable<Response> App::Dispatch(const Request& req, const asio::ip::address& peer,
                                        Route* route) {
  const std::string_view raw(req.target().data(), req.target().size());
  const Target target = ParseTarget(raw);
  const auto seg = Segments(target.path);
  auto only = [&](http::verb allowed) -> std::optional<Response> {
    if (req.method() == allowed) return std::nullopt;
    Response r = Error(req, http::status::method_not_allowed,
                       "this address accepts " + std::string(http::to_string(allowed)) + " only");
    r.set(http::field::allow, http::to_string(allowed));
    return r;
  };
  if (seg.empty()) {
    *route = Route::kIndex;
    if (auto r = only(http::verb::get)) co_return *r;
    std::vector<web::SurveyLink> links;
    for (const auto& s : catalog_.List()) {
      if (s->open)
        links.push_back({s->id, s->title.In(s->default_language(), ""), s->public_results});
    }
    co_return Html(req, http::status::ok, web::RenderIndex(links));
  }
  if (seg.size() == 1 && seg[0] == "healthz") {
    *route = Route::kHealth;
    if (auto r = only(http::verb::get)) co_return *r;
    co_return Make(req, http::status::ok, "text/plain; charset=utf-8", "ok\n");
  }
  if (seg.size() == 1 && seg[0] == "metrics") {
    *route = Route::kMetrics;
    if (auto r = only(http::verb::get)) co_return *r;
    co_return Make(req, http::status::ok, "text/plain; version=0.0.4",
                   metrics_.Render(store_.GetCommitStats()));
  }
  if (seg.size() == 2 && seg[0] == "static") {
    *route = Route::kStatic;
    if (auto r = only(http::verb::get)) co_return *r;
    co_return Static(req, seg[1]);
  }
  const std::string id = seg.size() >= 2 ? std::string(seg[1]) : "";
  if (seg[0] == "s" && seg.size() == 2) {
    *route = Route::kForm;
    if (auto r = only(http::verb::get)) co_return *r;
    co_return Form(req, id);
  }
  if (seg[0] == "s" && seg.size() == 3 && seg[2] == "responses") {
    *route = Route::kSubmit;
    if (auto r = only(http::verb::post)) co_return *r;
    co_return co_await Submit(req, id, peer);
  }
  if (seg[0] == "s" && seg.size() == 3 && seg[2] == "poster") {
    *route = Route::kPoster;
    if (auto r = only(http::verb::get)) co_return *r;
    co_return Poster(req, id);
  }
  if (seg[0] == "s" && seg.size() == 3 && (seg[2] == "qr.svg" || seg[2] == "qr.png")) {
    *route = seg[2] == "qr.svg" ? Route::kQr : Route::kQrPng;
    if (auto r = only(http::verb::get)) co_return *r;
    co_return Qr(req, id, seg[2] == "qr.png");
  }
  if (seg[0] == "s" && seg.size() == 3 && seg[2] == "thanks") {
    *route = Route::kThanks;
    if (auto r = only(http::verb::get)) co_return *r;
    co_return Thanks(req, id);
  }
  if (seg[0] == "r" && (seg.size() == 2 || (seg.size() == 3 && seg[2] == "figures.csv"))) {
    *route = seg.size() == 2 ? Route::kResults : Route::kFigures;
    if (auto r = only(http::verb::get)) co_return *r;
    co_return co_await Dashboard(req, id, seg.size() == 3);
  }
  if (seg[0] == "api" && seg.size() == 4 && seg[1] == "surveys" &&
      (seg[3] == "results" || seg[3] == "results.csv")) {
    *route = Route::kApiResults;
    if (auto r = only(http::verb::get)) co_return *r;
    const std::string_view accept(req[http::field::accept].data(), req[http::field::accept].size());
    co_return co_await ApiResults(req, std::string(seg[2]),
                                  seg[3] == "results.csv" || accept.starts_with("text/csv"));
  }
  if (seg[0] == "api" && seg.size() >= 2 && seg[1] == "admin") {
    *route = Route::kAdmin;
    const std::vector<std::string_view> rest(seg.begin() + 2, seg.end());
    co_return co_await OffIoThreads(blocking_, [&] { return admin_.Handle(req, rest); });
  }
  if (seg[0] == "api" && seg.size() == 3 && seg[1] == "surveys") {
    *route = Route::kApiSurvey;
    if (auto r = only(http::verb::get)) co_return *r;
    co_return ApiSurvey(req, std::string(seg[2]));
  }
  co_return Error(req, http::status::not_found, "there is nothing at this address");
}

Response App::Static(const Request& req, std::string_view name) const {
  auto asset = web::FindStatic(name);
  if (!asset) return Error(req, http::status::not_found, "no such file");
  Response res = Make(req, http::status::ok, asset->content_type, std::string(asset->body));
  res.set(http::field::cache_control, "public, max-age=3600");
  return res;
}

Response App::Form(const Request& req, const std::string& survey_id) const {
  auto survey = catalog_.Get(survey_id);
  if (!survey)
    return Error(req, http::status::not_found, "there is no survey \"" + survey_id + "\"");
  const Target target = TargetOf(req);
  const std::string lang = PageLanguage(req, target, *survey);
  if (!survey->open) {
    return Html(req, http::status::gone,
                web::RenderMessage(web::UiText::BuiltIn().Plain(lang, "closed_title"),
                                   web::UiText::BuiltIn().Plain(lang, "closed_body"), lang));
  }
  // A mistyped tag on a poster should not stop anyone answering: an invalid one is dropped.
  std::string src = target.Query("src");
  if (!survey::IsValidSourceTag(src)) src.clear();
  const std::string code = target.Query("code");
  if (survey->requires_code) {
    if (code.empty()) return Html(req, http::status::ok, web::RenderCodeEntry(*survey, lang, ""));
    if (auto refused = CodeRefusal(req, *survey, code, lang)) return std::move(*refused);
  }
  return Html(req, http::status::ok,
              web::RenderForm(*survey, lang, src, nullptr, survey->requires_code ? code : ""));
}

std::optional<Response> App::OrganiserTarget(const Request& req, const std::string& survey_id,
                                             std::shared_ptr<const survey::Survey>* survey,
                                             std::string* src) const {
  *survey = catalog_.Get(survey_id);
  if (!*survey)
    return Error(req, http::status::not_found, "there is no survey \"" + survey_id + "\"");
  const Target target = TargetOf(req);
  *src = target.Query("src");
  // For organisers printing posters: a bad tag is an error here, never silently dropped.
  if (!src->empty() && !survey::IsValidSourceTag(*src)) {
    return Error(req, http::status::bad_request,
                 "src: expected a source tag of 1-48 of a-z, 0-9 and '-'");
  }
  return std::nullopt;
}

Response App::Qr(const Request& req, const std::string& survey_id, bool png) const {
  std::shared_ptr<const survey::Survey> survey;
  std::string src;
  if (auto error = OrganiserTarget(req, survey_id, &survey, &src)) return std::move(*error);
  const std::string link = survey::SurveyUrl(config_.public_url, survey->id, "src", src);
  auto image = png ? web::QrPng(link) : web::QrSvg(link);
  if (!image)
    return Error(req, http::status::bad_request, "the survey link is too long for a QR code");
  return Make(req, http::status::ok, png ? "image/png" : "image/svg+xml", std::move(*image));
}

Response App::Poster(const Request& req, const std::string& survey_id) const {
  std::shared_ptr<const survey::Survey> survey;
  std::string src;
  if (auto error = OrganiserTarget(req, survey_id, &survey, &src)) return std::move(*error);
  const Target target = TargetOf(req);
  const std::string lang = PageLanguage(req, target, *survey);
  return Html(req, http::status::ok,
              web::RenderPoster(*survey, lang, src,
                                survey::SurveyUrl(config_.public_url, survey->id, "src", src)));
}

std::optional<Response> App::CodeRefusal(const Request& req, const survey::Survey& survey,
                                         const std::string& code, const std::string& lang) const {
  const bool json = WantsJson(req);
  auto refuse = [&](http::status status, const char* key) {
    return json ? Error(req, status, web::UiText::BuiltIn().Plain("en", key))
                : Html(req, status, web::RenderCodeEntry(survey, lang, key));
  };
  if (code.empty()) return refuse(http::status::forbidden, "code_needed_title");
  auto state = codes_.Check(survey.id, code);
  if (!state)
    return Error(req, http::status::internal_server_error, "the code could not be checked");
  if (*state == survey::Codes::State::kUnknown)
    return refuse(http::status::forbidden, "code_unknown");
  if (*state == survey::Codes::State::kSpent) return refuse(http::status::gone, "code_spent");
  return std::nullopt;
}

Response App::Thanks(const Request& req, const std::string& survey_id) const {
  auto survey = catalog_.Get(survey_id);
  if (!survey)
    return Error(req, http::status::not_found, "there is no survey \"" + survey_id + "\"");
  const Target target = TargetOf(req);
  const std::string lang = PageLanguage(req, target, *survey);
  return Html(req, http::status::ok, web::RenderThanks(*survey, lang));
}

Response App::ApiSurvey(const Request& req, const std::string& survey_id) const {
  auto survey = catalog_.Get(survey_id);
  if (!survey)
    return Error(req, http::status::not_found, "there is no survey \"" + survey_id + "\"");
  return Make(req, http::status::ok, "application/json", survey->json);
}

// Waits for the day's release of a survey, resuming on the caller's executor.
template <class Token>
auto AsyncRelease(survey::ResultsCache& cache, std::shared_ptr<const survey::Survey> survey,
                  const survey::SurveyIndexes& indexes, std::chrono::sys_days today,
                  Token&& token) {
  using Release = std::shared_ptr<const stats::Release>;
  return asio::async_initiate<Token, void(Release)>(
      [&cache, &indexes, today](auto handler, std::shared_ptr<const survey::Survey> s) {
        using Handler = decltype(handler);
        auto ex = asio::get_associated_executor(handler);
        struct Pending {
          Handler handler;
          asio::executor_work_guard<decltype(ex)> work;
        };
        auto pending =
            std::make_shared<Pending>(Pending{std::move(handler), asio::make_work_guard(ex)});
        cache.Get(std::move(s), indexes, today, [pending](Release r) {
          asio::post(pending->work.get_executor(), [pending, r = std::move(r)]() mutable {
            std::move(pending->handler)(std::move(r));
            pending->work.reset();
          });
        });
      },
      token, std::move(survey));
}

asio::awaitable<Response> App::ApiResults(const Request& req, const std::string& survey_id,
                                          bool csv) {
  auto survey = catalog_.Get(survey_id);
  if (!survey || !survey->public_results) {
    co_return Error(req, http::status::not_found,
                    "there are no public results for survey \"" + survey_id + "\"");
  }
  const Target target = TargetOf(req);
  auto view = web::ParseResultsView(*survey, target.query);
  if (!view) co_return Error(req, http::status::bad_request, view.error());
  const auto today = std::chrono::floor<std::chrono::days>(config_.now());
  const auto release =
      co_await AsyncRelease(results_, survey, indexes_, today, asio::use_awaitable);
  Response res = csv ? Make(req, http::status::ok, "text/csv; charset=utf-8",
                            web::ResultsCsv(*survey, *release, *view))
                     : Make(req, http::status::ok, "application/json",
                            web::ResultsJson(*survey, *release, *view));
  if (csv)
    res.set(http::field::content_disposition,
            "attachment; filename=\"" + survey->id + "-results.csv\"");
  co_return res;
}

asio::awaitable<Response> App::Dashboard(const Request& req, const std::string& survey_id,
                                         bool csv) {
  auto survey = catalog_.Get(survey_id);
  if (!survey)
    co_return Error(req, http::status::not_found, "there is no survey \"" + survey_id + "\"");
  const Target target = TargetOf(req);
  const std::string lang = PageLanguage(req, target, *survey);
  if (!survey->public_results) {
    co_return csv ? Error(req, http::status::not_found,
                          "there are no public results for survey \"" + survey_id + "\"")
                  : Html(req, http::status::not_found, web::RenderNotPublic(*survey, lang));
  }
  auto view = web::ParseDashboardView(target.query);
  if (!view) co_return Error(req, http::status::bad_request, view.error());
  view->lang = lang;
  const auto today = std::chrono::floor<std::chrono::days>(config_.now());
  const auto release =
      co_await AsyncRelease(results_, survey, indexes_, today, asio::use_awaitable);
  if (!csv) co_return Html(req, http::status::ok, web::RenderDashboard(*survey, *release, *view));
  Response res = Make(req, http::status::ok, "text/csv; charset=utf-8",
                      web::DashboardCsv(*survey, *release, *view));
  res.set(http::field::content_disposition,
          "attachment; filename=\"" + survey->id + "-" + stats::LevelName(view->level) + ".csv\"");
  co_return res;
}

asio::awaitable<Response> App::Submit(const Request& req, const std::string& survey_id,
                                      const asio::ip::address& peer) {
  auto survey = catalog_.Get(survey_id);
  if (!survey)
    co_return Error(req, http::status::not_found, "there is no survey \"" + survey_id + "\"");
  if (!survey->open) {
    co_return Error(req, http::status::gone, "this survey is closed and no longer takes answers");
  }
  const std::string media = MediaType(req[http::field::content_type]);
  const bool form = media == "application/x-www-form-urlencoded";
  if (!form && media != "application/json") {
    co_return Error(req, http::status::unsupported_media_type,
                    "send application/x-www-form-urlencoded or application/json");
  }
  auto parsed = form ? survey::ParseFormSubmission(*survey, req.body())
                     : survey::ParseJsonSubmission(*survey, req.body());
  if (!parsed) {
    const survey::Rejection& why = parsed.error();
    if (!form) {
      co_return Json(req, http::status::bad_request,
                     {{"error", why.message}, {"field", why.field}});
    }
    // Show the form again in the person's language and keep the poster's tag.
    std::string lang_field, src, code;
    std::string ignored;
    if (auto pairs = survey::ParseFormPairs(req.body(), &ignored)) {
      for (const auto& [k, v] : *pairs) {
        if (k == "lang") lang_field = v;
        if (k == "src" && survey::IsValidSourceTag(v)) src = v;
        if (k == "code" && survey->requires_code && survey::IsWellFormedCode(v)) code = v;
      }
    }
    const std::string lang =
        ChooseLanguage(*survey, lang_field, std::string_view(req[http::field::accept_language]));
    co_return Html(req, http::status::bad_request, web::RenderForm(*survey, lang, src, &why, code));
  }
  const std::string lang = ChooseLanguage(*survey, parsed->lang, "");
  const auto now = config_.now();
  const uint64_t limit =
      survey->rate_limit_per_hour ? survey->rate_limit_per_hour : config_.rate_limit_per_hour;
  if (!limiter_.Allow(survey->id, peer, limit, now)) {
    Response r =
        form ? Html(req, http::status::too_many_requests,
                    web::RenderMessage(web::UiText::BuiltIn().Plain(lang, "rate_limited_title"),
                                       web::UiText::BuiltIn().Plain(lang, "rate_limited_body"),
                                       lang))
             : Error(req, http::status::too_many_requests,
                     "too many answers from this address this hour; please try again later");
    r.set(http::field::retry_after, std::to_string(RateLimiter::SecondsLeft(now)));
    co_return r;
  }
  // A code is spent before the response is written (and given back if the write fails): a
  // crash in between loses a code, never lets one be used twice.
  if (survey->requires_code) {
    if (auto refused = CodeRefusal(req, *survey, parsed->code, lang)) co_return std::move(*refused);
    auto spent =
        co_await OffIoThreads(blocking_, [&] { return codes_.Spend(survey->id, parsed->code); });
    if (!spent)
      co_return Error(req, http::status::internal_server_error, "the code could not be checked");
    if (*spent != survey::Codes::State::kIssued) {
      // Spent by a concurrent submission between the check and now.
      co_return CodeRefusal(req, *survey, parsed->code, lang)
          .value_or(Error(req, http::status::gone, "this code has already been used"));
    }
  }
  survey::SealFreeText(*survey, config_.comments_key ? &*config_.comments_key : nullptr, &*parsed);
  const auto today = std::chrono::floor<std::chrono::days>(now);
  const std::string period = stats::PeriodOf(survey->period, std::chrono::year_month_day{today});
  const auto [ec] =
      co_await AsyncSubmit(store_, survey->id, survey::EncodeStored(*survey, *parsed, period),
                           asio::as_tuple(asio::use_awaitable));
  if (ec && survey->requires_code) {
    co_await OffIoThreads(blocking_, [&] { (void)codes_.Restore(survey->id, parsed->code); });
  }
  if (ec == store::Errc::kOverloaded) {
    Response r = Error(req, http::status::service_unavailable,
                       "too many answers are arriving at once; please send again in a moment");
    r.set(http::field::retry_after, "1");
    co_return r;
  }
  if (ec) {
    co_return Error(req, http::status::internal_server_error,
                    "your answers could not be stored; nothing was kept. Please try again later");
  }
  indexes_.Add(*survey, period, parsed->src, parsed->answers);
  if (!form) co_return Json(req, http::status::created, {{"status", "stored"}});
  Response r = Make(req, http::status::see_other, "text/plain; charset=utf-8", "stored\n");
  r.set(http::field::location, "/s/" + survey->id + "/thanks?lang=" + survey::PercentEncode(lang));
  co_return r;
}

}  // namespace candour::server
