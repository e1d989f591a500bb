#include "survey/survey_index.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "survey/stored_response.h"
#include "survey/test_template.h"
#include "tests/temp_dir.h"

namespace candour::survey {
namespace {

namespace fs = std::filesystem;
using candour::testing::TempDir;

TEST(SurveyIndexTest, ColumnsSkipFreeTextAndStayCompact) {
  const Survey demo = testing::TemplateSurvey();
  const auto columns = IndexColumns(demo);
  EXPECT_EQ(columns.size(), demo.questions.size() - 1);  // all but the comment
  stats::ResponseIndex index(columns);
  EXPECT_LT(index.BytesPerResponse(), 64u);
}

TEST(SurveyIndexTest, CodesFollowOptionOrder) {
  const Survey demo = testing::TemplateSurvey();
  const auto codes = IndexCodes(demo, {{"Q60", std::string("good")},
                                       {"ward", std::string("dalston")},
                                       {"comment", std::string("free text is not indexed")},
                                       {"Q62A", std::string("no_such_option")}});
  stats::ResponseIndex index(IndexColumns(demo));
  ASSERT_EQ(codes.size(), index.columns().size());
  EXPECT_EQ(codes[static_cast<size_t>(index.ColumnOf("Q60"))], 2u);  // excellent=1, good=2
  EXPECT_EQ(codes[static_cast<size_t>(index.ColumnOf("Q62A"))], 0u);
  const Question* ward = demo.FindQuestion("ward");
  EXPECT_EQ(codes[static_cast<size_t>(index.ColumnOf("ward"))],
            static_cast<uint64_t>(ward->OptionIndex("dalston")) + 1);
}

TEST(SurveyIndexTest, RebuildIndexesEveryStoredResponse) {
  const TempDir temp("index");
  const fs::path& dir = temp.path();
  {
    std::array<uint8_t, crypto::DataKey::kBytes> key{};
    auto store = store::Store::Open({.dir = dir, .create = true}, crypto::DataKey::FromBytes(key));
    ASSERT_TRUE(store.has_value());
    auto catalog = SurveyCatalog::Load(**store);
    ASSERT_TRUE(catalog.has_value());
    ASSERT_TRUE((*catalog)->EnsureDemo(**store).has_value());
    const Survey demo = testing::TemplateSurvey();
    std::vector<std::string> plaintexts;
    for (int i = 0; i < 30; ++i) {
      Submission s;
      s.answers = {{"Q60", std::string(i % 3 ? "good" : "poor")}};
      plaintexts.push_back(EncodeStored(demo, s, i < 10 ? "2026-W40" : "2026-W41"));
    }
    ASSERT_FALSE((*store)->PutResponses("demo", plaintexts));
    ASSERT_FALSE((*store)->PutResponses("gone", {"{}"}));
    SurveyIndexes indexes;
    auto rebuilt = indexes.Rebuild(**store, **catalog);
    ASSERT_TRUE(rebuilt.has_value());
    EXPECT_EQ(rebuilt->indexed, 30u);
    EXPECT_EQ(rebuilt->orphaned, 1u);
    size_t good = 0, rows = 0, periods = 0;
    ASSERT_TRUE(indexes.Read("demo", [&](const stats::ResponseIndex& index) {
      rows = index.size();
      periods = index.period_count();
      for (uint8_t c : index.Codes(static_cast<size_t>(index.ColumnOf("Q60")))) good += c == 2;
    }));
    EXPECT_EQ(rows, 30u);
    EXPECT_EQ(periods, 2u);
    EXPECT_EQ(good, 20u);
  }
}

}  // namespace
}  // namespace candour::survey
