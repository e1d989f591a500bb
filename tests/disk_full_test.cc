// A full disk, on the real binary (red-team style): the data folder on a small tmpfs of its
// own, filled by a filler file while clients keep submitting over HTTP. Nothing may abort or be
// lost: submissions get 503 with Retry-After, pages are still served, /readyz says not ready,
// and once the filler is removed the same process takes submissions again; after a restart
// `candour count` finds exactly the responses acknowledged. A restart while the disk is still
// full must say so clearly. Needs root (mount); skipped otherwise.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include "crypto/data_key.h"
#include "store/errc.h"
#include "store/store.h"
#include "tests/http_client.h"
#include "tests/process.h"
#include "tests/temp_dir.h"

namespace candour::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr char kDiskFullAnswer[] = R"({"answers":{"Q60":"fair"},"src":"diskfull"})";

uint64_t FreeBytes(const fs::path& dir) {
  struct statvfs st {};
  return ::statvfs(dir.c_str(), &st) == 0 ? static_cast<uint64_t>(st.f_bavail) * st.f_frsize : 0;
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) {
      GTEST_SKIP() << "needs root: mounts a small tmpfs (mount -t tmpfs) to fill a disk for real";
    }
    disk_ = tmp_.path() / "disk";
    fs::create_directories(disk_);
    ASSERT_EQ(::mount("tmpfs", disk_.c_str(), "tmpfs", 0, "size=24m,mode=0700"), 0)
        << "mount -t tmpfs failed as root: " << std::strerror(errno);
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) ::umount2(disk_.c_str(), MNT_DETACH);
  }

  std::vector<std::string> Args() const {
    return {"--data",           (disk_ / "data").string(),
            "--key-file",       (tmp_.path() / "data.key").string(),
            "--listen",         "127.0.0.1:0",
            "--demo-responses", "0",
            "--rate-limit",     "100000000"};
  }
  RunResult Count() const {
    return RunCandour({"count", "--data", (disk_ / "data").string(), "--key-file",
                       (tmp_.path() / "data.key").string()});
  }
  long CountDemo(RunResult* result) const {
    *result = Count();
    std::smatch m;
    static const std::regex kDemo(R"((^|\n)demo (\d+)\n)");
    return std::regex_search(result->out, m, kDemo) ? std::stol(m[2]) : -1;
  }

  // Takes every free byte of the tmpfs with one file (allocated, not sparse).
  void Fill() {
    const int fd = ::open((disk_ / "filler").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ASSERT_GE(fd, 0);
    off_t offset = ::lseek(fd, 0, SEEK_END);
    for (off_t chunk : {off_t{1} << 20, off_t{64} << 10, off_t{4} << 10}) {
      while (::fallocate(fd, 0, offset, chunk) == 0) offset += chunk;
    }
    ::close(fd);
    EXPECT_LT(FreeBytes(disk_), 4096u);
  }
  void Free() { fs::remove(disk_ / "filler"); }

  // Submits from `clients` threads until `until` says stop (checked after every reply) or 60 s
  // pass (a guard against a hang, not a timing under test). Counts every 2xx in acked_.
  std::map<int, long> Submit(uint16_t port, int clients,
                             const std::function<bool(const std::map<int, long>&)>& until) {
    std::mutex mu;
    std::map<int, long> statuses;
    std::atomic<bool> stop{false};
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    std::vector<std::thread> threads;
    for (int t = 0; t < clients; ++t) {
      threads.emplace_back([&] {
        HttpClient client(port);
        while (!stop && Clock::now() < deadline) {
          const HttpReply r = client.PostJson("/s/demo/responses", kDiskFullAnswer);
          if (r.status / 100 == 2) ++acked_;
          if (r.status == 503) {
            std::lock_guard lock(mu);
            last_503_ = r;
          }
          std::lock_guard lock(mu);
          ++statuses[r.status];
          if (until(statuses)) stop = true;
        }
      });
    }
    for (auto& t : threads) t.join();
    return statuses;
  }

  TempDir tmp_{"diskfull"};
  fs::path disk_;
  bool mounted_ = false;
  std::atomic<long> acked_{0};
  HttpReply last_503_;
};

