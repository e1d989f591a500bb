#include "survey/submissions.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <future>
#include <set>
#include <thread>

#include "store/errc.h"
#include "store/fault_store.h"
#include "survey/organiser.h"
#include "tests/temp_dir.h"

namespace candour::survey {
namespace {

namespace fs = std::filesystem;
using candour::testing::TempDir;
namespace json = boost::json;
using Status = SubmitOutcome::Status;

// Thursday 15 January 2026, 10:20 UTC.
const std::chrono::system_clock::time_point kNow =
    std::chrono::sys_days{std::chrono::year{2026} / 1 / 15} + std::chrono::hours{10} +
    std::chrono::minutes{20};

constexpr char kDefinition[] = R"({"id":"wave","languages":["en"],"title":{"en":"Wave"},
  "period":"month","questions":[
    {"id":"mood","type":"single","text":{"en":"How is it?"},"options":[
      {"id":"good","label":{"en":"Good"}},{"id":"bad","label":{"en":"Bad"}}]},
    {"id":"why","type":"text","text":{"en":"Why?"}}]})";

class SubmissionsTest : public ::testing::Test {
 protected:
  explicit SubmissionsTest(store::GroupCommitterOptions commit = {}) {
    std::array<uint8_t, crypto::DataKey::kBytes> key{};
    key.fill(7);
    auto store = store::Store::Open({.dir = dir_, .create = true, .commit = commit},
                                    crypto::DataKey::FromBytes(key));
    EXPECT_TRUE(store.has_value());
    // The real store behind a decorator that fails chosen calls (none until a test says so).
    auto faults = std::make_unique<store::FaultStore>(std::move(*store));
    faults_ = faults.get();
    store_ = std::move(faults);
    auto catalog = SurveyCatalog::Load(*store_);
    EXPECT_TRUE(catalog.has_value());
    catalog_ = std::move(*catalog);
    Define(kDefinition);
    EXPECT_TRUE(indexes_.Rebuild(*store_, *catalog_).has_value());
    codes_ = std::make_unique<Codes>(*store_);
    SubmissionsOptions options;
    options.rate_limit_per_hour = 50;
    options.now = [] { return kNow; };
    options.incidents = &incidents_;
    submissions_ = std::make_unique<Submissions>(options, *catalog_, *store_, indexes_, *codes_);
  }
  ~SubmissionsTest() override {
    submissions_.reset();
    store_.reset();
  }

  // Stores a definition, with `changes` applied.
  void Define(const std::string& definition, const json::object& changes = {}) {
    json::value v = json::parse(definition);
    for (const auto& [k, value] : changes) v.as_object()[k] = value;
    auto survey = ParseSurvey(json::serialize(v));
    ASSERT_TRUE(survey.has_value()) << survey.error();
    ASSERT_FALSE(catalog_->Put(*store_, std::move(*survey)));
  }

  // Submits and waits for the outcome. Without `rate_check`, every submission is allowed.
  SubmitOutcome Submit(const std::string& survey, const std::string& body,
                       SubmissionFormat format = SubmissionFormat::kJson,
                       Submissions::RateCheck rate_check = {}) {
    std::promise<SubmitOutcome> outcome;
    submissions_->Submit(survey, format, body, rate_check,
                         [&](SubmitOutcome o) { outcome.set_value(std::move(o)); });
    return outcome.get_future().get();
  }

  size_t Indexed(const std::string& survey) {
    size_t n = 0;
    indexes_.Read(survey, [&](const stats::ResponseIndex& index) { n = index.size(); });
    return n;
  }

  std::vector<std::string> Stored() {
    std::vector<std::string> out;
    auto scanned = store_->ScanResponses(
        [&](std::string_view, std::string_view plaintext) { out.emplace_back(plaintext); });
    EXPECT_TRUE(scanned.has_value());
    return out;
  }

