#include "survey/audit_log.h"

#include <gtest/gtest.h>

#include <fstream>

#include "survey/errc.h"
#include "tests/temp_dir.h"

namespace candour::survey {
namespace {

namespace fs = std::filesystem;
using candour::testing::TempDir;

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::array<uint8_t, crypto::DataKey::kBytes> key{};
    auto store = store::Store::Open({.dir = dir_, .create = true}, crypto::DataKey::FromBytes(key));
    ASSERT_TRUE(store.has_value());
    store_ = std::move(*store);
  }
  const std::chrono::system_clock::time_point when_{std::chrono::seconds{1'790'000'000}};
  const TempDir temp_{"audit"};
  const fs::path dir_ = temp_.path();
  std::unique_ptr<store::Store> store_;
};

TEST_F(AuditLogTest, EntriesChainAndVerify) {
  AuditLog log(dir_, *store_);
  ASSERT_FALSE(log.Append(when_, "survey.create", "demo", "version 1"));
  ASSERT_FALSE(log.Append(when_, "codes.issue", "demo", "10 codes"));
  auto verified = AuditLog::Verify(dir_, *store_);
  ASSERT_TRUE(verified.has_value()) << verified.error();
  EXPECT_EQ(*verified, 2u);
}

TEST_F(AuditLogTest, ACutLogIsRefusedAsBroken) {
  {
    AuditLog log(dir_, *store_);
    ASSERT_FALSE(log.Append(when_, "survey.create", "demo", "version 1"));
  }
  std::ofstream(AuditLog::PathIn(dir_), std::ios::trunc).close();  // the entry is cut away
  AuditLog reopened(dir_, *store_);
  EXPECT_EQ(reopened.Append(when_, "survey.open", "demo", ""), Errc::kAuditLogBroken);
  auto verified = AuditLog::Verify(dir_, *store_);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().rfind("entry 1: missing", 0), 0u) << verified.error();
}

TEST_F(AuditLogTest, AnUnwritableFileIsAnIoError) {
  fs::create_directories(AuditLog::PathIn(dir_));  // a folder where the file should be
  AuditLog log(dir_, *store_);
  EXPECT_EQ(log.Append(when_, "survey.create", "demo", "version 1"), Errc::kAuditLogIo);
}

}  // namespace
}  // namespace candour::survey
