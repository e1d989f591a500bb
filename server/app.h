// App: Candour's HTTP routes and handlers, independent of sockets. Given a parsed request it
// produces the response; a submission resumes only once its response is durable on disk.
// Thread-safe: Handle may run concurrently on many strands.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/http.hpp>
#include <string_view>

#include "server/admin.h"
#include "server/config.h"
#include "server/http_util.h"
#include "server/metrics.h"
#include "server/rate_limiter.h"
#include "store/store.h"
#include "survey/audit_log.h"
#include "survey/catalog.h"
#include "survey/codes.h"
#include "survey/release_cache.h"
#include "survey/survey_index.h"

namespace candour::server {

class App {
 public:
  // `config`, `catalog`, `store`, `indexes` and `audit` must outlive the App.
  App(const ServerConfig& config, survey::SurveyCatalog& catalog, store::Store& store,
      survey::SurveyIndexes& indexes, survey::AuditLog& audit);

  // Routes one request. Never throws for bad input: every refusal is a 4xx with a message.
  // `peer` is used only by the rate limiter, which keeps a rotating keyed hash of it in
  // memory; it is never stored or logged.
  boost::asio::awaitable<Response> Handle(Request request, const boost::asio::ip::address& peer);

  // A complete error response for failures found before routing (e.g. body too large),
  // JSON or HTML depending on what the request asked for. `request` may be partial.
  Response Error(const Request& request, boost::beast::http::status status,
                 std::string_view message) const;

  const Metrics& metrics() const { return metrics_; }
  // Where failures are reported for the operator (counted in /metrics).
  survey::Incidents& incidents() { return metrics_.incidents(); }

  // Waits for the admin, code and release work under way. Call after HttpServer::Stop, before the
  // HttpServer is destroyed (the work's completions refer to its io_context) and before the
  // store closes.
  void Stop() {
    results_.Drain();
    blocking_.join();
  }

 private:
  struct Routed;
  boost::asio::awaitable<Response> Dispatch(const Request& req,
                                            const boost::asio::ip::address& peer, Route* route);
  boost::asio::awaitable<Response> Submit(const Request& req, const std::string& survey_id,
                                          const boost::asio::ip::address& peer);
  // For a survey that needs a code: the refusal page or message for a missing, unknown or
  // spent code, or nullopt when `code` may be used.
  std::optional<Response> CodeRefusal(const Request& req, const survey::Survey& survey,
                                      const std::string& code, const std::string& lang) const;
  Response Form(const Request& req, const std::string& survey_id) const;
  Response Thanks(const Request& req, const std::string& survey_id) const;
  // The public dashboard (/r/{survey}) or the CSV of its figures, from the day's release.
  boost::asio::awaitable<Response> Dashboard(const Request& req, const std::string& survey_id,
                                             bool csv);
  Response ApiSurvey(const Request& req, const std::string& survey_id) const;
  boost::asio::awaitable<Response> ApiResults(const Request& req, const std::string& survey_id,
                                              bool csv);
  Response Static(const Request& req, std::string_view name) const;
  // For the organisers' pages: sets the survey and a strictly validated source tag, or returns
  // the error response (404 unknown survey, 400 bad tag).
  std::optional<Response> OrganiserTarget(const Request& req, const std::string& survey_id,
                                          std::shared_ptr<const survey::Survey>* survey,
                                          std::string* src) const;
  Response Qr(const Request& req, const std::string& survey_id, bool png) const;
  Response Poster(const Request& req, const std::string& survey_id) const;

  // Constant after construction.
  const ServerConfig& config_;
  survey::SurveyCatalog& catalog_;
  store::Store& store_;
  survey::SurveyIndexes& indexes_;

  Metrics metrics_;  // before results_, which reports to its incidents
  survey::ResultsCache results_;
  survey::Codes codes_;
  RateLimiter limiter_;
  Admin admin_;
  // Admin actions and code spending (synced writes, index rebuilds) run here, off the I/O
  // threads. Last: destroyed (joined) first.
  boost::asio::thread_pool blocking_{1};
};

}  // namespace candour::server