  const TempDir temp_{"subm"};
  const fs::path dir_ = temp_.path();
  std::unique_ptr<store::Store> store_;
  store::FaultStore* faults_ = nullptr;  // store_, as the decorator it is
  Incidents incidents_{[](std::string_view) {}};
  std::unique_ptr<SurveyCatalog> catalog_;
  SurveyIndexes indexes_;
  std::unique_ptr<Codes> codes_;
  std::unique_ptr<Submissions> submissions_;
};

TEST_F(SubmissionsTest, StoredOutcomeIsDurableAndIndexed) {
  const SubmitOutcome o =
      Submit("wave", R"({"answers":{"mood":"good","why":"no key, so dropped"},"src":"flyer-1"})");
  ASSERT_EQ(o.status, Status::kStored);
  ASSERT_NE(o.survey, nullptr);
  EXPECT_EQ(o.survey->id, "wave");
  EXPECT_EQ(Indexed("wave"), 1u);  // counted before the outcome was delivered
  const auto stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  const json::value v = json::parse(stored[0]);
  EXPECT_EQ(v.at("period"), "2026-01");  // the survey's coarse period, from the injected clock
  EXPECT_EQ(v.at("src"), "flyer-1");
  EXPECT_EQ(v.at("answers"), json::parse(R"({"mood":"good"})"));  // no key: free text dropped

  EXPECT_EQ(Submit("wave", "mood=bad&lang=en", SubmissionFormat::kForm).status, Status::kStored);
  EXPECT_EQ(Indexed("wave"), 2u);
}

// The server destroys its I/O loop once Stop returns, and an outcome's callback holds that
// loop's executor: so by then every callback has been destroyed, not only called.
TEST_F(SubmissionsTest, StopReturnsOnlyOnceEveryCallbackIsDestroyed) {
  struct SlowToDestroy {
    std::atomic<bool>* destroyed;
    ~SlowToDestroy() {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      destroyed->store(true);
    }
  };
  std::atomic<bool> destroyed{false};
  std::promise<Status> called;
  submissions_->Submit("wave", SubmissionFormat::kJson, R"({"answers":{"mood":"good"}})", {},
                       [held = std::make_shared<SlowToDestroy>(&destroyed),
                        &called](SubmitOutcome o) { called.set_value(o.status); });
  ASSERT_EQ(called.get_future().get(), Status::kStored);
  submissions_->Stop();
  EXPECT_TRUE(destroyed.load());
}

TEST_F(SubmissionsTest, UndeclaredTagsAreStoredAsOtherWhenTheSurveyDeclaresSources) {
  Define(kDefinition,
         {{"version", 2},
          {"sources", json::parse(R"([{"tag":"event-1","label":"Event one, 26 Nov"}])")}});
  ASSERT_EQ(Submit("wave", R"({"answers":{"mood":"good"},"src":"event-1"})").status,
            Status::kStored);
  ASSERT_EQ(Submit("wave", R"({"answers":{"mood":"good"},"src":"made-up-9"})").status,
            Status::kStored);
  ASSERT_EQ(Submit("wave", "mood=bad&src=made-up-9", SubmissionFormat::kForm).status,
            Status::kStored);
  ASSERT_EQ(Submit("wave", R"({"answers":{"mood":"bad"}})").status, Status::kStored);
  std::multiset<std::string> srcs;
  for (const std::string& plaintext : Stored()) {
    EXPECT_EQ(plaintext.find("made-up-9"), std::string::npos) << plaintext;
    const json::value v = json::parse(plaintext);
    const json::value* src = v.as_object().if_contains("src");
    srcs.insert(src && src->is_string() ? std::string(src->get_string()) : "");
  }
  EXPECT_EQ(srcs, (std::multiset<std::string>{"", "event-1", "other", "other"}));
}

