// Key rotation on the real binary: `candour rotate-key` killed with SIGKILL at ten random
// points (fixed seed) is finished by running it again, after which the new key opens the
// folder and `candour count` shows every response, none failing authentication; while it is
// unfinished every open refuses, naming the command that finishes it. Its refusals (wrong old
// key, the same key, a running server, another new key mid-rotation), and the audit entries of
// rotations and of backups (`candour backup` and POST /api/admin/backup).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <random>
#include <regex>
#include <thread>

#include "tests/http_client.h"
#include "tests/process.h"
#include "tests/temp_dir.h"
#include "tests/test_server.h"

namespace candour::testing {
namespace {

namespace fs = std::filesystem;

class RotateKeyTest : public ::testing::Test {
 protected:
  std::string data() const { return (dir_.path() / "data").string(); }
  std::string Key(int i) const { return (dir_.path() / ("key-" + std::to_string(i))).string(); }
  std::vector<std::string> ServeArgs(int responses) const {
    return {"--data",   data(),        "--key-file",       Key(0),
            "--listen", "127.0.0.1:0", "--demo-responses", std::to_string(responses)};
  }
  // A data folder whose demo survey holds `responses` responses, under Key(0).
  void MakeFolder(int responses) {
    CandourProcess server(ServeArgs(responses));
    ASSERT_NE(server.port(), 0) << server.output();
    ASSERT_EQ(server.Signal(SIGTERM), 0) << server.output();
  }
  // `candour count` of the demo survey under `key` (-1 if it printed none).
  long CountDemo(const std::string& key, RunResult* result) const {
    *result = RunCandour({"count", "--data", data(), "--key-file", key});
    std::smatch m;
    static const std::regex kDemo(R"((^|\n)demo (\d+)\n)");
    return std::regex_search(result->out, m, kDemo) ? std::stol(m[2]) : -1;
  }
  std::vector<std::string> RotateArgs(const std::string& old_key, const std::string& new_key,
                                      const std::string& batch = "4096") const {
    return {"rotate-key",        "--data", data(), "--key-file", old_key, "--new-key-file", new_key,
            "--batch-responses", batch};
  }
  RunResult Rotate(const std::string& old_key, const std::string& new_key,
                   const std::string& batch = "4096") const {
    return RunCandour(RotateArgs(old_key, new_key, batch));
  }
  // The audit log's entries whose action is `action`, parsed.
  std::vector<boost::json::object> Audited(const std::string& action) const {
    std::vector<boost::json::object> out;
    std::ifstream in(dir_.path() / "data" / "audit.log");
    for (std::string line; std::getline(in, line);) {
      boost::json::value v = boost::json::parse(line);
      if (v.at("action").as_string() == action) out.push_back(v.as_object());
    }
    return out;
  }
  static std::string Finisher(const std::string& dir, const std::string& old_key,
                              const std::string& new_key) {
    return "candour rotate-key --data " + dir + " --key-file " + old_key + " --new-key-file " +
           new_key;
  }

  TempDir dir_{"rotate"};
};

TEST_F(RotateKeyTest, KilledAtTenRandomPointsIsFinishedByRunningItAgainAndLosesNothing) {
  constexpr long kResponses = 20000;
  constexpr int kBatches = 40;  // of 500
  ASSERT_NO_FATAL_FAILURE(MakeFolder(kResponses));
  std::mt19937 random(20261202);
  std::uniform_int_distribution<int> batches_before_kill(0, kBatches - 3);
  std::uniform_int_distribution<int> then_micros(0, 3000);
  for (int round = 0; round < 10; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string old_key = Key(round), new_key = Key(round + 1);
    const int after = batches_before_kill(random);
    {
      // Killed after `after` synced batches and a random part of the next (0: once it has
      // audited its intent and begun, before the first batch).
      CandourCommand rotation(RotateArgs(old_key, new_key, "500"));
      ASSERT_TRUE(after == 0
                      ? rotation.WaitFor("Rotating the data key", 1, std::chrono::seconds(60))
                      : rotation.WaitFor("re-sealed ", after, std::chrono::seconds(60)))
          << rotation.output();
      const int micros = then_micros(random);
      std::this_thread::sleep_for(std::chrono::microseconds(micros));
      ASSERT_EQ(rotation.Signal(SIGKILL), 128 + SIGKILL) << rotation.output();
      std::cout << "round " << round << ": killed " << micros << " us after batch " << after
                << " of " << kBatches << std::endl;
    }
    struct stat st {};
    ASSERT_EQ(::stat(new_key.c_str(), &st), 0) << "the killed run made the new key";
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    RunResult count;
    if (after > 0) {
      // Unfinished: neither key opens the folder, and the refusal says what finishes it.
      for (const std::string& key : {old_key, new_key}) {
        EXPECT_EQ(CountDemo(key, &count), -1);
        EXPECT_EQ(count.exit_code, 1);
        EXPECT_NE(count.out.find(Finisher(data(), old_key, new_key)), std::string::npos)
            << count.out;
      }
    }
    // The next step: the same command again.
    const RunResult again = Rotate(old_key, new_key, "500");
    ASSERT_EQ(again.exit_code, 0) << again.out;
    if (after > 0) {
      EXPECT_NE(again.out.find("Finishing the key rotation"), std::string::npos) << again.out;
    }
    EXPECT_NE(again.out.find("The data key is now " + new_key), std::string::npos) << again.out;
    EXPECT_EQ(CountDemo(new_key, &count), kResponses) << count.out;
    EXPECT_EQ(count.exit_code, 0) << "no response fails authentication: " << count.out;
    EXPECT_EQ(CountDemo(old_key, &count), -1);
    EXPECT_NE(count.out.find("does not match"), std::string::npos) << count.out;
  }
  // Each rotation audited its intent (by the killed run; again by the next run if the kill
  // came before the rotation record was written) and its outcome (by the run that finished
  // it), and the chain is intact under the last key.
  size_t intents = 0, dones = 0;
  for (const auto& entry : Audited("key.rotate")) {
    const std::string detail(entry.at("detail").as_string());
    intents += detail.starts_with("intent: re-seal every response under the key in ");
    dones +=
        detail.starts_with("done: ") && detail.find(" responses re-sealed") != std::string::npos;
  }
  EXPECT_EQ(dones, 10u);
  EXPECT_GE(intents, 10u);
  EXPECT_EQ(intents + dones, Audited("key.rotate").size());
  const RunResult verified =
      RunCandour({"audit", "verify", "--data", data(), "--key-file", Key(10)});
  EXPECT_EQ(verified.exit_code, 0) << verified.out;
}

TEST_F(RotateKeyTest, RefusesWrongOldKeySameKeyRunningServerAndAnotherKeyMidRotation) {
  ASSERT_NO_FATAL_FAILURE(MakeFolder(300));
  const std::string other = (dir_.path() / "other").string();
  ASSERT_EQ(RunCandour({"init", "--data", other, "--key-file", Key(9)}).exit_code, 0);

  RunResult r = Rotate(Key(9), Key(1));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("does not open " + data() + " (wrong old key)"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(Key(1))) << "no key is made for a refused rotation";

  r = Rotate(Key(0), Key(0));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("names the current key file"), std::string::npos) << r.out;
  fs::copy_file(Key(0), Key(2));
  r = Rotate(Key(0), Key(2));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("is the same as the current key"), std::string::npos) << r.out;

