// Store::Open makes a database only on purpose (StoreOptions::create, the held-data marker),
// refuses a half-made one, and Store::Digest / PutResponsesAndMetas serve imports.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "store/data_folder.h"
#include "store/errc.h"
#include "store/store.h"
#include "tests/temp_dir.h"

namespace candour::store {
namespace {

namespace fs = std::filesystem;
using candour::testing::TempDir;

class OpenPolicyTest : public ::testing::Test {
 protected:
  OpenPolicyTest() { key_bytes_.fill(3); }
  crypto::DataKey Key() const { return crypto::DataKey::FromBytes(key_bytes_); }
  StoreOptions Options(bool create) const {
    return {.dir = dir(), .create = create, .held_data_marker = marker()};
  }
  fs::path dir() const { return tmp_.path() / "data"; }
  fs::path marker() const { return tmp_.path() / "key.held-data"; }

  TempDir tmp_{"open-policy"};
  std::array<uint8_t, crypto::DataKey::kBytes> key_bytes_{};
};

TEST_F(OpenPolicyTest, AMissingDatabaseIsMadeOnlyWhenAskedAndThenMarked) {
  auto refused = Store::Open(Options(false), Key());
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error(), Errc::kMissing);
  EXPECT_FALSE(fs::exists(dir()));
  EXPECT_FALSE(HeldDataMarked(marker()));
  auto made = Store::Open(Options(true), Key());
  ASSERT_TRUE(made.has_value()) << made.error().message();
  EXPECT_TRUE(HeldDataMarked(marker()));
  EXPECT_EQ(InspectFolder(dir()), FolderState::kDatabase);
}

TEST_F(OpenPolicyTest, AnEmptiedFolderIsRefusedWhileTheMarkerExists) {
  Store::Open(Options(true), Key()).value().reset();
  fs::remove_all(dir());
  fs::create_directories(dir() / "lost+found");  // a freshly made, mounted file system
  EXPECT_EQ(InspectFolder(dir()), FolderState::kEmpty);
  std::string detail;
  auto refused = Store::Open(Options(true), Key(), &detail);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error(), Errc::kEmptied);
  EXPECT_NE(detail.find(marker().string()), std::string::npos) << detail;
  EXPECT_FALSE(fs::exists(dir() / "CURRENT"));
}

TEST_F(OpenPolicyTest, FilesWithoutCurrentOrKeyCheckAreHalfMade) {
  fs::create_directories(dir());
  std::ofstream(dir() / "MANIFEST-000001") << "x";
  auto refused = Store::Open(Options(true), Key());
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error(), Errc::kIncomplete);
  EXPECT_TRUE(fs::exists(dir() / "MANIFEST-000001"));
  EXPECT_FALSE(fs::exists(dir() / "CURRENT"));
}

TEST_F(OpenPolicyTest, DigestsAreStableKeyedAndPerDatabase) {
  std::string first, second;
  {
    auto store = Store::Open(Options(true), Key()).value();
    first = store->Digest("period,src\n").value();
    EXPECT_EQ(first.size(), 64u);
    EXPECT_EQ(store->Digest("period,src\n").value(), first);
    EXPECT_NE(store->Digest("period,src\n\n").value(), first);
  }
  EXPECT_EQ(Store::Open(Options(false), Key()).value()->Digest("period,src\n").value(), first);
  // Another database has another secret, so the same bytes give another digest.
  auto other = Store::Open({.dir = tmp_.path() / "other", .create = true}, Key()).value();
  EXPECT_NE(other->Digest("period,src\n").value(), first);
}

TEST_F(OpenPolicyTest, ResponsesAndRecordsGoInTogether) {
  auto store = Store::Open(Options(true), Key()).value();
  EXPECT_EQ(store->PutResponsesAndMetas("s", {"a"}, {{"key-check/x", "v"}}), Errc::kInvalid);
  ASSERT_FALSE(store->PutResponsesAndMetas("s", {"a", "b"}, {{"import/x", "v"}}));
  EXPECT_EQ(store->GetMeta("import/x").value(), std::optional<std::string>("v"));
  uint64_t n = 0;
  ASSERT_TRUE(store->ScanResponses([&](std::string_view, std::string_view) { ++n; }));
  EXPECT_EQ(n, 2u);  // nothing of the refused batch
}

}  // namespace
}  // namespace candour::store