TEST_F(SubmissionsTest, AnswersNotForTheRespondentAreNotStoredAndTheOutcomeSaysWhich) {
  // "why", a scale here, only for those who answered "bad".
  json::value v = json::parse(kDefinition);
  v.as_object()["id"] = "cond";
  v.at("questions").as_array()[1].as_object()["type"] = "scale";
  v.at("questions").as_array()[1].as_object()["min"] = 0;
  v.at("questions").as_array()[1].as_object()["max"] = 10;
  v.at("questions").as_array()[1].as_object()["when"] =
      json::parse(R"({"question":"mood","answers":["bad"]})");
  Define(json::serialize(v));
  SubmitOutcome o = Submit("cond", R"({"answers":{"mood":"good","why":4}})");
  ASSERT_EQ(o.status, Status::kStored);
  EXPECT_EQ(o.not_stored, std::vector<std::string>{"why"});
  o = Submit("cond", "mood=bad&why=9", SubmissionFormat::kForm);
  ASSERT_EQ(o.status, Status::kStored);
  EXPECT_TRUE(o.not_stored.empty());
  std::multiset<std::string> answers;
  for (const std::string& plaintext : Stored()) {
    answers.insert(json::serialize(json::parse(plaintext).at("answers")));
  }
  EXPECT_EQ(answers,
            (std::multiset<std::string>{R"({"mood":"good"})", R"({"mood":"bad","why":9})"}));
  size_t why_answers = 0;
  indexes_.Read("cond", [&](const stats::ResponseIndex& index) {
    for (uint8_t c : index.Codes(static_cast<size_t>(index.ColumnOf("why")))) why_answers += c != 0;
  });
  EXPECT_EQ(why_answers, 1u);
}

TEST_F(SubmissionsTest, FreeTextIsSealedToTheCommentsKey) {
  crypto::BoxPublicKey public_key{};
  crypto::BoxSecretKey secret_key{};
  crypto_box_keypair(public_key.data(), secret_key.data());
  SubmissionsOptions options;
  options.comments_key = public_key;
  options.now = [] { return kNow; };
  submissions_ = std::make_unique<Submissions>(options, *catalog_, *store_, indexes_, *codes_);
  ASSERT_EQ(Submit("wave", R"({"answers":{"why":"canary-text"}})").status, Status::kStored);
  const auto stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].find("canary-text"), std::string::npos);
  const std::string sealed(json::parse(stored[0]).at("answers").at("why").as_string());
  EXPECT_EQ(OpenFreeText(sealed, secret_key).value(), "canary-text");
}

TEST_F(SubmissionsTest, UnknownClosedAndInvalidAreRefusedBeforeTheLimit) {
  Define(kDefinition, {{"id", "shut"}, {"open", false}});
  int asked = 0;
  auto count = [&](std::string_view, uint64_t, std::chrono::system_clock::time_point) {
    ++asked;
    return std::optional<std::chrono::seconds>();
  };
  SubmitOutcome o = Submit("nope", "{}", SubmissionFormat::kJson, count);
  EXPECT_EQ(o.status, Status::kUnknownSurvey);
  EXPECT_EQ(o.survey, nullptr);
  o = Submit("shut", R"({"answers":{"mood":"good"}})", SubmissionFormat::kJson, count);
  EXPECT_EQ(o.status, Status::kClosed);
  ASSERT_NE(o.survey, nullptr);
  o = Submit("wave", R"({"answers":{"mood":"great"}})", SubmissionFormat::kJson, count);
  EXPECT_EQ(o.status, Status::kInvalid);
  EXPECT_EQ(o.rejection.field, "mood");
  EXPECT_EQ(asked, 0);
  EXPECT_TRUE(Stored().empty());
  EXPECT_EQ(Indexed("wave"), 0u);
}

TEST_F(SubmissionsTest, RateLimitedIsRefusedWithItsWaitAndStoresNothing) {
  Define(kDefinition, {{"id", "limited"}, {"rate_limit", json::object{{"per_hour", 3}}}});
  std::vector<std::pair<std::string, uint64_t>> asked;
  auto full = [&](std::string_view survey, uint64_t per_hour,
                  std::chrono::system_clock::time_point now) {
    asked.emplace_back(survey, per_hour);
    EXPECT_EQ(now, kNow);
    return std::optional<std::chrono::seconds>(std::chrono::seconds(2400));
  };
  SubmitOutcome o =
      Submit("limited", R"({"answers":{"mood":"good"}})", SubmissionFormat::kJson, full);
  EXPECT_EQ(o.status, Status::kRateLimited);
  EXPECT_EQ(o.retry_after, std::chrono::seconds(2400));
  EXPECT_EQ(Submit("wave", "mood=good", SubmissionFormat::kForm, full).status,
            Status::kRateLimited);
  // The survey's own limit, else the service's default.
  EXPECT_EQ(asked, (std::vector<std::pair<std::string, uint64_t>>{{"limited", 3}, {"wave", 50}}));
  EXPECT_TRUE(Stored().empty());
  EXPECT_EQ(Indexed("limited"), 0u);
}

