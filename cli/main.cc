// candour: the one binary. `candour serve` runs the service; other subcommands administer a
// stopped server's data. main wires config, store and server together; nothing is global.
#include <signal.h>
#include <sodium.h>
#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "cli/cli.h"
#include "crypto/errc.h"
#include "crypto/key_file.h"
#include "crypto/sealed_box.h"
#include "server/app.h"
#include "server/http_server.h"
#include "store/errc.h"
#include "store/store.h"
#include "survey/admin_token.h"
#include "survey/audit_log.h"
#include "survey/catalog.h"
#include "survey/demo_data.h"
#include "survey/import.h"
#include "survey/survey_index.h"

namespace candour::cli {

int Fail(const std::string& message) {
  std::cerr << "candour: " << message << "\n";
  return 1;
}

std::string PublicUrl(const Options& o) {
  return o.public_url.empty() ? "http://" + o.listen : o.public_url;
}

}  // namespace candour::cli

namespace {

using namespace candour::cli;
using candour::server::ServerConfig;

constexpr char kUsage[] = R"(Usage:
  candour serve [options]   run the survey service
  candour count [options]   print the number of stored responses per survey (server stopped)
  candour import --survey ID [--skip-invalid] [--format csv|jsonl] FILE [options]
                            load paper responses, each with its period (server stopped); a file
                            with any invalid row stores nothing unless --skip-invalid

Options (each also read from the environment variable shown; flags win):
  --data DIR          data folder                 CANDOUR_DATA      default ./candour-data
  --key-file FILE     data key, outside DIR       CANDOUR_KEY_FILE  default ./candour.key
  --listen HOST:PORT  address to serve on         CANDOUR_LISTEN    default 127.0.0.1:8080
  --threads N         HTTP I/O threads            CANDOUR_THREADS   default 2
  --group-commit on|off  share WAL syncs between concurrent submissions (off: one sync per
                      response, for comparison)   CANDOUR_GROUP_COMMIT  default on
  --public-url URL    address residents use, in QR codes  CANDOUR_PUBLIC_URL  default http://LISTEN
  --demo-responses N  synthetic responses given to a newly created demo survey
                                                  CANDOUR_DEMO_RESPONSES  default 6000
  --access-log        log method, route pattern, status and latency to stderr (never
                      addresses, headers or answers)  CANDOUR_ACCESS_LOG=1  default off
  --rate-limit N      submissions per hour from one address, for surveys that set no
                      "rate_limit" (kept in memory under a keyed hash that changes hourly)
                                                  CANDOUR_RATE_LIMIT  default 600
  --comments-key FILE public half of the offline key free text is sealed to (made, with its
                      secret half beside it as FILE.secret, if missing)
                      CANDOUR_COMMENTS_KEY  default candour-comments.pub beside the key file

Administration (on a stopped server's data; --data and --key-file as above):
  candour admin-token --rotate          replace the admin token and print the new one
  candour audit verify                  check the audit log's hash chain (exit 1 if broken)
  candour survey template               print the built-in trust-and-confidence definition
  candour survey create FILE            add a survey from a JSON definition
  candour codes --survey ID --count N   issue N single-use codes (CSV: code,link)
  candour comments keygen --public FILE --secret FILE
                                        make an offline key pair for free text
  candour comments export --survey ID --secret-key FILE
                                        print the survey's free-text answers, decrypted, in
                                        random order (JSON lines)
)";

std::optional<std::string> ParseOptions(int argc, char** argv, Options* o) {
  auto env = [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    return v && *v ? std::optional<std::string>(v) : std::nullopt;
  };
  if (auto v = env("CANDOUR_DATA")) o->data = *v;
  if (auto v = env("CANDOUR_KEY_FILE")) o->key_file = *v;
  if (auto v = env("CANDOUR_LISTEN")) o->listen = *v;
  if (auto v = env("CANDOUR_PUBLIC_URL")) o->public_url = *v;
  if (auto v = env("CANDOUR_DEMO_RESPONSES")) o->demo_responses = std::atoi(v->c_str());
  if (auto v = env("CANDOUR_THREADS")) o->threads = std::atoi(v->c_str());
  if (auto v = env("CANDOUR_GROUP_COMMIT")) o->group_commit = *v != "off";
  if (auto v = env("CANDOUR_ACCESS_LOG")) o->access_log = *v == "1";
  if (auto v = env("CANDOUR_COMMENTS_KEY")) o->comments_key = *v;
  if (auto v = env("CANDOUR_RATE_LIMIT")) o->rate_limit = std::strtoull(v->c_str(), nullptr, 10);
  if (argc < 2) return "missing command";
  o->command = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    std::optional<std::string> v;
    if (arg == "--access-log" || arg == "--skip-invalid" || arg == "--rotate") {
      (arg == "--access-log" ? o->access_log
       : arg == "--rotate"   ? o->rotate
                             : o->skip_invalid) = true;
      continue;
    }
    if (!arg.starts_with("--")) {
      o->positional.push_back(arg);
      continue;
    }
    if (arg != "--data" && arg != "--key-file" && arg != "--listen" && arg != "--threads" &&
        arg != "--group-commit" && arg != "--survey" && arg != "--format" &&
        arg != "--public-url" && arg != "--demo-responses" && arg != "--comments-key" &&
        arg != "--count" && arg != "--rate-limit" && arg != "--public" && arg != "--secret" &&
        arg != "--secret-key") {
      return "unknown option " + arg;
    }
    if (!(v = value())) return arg + " needs a value";
    if (arg == "--data") o->data = *v;
    if (arg == "--key-file") o->key_file = *v;
    if (arg == "--listen") o->listen = *v;
    if (arg == "--threads") o->threads = std::atoi(v->c_str());
    if (arg == "--survey") o->survey = *v;
    if (arg == "--demo-responses") o->demo_responses = std::atoi(v->c_str());
    if (arg == "--comments-key") o->comments_key = *v;
    if (arg == "--count") o->count = std::atoi(v->c_str());
    if (arg == "--rate-limit") o->rate_limit = std::strtoull(v->c_str(), nullptr, 10);
    if (arg == "--public") o->public_file = *v;
    if (arg == "--secret") o->secret_file = *v;
    if (arg == "--secret-key") o->secret_key = *v;
    if (arg == "--public-url") {
      while (!v->empty() && v->back() == '/') v->pop_back();
      if (!v->starts_with("http://") && !v->starts_with("https://")) {
        return "--public-url takes an http:// or https:// address";
      }
      o->public_url = *v;
    }
    if (arg == "--format") {
      if (*v != "csv" && *v != "jsonl") return "--format takes csv or jsonl";
      o->format = *v;
    }
    if (arg == "--group-commit") {
      if (*v != "on" && *v != "off") return "--group-commit takes on or off";
      o->group_commit = *v == "on";
    }
  }
  if (o->threads < 1 || o->threads > 64) return "--threads takes a number from 1 to 64";
  if (o->rate_limit < 1 || o->rate_limit > 100'000'000) {
    return "--rate-limit takes a number of submissions per hour from 1 to 100000000";
  }
  if (o->comments_key.empty()) o->comments_key = o->key_file.parent_path() / "candour-comments.pub";
  if (o->demo_responses < 0 || o->demo_responses > 1'000'000) {
    return "--demo-responses takes a number from 0 to 1000000";
  }
  return std::nullopt;
}