TEST_F(DiskFullTest, FullDiskRefusesWith503ServesPagesRecoversAndLosesNothing) {
  auto server = std::make_unique<CandourProcess>(Args());
  ASSERT_NE(server->port(), 0) << server->output();
  const uint16_t port = server->port();
  HttpClient client(port);
  ASSERT_TRUE(fs::exists(disk_ / "data" / "candour-space-reserve")) << "no reserve was made";
  std::string token = Slurp(tmp_.path() / "candour-admin-token");
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  const std::map<std::string, std::string> admin = {{"Authorization", "Bearer " + token}};

  auto before = Submit(port, 4, [](const auto& s) { return s.count(201) && s.at(201) >= 400; });
  EXPECT_EQ(before.size(), 1u) << "only 201s while there is room";
  // The results page, built before the disk fills (its first request starts the build).
  HttpReply results;
  for (int i = 0; i < 600 && results.status != 200; ++i) {
    results = client.Get("/r/demo");
    if (results.status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(results.status, 200) << results.body;

  // The disk fills while clients keep submitting.
  Fill();
  auto full = Submit(port, 4, [](const auto& s) { return s.count(503) && s.at(503) >= 200; });
  std::cout << "[ figures  ] while filling: ";
  for (const auto& [status, n] : full) std::cout << status << " x" << n << " ";
  std::cout << "\n";
  ASSERT_GE(full[503], 200) << "the full disk never refused a submission";
  EXPECT_EQ(full.count(500), 0u) << "a full disk is a 503, not a 500";
  EXPECT_EQ(full.count(0), 0u) << "the server dropped connections (did it abort?)";
  EXPECT_EQ(last_503_.Header("retry-after"), "60");
  auto body = boost::json::parse(last_503_.body).as_object();
  EXPECT_NE(std::string(body.at("error").as_string()).find("disk is full"), std::string::npos)
      << last_503_.body;
  const HttpReply form = client.PostForm("/s/demo/responses", "Q60=fair&lang=en");
  EXPECT_EQ(form.status, 503);
  EXPECT_NE(form.body.find("disk is full"), std::string::npos) << form.body;
  EXPECT_EQ(form.Header("retry-after"), "60");

  // Alive, not ready; pages and results are still served.
  EXPECT_EQ(client.Get("/healthz").status, 200);
  const HttpReply ready = client.Get("/readyz");
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(ready.body, "not ready\n");
  EXPECT_EQ(client.Get("/s/demo").status, 200);
  EXPECT_EQ(client.Get("/").status, 200);
  EXPECT_EQ(client.Get("/r/demo").status, 200);
  EXPECT_EQ(client.Get("/api/surveys/demo/results").status, 200);
  const HttpReply metrics = client.Get("/metrics", admin);
  EXPECT_NE(metrics.body.find("\ncandour_disk_full 1\n"), std::string::npos) << metrics.body;
  std::smatch m;
  static const std::regex kRefusals(R"(\ncandour_disk_full_refusals_total (\d+)\n)");
  ASSERT_TRUE(std::regex_search(metrics.body, m, kRefusals)) << metrics.body;
  EXPECT_GE(std::stol(m[1]), full[503] + 1);

  // Space returns: the same process takes submissions again by itself.
  Free();
  auto freed = Submit(port, 4, [](const auto& s) { return s.count(201) && s.at(201) >= 300; });
  ASSERT_GE(freed[201], 300) << "no submission was taken after space returned";
  EXPECT_EQ(freed.count(500), 0u);
  EXPECT_EQ(client.Get("/readyz").status, 200);
  EXPECT_TRUE(fs::exists(disk_ / "data" / "candour-space-reserve")) << "reserve not re-made";
  EXPECT_NE(client.Get("/metrics", admin).body.find("\ncandour_disk_full 0\n"), std::string::npos);

  EXPECT_EQ(server->Signal(SIGTERM), 0) << server->output();
  const std::string& out = server->output();
  EXPECT_NE(out.find("candour: disk full: "), std::string::npos) << out;
  EXPECT_NE(out.find("candour: disk space returned: "), std::string::npos) << out;
  EXPECT_EQ(out.find("Q60"), std::string::npos) << "an answer reached the operator's log";

  RunResult count;
  const long stored = CountDemo(&count);
  ASSERT_EQ(count.exit_code, 0) << count.out;
  std::cout << "[ figures  ] acknowledged " << acked_ << ", stored " << stored << " (before "
            << before[201] << ", while full " << full[201] << ", after " << freed[201] << ")\n";
  EXPECT_EQ(stored, acked_.load());

  // Restarted and serving again.
  server = std::make_unique<CandourProcess>(Args());
  ASSERT_NE(server->port(), 0) << server->output();
  EXPECT_EQ(HttpClient(server->port()).PostJson("/s/demo/responses", kDiskFullAnswer).status, 201);
  ++acked_;
  EXPECT_EQ(server->Signal(SIGTERM), 0) << server->output();
  EXPECT_EQ(CountDemo(&count), acked_.load()) << count.out;
}

// Stopped on a full disk and started again before space returns: the start uses the reserve,
// says the disk is full and serves pages while refusing submissions, or refuses to start with
// a message that says so; never an abort, never a lost response.
TEST_F(DiskFullTest, RestartOnAFullDiskSaysSoAndLosesNothing) {
  {
    CandourProcess server(Args());
    ASSERT_NE(server.port(), 0) << server.output();
    Submit(server.port(), 2, [](const auto& s) { return s.count(201) && s.at(201) >= 200; });
    Fill();
    auto full = Submit(server.port(), 2, [](const auto& s) { return s.count(503) >= 1; });
    ASSERT_GE(full[503], 1);
    EXPECT_EQ(server.Signal(SIGTERM), 0) << server.output();
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    Fill();  // whatever the last stop gave back is taken again
    CandourProcess again(Args());
    if (again.port() != 0) {
      HttpClient client(again.port());
      EXPECT_NE(again.output().find("disk full"), std::string::npos) << again.output();
      EXPECT_EQ(client.Get("/readyz").status, 503);
      EXPECT_EQ(client.Get("/s/demo").status, 200);
      const HttpReply refused = client.PostJson("/s/demo/responses", kDiskFullAnswer);
      EXPECT_EQ(refused.status, 503) << refused.body;
      EXPECT_EQ(again.Signal(SIGTERM), 0) << again.output();
      std::cout << "[ figures  ] restart " << attempt << " on the full disk: serving, refusing\n";
    } else {
      const int code = again.Signal(0);
      EXPECT_EQ(code, 1) << "not a clean refusal (134 is an abort): " << again.output();
      EXPECT_NE(again.output().find("full"), std::string::npos) << again.output();
      std::cout << "[ figures  ] restart " << attempt
                << " on the full disk refused: " << again.output() << "\n";
    }
  }
  Free();
  CandourProcess after(Args());
  ASSERT_NE(after.port(), 0) << after.output();
  auto later =
      Submit(after.port(), 2, [](const auto& s) { return s.count(201) && s.at(201) >= 50; });
  EXPECT_GE(later[201], 50);
  EXPECT_EQ(after.Signal(SIGTERM), 0) << after.output();
  RunResult count;
  EXPECT_EQ(CountDemo(&count), acked_.load()) << count.out;
}

// When something else fills the disk so fast that RocksDB's own write meets ENOSPC (a write
// larger than the free space and the reserve together stands for that race), RocksDB stops;
// the store resumes it once space returns, with or without data in its memtables (after a
// scrub they are empty, and resuming then would leave RocksDB on its failed log, where Debian's
// build aborts on the next append). Nothing acknowledged is lost; the failed write is not kept.
TEST_F(DiskFullTest, StoreResumesRocksDbAfterItMetTheFullDiskItself) {
  for (const bool scrubbed : {false, true}) {
    SCOPED_TRACE(scrubbed ? "after a scrub" : "with writes in the memtables");
    const fs::path data = disk_ / (scrubbed ? "scrubbed" : "data");
    std::array<uint8_t, crypto::DataKey::kBytes> bytes{};
    bytes.fill(3);
    std::vector<std::string> lines;
    std::mutex lines_mu;
    auto opened = store::Store::Open({.dir = data,
                                      .create = true,
                                      .space_reserve_bytes = uint64_t{1} << 20,
                                      .space_log =
                                          [&](std::string_view line) {
                                            std::lock_guard lock(lines_mu);
                                            lines.emplace_back(line);
                                          }},
                                     crypto::DataKey::FromBytes(bytes));
    ASSERT_TRUE(opened.has_value()) << opened.error().message();
    store::Store& s = **opened;
    ASSERT_FALSE(s.PutResponses("demo", std::vector<std::string>(100, "kept")));
    if (scrubbed) {
      ASSERT_FALSE(s.Scrub());
    }
    std::cout << "[ figures  ] " << (scrubbed ? "after a scrub" : "with writes in the memtables")
              << std::endl;
    // Leave a little more than the reserve free, then write more than both together.
    Fill();
    ::truncate((disk_ / "filler").c_str(),
               static_cast<off_t>(fs::file_size(disk_ / "filler") - (uint64_t{1} << 20) - 65536));
    const std::vector<std::string> big(48, std::string(64 << 10, 'x'));  // 3 MiB
    EXPECT_EQ(s.PutResponses("demo", big), store::Errc::kNoSpace);
    EXPECT_TRUE(s.Space().refusing);
    EXPECT_FALSE(s.Space().reserve_held);
    EXPECT_EQ(s.PutMeta("m", "refused"), store::Errc::kNoSpace);
    Free();
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (s.Space().refusing && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_FALSE(s.Space().refusing) << "the store did not take writes again; " << [&] {
      std::lock_guard lock(lines_mu);
      std::string all;
      for (const auto& l : lines) all += l + "\n";
      return all;
    }();
    EXPECT_FALSE(s.PutMeta("m", "after"));
    EXPECT_FALSE(s.PutResponses("demo", std::vector<std::string>(10, "kept")));
    opened->reset();
    auto again = store::Store::Open({.dir = data}, crypto::DataKey::FromBytes(bytes));
    ASSERT_TRUE(again.has_value()) << again.error().message();
    long kept = 0, other = 0;
    auto scanned = (*again)->ScanResponses([&](std::string_view, std::string_view plaintext) {
      (plaintext == "kept" ? kept : other)++;
    });
    ASSERT_TRUE(scanned.has_value());
    EXPECT_EQ(kept, 110);
    EXPECT_EQ(other, 0) << "the write that met the full disk was kept";
    EXPECT_EQ((*again)->GetMeta("m").value(), "after");
    std::lock_guard lock(lines_mu);
    std::string all;
    for (const auto& l : lines) all += l + "\n";
    EXPECT_NE(all.find("the database stopped writing"), std::string::npos) << all;
    EXPECT_NE(all.find("disk space returned"), std::string::npos) << all;
  }
}

}  // namespace
}  // namespace candour::testing
