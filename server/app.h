// App: Candour's HTTP routes and handlers, independent of sockets. Given a parsed request it
// finds the route in the one route table and produces the response; a submission resumes only
// once its response is durable on disk. The workflows are survey/ services that App owns:
// Submissions (on its own worker, for code spends) and Organiser (on its own, for admin actions
// and the index rebuilds they cause), so an organiser's edit never holds up a submission.
// Thread-safe: Handle may run concurrently on many strands.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/http.hpp>
#include <string_view>

#include "server/admin.h"
#include "server/config.h"
#include "server/console.h"
#include "server/http_util.h"
#include "server/metrics.h"
#include "server/rate_limiter.h"
#include "server/render_cache.h"
#include "server/router.h"
#include "store/store.h"
#include "survey/audit_log.h"
#include "survey/catalog.h"
#include "survey/codes.h"
#include "survey/organiser.h"
#include "survey/release_cache.h"
#include "survey/submissions.h"
#include "survey/survey_index.h"

namespace candour::server {

class App {
 public:
  // `config`, `catalog`, `store`, `indexes` and `audit` must outlive the App.
  App(const ServerConfig& config, survey::SurveyCatalog& catalog, store::Store& store,
      survey::SurveyIndexes& indexes, survey::AuditLog& audit);

  // Routes one request. Never throws for bad input: every refusal is a 4xx with a message.
  // `peer` is used only by the rate limiter, which keeps a rotating keyed hash of it in
  // memory; it is never stored or logged. `metrics_listener`: the request came to the metrics
  // listener (ServerConfig::metrics_address), which serves /metrics without the admin token,
  // /healthz and /readyz, and 404 for everything else.
  boost::asio::awaitable<Response> Handle(Request request, const boost::asio::ip::address& peer,
                                          bool metrics_listener = false);

  // The largest body the route of this request (its header, before the body is read) takes:
  // ServerConfig::body_limit for submissions, definition_body_limit for survey definitions,
  // small_body_limit for the rest and for requests that match no route.
  size_t BodyLimit(const Request& header) const;

  // The reply to a request refused before routing (body or headers too large, malformed, a
  // handler that threw): the error, JSON or HTML as the request asked, with the security
  // headers every reply carries, closing the connection. `request` may be partial.
  Response Refusal(const Request& request, boost::beast::http::status status,
                   std::string_view message) const;

  // An error response, JSON or HTML depending on what the request asked for (the caller or
  // Handle adds the headers). `request` may be partial.
  Response Error(const Request& request, boost::beast::http::status status,
                 std::string_view message) const;

  const Metrics& metrics() const { return metrics_; }
  // Where failures are reported for the operator (counted in /metrics).
  survey::Incidents& incidents() { return metrics_.incidents(); }

  // The first step of shutdown (HttpServer::Stop takes it before it waits for requests in
  // flight): cancels the release build under way, so that it ends within milliseconds and is
  // neither cached nor saved, and builds no more. Results already built are still served; a
  // survey without one says its results are being prepared. Idempotent.
  void StopBuilding() { results_.Stop(); }

  // Waits until no release build is queued or running (for tests: a request for results
  // queues one and answers without waiting for it).
  void DrainReleases() { results_.Drain(); }

  // Stops building (StopBuilding), waits for the cancelled build to end, and for the
  // submissions and admin actions under way. Call after HttpServer::Stop, before the
  // HttpServer is destroyed (their completions refer to its io_context) and before the store
  // closes.
  void Stop() {
    results_.Stop();
    results_.Drain();
    submissions_.Stop();
    organiser_.Stop();
  }

 private:
  // Content-Security-Policy, Referrer-Policy, nosniff, frame and permissions policies, and
  // no-store unless the handler set its own caching.
  // `console`: a reply under /admin, whose pages send their referrer (and so their Origin) to
  // this site only, since the console's forms are checked by their Origin; everything else
  // sends no referrer at all.
  static void SetSecurityHeaders(Response& res, bool console = false);
  using Awaitable = boost::asio::awaitable<Response>;
  std::vector<RouteSpec> Routes();
  Awaitable Route(const Call& call, const Router::Match& match, bool metrics_listener);

  Response Index(const Call& call) const;
  // GET /healthz: the process answers ("ok"). Nothing else is said.
  Response Health(const Call& call) const;
  // GET /readyz: 200 "ready" while the store answers, every survey's release history reads and
  // the store's disk is not full, else 503 "not ready". Nothing else is said.
  Response Ready(const Call& call) const;
  Response MetricsText(const Call& call) const;
  Response Static(const Call& call) const;
  Response Form(const Call& call) const;
  Awaitable Submit(const Call& call);
  Response Thanks(const Call& call) const;
  // The public dashboard (/r/{survey}) or the CSV of its figures, from the day's release.
  Awaitable Dashboard(const Call& call, bool csv);
  Response ApiSurvey(const Call& call) const;
  Awaitable ApiResults(const Call& call, bool csv);
  Response Qr(const Call& call, bool png) const;
  Response Poster(const Call& call) const;

  // The page or message for a submission's outcome.
  Response SubmitReply(const Call& call, bool form, const survey::SubmitOutcome& outcome) const;
  // The form again, in the person's language with their tag, saying what was wrong.
  Response InvalidForm(const Request& req, const survey::Survey& survey,
                       const survey::Rejection& why) const;
  // For a survey that needs a code: the code entry page (HTML) or message (JSON) saying why
  // the code was refused (`key`: a UI text, e.g. "code_spent").
  Response CodeRefusal(const Request& req, const survey::Survey& survey, const std::string& lang,
                       boost::beast::http::status status, const char* key) const;
  // For the organisers' pages: sets the survey and a strictly validated source tag, or returns
  // the error response (404 unknown survey, 400 bad tag).
  std::optional<Response> OrganiserTarget(const Call& call,
                                          std::shared_ptr<const survey::Survey>* survey,
                                          std::string* src) const;

  // Constant after construction.
  const ServerConfig& config_;
  survey::SurveyCatalog& catalog_;
  store::Store& store_;
  survey::SurveyIndexes& indexes_;

  // The route table's handlers call the members below only once a request arrives.
  const Router router_;
  Metrics metrics_;  // after router_ (counts its routes), before results_ (which reports to it)
  survey::ResultsCache results_;
  RenderCache renders_;  // what results_'s releases render to (public pages, CSV, JSON)
  survey::Codes codes_;
  RateLimiter limiter_;
  // The services own their workers; destroyed (joined) before what they borrow above.
  survey::Submissions submissions_;
  survey::Organiser organiser_;
  Admin admin_;
  Console console_;  // console: the organisers' web console under /admin
};

}  // namespace candour::server