// Reads the data key, or creates one for a brand-new data folder. Never creates a key for a
// folder that already holds data: that would silently write under a second key.
boost::system::result<candour::crypto::DataKey> LoadKey(const Options& o, bool may_create,
                                                        std::string* error) {
  std::error_code ec;
  const fs::path data = fs::weakly_canonical(o.data, ec);
  const fs::path key = fs::weakly_canonical(o.key_file, ec);
  if (key.string().starts_with(data.string() + "/")) {
    *error = "the key file " + o.key_file.string() + " must be outside the data folder " +
             o.data.string() + " (a copy of the folder must not carry its key)";
    return candour::crypto::Errc::kKeyFileIo;
  }
  auto read = candour::crypto::ReadKeyFile(o.key_file);
  if (read || read.error() != candour::crypto::Errc::kKeyFileMissing) {
    if (!read)
      *error = "cannot use key file " + o.key_file.string() + ": " + read.error().message();
    return read;
  }
  if (!may_create || candour::store::Store::Exists(o.data)) {
    *error = "key file " + o.key_file.string() + " is missing" +
             (candour::store::Store::Exists(o.data)
                  ? " but the data folder " + o.data.string() +
                        " already holds data: refusing to create a new key. Restore the key "
                        "file it was written with."
                  : ".");
    return read;
  }
  auto created = candour::crypto::CreateKeyFile(o.key_file);
  if (!created) {
    *error = "cannot create key file " + o.key_file.string() + ": " + created.error().message();
  } else {
    std::cout << "Generated a new data key in " << o.key_file.string()
              << " (mode 0600). Back it up and keep it apart from the data: without it the "
                 "responses cannot be read."
              << std::endl;
  }
  return created;
}

}  // namespace

