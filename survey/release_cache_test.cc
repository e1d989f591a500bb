#include "survey/release_cache.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/errc.h"
#include "store/fault_store.h"
#include "survey/demo_data.h"
#include "survey/stored_response.h"
#include "survey/template.h"
#include "tests/temp_dir.h"

namespace candour::survey {
namespace {

namespace fs = std::filesystem;
using candour::testing::TempDir;
using store::Errc;
using store::Fault;
using store::Op;

constexpr std::chrono::sys_days kDay1{std::chrono::year{2026} / 3 / 4};
constexpr std::chrono::sys_days kDay2 = kDay1 + std::chrono::days{14};

// A release cache over the store's history, as the server wires it, on a real RocksDB behind a
// FaultStore, with a survey that has a year of synthetic responses.
class ReleaseCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::array<uint8_t, crypto::DataKey::kBytes> key{};
    key.fill(5);
    auto opened = store::Store::Open({.dir = dir_}, crypto::DataKey::FromBytes(key));
    ASSERT_TRUE(opened.has_value()) << opened.error().message();
    store_ = std::make_unique<store::FaultStore>(std::move(*opened));
    const Survey demo = *ParseSurvey(TrustAndConfidenceTemplate());
    // One measure by one dimension: a release that builds in milliseconds, with a history.
    Survey small = demo;
    std::erase_if(small.questions,
                  [](const Question& q) { return q.id != "Q60" && q.id != "age"; });
    std::erase_if(small.measures, [](const Measure& m) { return m.question != "Q60"; });
    small.crosstabs.clear();
    ASSERT_EQ(small.questions.size(), 2u);
    ASSERT_FALSE(small.measures.empty());
    survey_ = std::make_shared<const Survey>(std::move(small));
    for (const std::string& stored : DemoResponses(demo, kDay2, 400)) {
      auto decoded = DecodeStored(stored);
      ASSERT_TRUE(decoded.has_value());
      indexes_.Add(*survey_, decoded->period, decoded->src, decoded->answers);
    }
    cache_ =
        std::make_unique<ResultsCache>(stats::ReleaseOptions{}, StoreHistory(*store_), &incidents_);
  }
  void TearDown() override {
    cache_.reset();
    store_.reset();
  }

  std::string HistoryKey() const { return "published/" + survey_->id; }
  std::optional<std::string> StoredHistory() {
    return store_->inner().GetMeta(HistoryKey()).value();
  }
  ResultsCache::ReleaseResult Get(std::chrono::sys_days day) {
    return cache_->GetNow(survey_, indexes_, day);
  }

  const TempDir temp_{"release"};
  const fs::path dir_ = temp_.path();
  std::unique_ptr<store::FaultStore> store_;
  std::shared_ptr<const Survey> survey_;
  SurveyIndexes indexes_;
  std::vector<std::string> log_;
  Incidents incidents_{[this](std::string_view line) { log_.emplace_back(line); }};
  std::unique_ptr<ResultsCache> cache_;
};

TEST_F(ReleaseCacheTest, PublishesAndSavesItsHistory) {
  auto release = Get(kDay1);
  ASSERT_TRUE(release.has_value()) << release.error().message();
  EXPECT_FALSE((*release)->Published().empty());
  auto saved = StoreHistory(store_->inner()).load(survey_->id);
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(*saved, (*release)->Published());
  EXPECT_TRUE(log_.empty());
}

TEST_F(ReleaseCacheTest, NoReleaseWhileTheHistoryCannotBeRead) {
  store_->Inject(Fault(Op::kGetMeta).Keys("published/"));
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto release = Get(kDay1);
    ASSERT_FALSE(release.has_value());
    EXPECT_EQ(release.error(), Errc::kIo);
    EXPECT_EQ(store_->failed(Op::kGetMeta), static_cast<uint64_t>(attempt));  // tried again
  }
  EXPECT_EQ(StoredHistory(), std::nullopt);  // nothing saved from a release never published
  EXPECT_EQ(incidents_.count(Incident::kHistoryReadFailed), 2u);
  ASSERT_FALSE(log_.empty());
  EXPECT_NE(log_[0].find("incident history_read_failed: survey " + survey_->id), std::string::npos)
      << log_[0];

  store_->Clear();
  auto release = Get(kDay1);
  ASSERT_TRUE(release.has_value()) << release.error().message();
  EXPECT_TRUE(StoredHistory().has_value());
}

TEST_F(ReleaseCacheTest, NoReleaseOverADamagedHistoryWhichIsKeptAsItIs) {
  for (const std::string damaged :
       {"{\"q|||all|yes\": 12", "[1, 2]", "{\"a\": \"12\"}", "{\"a\": -3}", "{\"a\": 1.5}"}) {
    ASSERT_FALSE(store_->inner().PutMeta(HistoryKey(), damaged));
    auto release = Get(kDay1);
    ASSERT_FALSE(release.has_value()) << damaged;
    EXPECT_EQ(release.error(), Errc::kCorrupt) << damaged;
    // Never replaced by a history that forgets what the damaged one held: the operator repairs
    // it (or restores a backup).
    EXPECT_EQ(StoredHistory(), damaged);
  }
  EXPECT_EQ(incidents_.count(Incident::kHistoryReadFailed), 5u);
}

TEST_F(ReleaseCacheTest, NoReleaseWhenItsHistoryCannotBeSavedUntilItCan) {
  auto first = Get(kDay1);
  ASSERT_TRUE(first.has_value()) << first.error().message();
  const auto day1_history = StoredHistory();
  ASSERT_TRUE(day1_history.has_value());

  store_->Inject(Fault(Op::kPutMeta).Keys("published/"));
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto refused = Get(kDay2);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error(), Errc::kIo);
    EXPECT_EQ(store_->failed(Op::kPutMeta), static_cast<uint64_t>(attempt));
    EXPECT_EQ(StoredHistory(), day1_history);  // what day 1 published is neither lost nor changed
  }
  EXPECT_EQ(incidents_.count(Incident::kHistorySaveFailed), 2u);

  store_->Clear();
  auto second = Get(kDay2);
  ASSERT_TRUE(second.has_value()) << second.error().message();
  auto saved = StoreHistory(store_->inner()).load(survey_->id);
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(*saved, (*second)->Published());
  // Built on day 1's history, exactly as if the failed attempts had never happened.
  stats::ReleaseSpec spec = ReleaseSpecOf(*survey_, kDay2);
  spec.previous = (*first)->Published();
  std::optional<stats::ResponseIndex> index;
  indexes_.Read(survey_->id, [&](const stats::ResponseIndex& i) { index = i; });
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(stats::BuildRelease(spec, *index, {}).Published(), (*second)->Published());
}

TEST_F(ReleaseCacheTest, APublishedReleaseKeepsBeingServedWhileTheStoreFails) {
  auto first = Get(kDay1);
  ASSERT_TRUE(first.has_value()) << first.error().message();
  store_->Inject(Fault(Op::kGetMeta));
  store_->Inject(Fault(Op::kPutMeta));
  auto again = Get(kDay1);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *first);
  EXPECT_EQ(store_->failed(Op::kGetMeta) + store_->failed(Op::kPutMeta), 0u);

  // A refused release for a new day does not evict the one published.
  EXPECT_FALSE(Get(kDay2).has_value());
  auto day1 = Get(kDay1);
  ASSERT_TRUE(day1.has_value());
  EXPECT_EQ(*day1, *first);
}

}  // namespace
}  // namespace candour::survey
