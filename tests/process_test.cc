// Tests of the real binary: durability under SIGKILL, restart on its own data, graceful
// SIGTERM, and refusing a missing or wrong key.
#include "tests/process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <regex>
#include <thread>

#include "crypto/key_file.h"
#include "stats/period.h"
#include "store/store.h"
#include "tests/http_client.h"
#include "tests/test_server.h"

namespace candour::testing {
namespace {

namespace fs = std::filesystem;

class ProcessTest : public ::testing::Test {
 protected:
  ProcessTest() : dir_(MakeTempDir("process")) {}
  ~ProcessTest() override { fs::remove_all(dir_); }

  std::vector<std::string> Args(const std::string& key = "data.key") const {
    return {
        "--data",      (dir_ / "data").string(), "--key-file", (dir_ / key).string(), "--listen",
        "127.0.0.1:0", "--demo-responses",       "0",          "--rate-limit",        "100000000"};
  }
  // The count `candour count` prints for the demo survey, or -1.
  long CountDemo(RunResult* result) const {
    std::vector<std::string> args = Args();
    args.resize(4);  // no --listen, no serve options
    args.insert(args.begin(), "count");
    *result = RunCandour(args);
    std::smatch m;
    static const std::regex kDemo(R"((^|\n)demo (\d+)\n)");
    return std::regex_search(result->out, m, kDemo) ? std::stol(m[2]) : -1;
  }

