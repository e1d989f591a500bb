#include "web/results_view.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "web/test_release.h"

namespace candour::web {
namespace {

namespace json = boost::json;

class ResultsViewTest : public ::testing::Test {
 protected:
  survey::Survey survey_ = testing::SmallSurvey();
  stats::Release release_ = testing::SmallRelease(survey_);
};

TEST_F(ResultsViewTest, OnlyDeclaredViews) {
  auto month = ParseResultsView(survey_, {{"period", "month"}});
  ASSERT_TRUE(month.has_value()) << month.error();
  EXPECT_EQ(month->level, stats::Level::kMonth);
  auto by = ParseResultsView(survey_, {{"by", "area"}});
  ASSERT_TRUE(by.has_value()) << by.error();
  EXPECT_EQ(by->level, stats::Level::kQuarter);  // breakdowns default to quarters
  EXPECT_EQ(by->by, "area");
  const std::string allowed =
      "allowed: period=month|quarter|rolling; by=area (with period=quarter or rolling)";
  EXPECT_EQ(
      ParseResultsView(survey_, {{"period", "month"}, {"by", "area"}}).error(),
      "period: breakdowns by group are published by quarter or rolling 12 months only; " + allowed);
  EXPECT_EQ(ParseResultsView(survey_, {{"by", "q"}}).error(),
            "by: \"q\" is not a declared dimension; " + allowed);
  EXPECT_EQ(ParseResultsView(survey_, {{"from", "x"}}).error(),
            "from: unknown parameter; " + allowed);
}

TEST_F(ResultsViewTest, JsonHasEachFigureOrWhyItIsWithheld) {
  const json::value v =
      json::parse(ResultsJson(survey_, release_, {stats::Level::kQuarter, "area"}));
  EXPECT_EQ(v.at("survey"), "r");
  EXPECT_EQ(v.at("by"), "area");
  bool withheld = false;
  for (const json::value& row : v.at("measures").as_array()[0].at("rows").as_array()) {
    if (row.at("group") == "a" && row.at("negative").is_object()) {
      withheld = true;
      EXPECT_EQ(row.at("negative").at("suppressed"),
                "small numbers: fewer than 10 responses, or a figure that would reveal them");
      EXPECT_TRUE(row.at("share").is_null());
    }
  }
  EXPECT_TRUE(withheld);
  EXPECT_FALSE(v.as_object().contains("distributions"));  // only without a breakdown
}

TEST_F(ResultsViewTest, CsvHasOneLinePerFigureWithReasonsQuoted) {
  const std::string csv = ResultsCsv(survey_, release_, {stats::Level::kQuarter, "area"});
  EXPECT_EQ(csv.rfind("table,id,period,group,figure,value,suppressed\n", 0), 0u);
  // The reason has a comma: it must be one quoted field, not two.
  EXPECT_NE(csv.find("\nmeasure,yes_share,2026-Q1,a,negative,,\"small numbers: fewer than 10 "
                     "responses, or a figure that would reveal them\"\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\nmeasure,yes_share,2026-Q1,b,base,140,\n"), std::string::npos);
  EXPECT_NE(csv.find("\nmeasure,yes_share,2026-Q1,a,share,,a count is withheld\n"),
            std::string::npos);
}

TEST_F(ResultsViewTest, CsvOfTheTrendHasSharesAndDistributions) {
  const std::string csv = ResultsCsv(survey_, release_, {stats::Level::kMonth, ""});
  EXPECT_NE(csv.find("\nmeasure,yes_share,2026-01,all,positive,45,\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\nmeasure,yes_share,2026-01,all,low,0.293524,\n"), std::string::npos);
  EXPECT_NE(csv.find("\ndistribution,q,2026-02,all,yes,60,\n"), std::string::npos);
  EXPECT_NE(csv.find("\ndistribution,q,2026-02,all,base,125,\n"), std::string::npos);
}

}  // namespace
}  // namespace candour::web
