#include "store/fault_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <future>

#include "tests/temp_dir.h"

namespace candour::store {
namespace {

namespace fs = std::filesystem;
using boost::system::error_code;
using candour::testing::TempDir;

class FaultStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::array<uint8_t, crypto::DataKey::kBytes> key{};
    key.fill(9);
    auto opened = Store::Open({.dir = dir_, .create = true}, crypto::DataKey::FromBytes(key));
    ASSERT_TRUE(opened.has_value()) << opened.error().message();
    store_ = std::make_unique<FaultStore>(std::move(*opened));
  }

  const TempDir temp_{"fault"};
  const fs::path dir_ = temp_.path();
  std::unique_ptr<FaultStore> store_;
};

TEST_F(FaultStoreTest, WithoutFaultsEveryCallReachesTheRealStore) {
  ASSERT_FALSE(store_->PutMeta("a", "1"));
  ASSERT_FALSE(store_->PutSurvey("s", "{}"));
  EXPECT_EQ(store_->GetMeta("a").value(), "1");
  EXPECT_EQ(store_->inner().GetMeta("a").value(), "1");
  EXPECT_EQ(store_->GetSurvey("s").value(), "{}");
  EXPECT_EQ(store_->ListSurveys().value().size(), 1u);
  EXPECT_EQ(store_->failed(Op::kPutMeta), 0u);
}

TEST_F(FaultStoreTest, FailsTheNextNCallsThenRecovers) {
  store_->Inject(Fault(Op::kPutMeta).Times(2));
  EXPECT_EQ(store_->PutMeta("a", "1"), Errc::kIo);
  EXPECT_EQ(store_->PutMeta("a", "2"), Errc::kIo);
  EXPECT_FALSE(store_->PutMeta("a", "3"));
  EXPECT_EQ(store_->GetMeta("a").value(), "3");  // the failed writes wrote nothing
  EXPECT_EQ(store_->failed(Op::kPutMeta), 2u);
}

TEST_F(FaultStoreTest, FailsOnlyKeysWithThePrefixUntilCleared) {
  ASSERT_FALSE(store_->PutMeta("published/demo", "{}"));
  ASSERT_FALSE(store_->PutMeta("other", "x"));
  store_->Inject(Fault(Op::kGetMeta).Keys("published/").Error(Errc::kCorrupt));
  for (int i = 0; i < 3; ++i) {
    auto r = store_->GetMeta("published/demo");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Errc::kCorrupt);
  }
  EXPECT_EQ(store_->GetMeta("other").value(), "x");
  store_->Clear();
  EXPECT_EQ(store_->GetMeta("published/demo").value(), "{}");
  EXPECT_EQ(store_->failed(Op::kGetMeta), 3u);
}

TEST_F(FaultStoreTest, ABatchFailsWholeWhenAnyKeyMatches) {
  store_->Inject(Fault(Op::kPutMetas).Keys("b"));
  EXPECT_EQ(store_->PutMetas({{"a", "1"}, {"b", "2"}}), Errc::kIo);
  EXPECT_EQ(store_->GetMeta("a").value(), std::nullopt);
  EXPECT_FALSE(store_->PutMetas({{"a", "1"}, {"c", "3"}}));
  EXPECT_EQ(store_->GetMeta("a").value(), "1");
}

TEST_F(FaultStoreTest, SubmitResponseFailsUpFrontOrThroughDone) {
  store_->Inject(Fault(Op::kSubmitResponse).Times(1).Error(Errc::kOverloaded));
  bool called = false;
  EXPECT_EQ(store_->SubmitResponse("s", "r1", [&](error_code) { called = true; }),
            Errc::kOverloaded);
  EXPECT_FALSE(called);

  store_->Inject(Fault(Op::kSubmitResponse).Times(1).ThroughDone());
  error_code reported;
  EXPECT_FALSE(store_->SubmitResponse("s", "r2", [&](error_code ec) { reported = ec; }));
  EXPECT_EQ(reported, Errc::kIo);

  std::promise<error_code> synced;
  ASSERT_FALSE(store_->SubmitResponse("s", "r3", [&](error_code ec) { synced.set_value(ec); }));
  EXPECT_FALSE(synced.get_future().get());
  std::vector<std::string> stored;
  ASSERT_TRUE(store_
                  ->ScanResponses([&](std::string_view, std::string_view plaintext) {
                    stored.emplace_back(plaintext);
                  })
                  .has_value());
  EXPECT_EQ(stored, std::vector<std::string>{"r3"});  // only the response that was acknowledged
}

TEST_F(FaultStoreTest, KeylessCallsMatchOnlyTheEmptyPrefix) {
  store_->Inject(Fault(Op::kScanResponses).Keys("x"));
  EXPECT_TRUE(store_->ScanResponses([](std::string_view, std::string_view) {}).has_value());
  store_->Inject(Fault(Op::kScanResponses).Times(1));
  auto r = store_->ScanResponses([](std::string_view, std::string_view) {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), Errc::kIo);
  store_->Inject(Fault(Op::kScrub).Times(1));
  EXPECT_EQ(store_->Scrub(), Errc::kIo);
  EXPECT_FALSE(store_->Scrub());
}

}  // namespace
}  // namespace candour::store