TEST_F(SubmissionsTest, CodeIsSpentOnceThenRefused) {
  Define(kDefinition, {{"id", "coded"}, {"requires_code", true}});
  auto issued = codes_->Issue("coded", 2);
  ASSERT_TRUE(issued.has_value());
  const std::string code = (*issued)[0];
  const std::string body = R"({"answers":{"mood":"good"},"code":")" + code + "\"}";
  EXPECT_EQ(Submit("coded", R"({"answers":{"mood":"good"}})").status, Status::kCodeMissing);
  EXPECT_EQ(Submit("coded", R"({"answers":{},"code":"notacode"})").status, Status::kCodeUnknown);
  EXPECT_EQ(Submit("coded", body).status, Status::kStored);
  EXPECT_EQ(codes_->Check("coded", code).value(), Codes::State::kSpent);
  const SubmitOutcome again = Submit("coded", body);
  EXPECT_EQ(again.status, Status::kCodeSpent);
  EXPECT_EQ(Stored().size(), 1u);
  EXPECT_EQ(Indexed("coded"), 1u);
  // The code is never stored with the response.
  EXPECT_EQ(Stored()[0].find(code), std::string::npos);
  // The other code still works.
  EXPECT_EQ(Submit("coded", "mood=bad&code=" + (*issued)[1], SubmissionFormat::kForm).status,
            Status::kStored);
}

TEST_F(SubmissionsTest, ACodeSentManyTimesAtOnceIsTakenOnce) {
  Define(kDefinition, {{"id", "coded"}, {"requires_code", true}});
  const std::string code = codes_->Issue("coded", 1).value()[0];
  const std::string body = R"({"answers":{"mood":"good"},"code":")" + code + "\"}";
  std::vector<std::future<SubmitOutcome>> outcomes;
  for (int i = 0; i < 8; ++i) {
    outcomes.push_back(std::async(std::launch::async, [&] { return Submit("coded", body); }));
  }
  int stored = 0, spent = 0;
  for (auto& f : outcomes) {
    const Status s = f.get().status;
    stored += s == Status::kStored;
    spent += s == Status::kCodeSpent;
  }
  EXPECT_EQ(stored, 1);
  EXPECT_EQ(spent, 7);
  EXPECT_EQ(Stored().size(), 1u);
}

TEST_F(SubmissionsTest, ACodedSubmissionDoesNotWaitForTheOrganisersWork) {
  Define(kDefinition, {{"id", "coded"}, {"requires_code", true}});
  const std::string code = codes_->Issue("coded", 1).value()[0];
  AuditLog audit(dir_, *store_);
  Organiser organiser(OrganiserOptions{}, *catalog_, *store_, indexes_, audit, *codes_);
  // Hold the Organiser's worker (its callbacks run there), as a long reindex scan would.
  std::promise<void> busy, release;
  std::shared_future<void> released = release.get_future().share();
  // `released` by value: the worker may still be returning from wait() when the test's copy
  // goes out of scope (ThreadSanitizer saw it).
  organiser.Create(kDefinition, [&busy, released](OrganiserResult) {
    busy.set_value();
    released.wait();
  });
  busy.get_future().wait();
  auto outcome = std::async(std::launch::async, [&] {
    return Submit("coded", R"({"answers":{"mood":"good"},"code":")" + code + "\"}");
  });
  const auto ready = outcome.wait_for(std::chrono::seconds(20));
  release.set_value();
  ASSERT_EQ(ready, std::future_status::ready);
  EXPECT_EQ(outcome.get().status, Status::kStored);
}

