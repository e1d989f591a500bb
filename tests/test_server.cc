#include "tests/test_server.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "survey/admin_token.h"

namespace candour::testing {

namespace fs = std::filesystem;

TestServer::TestServer(const std::function<void(server::ServerConfig&)>& configure,
                       const WrapStore& wrap_store)
    : dir_(MakeTempDir("server")) {
  config_.port = 0;
  config_.io_threads = 2;
  config_.shutdown_grace = std::chrono::milliseconds(2000);
  config_.access_log = [this](std::string_view line) {
    std::lock_guard lock(log_mu_);
    log_.emplace_back(line);
  };
  if (configure) configure(config_);
  std::array<uint8_t, crypto::DataKey::kBytes> key{};
  key.fill(42);
  auto store =
      store::Store::Open({.dir = dir_ / "data", .create = true}, crypto::DataKey::FromBytes(key));
  if (!store) throw std::runtime_error("store: " + store.error().message());
  store_ = wrap_store ? wrap_store(std::move(*store)) : std::move(*store);
  auto catalog = survey::SurveyCatalog::Load(*store_);
  if (!catalog) throw std::runtime_error(catalog.error());
  catalog_ = std::move(*catalog);
  if (!catalog_->EnsureDemo(*store_)) throw std::runtime_error("demo survey");
  if (!indexes_.Rebuild(*store_, *catalog_)) throw std::runtime_error("index rebuild");
  auto token = survey::EnsureAdminToken(*store_);
  if (!token || !*token) throw std::runtime_error("admin token");
  admin_token_ = **token;
  crypto::BoxPublicKey comments_public{};
  crypto_box_keypair(comments_public.data(), comments_secret_.data());
  config_.comments_key = comments_public;
  audit_ = std::make_unique<survey::AuditLog>(dir_ / "data", *store_);
  app_ = std::make_unique<server::App>(config_, *catalog_, *store_, indexes_, *audit_);
  http_ = std::make_unique<server::HttpServer>(config_, *app_);
  // The public address is set once the port is known and before any request is accepted:
  // the I/O threads read it (written after Start, it was a data race ThreadSanitizer found).
  const bool default_url = config_.public_url.empty();
  auto endpoint = http_->Start([&](const boost::asio::ip::tcp::endpoint& bound) {
    if (default_url) config_.public_url = "http://127.0.0.1:" + std::to_string(bound.port());
  });
  if (!endpoint) throw std::runtime_error("listen: " + endpoint.error().message());
  port_ = endpoint->port();
}

HttpReply TestServer::WaitForRelease(const std::string& survey_id,
                                     std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  const std::string target = "/api/surveys/" + survey_id + "/results";
  HttpClient client = Client();
  HttpReply reply = client.Get(target);
  app_->DrainReleases();
  for (;;) {
    reply = client.Get(target);
    const bool preparing = reply.status == 503 && reply.Header("retry-after") == "5";
    if (!preparing || std::chrono::steady_clock::now() > until) return reply;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

std::vector<std::string> FilesHolding(const fs::path& dir,
                                      const std::vector<std::string>& needles) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string bytes = ReadAll(entry.path());
    for (const std::string& n : needles) {
      if (bytes.find(n) != std::string::npos) found.push_back(n + " in " + entry.path().string());
    }
  }
  return found;
}

TestServer::~TestServer() {
  Shutdown();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

void TestServer::Shutdown() {
  if (http_) http_->Stop();
  // The pool's last completions hold executors of the server's io_context: join it first.
  if (app_) app_->Stop();
  http_.reset();
  app_.reset();
  audit_.reset();
  store_.reset();
}

std::vector<std::string> TestServer::StoredPlaintexts() {
  std::vector<std::string> out;
  auto scanned = store_->ScanResponses(
      [&](std::string_view, std::string_view plaintext) { out.emplace_back(plaintext); });
  EXPECT_TRUE(scanned.has_value());
  if (scanned) {
    EXPECT_EQ(scanned->forged, 0u);
  }
  return out;
}

std::vector<std::string> TestServer::AccessLog() {
  std::lock_guard lock(log_mu_);
  return log_;
}

}  // namespace candour::testing
