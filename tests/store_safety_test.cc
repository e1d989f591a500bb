// No silent loss, on the real binary: a write-ahead log damaged in the middle is refused and
// salvaged only by `candour repair`, which says how much was lost; a torn tail still starts; a
// database is made only on purpose (a lost CURRENT, an emptied folder or a mistyped --data
// never becomes a new empty database); an import is stored once, all or nothing, even when
// killed part-way.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "stats/period.h"
#include "tests/http_client.h"
#include "tests/process.h"
#include "tests/temp_dir.h"

namespace candour::testing {
namespace {

namespace fs = std::filesystem;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The first number after `prefix` in `text`, or -1.
long NumberAfter(const std::string& text, const std::string& prefix) {
  const size_t at = text.find(prefix);
  if (at == std::string::npos) return -1;
  return std::strtol(text.c_str() + at + prefix.size(), nullptr, 10);
}

// The newest write-ahead log in `dir` (the highest-numbered *.log), or an empty path.
fs::path NewestLog(const fs::path& dir) {
  fs::path newest;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".log" && (newest.empty() || e.path() > newest)) newest = e.path();
  }
  return newest;
}

class StoreSafetyTest : public ::testing::Test {
 protected:
  fs::path data() const { return dir_.path() / "data"; }
  fs::path key() const { return dir_.path() / "data.key"; }
  std::vector<std::string> Store() const {
    return {"--data", data().string(), "--key-file", key().string()};
  }
  std::vector<std::string> ServeArgs() const {
    std::vector<std::string> args = Store();
    args.insert(args.end(),
                {"--listen", "127.0.0.1:0", "--demo-responses", "0", "--rate-limit", "100000000"});
    return args;
  }
  RunResult Run(std::vector<std::string> args) const {
    const auto store = Store();
    args.insert(args.end(), store.begin(), store.end());
    return RunCandour(args);
  }
  // The demo survey's count from `candour count`, or -1 (then `out` says why).
  long CountDemo(RunResult* out = nullptr) const {
    const RunResult r = Run({"count"});
    if (out) *out = r;
    std::smatch m;
    static const std::regex kDemo(R"((^|\n)demo (\d+)\n)");
    return r.exit_code == 0 && std::regex_search(r.out, m, kDemo) ? std::stol(m[2]) : -1;
  }
  // Starts the server, has `n` responses acknowledged one after another (so each is one write
  // in the log), stops it with SIGTERM. Returns how many were acknowledged.
  long Submit(int n) const {
    CandourProcess server(ServeArgs());
    EXPECT_NE(server.port(), 0) << server.output();
    if (server.port() == 0) return 0;
    HttpClient client(server.port());
    long acked = 0;
    for (int i = 0; i < n; ++i) {
      const HttpReply r = client.PostJson("/s/demo/responses", R"({"answers":{"Q60":"fair"}})");
      if (r.status == 201) ++acked;
    }
    EXPECT_EQ(server.Signal(SIGTERM), 0) << server.output();
    return acked;
  }
  // A start that must be refused: exit 1, its output returned.
  std::string RefusedStart() const {
    CandourProcess server(ServeArgs());
    EXPECT_EQ(server.port(), 0) << server.output();
    EXPECT_EQ(server.Signal(0), 1) << server.output();
    return server.output();
  }

  TempDir dir_{"safety"};
};

// --- The write-ahead log ---

