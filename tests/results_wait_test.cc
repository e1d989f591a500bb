// Nobody waits for a release build, over HTTP: while a survey's first release is built every
// results route answers 503 "being prepared" at once (JSON for the API and the CSVs, a page in
// the survey's language that reloads itself for the dashboard), and while a later one is built
// the one before is served. The build is held in its history read by a store whose reads of
// "published/..." wait at a gate the test opens.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/fault_store.h"
#include "tests/test_server.h"

namespace candour::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// The real store (behind a FaultStore that injects nothing), whose reads of release histories
// wait while the gate is closed.
class SlowHistoryStore : public store::FaultStore {
 public:
  using FaultStore::FaultStore;
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  void Open() {
    {
      std::lock_guard lock(mu_);
      closed_ = false;
    }
    changed_.notify_all();
  }
  // Waits until histories have been read `n` times in all (a build has begun); false after 10 s.
  bool WaitReads(int n) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, 10s, [&] { return reads_ >= n; });
  }
  boost::system::result<std::optional<std::string>> GetMeta(std::string_view key) override {
    if (key.starts_with("published/")) {
      std::unique_lock lock(mu_);
      ++reads_;
      changed_.notify_all();
      changed_.wait(lock, [this] { return !closed_; });
    }
    return FaultStore::GetMeta(key);
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool closed_ = false;  // guarded by mu_
  int reads_ = 0;        // guarded by mu_
};

class ResultsWaitTest : public ::testing::Test {
 protected:
  ResultsWaitTest()
      : server_(
            [this](server::ServerConfig& c) {
              c.now = [this] { return kToday + std::chrono::days{days_later_.load()}; };
            },
            [this](std::unique_ptr<store::Store> real) {
              auto wrapped = std::make_unique<SlowHistoryStore>(std::move(real));
              store_ = wrapped.get();
              return wrapped;
            }) {
    auto s = survey::ParseSurvey(R"({"id":"r","languages":["en","tr"],
      "title":{"en":"Trust","tr":"Güven"},"period":"month",
      "questions":[{"id":"q","type":"single","text":{"en":"?"},"options":[
        {"id":"yes","label":{"en":"Yes"}},{"id":"no","label":{"en":"No"}}]}],
      "measures":[{"id":"yes_share","question":"q","positive":["yes"],"label":{"en":"Say yes"}}]})");
    EXPECT_TRUE(s.has_value()) << s.error();
    survey_ = *s;
    EXPECT_FALSE(server_.catalog().Put(server_.store(), *s));
    Add("2026-01", 45, 75);
    Add("2026-12", 30, 30);  // published once December is complete
  }
  // Before the server (and the builds it waits for) is stopped, nothing may be held.
  ~ResultsWaitTest() override { store_->Open(); }

  void Add(const std::string& month, int yes, int no) {
    for (int i = 0; i < yes + no; ++i)
      server_.indexes().Add(survey_, month, "", {{"q", std::string(i < yes ? "yes" : "no")}});
  }
  // Asks until the reply is not "being prepared", for up to 30 s, as a client following
  // Retry-After would (only faster).
  HttpReply Poll(const std::string& target) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    for (;;) {
      HttpReply r = client_.Get(target);
      if (r.status != 503 || std::chrono::steady_clock::now() > deadline) return r;
      std::this_thread::sleep_for(10ms);
    }
  }
  static void ExpectSecurityHeaders(const HttpReply& r) {
    EXPECT_NE(r.Header("content-security-policy").find("default-src 'none'"), std::string::npos);
    EXPECT_NE(r.Header("content-security-policy").find("frame-ancestors 'none'"),
              std::string::npos);
    EXPECT_EQ(r.Header("referrer-policy"), "no-referrer");
    EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.Header("cache-control"), "no-store");
  }

  static constexpr std::chrono::sys_days kToday{std::chrono::year{2026} / 11 / 25};
  std::atomic<int> days_later_{0};
  SlowHistoryStore* store_ = nullptr;  // owned by server_
  TestServer server_;
  HttpClient client_ = server_.Client();
  survey::Survey survey_;
};

