// TestServer: a real Candour server for tests, in this process: a fresh RocksDB in a temporary
// folder, a fixed data key, the demo survey, and the HTTP server on 127.0.0.1 with port 0.
// Its access log is captured so that tests can check what it says (and does not say).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/app.h"
#include "server/http_server.h"
#include "store/store.h"
#include "survey/catalog.h"
#include "survey/survey_index.h"
#include "tests/http_client.h"
#include "tests/temp_dir.h"

namespace candour::testing {

class TestServer {
 public:
  using WrapStore = std::function<std::unique_ptr<store::Store>(std::unique_ptr<store::Store>)>;
  // `configure` may change the config before the server starts (limits, clock). `wrap_store`,
  // if given, receives the real store once it is open and returns the store the server uses
  // (e.g. a store::FaultStore over it).
  explicit TestServer(const std::function<void(server::ServerConfig&)>& configure = {},
                      const WrapStore& wrap_store = {});
  ~TestServer();

  uint16_t port() const { return port_; }
  server::App& app() { return *app_; }
  HttpClient Client() const { return HttpClient(port_); }
  store::Store& store() { return *store_; }
  survey::SurveyCatalog& catalog() { return *catalog_; }
  survey::SurveyIndexes& indexes() { return indexes_; }
  const std::filesystem::path& dir() const { return dir_; }
  // A valid admin token (created with the server; only its hash is stored).
  const std::string& admin_token() const { return admin_token_; }
  // The secret half of the comments key the server seals free text to (the server itself
  // holds only the public half).
  const crypto::BoxSecretKey& comments_secret_key() const { return comments_secret_; }

  // The survey's results once its release for today is built. The first request for them only
  // queues the build (503 "being prepared"), and one after a new version or a new day is
  // answered from the release before: so this asks once, waits until no build is queued or
  // running, then asks again until the answer is not "being prepared", for up to `deadline`.
  // Returns the last reply: 200 with the results (the default view of the JSON API), or the
  // refusal that stands (404 not public, 503 while the history cannot be read or saved).
  HttpReply WaitForRelease(const std::string& survey_id,
                           std::chrono::milliseconds deadline = std::chrono::seconds(30));

  // Every stored response of every survey, decrypted (the store stays open).
  std::vector<std::string> StoredPlaintexts();
  std::vector<std::string> AccessLog();

  // Stops the HTTP server and closes the store, so that the folder can be inspected whole.
  void Shutdown();

 private:
  std::filesystem::path dir_;
  server::ServerConfig config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<survey::SurveyCatalog> catalog_;
  std::unique_ptr<survey::AuditLog> audit_;
  std::string admin_token_;
  crypto::BoxSecretKey comments_secret_;
  survey::SurveyIndexes indexes_;
  std::unique_ptr<server::App> app_;
  std::unique_ptr<server::HttpServer> http_;
  uint16_t port_ = 0;
  std::mutex log_mu_;
  std::vector<std::string> log_;
};

// The whole file (empty if it cannot be read).
std::string ReadAll(const std::filesystem::path& path);

// "needle in path" for every file under `dir` that holds a needle byte for byte: for
// asserting what is not stored.
std::vector<std::string> FilesHolding(const std::filesystem::path& dir,
                                      const std::vector<std::string>& needles);

}  // namespace candour::testing
