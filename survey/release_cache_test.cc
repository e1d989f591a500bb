#include "survey/release_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <iostream>
#include <mutex>
#include <thread>

#include "store/errc.h"
#include "store/fault_store.h"
#include "survey/demo_data.h"
#include "survey/errc.h"
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

// Where a test holds a build: History.load passes through it, and while it is closed waits
// there until the test opens it, so that a build is observably slow.
class Gate {
 public:
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  void Open() {
    {
      std::lock_guard lock(mu_);
      closed_ = false;
    }
    changed_.notify_all();
  }
  // Called by load: counts the call, then waits while the gate is closed.
  void Pass() {
    std::unique_lock lock(mu_);
    ++entered_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return !closed_; });
  }
  // Waits until load has been called `n` times in all; false after 10 s.
  bool WaitEntered(int n) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return entered_ >= n; });
  }
  int entered() {
    std::lock_guard lock(mu_);
    return entered_;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool closed_ = false;
  int entered_ = 0;
};

// A release cache over the store's history, as the server wires it, on a real RocksDB behind a
// FaultStore, with a survey that has a year of synthetic responses.
class ReleaseCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::array<uint8_t, crypto::DataKey::kBytes> key{};
    key.fill(5);
    auto opened =
        store::Store::Open({.dir = dir_, .create = true}, crypto::DataKey::FromBytes(key));
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
    cache_ = std::make_unique<ResultsCache>(stats::ReleaseOptions{}, GatedHistory(), &incidents_);
  }
  // The store's history, with load passing through gate_ first.
  ResultsCache::History GatedHistory() {
    ResultsCache::History history = StoreHistory(*store_);
    history.load = [this, load = history.load](const std::string& id) {
      gate_.Pass();
      return load(id);
    };
    return history;
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
  // What the non-blocking Get answers, and whether it answered before returning.
  ResultsCache::ReleaseResult GetAtOnce(std::chrono::sys_days day) {
    std::optional<ResultsCache::ReleaseResult> answer;
    cache_->Get(survey_, indexes_, day, [&](ResultsCache::ReleaseResult r) { answer = r; });
    EXPECT_TRUE(answer.has_value()) << "Get did not answer at once";
    return answer.value_or(ResultsCache::ReleaseResult(survey::Errc::kCancelled));
  }

  const TempDir temp_{"release"};
  const fs::path dir_ = temp_.path();
  std::unique_ptr<store::FaultStore> store_;
  std::shared_ptr<const Survey> survey_;
  SurveyIndexes indexes_;
  std::vector<std::string> log_;
  Incidents incidents_{[this](std::string_view line) { log_.emplace_back(line); }};
  Gate gate_;
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

TEST_F(ReleaseCacheTest, TheFirstReleaseIsBeingPreparedUntilItIsBuilt) {
  gate_.Close();
  EXPECT_EQ(GetAtOnce(kDay1).error(), survey::Errc::kPreparing);
  ASSERT_TRUE(gate_.WaitEntered(1));
  // Asked again while it is built: the same answer, and no second build.
  EXPECT_EQ(GetAtOnce(kDay1).error(), survey::Errc::kPreparing);
  EXPECT_EQ(StoredHistory(), std::nullopt);
  gate_.Open();
  cache_->Drain();
  auto release = GetAtOnce(kDay1);
  ASSERT_TRUE(release.has_value()) << release.error().message();
  EXPECT_EQ(gate_.entered(), 1);
  auto saved = StoreHistory(store_->inner()).load(survey_->id);
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(*saved, (*release)->Published());  // saved before it was served
  EXPECT_EQ(GetAtOnce(kDay1).value(), *release);
  EXPECT_TRUE(log_.empty());
}

TEST_F(ReleaseCacheTest, ThePreviousReleaseIsServedWhileTheNextIsBuilt) {
  auto day1 = Get(kDay1);
  ASSERT_TRUE(day1.has_value()) << day1.error().message();
  const auto day1_history = StoredHistory();

  gate_.Close();
  auto meanwhile = GetAtOnce(kDay2);  // answered before the gate opens
  ASSERT_TRUE(meanwhile.has_value()) << meanwhile.error().message();
  EXPECT_EQ(*meanwhile, *day1);
  ASSERT_TRUE(gate_.WaitEntered(2));  // day 2's build has begun, and waits
  EXPECT_EQ(GetAtOnce(kDay2).value(), *day1);
  EXPECT_EQ(StoredHistory(), day1_history);
  gate_.Open();
  cache_->Drain();

  auto day2 = GetAtOnce(kDay2);
  ASSERT_TRUE(day2.has_value()) << day2.error().message();
  EXPECT_NE(*day2, *day1);
  EXPECT_EQ(gate_.entered(), 2);  // one build for day 2, however often it was asked for
  auto saved = StoreHistory(store_->inner()).load(survey_->id);
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(*saved, (*day2)->Published());
  EXPECT_EQ(Get(kDay2).value(), *day2);
}

TEST_F(ReleaseCacheTest, ANewVersionIsServedItsPredecessorsReleaseWhileItsOwnIsBuilt) {
  auto v1 = Get(kDay1);
  ASSERT_TRUE(v1.has_value()) << v1.error().message();
  Survey next = *survey_;
  next.version = survey_->version + 1;
  auto v2_survey = std::make_shared<const Survey>(std::move(next));
  gate_.Close();
  std::optional<ResultsCache::ReleaseResult> meanwhile;
  cache_->Get(v2_survey, indexes_, kDay1, [&](ResultsCache::ReleaseResult r) { meanwhile = r; });
  ASSERT_TRUE(meanwhile.has_value());
  EXPECT_EQ(meanwhile->value(), *v1);
  gate_.Open();
  auto v2 = cache_->GetNow(v2_survey, indexes_, kDay1);
  ASSERT_TRUE(v2.has_value()) << v2.error().message();
  EXPECT_NE(*v2, *v1);
}

TEST_F(ReleaseCacheTest, WithoutAnyReleaseAHistoryFailureIsReportedAndTriedAgain) {
  store_->Inject(Fault(Op::kGetMeta).Keys("published/"));
  EXPECT_EQ(GetAtOnce(kDay1).error(), survey::Errc::kPreparing);
  cache_->Drain();
  EXPECT_EQ(store_->failed(Op::kGetMeta), 1u);
  for (uint64_t attempt = 2; attempt <= 3; ++attempt) {
    // Refused as before (the results are not available), and built again in the background.
    EXPECT_EQ(GetAtOnce(kDay1).error(), Errc::kIo);
    cache_->Drain();
    EXPECT_EQ(store_->failed(Op::kGetMeta), attempt);
  }
  EXPECT_EQ(incidents_.count(Incident::kHistoryReadFailed), 3u);
  EXPECT_EQ(StoredHistory(), std::nullopt);

  store_->Clear();
  EXPECT_EQ(GetAtOnce(kDay1).error(), Errc::kIo);  // the last attempt's outcome, tried again
  cache_->Drain();
  auto release = GetAtOnce(kDay1);
  ASSERT_TRUE(release.has_value()) << release.error().message();
  EXPECT_TRUE(StoredHistory().has_value());
}

TEST_F(ReleaseCacheTest, AReleaseThatCannotBeSavedIsNotServedAndTheOneBeforeIs) {
  auto day1 = Get(kDay1);
  ASSERT_TRUE(day1.has_value()) << day1.error().message();
  store_->Inject(Fault(Op::kPutMeta).Keys("published/"));
  EXPECT_EQ(GetAtOnce(kDay2).value(), *day1);
  cache_->Drain();
  EXPECT_EQ(store_->failed(Op::kPutMeta), 1u);
  EXPECT_EQ(incidents_.count(Incident::kHistorySaveFailed), 1u);
  EXPECT_EQ(GetAtOnce(kDay2).value(), *day1);  // still day 1's; day 2's tried again
  cache_->Drain();
  EXPECT_EQ(store_->failed(Op::kPutMeta), 2u);
  store_->Clear();
  EXPECT_EQ(GetAtOnce(kDay2).value(), *day1);
  cache_->Drain();
  EXPECT_NE(GetAtOnce(kDay2).value(), *day1);
}

TEST_F(ReleaseCacheTest, StopDuringABuildReturnsAtOnceAndNothingIsCachedOrSaved) {
  gate_.Close();
  EXPECT_EQ(GetAtOnce(kDay1).error(), survey::Errc::kPreparing);
  ASSERT_TRUE(gate_.WaitEntered(1));
  // A tool waiting for that build, and one for a build that is only queued.
  auto waiting = std::async(std::launch::async, [&] { return Get(kDay1); });
  Survey other = *survey_;
  other.id = "other";
  auto other_survey = std::make_shared<const Survey>(std::move(other));
  auto queued =
      std::async(std::launch::async, [&] { return cache_->GetNow(other_survey, indexes_, kDay1); });
  // On any failure below, the waiters are answered before the futures wait for them.
  struct Release {
    ResultsCache& cache;
    Gate& gate;
    ~Release() {
      cache.Stop();
      gate.Open();
    }
  } release_on_exit{*cache_, gate_};
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // both are waiting

  const auto start = std::chrono::steady_clock::now();
  cache_->Stop();  // while the build is still held in load
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  ASSERT_EQ(queued.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(queued.get().error(), survey::Errc::kCancelled);  // dropped without a build
  EXPECT_EQ(Get(kDay1).error(), survey::Errc::kCancelled);    // nothing new after Stop
  EXPECT_EQ(GetAtOnce(kDay1).error(), survey::Errc::kPreparing);

  gate_.Open();
  cache_->Drain();
  EXPECT_EQ(waiting.get().error(), survey::Errc::kCancelled);
  EXPECT_EQ(gate_.entered(), 1);  // the other survey was never built
  EXPECT_EQ(StoredHistory(), std::nullopt);
  EXPECT_EQ(store_->inner().GetMeta("published/other").value(), std::nullopt);
  EXPECT_EQ(GetAtOnce(kDay1).error(), survey::Errc::kPreparing);  // nothing cached
  EXPECT_TRUE(log_.empty());
}

TEST_F(ReleaseCacheTest, StopCancelsARunningBuildThroughTheFlag) {
  // The whole template over a few hundred responses: many tables with small counts to protect,
  // a build of a second or more.
  const Survey demo = *ParseSurvey(TrustAndConfidenceTemplate());
  auto full = std::make_shared<const Survey>(demo);
  SurveyIndexes indexes;
  for (const std::string& stored : DemoResponses(demo, kDay2, 1000)) {
    auto decoded = DecodeStored(stored);
    ASSERT_TRUE(decoded.has_value());
    indexes.Add(demo, decoded->period, decoded->src, decoded->answers);
  }
  auto waiting =
      std::async(std::launch::async, [&] { return cache_->GetNow(full, indexes, kDay1); });
  ASSERT_TRUE(gate_.WaitEntered(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // past load, into the build
  const auto start = std::chrono::steady_clock::now();
  cache_->Stop();
  cache_->Drain();
  const auto stopped = std::chrono::steady_clock::now() - start;
  EXPECT_LT(stopped, std::chrono::seconds(2));
  // Had the build finished before Stop, the tool would have its release, and it was saved.
  EXPECT_EQ(waiting.get().error(), survey::Errc::kCancelled);
  EXPECT_EQ(store_->inner().GetMeta("published/" + demo.id).value(), std::nullopt);
  std::cout << "[ figures  ] build cancelled "
            << std::chrono::duration_cast<std::chrono::milliseconds>(stopped).count()
            << " ms after Stop\n";
  // Destroying a cache whose build is under way cancels it too.
  auto another = std::make_unique<ResultsCache>();
  std::optional<ResultsCache::ReleaseResult> first;
  another->Get(full, indexes, kDay1, [&](ResultsCache::ReleaseResult r) { first = r; });
  EXPECT_EQ(first->error(), survey::Errc::kPreparing);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto destroying = std::chrono::steady_clock::now();
  another.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - destroying, std::chrono::seconds(2));
}

TEST_F(ReleaseCacheTest, ACancelledBuildReturnsACancelledRelease) {
  std::optional<stats::ResponseIndex> index;
  indexes_.Read(survey_->id, [&](const stats::ResponseIndex& i) { index = i; });
  ASSERT_TRUE(index.has_value());
  const std::atomic<bool> cancel{true};
  const stats::Release cancelled =
      stats::BuildRelease(ReleaseSpecOf(*survey_, kDay1), *index, {.cancel = &cancel});
  EXPECT_TRUE(cancelled.cancelled());
  const stats::Release whole = stats::BuildRelease(ReleaseSpecOf(*survey_, kDay1), *index, {});
  EXPECT_FALSE(whole.cancelled());
}

}  // namespace
}  // namespace candour::survey