TEST_F(SubmissionsTest, AFailedWriteStoresNothingAndGivesTheCodeBack) {
  Define(kDefinition, {{"id", "coded"}, {"requires_code", true}});
  const std::string code = codes_->Issue("coded", 1).value()[0];
  const std::string body = R"({"answers":{"mood":"good"},"code":")" + code + "\"}";
  faults_->Inject(store::Fault(store::Op::kSubmitResponse).ThroughDone().Times(1));
  EXPECT_EQ(Submit("coded", body).status, Status::kFailed);
  EXPECT_EQ(faults_->failed(store::Op::kSubmitResponse), 1u);
  EXPECT_TRUE(Stored().empty());
  EXPECT_EQ(Indexed("coded"), 0u);
  EXPECT_EQ(codes_->Check("coded", code).value(), Codes::State::kIssued);
  EXPECT_EQ(incidents_.count(Incident::kCodeGivebackFailed), 0u);
  // The resident can send again with the same code.
  EXPECT_EQ(Submit("coded", body).status, Status::kStored);
  EXPECT_EQ(Stored().size(), 1u);
}

TEST_F(SubmissionsTest, ACodeThatCannotBeGivenBackIsReportedToTheOperator) {
  Define(kDefinition, {{"id", "coded"}, {"requires_code", true}});
  const std::string code = codes_->Issue("coded", 1).value()[0];
  faults_->Inject(store::Fault(store::Op::kSubmitResponse).ThroughDone().Times(1));
  // The spend (first write of the code's record) passes; the give-back (second) fails.
  faults_->Inject(store::Fault(store::Op::kPutMeta).Keys("code/coded/").After(1).Times(1));
  EXPECT_EQ(Submit("coded", R"({"answers":{"mood":"good"},"code":")" + code + "\"}").status,
            Status::kFailed);
  EXPECT_EQ(faults_->failed(store::Op::kPutMeta), 1u);
  EXPECT_EQ(incidents_.count(Incident::kCodeGivebackFailed), 1u);
  EXPECT_EQ(codes_->Check("coded", code).value(), Codes::State::kSpent);
  EXPECT_TRUE(Stored().empty());
}

TEST_F(SubmissionsTest, ACodeThatCannotBeSpentStoresNothing) {
  Define(kDefinition, {{"id", "coded"}, {"requires_code", true}});
  const std::string code = codes_->Issue("coded", 1).value()[0];
  faults_->Inject(store::Fault(store::Op::kPutMeta).Keys("code/coded/").Times(1));
  EXPECT_EQ(Submit("coded", R"({"answers":{"mood":"good"},"code":")" + code + "\"}").status,
            Status::kCodeUncheckable);
  EXPECT_TRUE(Stored().empty());
  EXPECT_EQ(codes_->Check("coded", code).value(), Codes::State::kIssued);
}

// A store whose commit queue takes nothing: every durable write is refused as overloaded.
class OverloadedSubmissionsTest : public SubmissionsTest {
 protected:
  OverloadedSubmissionsTest() : SubmissionsTest({.max_queued_records = 0}) {}
};

TEST_F(OverloadedSubmissionsTest, OverloadedGivesTheCodeBackAndAsksToRetry) {
  Define(kDefinition, {{"id", "coded"}, {"requires_code", true}});
  const std::string code = codes_->Issue("coded", 1).value()[0];
  const SubmitOutcome o = Submit("coded", R"({"answers":{"mood":"good"},"code":")" + code + "\"}");
  EXPECT_EQ(o.status, Status::kOverloaded);
  EXPECT_EQ(o.retry_after, std::chrono::seconds(1));
  EXPECT_EQ(codes_->Check("coded", code).value(), Codes::State::kIssued);
  EXPECT_TRUE(Stored().empty());
  EXPECT_EQ(Indexed("coded"), 0u);
}

}  // namespace
}  // namespace candour::survey