  fs::path dir_;
};

TEST_F(ProcessTest, AcknowledgedResponsesSurviveSigkillUnderLoad) {
  auto server = std::make_unique<CandourProcess>(Args());
  ASSERT_NE(server->port(), 0) << server->output();
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "data.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  std::atomic<bool> stop{false};
  std::atomic<long> acked{0}, sent{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 16; ++t) {
    clients.emplace_back([&, port = server->port()] {
      HttpClient client(port);
      while (!stop) {
        ++sent;
        const HttpReply r =
            client.PostJson("/s/demo/responses", R"({"answers":{"Q60":"fair"},"src":"crash"})");
        if (r.status == 201) ++acked;
        if (r.status == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
  }
  // Let load build, then kill without warning while requests are in flight.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (acked < 2000 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(server->Signal(SIGKILL), 128 + SIGKILL);
  stop = true;
  for (auto& c : clients) c.join();
  ASSERT_GT(acked.load(), 100);

  RunResult count;
  const long stored = CountDemo(&count);
  ASSERT_EQ(count.exit_code, 0) << count.out;
  std::cout << "[ figures  ] acknowledged " << acked << ", sent " << sent
            << ", stored after SIGKILL " << stored << "\n";
  EXPECT_GE(stored, acked.load()) << "an acknowledged response was lost";
  EXPECT_LE(stored, sent.load());

  // It restarts on its own data, serves, and stops gracefully on SIGTERM.
  server = std::make_unique<CandourProcess>(Args());
  ASSERT_NE(server->port(), 0) << server->output();
  HttpClient client(server->port());
  EXPECT_EQ(client.Get("/healthz").status, 200);
  EXPECT_EQ(client.PostJson("/s/demo/responses", R"({"answers":{}})").status, 201);
  EXPECT_EQ(server->Signal(SIGTERM), 0) << server->output();
  EXPECT_NE(server->output().find("Stopped"), std::string::npos);
  EXPECT_EQ(CountDemo(&count), stored + 1) << count.out;
}

// SIGTERM while a release is being built: the build is cancelled and the process exits within
// 2 s, while the submissions in flight still finish, each acknowledged one stored.
TEST_F(ProcessTest, SigtermStopsAReleaseBuildAtOnceAndSubmissionsStillFinish) {
  // A demo survey of 1,000 synthetic responses: many small counts to protect, so that its
  // first release takes seconds to build.
  std::vector<std::string> args = Args();
  *(std::find(args.begin(), args.end(), "--demo-responses") + 1) = "1000";
  CandourProcess server(args);
  ASSERT_NE(server.port(), 0) << server.output();
  std::atomic<bool> stop{false};
  std::atomic<long> acked{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, port = server.port()] {
      HttpClient client(port);
      while (!stop) {
        const HttpReply r = client.PostJson("/s/demo/responses", R"({"answers":{"Q60":"good"}})");
        if (r.status == 201) ++acked;
        if (r.status == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
  }
  HttpClient client(server.port());
  const HttpReply first = client.Get("/r/demo");  // starts the build, and does not wait for it
  EXPECT_EQ(first.status, 503) << first.body;
  EXPECT_EQ(first.Header("retry-after"), "5");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // well into the build

  const auto signalled = std::chrono::steady_clock::now();
  const int code = server.Signal(SIGTERM);
  const auto took = std::chrono::steady_clock::now() - signalled;
  stop = true;
  for (auto& c : clients) c.join();
  EXPECT_EQ(code, 0) << server.output();
  EXPECT_NE(server.output().find("Stopped"), std::string::npos) << server.output();
  EXPECT_LT(took, std::chrono::seconds(2));
  std::cout << "[ figures  ] exited "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
            << " ms after SIGTERM during a release build; " << acked
            << " submissions acknowledged\n";

  // The build was cut short, not finished: a finished one would have saved its history.
  auto key = crypto::ReadKeyFile(dir_ / "data.key");
  ASSERT_TRUE(key.has_value()) << key.error().message();
  {
    auto store = store::Store::Open({.dir = dir_ / "data"}, std::move(*key));
    ASSERT_TRUE(store.has_value()) << store.error().message();
    EXPECT_EQ((*store)->GetMeta("published/demo").value(), std::nullopt)
        << "the release was built before SIGTERM: seed more demo responses to make it longer";
  }
  RunResult count;
  EXPECT_GE(CountDemo(&count), 1000 + acked.load()) << count.out;
}

TEST_F(ProcessTest, MissingKeyForExistingDataIsRefused) {
  {
    CandourProcess first(Args());
    ASSERT_NE(first.port(), 0) << first.output();
    EXPECT_EQ(first.Signal(SIGTERM), 0);
  }
  CandourProcess again(Args("other.key"));
  EXPECT_EQ(again.port(), 0);
  const int code = again.Signal(0);  // already exited; collects its status
  EXPECT_EQ(code, 1) << again.output();
  EXPECT_NE(again.output().find("refusing to create a new key"), std::string::npos)
      << again.output();
  EXPECT_FALSE(fs::exists(dir_ / "other.key"));
}

TEST_F(ProcessTest, WrongKeyIsRefusedWithAClearMessage) {
  {
    CandourProcess first(Args());
    ASSERT_NE(first.port(), 0) << first.output();
    EXPECT_EQ(first.Signal(SIGTERM), 0);
  }
  { std::ofstream(dir_ / "wrong.key") << std::string(64, 'a') << "\n"; }
  fs::permissions(dir_ / "wrong.key", fs::perms::owner_read | fs::perms::owner_write);
  CandourProcess again(Args("wrong.key"));
  EXPECT_EQ(again.port(), 0);
  EXPECT_EQ(again.Signal(0), 1);
  EXPECT_NE(again.output().find("does not match the data"), std::string::npos) << again.output();
}

TEST_F(ProcessTest, ImportStoresAllOrNothingThroughTheSameValidation) {
  {
    CandourProcess first(Args());
    ASSERT_NE(first.port(), 0) << first.output();
    EXPECT_EQ(first.Signal(SIGTERM), 0);
  }
  std::vector<std::string> base = Args();
  base.resize(4);  // --data, --key-file
  auto import = [&](const std::string& name, const std::string& content, bool skip) {
    std::ofstream(dir_ / name) << content;
    std::vector<std::string> args = {"import", "--survey", "demo", (dir_ / name).string()};
    if (skip) args.push_back("--skip-invalid");
    args.insert(args.end(), base.begin(), base.end());
    return RunCandour(args);
  };
  // The current week: its month is not published yet, so the frozen rule does not refuse it.
  const std::string week = stats::IsoWeek(std::chrono::year_month_day{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())});
  RunResult r = import("good.csv",
                       "period,src,Q60,ward\n" + week + ",paper,good,dalston\n" + week +
                           ",paper,poor,\n" + week + ",,fair,hoxton_west\n",
                       false);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Imported 3 responses"), std::string::npos) << r.out;
  RunResult count;
  EXPECT_EQ(CountDemo(&count), 3);

  const std::string mixed = "{\"period\":\"" + week + "\",\"answers\":{\"Q60\":\"good\"}}\n" +
                            "{\"period\":\"" + week + "\",\"answers\":{\"Q60\":\"great\"}}\n";
  r = import("mixed.jsonl", mixed, false);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("line 2: Q60: unknown option \"great\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nothing was stored"), std::string::npos) << r.out;
  EXPECT_EQ(CountDemo(&count), 3);
  r = import("mixed.jsonl", mixed, true);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("skipped 1 invalid rows"), std::string::npos) << r.out;
  EXPECT_EQ(CountDemo(&count), 4);
}

TEST_F(ProcessTest, ImportOfAPublishedPeriodIsRefusedAndStoresNothing) {
  {
    CandourProcess first(Args());
    ASSERT_NE(first.port(), 0) << first.output();
    EXPECT_EQ(first.Signal(SIGTERM), 0);
  }
  std::vector<std::string> base = Args();
  base.resize(4);  // --data, --key-file
  auto import = [&](const std::string& content, bool skip) {
    std::ofstream(dir_ / "paper.csv") << content;
    std::vector<std::string> args = {"import", "--survey", "demo", (dir_ / "paper.csv").string()};
    if (skip) args.push_back("--skip-invalid");
    args.insert(args.end(), base.begin(), base.end());
    return RunCandour(args);
  };
  const std::string week = stats::IsoWeek(std::chrono::year_month_day{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())});
  // Line 3 is in March 2020 and line 5 in 2021, long published; lines 2 and 4 are open.
  const std::string content = "period,stopped,stop_respect,Q60\n" + week + ",yes,,good\n" +
                              "2020-W10,no,,poor\n" + week + ",no,strongly_agree,fair\n" +
                              "2021-W30,,,good\n";
  for (bool skip : {false, true}) {  // --skip-invalid does not skip them
    const RunResult r = import(content, skip);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("line 3: period 2020-W10: already published (it falls in 2020-03; "
                         "figures for a month are frozen 21 days after it ends)"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("line 5: period 2021-W30: already published (it falls in 2021-07;"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("line 2:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("2 of 4 rows are for periods already published; nothing was imported"),
              std::string::npos)
        << r.out;
    RunResult count;
    EXPECT_EQ(CountDemo(&count), 0) << count.out;
  }
  // Without them, the open rows go in; the answer that was not for its respondent stays out.
  const RunResult r = import("period,stopped,stop_respect,Q60\n" + week + ",yes,,good\n" + week +
                                 ",no,strongly_agree,fair\n",
                             false);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Imported 2 responses"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Not stored: 1 answer to questions that were not for those respondents"),
            std::string::npos)
      << r.out;
  RunResult count;
  EXPECT_EQ(CountDemo(&count), 2) << count.out;
}

TEST_F(ProcessTest, BadOptionsAreRefusedWithTheReason) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"serve", "--public-url", "ftp://x"}, "--public-url takes an http:// or https:// address"},
      {{"serve", "--demo-responses", "-5"}, "--demo-responses takes a number from 0 to 1000000"},
      {{"serve", "--threads", "0"}, "--threads takes a number from 1 to 64"},
      {{"serve", "--group-commit", "maybe"}, "--group-commit takes on or off"},
      {{"serve", "--colour"}, "unknown option --colour"},
      {{"serve", "stray"}, "unexpected argument stray"},
  };
  for (const auto& [args, message] : cases) {
    const RunResult r = RunCandour(args);
    EXPECT_EQ(r.exit_code, 64) << r.out;
    EXPECT_NE(r.out.find(message), std::string::npos) << r.out;
  }
}

TEST_F(ProcessTest, KeyInsideTheDataFolderIsRefused) {
  std::vector<std::string> args = Args();
  args[3] = (dir_ / "data" / "data.key").string();
  CandourProcess server(args);
  EXPECT_EQ(server.port(), 0);
  EXPECT_EQ(server.Signal(0), 1);
  EXPECT_NE(server.output().find("must be outside the data folder"), std::string::npos)
      << server.output();
}

}  // namespace
}  // namespace candour::testing