TEST_F(StoreSafetyTest, LogDamagedInTheMiddleIsRefusedUntilRepairSaysWhatWasLost) {
  constexpr int kResponses = 300;
  ASSERT_EQ(Submit(kResponses), kResponses);
  const fs::path log = NewestLog(data());
  ASSERT_FALSE(log.empty());
  const auto size = fs::file_size(log);
  ASSERT_GT(size, 30'000u) << "the responses should be in the log, not yet in tables";
  {
    std::fstream f(log, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(size / 2));
    const char byte = static_cast<char>(f.get());
    f.seekp(static_cast<std::streamoff>(size / 2));
    f.put(static_cast<char>(byte ^ 0x40));
  }

  for (int attempt = 0; attempt < 2; ++attempt) {  // a supervisor's restart changes nothing
    const std::string out = RefusedStart();
    EXPECT_TRUE(Contains(out, "write-ahead log in " + data().string() + " is damaged")) << out;
    EXPECT_TRUE(Contains(out, "candour repair --data " + data().string())) << out;
    EXPECT_TRUE(Contains(out, "acknowledged writes in the log cannot be read")) << out;
  }
  RunResult count;
  EXPECT_EQ(CountDemo(&count), -1);
  EXPECT_EQ(count.exit_code, 1) << count.out;
  EXPECT_TRUE(Contains(count.out, "is damaged before its end")) << count.out;

  const RunResult repair = Run({"repair"});
  ASSERT_EQ(repair.exit_code, 0) << repair.out;
  const long lost = NumberAfter(repair.out, " were read and kept; ");
  const long kept = NumberAfter(repair.out, "\ndemo ");
  EXPECT_GE(lost, 1) << repair.out;
  EXPECT_EQ(kept + lost, kResponses) << repair.out;  // every write lost was one response
  std::cout << "[ figures ] flipped byte " << size / 2 << " of " << size << ": " << lost << " of "
            << kResponses << " responses lost, " << kept << " kept\n";

  EXPECT_EQ(CountDemo(), kept);
  CandourProcess after(ServeArgs());
  ASSERT_NE(after.port(), 0) << after.output();
  EXPECT_EQ(after.Signal(SIGTERM), 0);
  EXPECT_EQ(CountDemo(), kept);
  EXPECT_TRUE(Contains(Run({"repair"}).out, "Nothing to repair"));
}

TEST_F(StoreSafetyTest, TornTailOfTheLogStillStarts) {
  constexpr int kResponses = 50;
  ASSERT_EQ(Submit(kResponses), kResponses);
  const fs::path log = NewestLog(data());
  ASSERT_FALSE(log.empty());
  fs::resize_file(log, fs::file_size(log) - 10);  // the last write, cut as by a crash
  CandourProcess server(ServeArgs());
  ASSERT_NE(server.port(), 0) << server.output();
  EXPECT_EQ(server.Signal(SIGTERM), 0);
  EXPECT_EQ(CountDemo(), kResponses - 1);  // only the torn write is gone
}

// --- A database is made only on purpose ---

TEST_F(StoreSafetyTest, LostCurrentNeverBecomesAnEmptyDatabase) {
  ASSERT_EQ(Submit(100), 100);
  fs::rename(data() / "CURRENT", dir_.path() / "CURRENT.saved");
  const auto files = std::distance(fs::directory_iterator(data()), fs::directory_iterator());
  for (int attempt = 0; attempt < 2; ++attempt) {
    const std::string out = RefusedStart();
    EXPECT_TRUE(Contains(out, "is incomplete (it holds files but no CURRENT)")) << out;
  }
  RunResult count;
  EXPECT_EQ(CountDemo(&count), -1);
  EXPECT_EQ(count.exit_code, 1);
  EXPECT_TRUE(Contains(count.out, "no CURRENT")) << count.out;
  EXPECT_FALSE(fs::exists(data() / "CURRENT"));
  EXPECT_EQ(std::distance(fs::directory_iterator(data()), fs::directory_iterator()), files);
  fs::rename(dir_.path() / "CURRENT.saved", data() / "CURRENT");
  EXPECT_EQ(CountDemo(), 100);
  // Without a copy of CURRENT, `candour repair` rebuilds the database from its other files.
  fs::remove(data() / "CURRENT");
  const RunResult repair = Run({"repair"});
  EXPECT_EQ(repair.exit_code, 0) << repair.out;
  EXPECT_TRUE(Contains(repair.out, "Rebuilt " + data().string() + " from its files")) << repair.out;
  EXPECT_EQ(CountDemo(), 100);
}

TEST_F(StoreSafetyTest, EmptiedOrMissingFolderIsRefusedWhileTheKeyHasHeldData) {
  ASSERT_EQ(Submit(3), 3);
  ASSERT_TRUE(fs::exists(fs::path(key().string() + ".held-data")));
  fs::remove_all(data());
  fs::create_directory(data());  // an empty mount point
  std::string out = RefusedStart();
  EXPECT_TRUE(
      Contains(out, "is missing or empty, but the key " + key().string() + " has held data"))
      << out;
  EXPECT_TRUE(fs::is_empty(data()));
  fs::remove(data());
  out = RefusedStart();
  EXPECT_TRUE(Contains(out, "has held data")) << out;
  EXPECT_FALSE(fs::exists(data()));
  const RunResult init = Run({"init"});
  EXPECT_EQ(init.exit_code, 1) << init.out;
  EXPECT_FALSE(fs::exists(data()));
  // A lost key beside that marker is not replaced either.
  fs::remove(key());
  out = RefusedStart();
  EXPECT_TRUE(Contains(out, "says a key here has held data")) << out;
  EXPECT_FALSE(fs::exists(key()));
}

TEST_F(StoreSafetyTest, NoCommandButInitAndAFirstServeMakesADatabase) {
  const std::string survey = (dir_.path() / "s.json").string();
  std::ofstream(survey)
      << R"({"id":"w","languages":["en"],"title":{"en":"W"},"questions":[{"id":"mood",
      "type":"single","text":{"en":"How?"},"options":[{"id":"good","label":{"en":"Good"}}]}]})";
  const std::vector<std::vector<std::string>> commands = {
      {"count"},
      {"import", "--survey", "demo", survey},
      {"survey", "create", survey},
      {"codes", "--survey", "demo", "--count", "1"},
      {"audit", "verify"},
      {"admin-token", "--rotate"},
      {"repair"},
  };
  for (const auto& args : commands) {
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 1) << args[0] << ": " << r.out;
    EXPECT_FALSE(fs::exists(data())) << args[0];
    EXPECT_FALSE(fs::exists(key())) << args[0];
  }
  // `init` makes both, once; then every command finds them, and a mistyped --data none.
  RunResult r = Run({"init"});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(Contains(r.out, "Created an empty database")) << r.out;
  EXPECT_EQ(Run({"init"}).exit_code, 1);
  const fs::path typo = dir_.path() / "dta";
  r = RunCandour({"count", "--data", typo.string(), "--key-file", key().string()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(Contains(r.out, "the data folder " + typo.string() + " is missing or empty"))
      << r.out;
  EXPECT_FALSE(fs::exists(typo));
  r = Run({"count"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, "");  // no survey until serve makes the demo one
  CandourProcess server(ServeArgs());
  ASSERT_NE(server.port(), 0) << server.output();
  EXPECT_EQ(server.Signal(SIGTERM), 0);
  EXPECT_EQ(CountDemo(), 0);
}

// --- Imports: once, and all or nothing ---

// `rows` rows for the demo survey in the current week (not yet published).
std::string ImportFile(size_t rows) {
  const std::string week = stats::IsoWeek(std::chrono::year_month_day{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())});
  std::string csv = "period,src,Q60\n";
  static const char* kAnswers[] = {"good", "fair", "poor"};
  for (size_t i = 0; i < rows; ++i) csv += week + ",paper," + kAnswers[i % 3] + "\n";
  return csv;
}

TEST_F(StoreSafetyTest, AFileIsImportedOnceUnlessForced) {
  ASSERT_EQ(Submit(0), 0);
  const fs::path file = dir_.path() / "paper.csv";
  std::ofstream(file) << ImportFile(60);
  RunResult r = Run({"import", "--survey", "demo", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = Run({"import", "--survey", "demo", file.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(Contains(r.out,
                       "was imported before (1 time, 60 rows in all, into \"demo\"); "
                       "nothing was stored"))
      << r.out;
  EXPECT_EQ(CountDemo(), 60);
  // The same rows under another name are the same file; one byte more is another.
  fs::copy_file(file, dir_.path() / "copy.csv");
  EXPECT_EQ(Run({"import", "--survey", "demo", (dir_.path() / "copy.csv").string()}).exit_code, 1);
  r = Run({"import", "--survey", "demo", "--force", file.string()});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(CountDemo(), 120);
  std::ofstream(file, std::ios::app) << ImportFile(1).substr(15);
  EXPECT_EQ(Run({"import", "--survey", "demo", file.string()}).exit_code, 0);
  EXPECT_EQ(CountDemo(), 181);
}

// Starts `candour ARGS`, waits until it prints `marker`, waits `delay` more, kills it with
// SIGKILL. Returns what it printed (empty if it never printed the marker).
std::string KillAfter(const std::vector<std::string>& args, const std::string& marker,
                      std::chrono::milliseconds delay) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return "";
  std::vector<std::string> strings = {CandourBinary()};
  strings.insert(strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  while (!Contains(out, marker)) {
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, 120'000) <= 0) break;
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  std::this_thread::sleep_for(delay);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(fds[0]);
  return Contains(out, marker) ? out : "";
}

TEST_F(StoreSafetyTest, ImportKilledPartWayStoresAllOrNothing) {
  constexpr long kRows = 200'000;
  ASSERT_EQ(Submit(0), 0);
  const fs::path file = dir_.path() / "large.csv";
  std::ofstream(file) << ImportFile(kRows);
  std::vector<std::string> import = {"import", "--survey", "demo", file.string()};
  const auto store = Store();
  import.insert(import.end(), store.begin(), store.end());
  // Killed at several points after the rows are validated: while sealing, while writing, while
  // syncing, while scrubbing. Each time either every row is stored or none is.
  long stored = 0;
  for (const int ms : {0, 150, 400, 800, 1500}) {
    const std::string out =
        KillAfter(import, "Storing 200000 responses", std::chrono::milliseconds(ms));
    ASSERT_FALSE(out.empty()) << "the import never reached its write";
    stored = CountDemo();
    std::cout << "[ figures ] killed " << ms << " ms into the write: " << stored
              << " rows stored\n";
    ASSERT_TRUE(stored == 0 || stored == kRows) << stored;
    if (stored == kRows) break;
  }
  // Afterwards the file goes in exactly once: again if nothing was stored, refused if all was.
  const RunResult again = RunCandour(import);
  if (stored == 0) {
    EXPECT_EQ(again.exit_code, 0) << again.out;
  } else {
    EXPECT_EQ(again.exit_code, 1) << again.out;
    EXPECT_TRUE(Contains(again.out, "was imported before")) << again.out;
  }
  EXPECT_EQ(CountDemo(), kRows);
}

}  // namespace
}  // namespace candour::testing
