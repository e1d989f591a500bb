#include "store/backup.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <future>
#include <thread>

#include "store/errc.h"
#include "tests/temp_dir.h"

namespace candour::store {
namespace {

namespace fs = std::filesystem;
using boost::system::error_code;
using candour::testing::TempDir;

crypto::DataKey Key() {
  std::array<uint8_t, crypto::DataKey::kBytes> bytes{};
  bytes.fill(9);
  return crypto::DataKey::FromBytes(bytes);
}

uint64_t Count(const fs::path& dir) {
  auto store = Store::Open({.dir = dir, .create = true}, Key());
  EXPECT_TRUE(store.has_value());
  if (!store) return 0;
  auto scanned = (*store)->ScanResponses([](std::string_view, std::string_view) {});
  EXPECT_TRUE(scanned.has_value());
  return scanned ? scanned->opened : 0;
}

TEST(StoreBackupTest, CheckpointWhileWritingHoldsEverySyncedWriteAndTheNamedFiles) {
  const TempDir temp("backup");
  const fs::path data = temp.path() / "data";
  {
    auto store = Store::Open({.dir = data, .create = true}, Key());
    ASSERT_TRUE(store.has_value());
    ASSERT_FALSE((*store)->PutResponses("s", std::vector<std::string>(500, "x")));
    std::ofstream(data / "audit.log") << "entry\n";
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> done{500};
    std::thread writer([&] {
      while (!stop) {
        if (!(*store)->PutResponses("s", {"y"})) ++done;
      }
    });
    while (done < 700) std::this_thread::yield();
    const uint64_t before = done;
    ASSERT_FALSE((*store)->Checkpoint(temp.path() / "b", {"audit.log", "absent"}));
    const uint64_t after = done;
    stop = true;
    writer.join();
    const uint64_t in_backup = Count(temp.path() / "b");
    EXPECT_GE(in_backup, before);
    EXPECT_LE(in_backup, after + 1);  // the write under way when the call returned
    std::ifstream copied(temp.path() / "b" / "audit.log");
    std::string line;
    EXPECT_TRUE(std::getline(copied, line));
    EXPECT_EQ(line, "entry");
    EXPECT_FALSE(fs::exists(temp.path() / "b" / "absent"));

    // Never into an existing folder, nor under a missing one.
    EXPECT_EQ((*store)->Checkpoint(temp.path() / "b", {}), Errc::kInvalid);
    EXPECT_EQ((*store)->Checkpoint(temp.path() / "no" / "b", {}), Errc::kInvalid);
  }
}

TEST(StoreBackupTest, RestoreCopyRenamesOnlyAfterTheCheckPasses) {
  const TempDir temp("restore");
  {
    auto store = Store::Open({.dir = temp.path() / "data", .create = true}, Key());
    ASSERT_TRUE(store.has_value());
    ASSERT_FALSE((*store)->PutResponses("s", std::vector<std::string>(3, "x")));
    ASSERT_FALSE((*store)->Checkpoint(temp.path() / "b", {}));
  }
  const auto ok = [](const fs::path& partial) -> error_code {
    EXPECT_EQ(partial.filename(), "r.partial");
    return {};
  };
  EXPECT_EQ(RestoreCopy(temp.path(), temp.path() / "r", ok), Errc::kInvalid);  // no backup
  EXPECT_EQ(RestoreCopy(temp.path() / "b", temp.path() / "data", ok), Errc::kInvalid);
  const auto refuse = [](const fs::path&) -> error_code { return Errc::kWrongKey; };
  EXPECT_EQ(RestoreCopy(temp.path() / "b", temp.path() / "r", refuse), Errc::kWrongKey);
  EXPECT_FALSE(fs::exists(temp.path() / "r"));
  EXPECT_FALSE(fs::exists(temp.path() / "r.partial"));
  ASSERT_FALSE(RestoreCopy(temp.path() / "b", temp.path() / "r", ok));
  EXPECT_EQ(Count(temp.path() / "r"), 3u);
}

TEST(StoreBackupTest, PruneKeepsTheNewestScheduledBackupsAndNothingElseIsTouched) {
  const TempDir temp("prune");
  for (const char* name : {"candour-2026-01-03", "candour-2025-12-31", "candour-2026-01-01",
                           "candour-2026-01-02", "candour-notadate", "mine"}) {
    fs::create_directories(temp.path() / name);
  }
  std::ofstream(temp.path() / "candour-2020-01-01");  // a file, not a backup folder
  const auto removed = PruneBackups(temp.path(), 2);
  EXPECT_EQ(removed, (std::vector<std::string>{"candour-2025-12-31", "candour-2026-01-01"}));
  for (const char* kept : {"candour-2026-01-02", "candour-2026-01-03", "candour-notadate", "mine",
                           "candour-2020-01-01"}) {
    EXPECT_TRUE(fs::exists(temp.path() / kept)) << kept;
  }
  EXPECT_EQ(BackupName(std::chrono::sys_days(std::chrono::year(2026) / 3 / 7)),
            "candour-2026-03-07");
}

}  // namespace
}  // namespace candour::store