  {
    CandourProcess server(ServeArgs(0));
    ASSERT_NE(server.port(), 0) << server.output();
    r = Rotate(Key(0), Key(3));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("a running server"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("stop it first"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(Key(3)));
  }
  EXPECT_EQ(Audited("key.rotate").size(), 0u) << "refusals are not actions";

  // Mid-rotation (stopped after its first batch of 10), only the rotation's own new key is
  // taken: a missing one is not made, another one is refused, naming the right files.
  {
    CandourCommand rotation(RotateArgs(Key(0), Key(4), "10"));
    ASSERT_TRUE(rotation.WaitFor("re-sealed ", 1, std::chrono::seconds(60))) << rotation.output();
    rotation.Signal(SIGKILL);
  }
  r = Rotate(Key(0), Key(5));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("No key was made"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(Key(5)));
  r = Rotate(Key(0), Key(9));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find(Finisher(data(), Key(0), Key(4))), std::string::npos) << r.out;

  r = Rotate(Key(0), Key(4));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // Once done, running it again changes nothing and says so.
  r = Rotate(Key(0), Key(4));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("already sealed under the key in " + Key(4)), std::string::npos) << r.out;
  RunResult count;
  EXPECT_EQ(CountDemo(Key(4), &count), 300) << count.out;
  EXPECT_EQ(count.exit_code, 0) << count.out;
}

TEST_F(RotateKeyTest, BackupsAreAuditedFromTheCommandAndTheAdminApi) {
  ASSERT_NO_FATAL_FAILURE(MakeFolder(50));
  const fs::path stopped = dir_.path() / "backup-stopped";
  RunResult r =
      RunCandour({"backup", "--data", data(), "--key-file", Key(0), "--to", stopped.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  {
    CandourProcess server(ServeArgs(0));
    ASSERT_NE(server.port(), 0) << server.output();
    std::string token = ReadAll(dir_.path() / "candour-admin-token");
    while (!token.empty() && token.back() == '\n') token.pop_back();
    HttpClient admin(server.port());
    const fs::path online = dir_.path() / "backup-online";
    const auto headers = std::map<std::string, std::string>{{"Authorization", "Bearer " + token},
                                                            {"Content-Type", "application/json"}};
    const HttpReply made =
        admin.Send("POST", "/api/admin/backup", headers, R"({"to":")" + online.string() + R"("})");
    EXPECT_EQ(made.status, 201) << made.body;
    EXPECT_EQ(
        admin.Send("POST", "/api/admin/backup", headers, R"({"to":")" + online.string() + R"("})")
            .status,
        409);
    EXPECT_EQ(server.Signal(SIGTERM), 0);
  }
  // Intent and outcome of each backup made; the refused one (409) was no action.
  const auto entries = Audited("backup");
  ASSERT_EQ(entries.size(), 4u);
  const std::string to_stopped = "to " + stopped.string();
  const std::string to_online = "to " + (dir_.path() / "backup-online").string();
  EXPECT_EQ(entries[0].at("detail").as_string(), "intent: " + to_stopped);
  EXPECT_EQ(entries[1].at("detail").as_string(), "done: " + to_stopped);
  EXPECT_EQ(entries[2].at("detail").as_string(), "intent: " + to_online);
  EXPECT_EQ(entries[3].at("detail").as_string(), "done: " + to_online);
  r = RunCandour({"audit", "verify", "--data", data(), "--key-file", Key(0)});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  // The backup holds the log up to its own intent entry, and its chain verifies there too.
  r = RunCandour({"audit", "verify", "--data", stopped.string(), "--key-file", Key(0)});
  EXPECT_EQ(r.exit_code, 0) << r.out;
}

}  // namespace
}  // namespace candour::testing
