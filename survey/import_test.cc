#include "survey/import.h"

#include <gtest/gtest.h>

#include "survey/stored_response.h"
#include "survey/test_template.h"

namespace candour::survey {
namespace {

// Before any of the test periods are complete, so none of them is frozen.
const std::chrono::sys_days kToday{std::chrono::year{2026} / 1 / 1};

class ImportTest : public ::testing::Test {
 protected:
  const Survey demo_ = testing::TemplateSurvey();
};

TEST_F(ImportTest, JsonLines) {
  const auto r = ParseImport(
      demo_,
      "{\"period\":\"2026-W40\",\"src\":\"paper-1\",\"answers\":{\"Q60\":\"good\"}}\n"
      "\n"
      "{\"period\":\"2026-W41\",\"answers\":{\"Q60\":\"poor\",\"ward\":\"dalston\"}}\r\n",
      ImportFormat::kJsonLines, kToday);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.rows, 2u);
  ASSERT_EQ(r.plaintexts.size(), 2u);
  auto first = DecodeStored(r.plaintexts[0]);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->period, "2026-W40");
  EXPECT_EQ(first->src, "paper-1");
  EXPECT_EQ(std::get<std::string>(first->answers.at("Q60")), "good");
}

TEST_F(ImportTest, JsonLinesErrorsAreNumberedAndNameTheField) {
  const auto r =
      ParseImport(demo_,
                  "{\"period\":\"2026-W40\",\"answers\":{\"Q60\":\"good\"}}\n"
                  "{\"period\":\"2026-W40\",\"answers\":{\"Q60\":\"superb\"}}\n"
                  "{\"answers\":{\"Q60\":\"good\"}}\n"
                  "{\"period\":\"2026-13\",\"answers\":{}}\n"
                  "not json\n"
                  "{\"period\":\"2026-W40\",\"answers\":{\"Q60\":\"good\",\"Q60\":\"poor\"}}\n",
                  ImportFormat::kJsonLines, kToday);
  EXPECT_EQ(r.rows, 6u);
  EXPECT_EQ(r.plaintexts.size(), 1u);
  ASSERT_EQ(r.errors.size(), 5u);
  EXPECT_EQ(r.errors[4], "line 6: Q60: duplicate key \"Q60\"");
  EXPECT_EQ(r.errors[0].rfind("line 2: Q60: unknown option", 0), 0u) << r.errors[0];
  EXPECT_EQ(r.errors[1].rfind("line 3: period: expected a week", 0), 0u) << r.errors[1];
  EXPECT_EQ(r.errors[2].rfind("line 4: period:", 0), 0u) << r.errors[2];
  EXPECT_EQ(r.errors[3].rfind("line 5: body: not valid JSON", 0), 0u) << r.errors[3];
}

TEST_F(ImportTest, CsvWithQuotesAndEmptyCellsAndFreeTextSealed) {
  crypto::BoxPublicKey pk{};
  crypto::BoxSecretKey sk;
  crypto_box_keypair(pk.data(), sk.data());
  const std::string csv =
      "period,src,Q60,ward,comment\n"
      "2026-W40,paper-2,good,dalston,\"Fewer stops, more \"\"talks\"\"\"\n"
      "2026-W41,,,,\n";
  const auto r = ParseImport(demo_, csv, ImportFormat::kCsv, kToday, &pk);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  ASSERT_EQ(r.plaintexts.size(), 2u);
  EXPECT_EQ(r.plaintexts[0].find("talks"), std::string::npos);  // sealed to the offline key
  auto first = DecodeStored(r.plaintexts[0]);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(std::get<std::string>(first->answers.at("Q60")), "good");
  EXPECT_EQ(OpenFreeText(std::get<std::string>(first->answers.at("comment")), sk).value(),
            "Fewer stops, more \"talks\"");
  // Without a key free text is dropped, never stored readable.
  const auto dropped = ParseImport(demo_, csv, ImportFormat::kCsv, kToday);
  EXPECT_FALSE(DecodeStored(dropped.plaintexts[0])->answers.contains("comment"));
  EXPECT_TRUE(DecodeStored(r.plaintexts[1])->answers.empty());
}

TEST_F(ImportTest, CsvErrors) {
  auto r = ParseImport(demo_, "src,Q60\npaper,good\n", ImportFormat::kCsv, kToday);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "line 1: header: expected a \"period\" column");
  r = ParseImport(demo_, "period,Q60\n2026-W40,good,extra\n2026-W40,nope\n", ImportFormat::kCsv,
                  kToday);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0], "line 2: expected 2 fields as in the header, got 3");
  EXPECT_EQ(r.errors[1].rfind("line 3: Q60: unknown option \"nope\"", 0), 0u) << r.errors[1];
  r = ParseImport(demo_, "period,Q60\n2026-W40,\"open", ImportFormat::kCsv, kToday);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "the file ends inside a quoted field");
}