boost::system::result<std::unique_ptr<candour::store::Store>> candour::cli::OpenStore(
    const Options& o, bool may_create) {
  std::string error;
  auto key = LoadKey(o, may_create, &error);
  if (!key) {
    Fail(error);
    return key.error();
  }
  candour::store::StoreOptions options;
  options.dir = o.data;
  if (!o.group_commit) options.commit.max_batch_records = 1;
  auto store = candour::store::Store::Open(options, std::move(*key));
  if (!store) {
    if (store.error() == candour::store::Errc::kWrongKey) {
      Fail("the key in " + o.key_file.string() + " does not match the data in " + o.data.string() +
           " (its key-check record failed). Use the key it was written with.");
    } else {
      Fail("cannot open data folder " + o.data.string() + ": " + store.error().message());
    }
  }
  return store;
}

namespace {

int Count(const Options& o) {
  auto store = OpenStore(o, false);
  if (!store) return 1;
  std::map<std::string, uint64_t> counts;
  if (auto surveys = (*store)->ListSurveys()) {
    for (const auto& [id, def] : *surveys) counts[id] = 0;
  }
  auto scanned = (*store)->ScanResponses(
      [&](std::string_view survey, std::string_view) { ++counts[std::string(survey)]; });
  if (!scanned) return Fail("cannot read responses: " + scanned.error().message());
  for (const auto& [id, n] : counts) std::cout << id << " " << n << "\n";
  if (scanned->forged > 0) {
    std::cerr << "candour: " << scanned->forged
              << " stored responses failed authentication (tampered or foreign)\n";
    return 2;
  }
  return 0;
}

// The public half of the comments key; on first use a pair is made beside it, and the
// operator is told to move the secret half off the server.
std::optional<candour::crypto::BoxPublicKey> CommentsKey(const Options& o) {
  auto read = candour::crypto::ReadBoxPublicKey(o.comments_key);
  if (read) return *read;
  if (read.error() != candour::crypto::Errc::kKeyFileMissing) {
    Fail("cannot use comments key " + o.comments_key.string() + ": " + read.error().message());
    return std::nullopt;
  }
  fs::path secret = o.comments_key;
  secret.replace_extension(".secret");
  if (auto ec = candour::crypto::CreateBoxKeyFiles(o.comments_key, secret)) {
    Fail("cannot create the comments key " + o.comments_key.string() + ": " + ec.message());
    return std::nullopt;
  }
  std::cout << "Free-text answers are sealed to " << o.comments_key.string()
            << "; its secret half is in " << secret.string()
            << ". Move that file off this server: only `candour comments export "
               "--secret-key FILE` needs it, and the server never does."
            << std::endl;
  auto created = candour::crypto::ReadBoxPublicKey(o.comments_key);
  if (!created) Fail("cannot read the new comments key: " + created.error().message());
  return created ? std::optional<candour::crypto::BoxPublicKey>(*created) : std::nullopt;
}

int Import(const Options& o) {
  if (o.survey.empty() || o.positional.size() != 1) {
    return Fail("import needs --survey ID and one FILE (see candour help)");
  }
  const std::string& file = o.positional[0];
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail("cannot read " + file);
  const std::string content((std::istreambuf_iterator<char>(in)), {});
  const bool csv = o.format.empty() ? file.ends_with(".csv") : o.format == "csv";
  auto store = OpenStore(o, false);
  if (!store) return 1;
  auto catalog = candour::survey::SurveyCatalog::Load(**store);
  if (!catalog) return Fail(catalog.error());
  auto survey = (*catalog)->Get(o.survey);
  if (!survey) return Fail("there is no survey \"" + o.survey + "\"");
  const auto comments_key = CommentsKey(o);
  if (!comments_key) return 1;
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const auto result = candour::survey::ParseImport(
      *survey, content,
      csv ? candour::survey::ImportFormat::kCsv : candour::survey::ImportFormat::kJsonLines, today,
      survey->threshold, &*comments_key);
  for (size_t i = 0; i < result.errors.size() && i < 100; ++i) {
    std::cerr << file << ": " << result.errors[i] << "\n";
  }
  if (result.errors.size() > 100) {
    std::cerr << file << ": ... and " << result.errors.size() - 100 << " more errors\n";
  }
  if (!result.errors.empty() && !o.skip_invalid) {
    return Fail(std::to_string(result.errors.size()) + " of " + std::to_string(result.rows) +
                " rows are invalid; nothing was stored (fix them, or pass --skip-invalid)");
  }
  // Validated first, written after, in synced batches (each batch all or nothing).
  constexpr size_t kBatch = 10'000;
  for (size_t i = 0; i < result.plaintexts.size(); i += kBatch) {
    const std::vector<std::string> batch(
        result.plaintexts.begin() + static_cast<std::ptrdiff_t>(i),
        result.plaintexts.begin() +
            static_cast<std::ptrdiff_t>(std::min(i + kBatch, result.plaintexts.size())));
    if (auto ec = (*store)->PutResponses(survey->id, batch)) {
      return Fail("stored " + std::to_string(i) +
                  " responses, then the store failed: " + ec.message());
    }
  }
  if (auto ec = (*store)->Scrub()) std::cerr << "candour: scrub failed: " << ec.message() << "\n";
  std::cout << "Imported " << result.plaintexts.size() << " responses into \"" << survey->id
            << "\"";
  if (!result.errors.empty()) std::cout << " (skipped " << result.errors.size() << " invalid rows)";
  std::cout << std::endl;
  return 0;
}

int Serve(const Options& o) {
  const size_t colon = o.listen.rfind(':');
  if (colon == std::string::npos) return Fail("--listen takes HOST:PORT, e.g. 127.0.0.1:8080");
  ServerConfig config;
  config.address = o.listen.substr(0, colon);
  if (config.address.size() > 2 && config.address.front() == '[') {
    config.address = config.address.substr(1, config.address.size() - 2);
  }
  const int port = std::atoi(o.listen.substr(colon + 1).c_str());
  if (port < 0 || port > 65535) return Fail("--listen: port must be 0-65535");
  config.port = static_cast<uint16_t>(port);
  config.io_threads = o.threads;
  config.rate_limit_per_hour = o.rate_limit;
  config.public_url = o.public_url.empty() ? "http://" + o.listen : o.public_url;
  // Every connection is a file descriptor: raise the soft limit to the hard one and keep a
  // reserve for the database, so that the 503 for too many connections comes before accept()
  // or RocksDB runs out of descriptors.
  if (rlimit limit{}; ::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
    const size_t usable = limit.rlim_cur > 1024 + 64 ? limit.rlim_cur - 1024 : 64;
    config.max_connections = std::min(config.max_connections, usable);
  }
  // Installed first, so that a SIGTERM during start-up still means a graceful stop.
  boost::asio::io_context signals_ioc;
  boost::asio::signal_set signals(signals_ioc, SIGINT, SIGTERM);
  std::mutex log_mu;
  if (o.access_log) {
    config.access_log = [&log_mu](std::string_view line) {
      std::lock_guard lock(log_mu);
      std::cerr << line << '\n';
    };
  }

  auto store = OpenStore(o, true);
  if (!store) return 1;
  auto catalog = candour::survey::SurveyCatalog::Load(**store);
  if (!catalog) return Fail(catalog.error());
  auto demo = (*catalog)->EnsureDemo(**store);
  if (!demo) return Fail("cannot create the demo survey: " + demo.error().message());
  if (*demo && o.demo_responses > 0) {
    // A newcomer should see every figure working: a year of synthetic responses.
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    const auto synthetic = candour::survey::DemoResponses(*(*catalog)->Get("demo"), today,
                                                          static_cast<size_t>(o.demo_responses));
    if (auto ec = (*store)->PutResponses("demo", synthetic)) {
      return Fail("cannot store the demo responses: " + ec.message());
    }
    std::cout << "Created the demo survey with " << synthetic.size()
              << " synthetic responses over the past year (marked as demo data)" << std::endl;
  }

  candour::survey::SurveyIndexes indexes;
  const auto rebuild_start = std::chrono::steady_clock::now();
  auto rebuilt = indexes.Rebuild(**store, **catalog);
  if (!rebuilt) return Fail("cannot read responses: " + rebuilt.error().message());
  std::cout << "Indexed " << rebuilt->indexed << " stored responses in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - rebuild_start)
                   .count()
            << " ms" << std::endl;
  if (rebuilt->forged + rebuilt->undecodable + rebuilt->orphaned > 0) {
    std::cerr << "candour: warning: " << rebuilt->forged << " responses failed authentication, "
              << rebuilt->undecodable << " did not decode, " << rebuilt->orphaned
              << " belong to no known survey; they are left out of every statistic\n";
  }
  auto token = candour::survey::EnsureAdminToken(**store);
  if (!token) return Fail("cannot create the admin token: " + token.error().message());
  if (*token) {
    std::cout << "Admin token (shown once): " << **token << "\n"
              << "  Keep it safe: it is needed for /api/admin/; only its hash is stored. "
                 "`candour admin-token --rotate` replaces it."
              << std::endl;
  }
  auto comments_key = CommentsKey(o);
  if (!comments_key) return 1;
  config.comments_key = *comments_key;
  candour::survey::AuditLog audit(o.data, **store);
  candour::server::App app(config, **catalog, **store, indexes, audit);
  candour::server::HttpServer server(config, app);
  // With port 0 the links in QR codes and posters use the port actually bound.
  auto endpoint = server.Start([&](const boost::asio::ip::tcp::endpoint& bound) {
    if (o.public_url.empty()) {
      config.public_url =
          "http://" + o.listen.substr(0, colon) + ":" + std::to_string(bound.port());
    }
  });
  if (!endpoint) return Fail("cannot listen on " + o.listen + ": " + endpoint.error().message());
  const std::string base =
      "http://" + o.listen.substr(0, colon) + ":" + std::to_string(endpoint->port());
  std::cout << "Candour is listening on " << base << std::endl;
  for (const auto& s : (*catalog)->List()) {
    std::cout << "Survey form: " << base << "/s/" << s->id << std::endl;
  }

  // Hourly, RocksDB's per-write sequence numbers and old write-ahead logs are rewritten away
  // (Store::Scrub), so what is on disk never orders responses, or a spent code and the
  // response written just after it, for longer than that.
  std::mutex scrub_mu;
  std::condition_variable scrub_wake;
  bool scrub_stop = false;
  std::thread scrubber([&] {
    std::unique_lock lock(scrub_mu);
    while (!scrub_wake.wait_for(lock, std::chrono::hours(1), [&] { return scrub_stop; })) {
      lock.unlock();
      if (auto ec = (*store)->Scrub())
        std::cerr << "candour: scrub failed: " << ec.message() << "\n";
      lock.lock();
    }
  });
  signals.async_wait([](boost::system::error_code, int) {});
  signals_ioc.run();
  std::cout << "Stopping: finishing requests in flight" << std::endl;
  server.Stop();
  app.Stop();
  {
    std::lock_guard lock(scrub_mu);
    scrub_stop = true;
  }
  scrub_wake.notify_all();
  scrubber.join();
  store->reset();  // writes everything queued, then closes the database
  std::cout << "Stopped" << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return Fail("libsodium failed to initialise");
  ::signal(SIGPIPE, SIG_IGN);
  Options options;
  if (auto error = ParseOptions(argc, argv, &options)) {
    std::cerr << "candour: " << *error << "\n\n" << kUsage;
    return 64;
  }
  const bool takes_arguments = options.command == "import" || options.command == "audit" ||
                               options.command == "survey" || options.command == "comments";
  if (!takes_arguments && !options.positional.empty()) {
    std::cerr << "candour: unexpected argument " << options.positional[0] << "\n\n" << kUsage;
    return 64;
  }
  if (options.command == "serve") return Serve(options);
  if (options.command == "count") return Count(options);
  if (options.command == "import") return Import(options);
  if (options.command == "admin-token") return AdminToken(options);
  if (options.command == "audit") return Audit(options);
  if (options.command == "survey") return SurveyCommand(options);
  if (options.command == "codes") return CodesCommand(options);
  if (options.command == "comments") return Comments(options);
  if (options.command == "help" || options.command == "--help") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << "candour: unknown command " << options.command << "\n\n" << kUsage;
  return 64;
}
