// Backups on the real binary: an online backup through POST /api/admin/backup while
// submissions keep arriving holds every response acknowledged before it began, and restores
// into a new folder; `candour backup` on a stopped server; `candour restore`'s refusals; the
// daily backups of `serve --backup-dir` and their pruning.
#include "store/backup.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <regex>
#include <thread>

#include "tests/http_client.h"
#include "tests/process.h"
#include "tests/temp_dir.h"
#include "tests/test_server.h"

namespace candour::testing {
namespace {

namespace fs = std::filesystem;

class BackupTest : public ::testing::Test {
 protected:
  fs::path data() const { return dir_.path() / "data"; }
  std::string key() const { return (dir_.path() / "data.key").string(); }

  std::vector<std::string> ServeArgs(std::vector<std::string> more = {}) const {
    std::vector<std::string> args = {"--data",       data().string(), "--key-file",       key(),
                                     "--listen",     "127.0.0.1:0",   "--demo-responses", "0",
                                     "--rate-limit", "100000000"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }
  // `candour count` of the demo survey in `folder` (-1 if it printed none).
  long CountDemo(const fs::path& folder, RunResult* result) const {
    *result = RunCandour({"count", "--data", folder.string(), "--key-file", key()});
    std::smatch m;
    static const std::regex kDemo(R"((^|\n)demo (\d+)\n)");
    return std::regex_search(result->out, m, kDemo) ? std::stol(m[2]) : -1;
  }
  // The admin token, from the file whose path the first start prints.
  static std::string TokenIn(const std::string& output) {
    std::smatch m;
    static const std::regex kPath(R"(Admin token written to (\S+) \(mode 0600\))");
    if (!std::regex_search(output, m, kPath)) return "";
    std::string token = ReadAll(m[1].str());
    while (!token.empty() && token.back() == '\n') token.pop_back();
    return token;
  }
  static std::map<std::string, std::string> Bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
  }
  static std::string To(const fs::path& dir) { return R"({"to":")" + dir.string() + R"("})"; }

