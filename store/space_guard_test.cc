// The store's refusal while its disk is full, without filling a disk (a reserve larger
// than the free space stands for it). tests/disk_full_test.cc fills a real tmpfs.
#include "store/space_guard.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <limits>
#include <thread>

#include "store/errc.h"
#include "store/store.h"
#include "tests/temp_dir.h"

namespace candour::store {
namespace {

namespace fs = std::filesystem;
using candour::testing::TempDir;

constexpr uint64_t kTestReserve = uint64_t{1} << 20;
// More than any test machine's free space: the guard sees a full disk.
constexpr uint64_t kMoreThanTheDisk = uint64_t{1} << 60;

crypto::DataKey TestKey() {
  std::array<uint8_t, crypto::DataKey::kBytes> bytes{};
  bytes.fill(9);
  return crypto::DataKey::FromBytes(bytes);
}

TEST(SpaceGuardTest, MakesItsReserveAndAdmitsWritesWhileThereIsRoom) {
  const TempDir dir("space");
  std::vector<std::string> lines;
  SpaceGuard guard({.dir = dir.path(),
                    .reserve_bytes = kTestReserve,
                    .log = [&](std::string_view line) { lines.emplace_back(line); }});
  guard.ReleaseIfLow();
  guard.Start([](std::string*) { return true; });
  const fs::path reserve = dir.path() / SpaceGuard::kReserveFileName;
  ASSERT_TRUE(fs::exists(reserve));
  EXPECT_EQ(fs::file_size(reserve), kTestReserve);
  EXPECT_TRUE(guard.Admit());
  const SpaceState state = guard.State();
  EXPECT_FALSE(state.refusing);
  EXPECT_TRUE(state.reserve_held);
  EXPECT_EQ(state.reserve_bytes, kTestReserve);
  EXPECT_GT(state.free_bytes, 0u);
  EXPECT_TRUE(lines.empty()) << lines.front();
  guard.Stop();
}

TEST(SpaceGuardTest, AutomaticReserveIsASixteenthOfTheDiskWithinBounds) {
  const TempDir dir("space");
  SpaceGuard guard({.dir = dir.path()});
  EXPECT_GE(guard.reserve_bytes(), uint64_t{1} << 20);
  EXPECT_LE(guard.reserve_bytes(), uint64_t{64} << 20);
}

TEST(SpaceGuardTest, NoSpaceFromTheDatabaseReleasesTheReserveAndResumesIt) {
  const TempDir dir("space");
  std::vector<std::string> lines;
  std::promise<void> resumed;
  SpaceGuard guard({.dir = dir.path(),
                    .reserve_bytes = kTestReserve,
                    .log = [&](std::string_view line) { lines.emplace_back(line); },
                    .poll = std::chrono::milliseconds(10)});
  // The guard's thread resumes the database, then re-makes the reserve: holding the resume
  // until the checks below are done keeps a fast thread (or a slow test, under a sanitizer)
  // from re-making it before they look.
  std::promise<void> looked;
  std::shared_future<void> looked_future = looked.get_future().share();
  guard.Start([&resumed, looked_future](std::string*) {
    looked_future.wait();
    resumed.set_value();
    return true;
  });
  guard.OnNoSpace("IO error: No space left on device");
  EXPECT_FALSE(fs::exists(dir.path() / SpaceGuard::kReserveFileName));
  EXPECT_FALSE(guard.Admit());
  looked.set_value();
  resumed.get_future().wait();
  // Room is plentiful here, so the guard re-makes the reserve and admits writes again.
  while (guard.State().refusing) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(guard.Admit());
  EXPECT_TRUE(fs::exists(dir.path() / SpaceGuard::kReserveFileName));
  guard.Stop();
  const SpaceState state = guard.State();
  EXPECT_EQ(state.full_episodes, 1u);
  EXPECT_EQ(state.refused_writes, 1u);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_TRUE(lines.front().starts_with("disk full: ")) << lines.front();
  EXPECT_TRUE(lines.back().starts_with("disk space returned: ")) << lines.back();
}

TEST(SpaceGuardTest, StoreRefusesEveryWriteOnAFullDiskAndKeepsReading) {
  const TempDir dir("space");
  const fs::path data = dir.path() / "data";
  {
    auto store =
        Store::Open({.dir = data, .create = true, .space_reserve_bytes = kTestReserve}, TestKey());
    ASSERT_TRUE(store.has_value()) << store.error().message();
    ASSERT_FALSE((*store)->PutMeta("m", "before"));
    EXPECT_FALSE((*store)->Space().refusing);
  }
  std::vector<std::string> lines;
  auto store = Store::Open({.dir = data,
                            .space_reserve_bytes = kMoreThanTheDisk,
                            .space_log = [&](std::string_view l) { lines.emplace_back(l); }},
                           TestKey());
  ASSERT_TRUE(store.has_value()) << store.error().message();
  Store& s = **store;
  EXPECT_TRUE(s.Space().refusing);
  EXPECT_EQ(s.PutMeta("m", "after"), Errc::kNoSpace);
  EXPECT_EQ(s.PutSurvey("x", "{}"), Errc::kNoSpace);
  EXPECT_EQ(s.PutResponses("x", {"a"}), Errc::kNoSpace);
  EXPECT_EQ(s.SubmitResponse("x", "a", [](boost::system::error_code) { FAIL(); }), Errc::kNoSpace);
  EXPECT_EQ(s.Scrub(), Errc::kNoSpace);
  EXPECT_EQ(s.GetMeta("m").value(), "before");
  EXPECT_GE(s.Space().refused_writes, 5u);
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines.front().find("disk full at start: "), std::string::npos) << lines.front();
  EXPECT_EQ(boost::system::error_code(Errc::kNoSpace).message(),
            "the disk holding the data folder is full (free space on it)");
}

}  // namespace
}  // namespace candour::store