TEST_F(ImportTest, AnswersNotForTheRespondentAreLeftOutAndCounted) {
  // stop_respect is only for those who answered "yes" to stopped.
  const auto r = ParseImport(demo_,
                             "period,stopped,stop_respect,Q60\n"
                             "2026-W40,yes,tend_to_agree,good\n"
                             "2026-W40,no,strongly_agree,poor\n"
                             "2026-W40,,strongly_disagree,\n",
                             ImportFormat::kCsv, kToday);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  ASSERT_EQ(r.plaintexts.size(), 3u);
  EXPECT_EQ(r.not_stored, 2u);
  EXPECT_EQ(std::get<std::string>(DecodeStored(r.plaintexts[0])->answers.at("stop_respect")),
            "tend_to_agree");
  const auto second = DecodeStored(r.plaintexts[1]);
  EXPECT_FALSE(second->answers.contains("stop_respect"));
  EXPECT_EQ(std::get<std::string>(second->answers.at("Q60")), "poor");  // the rest is kept
  EXPECT_TRUE(DecodeStored(r.plaintexts[2])->answers.empty());
  const auto lines = ParseImport(
      demo_,
      "{\"period\":\"2026-W40\",\"answers\":{\"stopped\":\"no\",\"stop_respect\":\"neither\"}}\n",
      ImportFormat::kJsonLines, kToday);
  ASSERT_EQ(lines.plaintexts.size(), 1u);
  EXPECT_EQ(lines.not_stored, 1u);
  EXPECT_FALSE(DecodeStored(lines.plaintexts[0])->answers.contains("stop_respect"));
}

TEST_F(ImportTest, RowsForPublishedPeriodsAreRefusedAndThenNothingIsImported) {
  // 25 November 2026, grace time 21 days: October (to Sunday 1 November, by its weeks' Thursdays)
  // froze on 23 November; November is open.
  const std::chrono::sys_days today{std::chrono::year{2026} / 11 / 25};
  ASSERT_EQ(demo_.grace_days, 21);
  const std::string csv =
      "period,Q60\n"
      "2026-W45,good\n"   // 2: November, open
      "2026-W10,poor\n"   // 3: March
      "2026-W45,bogus\n"  // 4: open, but invalid
      "2026-W43,fair\n"   // 5: October
      "2026-W44,nope\n";  // 6: October, invalid too: refused all the same
  const auto r = ParseImport(demo_, csv, ImportFormat::kCsv, today);
  EXPECT_EQ(r.rows, 5u);
  EXPECT_TRUE(r.plaintexts.empty());  // all or nothing
  EXPECT_EQ(r.refused,
            (std::vector<std::string>{
                "line 3: period 2026-W10: already published (it falls in 2026-03; figures for a "
                "month are frozen 21 days after it ends)",
                "line 5: period 2026-W43: already published (it falls in 2026-10; figures for a "
                "month are frozen 21 days after it ends)",
                "line 6: period 2026-W44: already published (it falls in 2026-10; figures for a "
                "month are frozen 21 days after it ends)"}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].rfind("line 4: Q60: unknown option \"bogus\"", 0), 0u) << r.errors[0];
  // Without the published rows the rest goes in.
  const auto open =
      ParseImport(demo_, "period,Q60\n2026-W45,good\n2026-W48,poor\n", ImportFormat::kCsv, today);
  EXPECT_TRUE(open.refused.empty());
  EXPECT_EQ(open.plaintexts.size(), 2u);
  // JSON lines the same.
  const auto lines = ParseImport(demo_,
                                 "{\"period\":\"2026-W45\",\"answers\":{}}\n"
                                 "{\"period\":\"2025-W01\",\"answers\":{\"Q60\":\"good\"}}\n",
                                 ImportFormat::kJsonLines, today);
  EXPECT_TRUE(lines.plaintexts.empty());
  EXPECT_EQ(lines.refused,
            std::vector<std::string>{"line 2: period 2025-W01: already published (it falls in "
                                     "2025-01; figures for a month are frozen 21 days after it "
                                     "ends)"});
}

TEST_F(ImportTest, AMonthFreezesItsGraceTimeAfterItEnds) {
  Survey monthly = demo_;
  monthly.period = stats::PeriodKind::kMonth;
  const std::string csv = "period,Q60\n2026-10,good\n";
  auto on = [&](int day) {
    return ParseImport(monthly, csv, ImportFormat::kCsv,
                       std::chrono::sys_days{std::chrono::year{2026} / 11 / day});
  };
  // October ends on the 31st; 21 days later, on 21 November, it is still open.
  EXPECT_EQ(on(21).plaintexts.size(), 1u);
  EXPECT_TRUE(on(21).refused.empty());
  EXPECT_EQ(on(22).refused, std::vector<std::string>{"line 2: period 2026-10: already published "
                                                     "(figures for a month are frozen 21 days "
                                                     "after it ends)"});
  EXPECT_TRUE(on(22).plaintexts.empty());
  monthly.grace_days = 1;
  EXPECT_TRUE(on(1).refused.empty());
  EXPECT_EQ(on(2).refused, std::vector<std::string>{"line 2: period 2026-10: already published "
                                                    "(figures for a month are frozen 1 day after "
                                                    "it ends)"});
  monthly.grace_days = 0;
  EXPECT_EQ(on(1).refused, std::vector<std::string>{"line 2: period 2026-10: already published "
                                                    "(figures for a month are frozen as soon as it "
                                                    "ends)"});
  // The current month and later ones are never frozen.
  EXPECT_TRUE(ParseImport(monthly, "period,Q60\n2026-11,good\n2027-01,poor\n", ImportFormat::kCsv,
                          std::chrono::sys_days{std::chrono::year{2026} / 11 / 30})
                  .refused.empty());
}

}  // namespace
}  // namespace candour::survey
