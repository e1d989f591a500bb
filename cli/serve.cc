// `candour serve` (commands.h): opens the data folder, prepares the catalog, the demo survey,
// the indexes and the admin token, then runs the App behind the HttpServer until SIGINT or
// SIGTERM, scrubbing the store hourly. Everything is owned here and passed in; nothing is
// global.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cassert>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "cli/commands.h"
#include "cli/option_values.h"
#include "server/app.h"
#include "server/http_server.h"
#include "survey/admin_token.h"
#include "survey/audit_log.h"
#include "survey/catalog.h"
#include "survey/demo_data.h"
#include "survey/survey_index.h"

namespace candour::cli {
namespace {

using server::ServerConfig;

// Every connection is a file descriptor: raise the soft limit to the hard one and keep a
// reserve for the database, so that the 503 for too many connections comes before accept()
// or RocksDB runs out of descriptors.
void FitConnectionsToFileLimit(ServerConfig* config) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);  // may fail: the limit read back below is what holds
  ::getrlimit(RLIMIT_NOFILE, &limit);
  const size_t usable = limit.rlim_cur > 1024 + 64 ? limit.rlim_cur - 1024 : 64;
  config->max_connections = std::min(config->max_connections, usable);
}

ServerConfig ConfigFor(const Options& o) {
  const auto listen = ParseHostPort(o.listen);
  assert(listen && "ParseCommandLine validated --listen");
  ServerConfig config;
  config.address = listen->host;
  config.port = listen->port;
  config.io_threads = o.threads;
  config.rate_limit_per_hour = o.rate_limit;
  config.console_idle = std::chrono::seconds(o.console_idle);
  config.public_url = PublicUrl(o);
  // A token rotated in the console replaces the one in the token file, so that scripts
  // reading it there (backups, the metrics scraper) keep working.
  config.write_admin_token = [path = AdminTokenPath(o)](const std::string& token) {
    if (const std::string why = WriteSecretFile(path, token); !why.empty()) {
      return "It could not be written to " + path.string() + " (" + why +
             "): that file still holds the old token, so put this one there yourself.";
    }
    return "It has also replaced the old one in " + path.string() +
           " (mode 0600), for scripts that read it there.";
  };
  config.max_connections = static_cast<size_t>(o.max_connections);
  FitConnectionsToFileLimit(&config);
  config.max_connections_per_address =
      o.max_connections_per_address
          ? std::min(config.max_connections, static_cast<size_t>(o.max_connections_per_address))
          : server::PerAddressConnections(config.max_connections);
  if (!o.metrics_listen.empty()) {
    const auto metrics = ParseHostPort(o.metrics_listen);
    assert(metrics && "ParseCommandLine validated --metrics-listen");
    config.metrics_address = metrics->host;
    config.metrics_port = metrics->port;
  }
  for (const std::string& proxy : o.trusted_proxies) {
    config.trusted_proxies.push_back(boost::asio::ip::make_address(proxy));  // validated
  }
  return config;
}

// Whether `host` (a listening address or a URL's host) can only be reached from this machine.
bool IsLoopback(std::string host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost" || host.ends_with(".localhost")) return true;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  if (ec) return false;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6())
        .is_loopback();
  }
  return address.is_loopback();
}