  TempDir dir_{"backup"};
};

TEST_F(BackupTest, OnlineBackupUnderLoadHoldsEveryResponseAcknowledgedBeforeIt) {
  CandourProcess server(ServeArgs());
  ASSERT_NE(server.port(), 0) << server.output();
  const std::string token = TokenIn(server.output());
  ASSERT_FALSE(token.empty()) << server.output();

  std::atomic<bool> stop{false};
  std::atomic<long> acked{0}, sent{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, port = server.port()] {
      HttpClient client(port);
      while (!stop) {
        ++sent;
        const HttpReply r =
            client.PostJson("/s/demo/responses", R"({"answers":{"Q60":"fair"},"src":"backup"})");
        if (r.status == 201) ++acked;
      }
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (acked < 3000 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const fs::path backup = dir_.path() / "backup-1";
  HttpClient admin(server.port());
  const long acked_before = acked;
  const HttpReply made = admin.Send("POST", "/api/admin/backup", Bearer(token), To(backup));
  const long sent_by_reply = sent;
  // Submissions go on after the backup: they must not be in it.
  const long acked_at_reply = acked;
  while (acked < acked_at_reply + 1000 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop = true;
  for (auto& c : clients) c.join();
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_NE(made.body.find(backup.string()), std::string::npos) << made.body;
  EXPECT_GT(acked_before, 100);

  // A second backup into the same folder, a relative path or no token are refused.
  EXPECT_EQ(admin.Send("POST", "/api/admin/backup", Bearer(token), To(backup)).status, 409);
  EXPECT_EQ(admin.Send("POST", "/api/admin/backup", Bearer(token), R"({"to":"rel/dir"})").status,
            400);
  EXPECT_EQ(admin.Send("POST", "/api/admin/backup", Bearer(token), R"({"to":7})").status, 400);
  EXPECT_EQ(
      admin.Send("POST", "/api/admin/backup", Bearer(token), R"({"to":"/tmp/a\u0000b"})").status,
      400);
  EXPECT_EQ(admin.Send("POST", "/api/admin/backup", Bearer(token), "not json").status, 400);
  EXPECT_EQ(admin
                .Send("POST", "/api/admin/backup", Bearer(token),
                      To(dir_.path() / "no-such-folder" / "b"))
                .status,
            400);
  EXPECT_EQ(admin.Send("POST", "/api/admin/backup", {}, To(dir_.path() / "b2")).status, 401);
  EXPECT_FALSE(fs::exists(dir_.path() / "b2"));
  EXPECT_EQ(server.Signal(SIGTERM), 0) << server.output();

  // The backup holds no key; restored into a new folder, every response acknowledged before
  // the backup began is there, and nothing sent after its reply.
  EXPECT_FALSE(fs::exists(backup / "data.key"));
  const fs::path restored = dir_.path() / "restored";
  const RunResult restore = RunCandour(
      {"restore", "--from", backup.string(), "--data", restored.string(), "--key-file", key()});
  ASSERT_EQ(restore.exit_code, 0) << restore.out;
  RunResult count;
  const long in_backup = CountDemo(restored, &count);
  ASSERT_EQ(count.exit_code, 0) << count.out;
  const long in_live = CountDemo(data(), &count);
  std::cout << "[ figures  ] acknowledged before the backup " << acked_before
            << ", requests begun by its reply " << sent_by_reply << ", in the backup " << in_backup
            << ", acknowledged in all " << acked << ", stored live " << in_live << "\n";
  EXPECT_GE(in_backup, acked_before) << "a response acknowledged before the backup is missing";
  EXPECT_LE(in_backup, sent_by_reply);
  EXPECT_LE(in_backup, acked.load());
  EXPECT_GT(in_live, in_backup);
  EXPECT_GE(in_live, acked.load());
}

TEST_F(BackupTest, StoppedServerBackupAndRestoreRoundTripAndRefusals) {
  {
    CandourProcess server(ServeArgs());
    ASSERT_NE(server.port(), 0) << server.output();
    HttpClient client(server.port());
    for (int i = 0; i < 25; ++i) {
      ASSERT_EQ(client.PostJson("/s/demo/responses", R"({"answers":{}})").status, 201);
    }
    // While it runs, the folder is locked: the command says how to ask the server instead.
    const RunResult locked = RunCandour({"backup", "--data", data().string(), "--key-file", key(),
                                         "--to", (dir_.path() / "b").string()});
    EXPECT_EQ(locked.exit_code, 1);
    EXPECT_NE(locked.out.find("/api/admin/backup"), std::string::npos) << locked.out;
    EXPECT_FALSE(fs::exists(dir_.path() / "b"));
    EXPECT_EQ(server.Signal(SIGTERM), 0) << server.output();
  }
  const fs::path backup = dir_.path() / "b";
  const RunResult made = RunCandour(
      {"backup", "--data", data().string(), "--key-file", key(), "--to", backup.string()});
  ASSERT_EQ(made.exit_code, 0) << made.out;
  EXPECT_NE(made.out.find("keep the key file"), std::string::npos) << made.out;
  // An existing folder is never written into.
  const RunResult again = RunCandour(
      {"backup", "--data", data().string(), "--key-file", key(), "--to", backup.string()});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.out.find("already exists"), std::string::npos) << again.out;

  // Restore refuses an existing target, a folder that is no backup, and a wrong key (leaving
  // nothing behind), then restores into a new folder with every response.
  const RunResult onto_live = RunCandour(
      {"restore", "--from", backup.string(), "--data", data().string(), "--key-file", key()});
  EXPECT_EQ(onto_live.exit_code, 1);
  EXPECT_NE(onto_live.out.find("already exists"), std::string::npos) << onto_live.out;
  const RunResult not_backup = RunCandour({"restore", "--from", dir_.path().string(), "--data",
                                           (dir_.path() / "r0").string(), "--key-file", key()});
  EXPECT_EQ(not_backup.exit_code, 1);
  EXPECT_NE(not_backup.out.find("no backup"), std::string::npos) << not_backup.out;
  {
    // A key file of the right form that this data was not written with.
    const fs::path other_data = dir_.path() / "other";
    const std::string other_key = (dir_.path() / "other.key").string();
    CandourProcess other({"--data", other_data.string(), "--key-file", other_key, "--listen",
                          "127.0.0.1:0", "--demo-responses", "0"});
    ASSERT_NE(other.port(), 0) << other.output();
    EXPECT_EQ(other.Signal(SIGTERM), 0);
    const fs::path wrong = dir_.path() / "r-wrong";
    const RunResult wrong_key = RunCandour(
        {"restore", "--from", backup.string(), "--data", wrong.string(), "--key-file", other_key});
    EXPECT_EQ(wrong_key.exit_code, 1);
    EXPECT_NE(wrong_key.out.find("does not match"), std::string::npos) << wrong_key.out;
    EXPECT_FALSE(fs::exists(wrong));
    EXPECT_FALSE(fs::exists(dir_.path() / "r-wrong.partial"));
  }
  const fs::path restored = dir_.path() / "r";
  const RunResult restore = RunCandour(
      {"restore", "--from", backup.string(), "--data", restored.string(), "--key-file", key()});
  ASSERT_EQ(restore.exit_code, 0) << restore.out;
  EXPECT_NE(restore.out.find("Restored 25 responses"), std::string::npos) << restore.out;
  RunResult count;
  EXPECT_EQ(CountDemo(restored, &count), 25) << count.out;
  // The restored folder serves.
  CandourProcess server({"--data", restored.string(), "--key-file", key(), "--listen",
                         "127.0.0.1:0", "--demo-responses", "0"});
  ASSERT_NE(server.port(), 0) << server.output();
  EXPECT_EQ(HttpClient(server.port()).PostJson("/s/demo/responses", R"({"answers":{}})").status,
            201);
  EXPECT_EQ(server.Signal(SIGTERM), 0) << server.output();
  EXPECT_EQ(CountDemo(restored, &count), 26) << count.out;
}

TEST_F(BackupTest, ServeBacksUpDailyAndKeepsTheNewest) {
  const fs::path backups = dir_.path() / "backups";
  fs::create_directories(backups / "candour-2020-01-01");
  fs::create_directories(backups / "candour-2020-01-02");
  fs::create_directories(backups / "keep-me");  // not a scheduled backup: never pruned
  const std::string today =
      store::BackupName(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
  CandourProcess server(ServeArgs({"--backup-dir", backups.string(), "--backup-keep", "2"}));
  ASSERT_NE(server.port(), 0) << server.output();
  // Pruning comes after the day's backup is made; wait for it (bounded).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (fs::exists(backups / "candour-2020-01-01") &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(server.Signal(SIGTERM), 0) << server.output();
  EXPECT_FALSE(fs::exists(backups / "candour-2020-01-01")) << server.output();
  EXPECT_TRUE(fs::exists(backups / "candour-2020-01-02"));
  EXPECT_TRUE(fs::exists(backups / "keep-me"));
  ASSERT_TRUE(fs::exists(backups / today / "CURRENT"));
  const fs::path restored = dir_.path() / "r";
  const RunResult restore = RunCandour({"restore", "--from", (backups / today).string(), "--data",
                                        restored.string(), "--key-file", key()});
  EXPECT_EQ(restore.exit_code, 0) << restore.out;
  RunResult count;
  EXPECT_EQ(CountDemo(restored, &count), 0) << count.out;

  // A restart the same day keeps today's backup as it is.
  CandourProcess again(ServeArgs({"--backup-dir", backups.string(), "--backup-keep", "2"}));
  ASSERT_NE(again.port(), 0) << again.output();
  EXPECT_EQ(again.Signal(SIGTERM), 0) << again.output();
  EXPECT_TRUE(fs::exists(backups / "candour-2020-01-02"));
}

}  // namespace
}  // namespace candour::testing