TEST_F(ResultsWaitTest, EveryResultsRouteSaysBeingPreparedUntilTheFirstReleaseIsBuilt) {
  store_->Close();
  for (const char* target : {"/api/surveys/r/results?period=month", "/api/surveys/r/results.csv",
                             "/r/r/figures.csv?period=month"}) {
    const HttpReply r = client_.Get(target);
    EXPECT_EQ(r.status, 503) << target << ": " << r.body;
    EXPECT_EQ(r.Header("retry-after"), "5") << target;
    EXPECT_EQ(r.Header("content-type"), "application/json") << target;
    EXPECT_EQ(json::parse(r.body).at("error"),
              "results are being prepared; try again in a few seconds")
        << target;
    ExpectSecurityHeaders(r);
    ASSERT_TRUE(store_->WaitReads(1));  // the one build has begun, and is held
  }
  // The dashboard: a page in the survey's language that reloads itself, without script.
  const HttpReply page = client_.Get("/r/r?lang=tr");
  EXPECT_EQ(page.status, 503);
  EXPECT_EQ(page.Header("retry-after"), "5");
  EXPECT_EQ(page.Header("content-type"), "text/html; charset=utf-8");
  ExpectSecurityHeaders(page);
  EXPECT_NE(page.body.find("<html lang=\"tr\">"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("<meta http-equiv=\"refresh\" content=\"5\">"), std::string::npos);
  EXPECT_NE(page.body.find("Sonuçlar hazırlanıyor."), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("Güven"), std::string::npos);
  EXPECT_EQ(page.body.find("<script"), std::string::npos);
  const HttpReply head = client_.Send("HEAD", "/r/r");
  EXPECT_EQ(head.status, 503);
  EXPECT_EQ(head.body, "");
  EXPECT_NE(client_.Get("/r/r").body.find("The results are being prepared."), std::string::npos);

  store_->Open();
  const HttpReply ready = Poll("/api/surveys/r/results?period=month");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(json::parse(ready.body).at("periods"), json::parse(R"(["2026-01"])"));
  const HttpReply dashboard = client_.Get("/r/r?lang=tr");
  EXPECT_EQ(dashboard.status, 200);
  EXPECT_EQ(dashboard.body.find("http-equiv=\"refresh\""), std::string::npos);
  EXPECT_TRUE(server_.store().GetMeta("published/r").value().has_value());
}

TEST_F(ResultsWaitTest, TheDayBeforesReleaseIsServedWhileTodaysIsBuilt) {
  ASSERT_EQ(server_.WaitForRelease("r").status, 200);
  const std::string yesterday = client_.Get("/api/surveys/r/results?period=month").body;
  EXPECT_EQ(json::parse(yesterday).at("periods"), json::parse(R"(["2026-01"])"));

  // Weeks later December is complete; today's release is built, and held.
  store_->Close();
  days_later_ = 60;  // 24 January: December is published 21 days after it ends
  const auto asked = std::chrono::steady_clock::now();
  const HttpReply meanwhile = client_.Get("/api/surveys/r/results?period=month");
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 2s);
  EXPECT_EQ(meanwhile.status, 200);
  EXPECT_EQ(meanwhile.body, yesterday);  // answered before the build was let go
  ASSERT_TRUE(store_->WaitReads(2));
  EXPECT_EQ(client_.Get("/r/r?period=month").status, 200);

  store_->Open();
  server_.app().DrainReleases();
  const HttpReply today = client_.Get("/api/surveys/r/results?period=month");
  ASSERT_EQ(today.status, 200);
  EXPECT_EQ(json::parse(today.body).at("periods"), json::parse(R"(["2026-01","2026-12"])"));
}

}  // namespace
}  // namespace candour::testing