// The host of an http(s):// URL ("[::1]" keeps its brackets).
std::string UrlHost(const std::string& url) {
  std::string rest = url.substr(url.find("://") + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (rest.starts_with("[")) return rest.substr(0, rest.find(']') + 1);
  return rest.substr(0, rest.find(':'));
}

// Said loudly, on standard error, where links residents get would be wrong or unencrypted.
void WarnAboutPublicUrl(const Options& o, const std::string& listen_host, const std::string& base) {
  const char* kRule = "candour: ************************************************************\n";
  if (o.public_url.empty() && !IsLoopback(listen_host)) {
    std::cerr << kRule << "candour: WARNING: listening on " << base << " without --public-url.\n"
              << "candour:   Posters, QR codes and code links will carry " << base << ",\n"
              << "candour:   plain http that residents' answers would cross unencrypted.\n"
              << "candour:   Serve through a TLS proxy (packaging/nginx/candour.conf) and set\n"
              << "candour:   --public-url https://YOUR.HOST\n"
              << kRule;
  } else if (o.public_url.starts_with("http://") && !IsLoopback(UrlHost(o.public_url))) {
    std::cerr << kRule << "candour: WARNING: --public-url " << o.public_url << " is plain http.\n"
              << "candour:   Residents' answers would cross the network unencrypted. Serve\n"
              << "candour:   through a TLS proxy (packaging/nginx/candour.conf) and use an\n"
              << "candour:   https:// --public-url.\n"
              << kRule;
  }
}

// A newcomer should see every figure working: a new demo survey gets a year of synthetic
// responses. Returns 0, or 1 after saying why it could not.
int EnsureDemo(store::Store& store, survey::SurveyCatalog& catalog, const Options& o) {
  auto demo = catalog.EnsureDemo(store);
  if (!demo) return Fail("cannot create the demo survey: " + demo.error().message());
  if (!*demo || o.demo_responses == 0) return 0;
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const auto synthetic =
      survey::DemoResponses(*catalog.Get("demo"), today, static_cast<size_t>(o.demo_responses));
  if (auto ec = store.PutResponses("demo", synthetic)) {
    return Fail("cannot store the demo responses: " + ec.message());
  }
  std::cout << "Created the demo survey with " << synthetic.size()
            << " synthetic responses over the past year (marked as demo data)" << std::endl;
  return 0;
}

int RebuildIndexes(store::Store& store, const survey::SurveyCatalog& catalog,
                   survey::SurveyIndexes& indexes) {
  const auto start = std::chrono::steady_clock::now();
  auto rebuilt = indexes.Rebuild(store, catalog);
  if (!rebuilt) return Fail("cannot read responses: " + rebuilt.error().message());
  std::cout << "Indexed " << rebuilt->indexed << " stored responses in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - start)
                   .count()
            << " ms" << std::endl;
  if (rebuilt->forged + rebuilt->undecodable + rebuilt->orphaned > 0) {
    std::cerr << "candour: warning: " << rebuilt->forged << " responses failed authentication, "
              << rebuilt->undecodable << " did not decode, " << rebuilt->orphaned
              << " belong to no known survey; they are left out of every statistic\n";
  }
  return 0;
}

}  // namespace

// Where the admin token is written on first start: candour-admin-token beside the key file.
std::filesystem::path AdminTokenPath(const Options& o) {
  return std::filesystem::absolute(o.key_file).parent_path() / "candour-admin-token";
}

// Writes `token` and a newline to `path`, mode 0600, whole or not at all (a temporary file,
// synced, then renamed over any older one). Returns why it could not, or empty.
std::string WriteSecretFile(const std::filesystem::path& path, const std::string& token) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return std::strerror(errno);
  const std::string line = token + "\n";
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
            ::fsync(fd) == 0;
  const int error = errno;
  ok = ::close(fd) == 0 && ok;
  if (ok && ::rename(tmp.c_str(), path.c_str()) == 0) return "";
  const std::string why = std::strerror(ok ? errno : error);
  ::unlink(tmp.c_str());
  return why;
}

