#include "survey/organiser.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <future>

#include "survey/template.h"
#include "tests/temp_dir.h"

namespace candour::survey {
namespace {

namespace fs = std::filesystem;
using candour::testing::TempDir;
namespace json = boost::json;
using Status = OrganiserResult::Status;

const std::chrono::system_clock::time_point kNow =
    std::chrono::sys_days{std::chrono::year{2026} / 1 / 15} + std::chrono::hours{10};

std::string Definition(const std::string& id, const std::string& extra_question = "") {
  return R"({"id":")" + id + R"(","languages":["en"],"title":{"en":"Wave"},"period":"month",
    "questions":[{"id":"mood","type":"single","text":{"en":"How is it?"},"options":[
      {"id":"good","label":{"en":"Good"}},{"id":"bad","label":{"en":"Bad"}}]})" +
         extra_question + "]}";
}

class OrganiserTest : public ::testing::Test {
 protected:
  OrganiserTest() {
    std::array<uint8_t, crypto::DataKey::kBytes> key{};
    key.fill(9);
    auto store = store::Store::Open({.dir = dir_, .create = true}, crypto::DataKey::FromBytes(key));
    EXPECT_TRUE(store.has_value());
    store_ = std::move(*store);
    auto catalog = SurveyCatalog::Load(*store_);
    EXPECT_TRUE(catalog.has_value());
    catalog_ = std::move(*catalog);
    EXPECT_TRUE(indexes_.Rebuild(*store_, *catalog_).has_value());
    audit_ = std::make_unique<AuditLog>(dir_, *store_);
    codes_ = std::make_unique<Codes>(*store_);
    organiser_ = std::make_unique<Organiser>(
        OrganiserOptions{.now = [] { return kNow; }, .incidents = &incidents_}, *catalog_, *store_,
        indexes_, *audit_, *codes_);
  }
  ~OrganiserTest() override {
    organiser_.reset();
    audit_.reset();
    store_.reset();
  }

  // Runs one action and waits for its result.
  template <class Start>
  OrganiserResult Wait(Start start) {
    std::promise<OrganiserResult> result;
    start([&](OrganiserResult r) { result.set_value(std::move(r)); });
    return result.get_future().get();
  }
  OrganiserResult Create(const std::string& definition) {
    return Wait([&](Organiser::Done done) { organiser_->Create(definition, std::move(done)); });
  }

  // The audit log's entries as (action, survey, detail).
  std::vector<std::array<std::string, 3>> Audit() {
    std::vector<std::array<std::string, 3>> out;
    std::ifstream in(AuditLog::PathIn(dir_));
    for (std::string line; std::getline(in, line);) {
      const json::value v = json::parse(line);
      out.push_back({std::string(v.at("action").as_string()),
                     std::string(v.at("survey").as_string()),
                     std::string(v.at("detail").as_string())});
    }
    return out;
  }
  // The number of entries of an intact audit log (fails the test for a broken one).
  size_t Verified() {
    auto verified = AuditLog::Verify(dir_, *store_);
    EXPECT_TRUE(verified.has_value()) << (verified ? "" : verified.error());
    return verified ? *verified : 0;
  }
  std::vector<std::string> OperatorLog() {
    std::lock_guard lock(log_mu_);
    return log_;
  }

