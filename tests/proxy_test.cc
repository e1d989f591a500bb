// The network edge, on the real binary: Debian's nginx running packaging/nginx/candour.conf
// with a self-signed certificate in front of a real Candour on 127.0.0.1 (HTTPS, HSTS, the body
// limit, the redirect from http), the forwarded address believed from a --trusted-proxy only,
// connections capped per address, and what the first start tells the operator.
// Different clients are different loopback source addresses (127.0.0.2, 127.0.0.3, ...): the
// whole of 127.0.0.0/8 is this machine's on Linux.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <fstream>
#include <regex>
#include <thread>

#include "tests/http_client.h"
#include "tests/process.h"
#include "tests/temp_dir.h"
#include "tests/test_server.h"

namespace candour::testing {
namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct ProgramResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

// Runs `argv` (argv[0] a path) to completion, its output captured.
ProgramResult RunProgram(const std::vector<std::string>& argv) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {};
  std::vector<std::string> args = argv;
  std::vector<char*> pointers;
  for (std::string& a : args) pointers.push_back(a.data());
  pointers.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::execv(pointers[0], pointers.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  ProgramResult result;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) result.out.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

// The first of `candidates` that exists and is executable, or empty.
std::string FindProgram(const std::vector<std::string>& candidates) {
  for (const std::string& c : candidates) {
    if (::access(c.c_str(), X_OK) == 0) return c;
  }
  return "";
}

// A port nobody listens on now (bound, then released: another process could take it in
// between, which on a test machine does not happen in practice).
uint16_t FreePort() {
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// Replaces the one occurrence of `from` in `text`; fails the test (the shipped configuration
// no longer has the line the test relies on) if there is none.
void ReplaceOnce(std::string* text, const std::string& from, const std::string& to) {
  const size_t at = text->find(from);
  ASSERT_NE(at, std::string::npos) << "packaging/nginx/candour.conf no longer has: " << from;
  text->replace(at, from.size(), to);
}

// One HTTP exchange by curl, from a chosen loopback source address.
struct CurlReply {
  int status = 0;
  std::string headers;  // lower-cased
  std::string body;
  std::string out;  // curl's own output, for failure messages
};

// nginx in the foreground (one process, no daemon) with its own prefix; stopped (SIGQUIT,
// then SIGKILL) when destroyed.
class Nginx {
 public:
  Nginx(const std::string& binary, const fs::path& prefix) : prefix_(prefix) {
    const std::vector<std::string> argv = {binary,
                                           "-p",
                                           prefix.string() + "/",
                                           "-c",
                                           (prefix / "nginx.conf").string(),
                                           "-e",
                                           (prefix / "error.log").string()};
    std::vector<std::string> args = argv;
    std::vector<char*> pointers;
    for (std::string& a : args) pointers.push_back(a.data());
    pointers.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);
      ::dup2(null, 2);
      ::execv(pointers[0], pointers.data());
      ::_exit(127);
    }
  }
  ~Nginx() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGQUIT);
    int status = 0;
    for (int i = 0; i < 100 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (::waitpid(pid_, &status, WNOHANG) == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
  }
  // Whether it accepts connections on `port` within 20 s (false if it exited: see error.log).
  bool WaitForPort(uint16_t port) {
    for (int i = 0; i < 400; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      asio::io_context ioc;
      tcp::socket s(ioc);
      boost::system::error_code ec;
      s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
      if (!ec) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  std::string ErrorLog() const { return ReadFile(prefix_ / "error.log"); }

 private:
  fs::path prefix_;
  pid_t pid_ = -1;
};

// A socket connected to 127.0.0.1:`port` from `source` (another loopback address).
tcp::socket ConnectFrom(asio::io_context& ioc, const std::string& source, uint16_t port) {
  tcp::socket s(ioc);
  s.open(tcp::v4());
  s.bind(tcp::endpoint(asio::ip::make_address(source), 0));
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  // A reply that never comes fails the read after 10 s instead of hanging the test.
  timeval timeout{10, 0};
  ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return s;
}

// Everything read from `s` after sending `request` (may be empty), until the server closes.
std::string Exchange(tcp::socket& s, const std::string& request) {
  if (!request.empty()) asio::write(s, asio::buffer(request));
  std::string out;
  char buf[4096];
  for (;;) {
    boost::system::error_code ec;
    const size_t n = s.read_some(asio::buffer(buf), ec);
    out.append(buf, n);
    if (ec) break;
  }
  return out;
}

constexpr char kHealthRequest[] =
    "GET /healthz HTTP/1.1\r\nHost: candour\r\nConnection: close\r\n\r\n";
constexpr char kAnswer[] = R"({"answers":{"Q60":"good"}})";

class ProxyTest : public ::testing::Test {
 protected:
  ProxyTest() : dir_(MakeTempDir("proxy")) {}
  ~ProxyTest() override { fs::remove_all(dir_); }

  std::vector<std::string> ServeArgs(const std::vector<std::string>& extra) const {
    std::vector<std::string> args = {"--data",           (dir_ / "data").string(),
                                     "--key-file",       (dir_ / "data.key").string(),
                                     "--listen",         "127.0.0.1:0",
                                     "--demo-responses", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // curl from `source`: METHOD URL, with extra headers and a body (empty: none).
  CurlReply Curl(const std::string& source, const std::string& method, const std::string& url,
                 const std::vector<std::string>& headers = {}, const std::string& body = "") {
    std::vector<std::string> argv = {curl_,         "-sS",
                                     "--max-time",  "20",
                                     "--interface", source,
                                     "-X",          method,
                                     "-D",          (dir_ / "headers").string(),
                                     "-o",          (dir_ / "body").string(),
                                     "-w",          "%{http_code}"};
    if (method == "HEAD")
      argv = {curl_,
              "-sS",
              "--max-time",
              "20",
              "--interface",
              source,
              "-I",
              "-D",
              (dir_ / "headers").string(),
              "-o",
              (dir_ / "body").string(),
              "-w",
              "%{http_code}"};
    if (url.starts_with("https://")) {
      argv.insert(argv.end(), {"--cacert", (dir_ / "cert.pem").string(), "--resolve",
                               "localhost:" + std::to_string(https_port_) + ":127.0.0.1"});
    }
    for (const std::string& h : headers) argv.insert(argv.end(), {"-H", h});
    if (!body.empty()) {
      WriteFile(dir_ / "request-body", body);
      argv.insert(argv.end(), {"--data-binary", "@" + (dir_ / "request-body").string()});
    }
    argv.push_back(url);
    fs::remove(dir_ / "headers");
    fs::remove(dir_ / "body");
    const ProgramResult r = RunProgram(argv);
    CurlReply reply;
    reply.out = r.out;
    std::smatch m;
    if (std::regex_search(r.out, m, std::regex(R"((\d{3})$)"))) reply.status = std::stoi(m[1]);
    reply.headers = ReadFile(dir_ / "headers");
    for (char& c : reply.headers)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.body = ReadFile(dir_ / "body");
    return reply;
  }

  // Makes the certificate and nginx's prefix from packaging/nginx/candour.conf, with its
  // ports, certificate, log and upstream replaced, in front of Candour on `candour_port`.
  void ConfigureNginx(uint16_t candour_port) {
    const std::string openssl = FindProgram({"/usr/bin/openssl"});
    ASSERT_FALSE(openssl.empty()) << "openssl is missing: run scripts/setup.sh";
    const ProgramResult cert =
        RunProgram({openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                    "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", (dir_ / "key.pem").string(), "-out", (dir_ / "cert.pem").string()});
    ASSERT_EQ(cert.exit_code, 0) << cert.out;

    https_port_ = FreePort();
    http_port_ = FreePort();
    std::string site = ReadFile(fs::path(CANDOUR_SOURCE_DIR) / "packaging/nginx/candour.conf");
    ASSERT_FALSE(site.empty());
    const std::string p = dir_.string();
    ReplaceOnce(&site, "listen 443 ssl http2;",
                "listen 127.0.0.1:" + std::to_string(https_port_) + " ssl http2;");
    ReplaceOnce(&site, "listen [::]:443 ssl http2;", "");
    ReplaceOnce(&site, "listen 80;", "listen 127.0.0.1:" + std::to_string(http_port_) + ";");
    ReplaceOnce(&site, "listen [::]:80;", "");
    ReplaceOnce(&site, "/etc/letsencrypt/live/survey.example.org/fullchain.pem", p + "/cert.pem");
    ReplaceOnce(&site, "/etc/letsencrypt/live/survey.example.org/privkey.pem", p + "/key.pem");
    ReplaceOnce(&site, "server 127.0.0.1:8080;",
                "server 127.0.0.1:" + std::to_string(candour_port) + ";");
    for (int i = 0; i < 2; ++i) {
      ReplaceOnce(&site, "error_log /var/log/nginx/candour-error.log emerg;",
                  "error_log " + p + "/error.log warn;");
    }
    WriteFile(dir_ / "candour.conf", site);
    fs::create_directories(dir_ / "tmp");
    WriteFile(dir_ / "nginx.conf",
              "daemon off;\nmaster_process off;\nworker_processes 1;\npid " + p +
                  "/nginx.pid;\nerror_log " + p +
                  "/error.log warn;\nevents { worker_connections 256; }\nhttp {\n"
                  "  client_body_temp_path " +
                  p + "/tmp/body;\n  proxy_temp_path " + p + "/tmp/proxy;\n  fastcgi_temp_path " +
                  p + "/tmp/fastcgi;\n  uwsgi_temp_path " + p + "/tmp/uwsgi;\n  scgi_temp_path " +
                  p + "/tmp/scgi;\n  access_log off;\n  include " + p + "/candour.conf;\n}\n");
  }

  std::string Https(const std::string& path) const {
    return "https://localhost:" + std::to_string(https_port_) + path;
  }

  fs::path dir_;
  std::string curl_ = FindProgram({"/usr/bin/curl"});
  uint16_t https_port_ = 0, http_port_ = 0;
};

// --- Behind nginx with TLS ---

TEST_F(ProxyTest, NginxServesCandourOverHttpsAndEachResidentHasTheirOwnLimit) {
  const std::string nginx = FindProgram({"/usr/sbin/nginx", "/usr/bin/nginx"});
  ASSERT_FALSE(nginx.empty()) << "nginx is missing: run scripts/setup.sh (Debian's nginx)";
  ASSERT_FALSE(curl_.empty()) << "curl is missing: run scripts/setup.sh";
  CandourProcess candour(ServeArgs(
      {"--rate-limit", "2", "--trusted-proxy", "127.0.0.1", "--public-url", "https://localhost"}));
  ASSERT_NE(candour.port(), 0) << candour.output();
  ConfigureNginx(candour.port());
  if (HasFatalFailure()) return;
  const ProgramResult syntax =
      RunProgram({nginx, "-t", "-p", dir_.string() + "/", "-c", (dir_ / "nginx.conf").string(),
                  "-e", (dir_ / "error.log").string()});
  ASSERT_EQ(syntax.exit_code, 0) << syntax.out;
  Nginx proxy(nginx, dir_);
  ASSERT_TRUE(proxy.WaitForPort(https_port_)) << proxy.ErrorLog();

  // Over HTTPS, with HSTS from nginx and Candour's own security headers passed through.
  const CurlReply form = Curl("127.0.0.2", "GET", Https("/s/demo"));
  ASSERT_EQ(form.status, 200) << form.out << proxy.ErrorLog();
  EXPECT_NE(form.headers.find("strict-transport-security: max-age=63072000"), std::string::npos)
      << form.headers;
  EXPECT_NE(form.headers.find("content-security-policy: default-src 'none'"), std::string::npos)
      << form.headers;
  EXPECT_EQ(form.headers.find("server: nginx/"), std::string::npos) << form.headers;
  EXPECT_EQ(Curl("127.0.0.2", "HEAD", Https("/healthz")).status, 200);

  // Two residents (two source addresses, as nginx sees them) get a limit each: the first uses
  // its two submissions and is refused, the second still has its own two.
  const std::vector<std::string> json = {"Content-Type: application/json"};
  for (int i = 0; i < 2; ++i) {
    const CurlReply r = Curl("127.0.0.2", "POST", Https("/s/demo/responses"), json, kAnswer);
    EXPECT_EQ(r.status, 201) << r.out << r.body;
  }
  const CurlReply limited = Curl("127.0.0.2", "POST", Https("/s/demo/responses"), json, kAnswer);
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_NE(limited.headers.find("retry-after:"), std::string::npos) << limited.headers;
  // A forged X-Forwarded-For does not free the first: nginx appends the address it saw, and
  // only that last hop is believed.
  std::vector<std::string> forged = json;
  forged.push_back("X-Forwarded-For: 198.51.100.77");
  EXPECT_EQ(Curl("127.0.0.2", "POST", Https("/s/demo/responses"), forged, kAnswer).status, 429);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(Curl("127.0.0.3", "POST", Https("/s/demo/responses"), json, kAnswer).status, 201);
  }
  EXPECT_EQ(Curl("127.0.0.3", "POST", Https("/s/demo/responses"), json, kAnswer).status, 429);

  // A body over nginx's limit (1 MiB) is refused by nginx; one over the submission limit
  // (16 KiB) gets Candour's own 413.
  EXPECT_EQ(
      Curl("127.0.0.4", "POST", Https("/s/demo/responses"), json, std::string(2 << 20, 'x')).status,
      413);
  EXPECT_EQ(Curl("127.0.0.4", "POST", Https("/s/demo/responses"), json, std::string(20 << 10, 'x'))
                .status,
            413);

  // Plain http only redirects to https.
  const CurlReply plain =
      Curl("127.0.0.2", "GET", "http://localhost:" + std::to_string(http_port_) + "/s/demo");
  EXPECT_EQ(plain.status, 301) << plain.out;
  EXPECT_NE(plain.headers.find("location: https://localhost/s/demo"), std::string::npos)
      << plain.headers;

  // Nothing about the residents reached a log: nginx's access log is off (no file), and
  // Candour printed no address.
  EXPECT_FALSE(fs::exists(dir_ / "logs" / "access.log"));
  EXPECT_EQ(candour.Signal(SIGTERM), 0) << candour.output();
  for (const char* address : {"127.0.0.2", "127.0.0.3", "198.51.100.77"}) {
    EXPECT_EQ(candour.output().find(address), std::string::npos) << candour.output();
  }
  const RunResult count = RunCandour(
      {"count", "--data", (dir_ / "data").string(), "--key-file", (dir_ / "data.key").string()});
  EXPECT_NE(count.out.find("demo 4\n"), std::string::npos) << count.out;
}

// Straight to Candour, X-Forwarded-For from a peer that is not a declared proxy is ignored:
// varying it does not make new residents, they all share the peer's one limit.
TEST_F(ProxyTest, AForwardedAddressFromAnUntrustedPeerIsIgnored) {
  ASSERT_FALSE(curl_.empty()) << "curl is missing: run scripts/setup.sh";
  CandourProcess candour(ServeArgs({"--rate-limit", "2", "--trusted-proxy", "127.0.0.1"}));
  ASSERT_NE(candour.port(), 0) << candour.output();
  const std::string url =
      "http://127.0.0.1:" + std::to_string(candour.port()) + "/s/demo/responses";
  std::vector<int> statuses;
  for (const char* forwarded : {"203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"}) {
    statuses.push_back(
        Curl("127.0.0.5", "POST", url,
             {"Content-Type: application/json", std::string("X-Forwarded-For: ") + forwarded},
             kAnswer)
            .status);
  }
  EXPECT_EQ(statuses, (std::vector<int>{201, 201, 429, 429}));
  // The declared proxy's forwarded address is believed: a fresh limit for a new one.
  const CurlReply trusted =
      Curl("127.0.0.1", "POST", url,
           {"Content-Type: application/json", "X-Forwarded-For: 203.0.113.9"}, kAnswer);
  EXPECT_EQ(trusted.status, 201) << trusted.body;
}

// A proxy that is not an IP address is a usage error naming the option, from the command line
// and from the environment alike.
TEST_F(ProxyTest, ATrustedProxyMustBeAnAddress) {
  const RunResult flag = RunCandour({"serve", "--trusted-proxy", "127.0.0.1,proxy.example"});
  EXPECT_EQ(flag.exit_code, 64) << flag.out;
  EXPECT_NE(flag.out.find("--trusted-proxy takes IP addresses"), std::string::npos) << flag.out;
  const RunResult env = RunCandour({"serve"}, {{"CANDOUR_TRUSTED_PROXY", "10.0.0.300"}});
  EXPECT_EQ(env.exit_code, 64) << env.out;
  EXPECT_NE(env.out.find("--trusted-proxy"), std::string::npos) << env.out;
}

// --- Connections per address ---

// One address holding idle connections up to its cap is turned away past it (503, with the
// headers every reply carries), and another address is still served.
TEST_F(ProxyTest, OneAddressCannotTakeEveryConnection) {
  CandourProcess candour(ServeArgs({"--max-connections-per-address", "3"}));
  ASSERT_NE(candour.port(), 0) << candour.output();
  asio::io_context ioc;
  std::vector<tcp::socket> idle;
  for (int i = 0; i < 3; ++i) idle.push_back(ConnectFrom(ioc, "127.0.0.2", candour.port()));
  // Accepted in order: the fourth from the same address comes after the three are counted.
  tcp::socket fourth = ConnectFrom(ioc, "127.0.0.2", candour.port());
  const std::string refused = Exchange(fourth, "");
  EXPECT_TRUE(refused.starts_with("HTTP/1.1 503")) << refused;
  EXPECT_NE(refused.find("too many connections from this address"), std::string::npos) << refused;
  EXPECT_NE(refused.find("Content-Security-Policy: "), std::string::npos) << refused;
  EXPECT_NE(refused.find("X-Content-Type-Options: nosniff"), std::string::npos) << refused;
  EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;
  // Someone else is served.
  tcp::socket other = ConnectFrom(ioc, "127.0.0.3", candour.port());
  const std::string served = Exchange(other, kHealthRequest);
  EXPECT_TRUE(served.starts_with("HTTP/1.1 200")) << served;
  // The idle ones are still open and usable.
  const std::string first = Exchange(idle[0], kHealthRequest);
  EXPECT_TRUE(first.starts_with("HTTP/1.1 200")) << first;
  // Once one has closed (the server notices it at its own pace), the address may connect again.
  bool again = false;
  for (int i = 0; i < 100 && !again; ++i) {
    tcp::socket next = ConnectFrom(ioc, "127.0.0.2", candour.port());
    again = Exchange(next, kHealthRequest).starts_with("HTTP/1.1 200");
    if (!again) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(again);
  EXPECT_EQ(candour.Signal(SIGTERM), 0) << candour.output();
}

// A declared proxy's connections are not capped per address (it carries many residents; it
// caps them itself: limit_conn in packaging/nginx/candour.conf).
TEST_F(ProxyTest, ATrustedProxysConnectionsAreNotCappedPerAddress) {
  CandourProcess candour(
      ServeArgs({"--max-connections-per-address", "2", "--trusted-proxy", "127.0.0.6"}));
  ASSERT_NE(candour.port(), 0) << candour.output();
  asio::io_context ioc;
  std::vector<tcp::socket> idle;
  for (int i = 0; i < 4; ++i) idle.push_back(ConnectFrom(ioc, "127.0.0.6", candour.port()));
  tcp::socket fifth = ConnectFrom(ioc, "127.0.0.6", candour.port());
  const std::string served = Exchange(fifth, kHealthRequest);
  EXPECT_TRUE(served.starts_with("HTTP/1.1 200")) << served;
  EXPECT_EQ(candour.Signal(SIGTERM), 0) << candour.output();
}

// --- Metrics for operators only ---

// On the main listener /metrics needs the admin token; --metrics-listen adds a loopback address
// that serves it without one, and nothing there but /metrics, /healthz and /readyz.
TEST_F(ProxyTest, MetricsNeedTheTokenOrTheMetricsListener) {
  CandourProcess candour(ServeArgs({"--metrics-listen", "127.0.0.1:0"}));
  ASSERT_NE(candour.port(), 0) << candour.output();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      candour.output(), m, std::regex(R"(Metrics \(no token\): http://127.0.0.1:(\d+)/metrics)")))
      << candour.output();
  const auto metrics_port = static_cast<uint16_t>(std::stoi(m[1]));
  ASSERT_NE(metrics_port, candour.port());
  HttpClient main(candour.port()), metrics(metrics_port);
  EXPECT_EQ(main.PostJson("/s/demo/responses", kAnswer).status, 201);
  EXPECT_EQ(main.Get("/metrics").status, 401);
  std::string token = ReadFile(dir_ / "candour-admin-token");
  ASSERT_FALSE(token.empty());
  token.pop_back();
  EXPECT_EQ(main.Get("/metrics", {{"Authorization", "Bearer " + token}}).status, 200);
  const HttpReply scraped = metrics.Get("/metrics");
  EXPECT_EQ(scraped.status, 200);
  EXPECT_NE(scraped.body.find("candour_http_requests_total{route=\"/s/{survey}/responses\","
                              "status=\"2xx\"} 1"),
            std::string::npos)
      << scraped.body;
  EXPECT_EQ(metrics.Get("/healthz").body, "ok\n");
  EXPECT_EQ(metrics.Get("/readyz").body, "ready\n");
  EXPECT_EQ(metrics.Send("HEAD", "/metrics").status, 200);
  for (const char* elsewhere : {"/s/demo", "/r/demo", "/api/admin/surveys", "/"}) {
    EXPECT_EQ(metrics.Get(elsewhere, {{"Authorization", "Bearer " + token}}).status, 404)
        << elsewhere;
  }
  EXPECT_EQ(metrics.PostJson("/s/demo/responses", kAnswer).status, 404);
  EXPECT_EQ(candour.Signal(SIGTERM), 0) << candour.output();
  EXPECT_EQ(candour.output().find("WARNING"), std::string::npos) << candour.output();
}

// --- What the start tells the operator ---

TEST_F(ProxyTest, StartUpPrintsTheAddressesAndNoToken) {
  CandourProcess candour(ServeArgs({}));
  ASSERT_NE(candour.port(), 0) << candour.output();
  EXPECT_EQ(candour.Signal(SIGTERM), 0) << candour.output();
  const std::string base = "http://127.0.0.1:" + std::to_string(candour.port());
  const std::string& out = candour.output();
  EXPECT_NE(out.find("Survey form: " + base + "/s/demo\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Dashboard: " + base + "/r/demo\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Organiser console: " + base + "/admin (sign in with the admin token in " +
                     (dir_ / "candour-admin-token").string() + ")\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("Admin API: " + base + "/api/admin/surveys"), std::string::npos) << out;
  EXPECT_NE(out.find("Admin token written to " + (dir_ / "candour-admin-token").string()),
            std::string::npos)
      << out;
  std::string token = ReadFile(dir_ / "candour-admin-token");
  ASSERT_GE(token.size(), 17u);
  token.pop_back();
  EXPECT_EQ(out.find(token), std::string::npos) << out;
  EXPECT_EQ(out.find("WARNING"), std::string::npos) << out;
}

TEST_F(ProxyTest, PlainHttpBeyondThisMachineIsWarnedAboutLoudly) {
  struct Case {
    std::vector<std::string> args;
    const char* warning;  // nullptr: none
  };
  const std::vector<Case> cases = {
      {{"--listen", "0.0.0.0:0"}, "WARNING: listening on http://0.0.0.0:"},
      {{"--listen", "0.0.0.0:0", "--public-url", "http://survey.example.org"},
       "WARNING: --public-url http://survey.example.org is plain http"},
      {{"--listen", "127.0.0.1:0", "--public-url", "http://survey.example.org"},
       "WARNING: --public-url http://survey.example.org is plain http"},
      {{"--listen", "0.0.0.0:0", "--public-url", "https://survey.example.org"}, nullptr},
      {{"--public-url", "http://localhost:8080"}, nullptr},
  };
  for (const Case& c : cases) {
    CandourProcess candour(ServeArgs(c.args));
    ASSERT_NE(candour.port(), 0) << candour.output();
    EXPECT_EQ(candour.Signal(SIGTERM), 0) << candour.output();
    if (c.warning) {
      EXPECT_NE(candour.output().find(c.warning), std::string::npos) << candour.output();
    } else {
      EXPECT_EQ(candour.output().find("WARNING"), std::string::npos) << candour.output();
    }
  }
}

}  // namespace
}  // namespace candour::testing