namespace {

// On a new data folder, makes the admin token and writes it to AdminTokenPath (never to
// standard output or a log: under a service manager that is the journal). Returns 0, or 1.
int EnsureAdminToken(store::Store& store, const Options& o) {
  auto token = survey::EnsureAdminToken(store);
  if (!token) return Fail("cannot create the admin token: " + token.error().message());
  if (*token) {
    const std::filesystem::path path = AdminTokenPath(o);
    if (const std::string why = WriteSecretFile(path, **token); !why.empty()) {
      return Fail("cannot write the admin token to " + path.string() + ": " + why +
                  "; `candour admin-token --rotate` makes a new one");
    }
    std::cout << "Admin token written to " << path.string() << " (mode 0600)\n"
              << "  It is needed for /api/admin/ and /metrics; only its hash is stored. "
                 "`candour admin-token --rotate` replaces it."
              << std::endl;
  }
  return 0;
}

// Hourly, RocksDB's per-write sequence numbers and old write-ahead logs are rewritten away
// (Store::Scrub), so what is on disk never orders responses, or a spent code and the
// response written just after it, for longer than that. Stops and joins when destroyed.
class HourlyScrubber {
 public:
  explicit HourlyScrubber(store::Store& store) : thread_([this, &store] { Run(store); }) {}
  ~HourlyScrubber() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void Run(store::Store& store) {
    std::unique_lock lock(mu_);
    while (!wake_.wait_for(lock, std::chrono::hours(1), [&] { return stop_; })) {
      lock.unlock();
      if (auto ec = store.Scrub()) std::cerr << "candour: scrub failed: " << ec.message() << "\n";
      lock.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;   // guarded by mu_
  std::thread thread_;  // last: starts once the members above exist
};

// SIGINT and SIGTERM, caught from construction on (so that one during start-up still means a
// graceful stop).
class StopSignals {
 public:
  StopSignals() : signals_(ioc_, SIGINT, SIGTERM) {}
  // Blocks until one arrives (or has arrived since construction).
  void Wait() {
    signals_.async_wait([](boost::system::error_code, int) {});
    ioc_.run();
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::signal_set signals_;
};

// Serves until SIGINT or SIGTERM, then stops building releases (a build under way is
// cancelled within milliseconds: nobody waits for one), stops taking connections and finishes
// the requests in flight, submissions synced. Returns 0, or 1 if it cannot listen.
int ServeUntilStopped(const Options& o, ServerConfig& config, survey::SurveyCatalog& catalog,
                      store::Store& store, survey::SurveyIndexes& indexes, StopSignals& stop) {
  survey::AuditLog audit(o.data, store);
  server::App app(config, catalog, store, indexes, audit);
  server::HttpServer server(config, app);
  const std::string host = o.listen.substr(0, o.listen.rfind(':'));  // [::1] keeps brackets
  // With port 0 the links in QR codes and posters use the port actually bound.
  auto endpoint = server.Start([&](const boost::asio::ip::tcp::endpoint& bound) {
    if (o.public_url.empty())
      config.public_url = "http://" + host + ":" + std::to_string(bound.port());
  });
  if (!endpoint) {
    return Fail("cannot listen on " + o.listen +
                (o.metrics_listen.empty() ? "" : " and " + o.metrics_listen) + ": " +
                endpoint.error().message());
  }
  const std::string base = "http://" + host + ":" + std::to_string(endpoint->port());
  // Before the line that says it listens (which scripts and tests wait for).
  if (const auto& metrics = server.metrics_endpoint()) {
    const std::string metrics_host = o.metrics_listen.substr(0, o.metrics_listen.rfind(':'));
    std::cout << "Metrics (no token): http://" << metrics_host << ":" << metrics->port()
              << "/metrics" << std::endl;
    if (!IsLoopback(metrics_host)) {
      std::cerr << "candour: WARNING: --metrics-listen " << o.metrics_listen
                << " is not a loopback address: anyone who reaches it reads the live counters, "
                   "which tell when each response arrives\n";
    }
  }
  std::cout << "Candour is listening on " << base << std::endl;
  // The addresses as residents and organisers reach them (--public-url when it is set).
  const std::string& url = config.public_url;
  for (const auto& s : catalog.List()) {
    std::cout << "Survey form: " << url << "/s/" << s->id << std::endl;
    if (s->public_results) std::cout << "Dashboard: " << url << "/r/" << s->id << std::endl;
  }
  std::cout << "Organiser console: " << url << "/admin (sign in with the admin token in "
            << AdminTokenPath(o).string() << ")" << std::endl;
  std::cout << "Admin API: " << url << "/api/admin/surveys with Authorization: Bearer ADMIN-TOKEN"
            << std::endl;
  std::cout << "Health: " << base << "/healthz, " << base
            << "/readyz; metrics (admin token): " << base << "/metrics" << std::endl;
  WarnAboutPublicUrl(o, host, base);
  {
    HourlyScrubber scrubber(store);
    const auto backups = StartBackupSchedule(o, store);  // pkg: null without --backup-dir
    stop.Wait();
    std::cout << "Stopping: finishing requests in flight" << std::endl;
    server.Stop();  // first stops the release builder (App::StopBuilding), then drains requests
    app.Stop();
  }
  return 0;
}

}  // namespace

int Serve(const Options& o) {
  ServerConfig config = ConfigFor(o);
  StopSignals stop;
  std::mutex log_mu;
  if (o.access_log) {
    config.access_log = [&log_mu](std::string_view line) {
      std::lock_guard lock(log_mu);
      std::cerr << line << '\n';
    };
  }
  auto store = OpenStore(o, true);
  if (!store) return 1;
  auto catalog = survey::SurveyCatalog::Load(**store);
  if (!catalog) return Fail(catalog.error());
  survey::SurveyIndexes indexes;
  if (int failed = EnsureDemo(**store, **catalog, o)) return failed;
  if (int failed = RebuildIndexes(**store, **catalog, indexes)) return failed;
  if (int failed = EnsureAdminToken(**store, o)) return failed;
  auto comments_key = CommentsKey(o);
  if (!comments_key) return 1;
  config.comments_key = *comments_key;
  if (int failed = ServeUntilStopped(o, config, **catalog, **store, indexes, stop)) return failed;
  store->reset();  // writes everything queued, then closes the database
  std::cout << "Stopped" << std::endl;
  return 0;
}

}  // namespace candour::cli