  const TempDir temp_{"organiser"};
  const fs::path dir_ = temp_.path();
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<SurveyCatalog> catalog_;
  SurveyIndexes indexes_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<Codes> codes_;
  std::mutex log_mu_;
  std::vector<std::string> log_;
  Incidents incidents_{[this](std::string_view line) {
    std::lock_guard lock(log_mu_);
    log_.emplace_back(line);
  }};
  std::unique_ptr<Organiser> organiser_;
};

using Entry = std::array<std::string, 3>;

TEST_F(OrganiserTest, CreateIsAuditedBeforeAndAfter) {
  const OrganiserResult r = Create(Definition("wave"));
  ASSERT_EQ(r.status, Status::kDone) << r.message;
  ASSERT_NE(r.survey, nullptr);
  EXPECT_EQ(r.survey->version, 1);
  EXPECT_NE(catalog_->Get("wave"), nullptr);
  EXPECT_EQ(Audit(), (std::vector<Entry>{{"survey.create", "wave", "intent: version 1"},
                                         {"survey.create", "wave", "done: version 1"}}));
  EXPECT_EQ(Verified(), 2u);
  EXPECT_TRUE(OperatorLog().empty());
}

TEST_F(OrganiserTest, TheBuiltInTemplateIsAccepted) {
  const OrganiserResult r = Create(std::string(TrustAndConfidenceTemplate()));
  ASSERT_EQ(r.status, Status::kDone) << r.message;
  EXPECT_NE(catalog_->Get(r.survey->id), nullptr);
}

TEST_F(OrganiserTest, RefusalsAreNotActionsAndAreNotAudited) {
  ASSERT_EQ(Create(Definition("wave")).status, Status::kDone);
  const size_t before = Audit().size();
  EXPECT_EQ(Create(Definition("wave")).status, Status::kConflict);
  OrganiserResult r = Create(R"({"id":)");
  EXPECT_EQ(r.status, Status::kInvalid);
  EXPECT_NE(r.message.find("not valid JSON"), std::string::npos) << r.message;
  r = Wait([&](auto done) { organiser_->SetState("nope", Organiser::Change::kClose, done); });
  EXPECT_EQ(r.status, Status::kNotFound);
  r = Wait([&](auto done) { organiser_->IssueCodes("wave", 0, done); });
  EXPECT_EQ(r.status, Status::kInvalid);
  EXPECT_EQ(r.message.rfind("count:", 0), 0u) << r.message;
  r = Wait([&](auto done) { organiser_->NewVersion("wave", Definition("other"), done); });
  EXPECT_EQ(r.status, Status::kInvalid);
  EXPECT_EQ(Audit().size(), before);
}

TEST_F(OrganiserTest, NewVersionRebuildsTheIndexAndStateChangesKeepTheVersion) {
  ASSERT_EQ(Create(Definition("wave")).status, Status::kDone);
  const std::string extra =
      R"(,{"id":"often","type":"scale","min":0,"max":10,"text":{"en":"How often?"}})";
  OrganiserResult r =
      Wait([&](auto done) { organiser_->NewVersion("wave", Definition("wave", extra), done); });
  ASSERT_EQ(r.status, Status::kDone) << r.message;
  EXPECT_EQ(r.survey->version, 2);
  bool has_column = false;
  indexes_.Read("wave", [&](const stats::ResponseIndex& index) {
    has_column = index.ColumnOf("often") >= 0;
  });
  EXPECT_TRUE(has_column);
  EXPECT_EQ(store_->GetMeta("survey-version/wave/1").value().has_value(), true);
  r = Wait([&](auto done) { organiser_->SetState("wave", Organiser::Change::kClose, done); });
  ASSERT_EQ(r.status, Status::kDone) << r.message;
  EXPECT_FALSE(catalog_->Get("wave")->open);
  EXPECT_EQ(catalog_->Get("wave")->version, 2);
  r = Wait([&](auto done) { organiser_->IssueCodes("wave", 3, done); });
  ASSERT_EQ(r.status, Status::kDone) << r.message;
  ASSERT_EQ(r.codes.size(), 3u);
  EXPECT_EQ(codes_->Check("wave", r.codes[0]).value(), Codes::State::kIssued);
  const auto entries = Audit();
  ASSERT_EQ(entries.size(), 8u);
  EXPECT_EQ(entries[2], (Entry{"survey.version", "wave", "intent: version 2"}));
  EXPECT_EQ(entries[3], (Entry{"survey.version", "wave", "done: version 2"}));
  EXPECT_EQ(entries[4], (Entry{"survey.close", "wave", "intent"}));
  EXPECT_EQ(entries[5], (Entry{"survey.close", "wave", "done"}));
  EXPECT_EQ(entries[6], (Entry{"codes.issue", "wave", "intent: 3 codes"}));
  EXPECT_EQ(entries[7], (Entry{"codes.issue", "wave", "done: 3 codes"}));
}

TEST_F(OrganiserTest, AnActionWhoseIntentCannotBeWrittenIsNotDone) {
  ASSERT_EQ(Create(Definition("wave")).status, Status::kDone);
  // The log's file replaced by a directory: it can no longer be appended to (even by root).
  const fs::path log = AuditLog::PathIn(dir_);
  fs::rename(log, dir_ / "audit.log.saved");
  fs::create_directory(log);

  OrganiserResult r = Create(Definition("second"));
  EXPECT_EQ(r.status, Status::kFailed);
  EXPECT_NE(r.message.find("audit log"), std::string::npos) << r.message;
  EXPECT_EQ(catalog_->Get("second"), nullptr);
  EXPECT_FALSE(store_->GetSurvey("second").value().has_value());

  r = Wait([&](auto done) { organiser_->SetState("wave", Organiser::Change::kClose, done); });
  EXPECT_EQ(r.status, Status::kFailed);
  EXPECT_TRUE(catalog_->Get("wave")->open);

  r = Wait([&](auto done) { organiser_->IssueCodes("wave", 5, done); });
  EXPECT_EQ(r.status, Status::kFailed);
  EXPECT_TRUE(r.codes.empty());

  r = Wait([&](auto done) { organiser_->NewVersion("wave", Definition("wave"), done); });
  EXPECT_EQ(r.status, Status::kFailed);
  EXPECT_EQ(catalog_->Get("wave")->version, 1);
  EXPECT_FALSE(store_->GetMeta("survey-version/wave/1").value().has_value());

  // Counted each time; logged once (repeats within a second are counted, not written).
  EXPECT_EQ(incidents_.count(Incident::kAuditIntentFailed), 4u);
  const auto log_lines = OperatorLog();
  ASSERT_EQ(log_lines.size(), 1u);
  EXPECT_NE(log_lines[0].find("was not done"), std::string::npos) << log_lines[0];
  // The log is whole again once its file is back.
  fs::remove(log);
  fs::rename(dir_ / "audit.log.saved", log);
  EXPECT_EQ(Verified(), 2u);
}

TEST_F(OrganiserTest, AMeasureRemovedAndAddedAgainKeepsItsDefinition) {
  auto with_measure = [](const std::string& positive) {
    std::string d = Definition("wave");
    d.insert(d.size() - 1, R"(,"measures":[{"id":"m","question":"mood","positive":[")" + positive +
                               R"("],"label":{"en":"M"}}])");
    return d;
  };
  auto version = [&](const std::string& definition) {
    return Wait([&](auto done) { organiser_->NewVersion("wave", definition, done); });
  };
  ASSERT_EQ(Create(with_measure("good")).status, Status::kDone);
  ASSERT_EQ(version(Definition("wave")).status, Status::kDone);  // "m" removed
  // Version 2 has no "m": only version 1 shows that "bad" would redefine it.
  OrganiserResult r = version(with_measure("bad"));
  EXPECT_EQ(r.status, Status::kInvalid);
  EXPECT_EQ(r.message,
            "version 1: measures: \"m\" changes its positive answers: a published measure is "
            "never redefined; give the changed definition a new measure id (the old one keeps "
            "its history)");
  EXPECT_EQ(catalog_->Get("wave")->version, 2);
  r = version(with_measure("good"));  // the same definition may come back
  ASSERT_EQ(r.status, Status::kDone) << r.message;
  EXPECT_EQ(r.survey->version, 3);
}

TEST_F(OrganiserTest, ActionsRunOffTheCallersThread) {
  std::promise<std::thread::id> ran_on;
  organiser_->Create(Definition("wave"),
                     [&](OrganiserResult) { ran_on.set_value(std::this_thread::get_id()); });
  EXPECT_NE(ran_on.get_future().get(), std::this_thread::get_id());
}

}  // namespace
}  // namespace candour::survey
