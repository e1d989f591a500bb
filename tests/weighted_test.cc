// Weighted figures over HTTP: a survey that declares population margins publishes, beside its
// unweighted figures (unchanged), weighted shares with their Wilson interval on the Kish n_eff,
// in the API, the results CSV, the dashboard and its CSV; and withholds them wherever the
// unweighted count or base is withheld, or n_eff is under the minimum base.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "stats/release.h"
#include "tests/csv_reader.h"
#include "tests/test_server.h"

namespace candour::testing {
namespace {

namespace json = boost::json;

// The notes' sex by age example: trust (yes/no), sex (m, f, prefer not), age (young, old),
// weighted to sex 480/520 and age 400/600.
constexpr char kDefinition[] = R"json({"id":"w","languages":["en"],"title":{"en":"Weighted"},
  "period":"month",
  "questions":[{"id":"trust","type":"single","text":{"en":"Trust?"},"options":[
      {"id":"yes","label":{"en":"Yes"}},{"id":"no","label":{"en":"No"}}]},
    {"id":"sex","type":"single","dimension":true,"text":{"en":"Sex?"},"options":[
      {"id":"m","label":{"en":"Man"}},{"id":"f","label":{"en":"Woman"}},
      {"id":"pn","label":{"en":"Prefer not to say"},"missing":true}]},
    {"id":"age","type":"single","dimension":true,"text":{"en":"Age?"},"options":[
      {"id":"young","label":{"en":"Young"}},{"id":"old","label":{"en":"Old"}}]}],
  "measures":[{"id":"trusting","question":"trust","positive":["yes"],
               "label":{"en":"Trust the police"}}],
  "population":{"sex":{"m":480,"f":520},"age":{"young":400,"old":600}},
  "population_source":{"en":"Example margins (approximate)"}})json";

class WeightedTest : public ::testing::Test {
 protected:
  WeightedTest()
      : server_([](server::ServerConfig& c) {
          c.now = [] { return std::chrono::sys_days{std::chrono::year{2026} / 11 / 25}; };
        }) {
    auto s = survey::ParseSurvey(kDefinition);
    EXPECT_TRUE(s.has_value()) << s.error();
    survey_ = *s;
    EXPECT_FALSE(server_.catalog().Put(server_.store(), std::move(*s)));
    // 2026-Q1: the worked example (weighted 0.558674, n_eff 98.65, [0.460320, 0.652629]).
    Add("2026-01", "m", "young", 20, 8);
    Add("2026-01", "m", "old", 30, 18);
    Add("2026-01", "f", "young", 15, 6);
    Add("2026-01", "f", "old", 35, 25);
    // 2025-Q2: so that rolling windows exist.
    Add("2025-04", "m", "young", 20, 10);
    Add("2025-04", "f", "old", 30, 15);
    // 2026-Q2: 50 young against 10 old: weights 8 and 60, n_eff 25.5 on a base of 60; the old
    // say yes 5 times (a small count, withheld).
    Add("2026-04", "m", "young", 25, 12);
    Add("2026-04", "f", "young", 25, 13);
    Add("2026-04", "m", "old", 5, 2);
    Add("2026-04", "f", "old", 5, 3);
  }
  void SetUp() override { ASSERT_EQ(server_.WaitForRelease("w").status, 200); }
  void Add(const std::string& month, const std::string& sex, const std::string& age, int n,
           int yes) {
    for (int i = 0; i < n; ++i) {
      server_.indexes().Add(survey_, month, "",
                            {{"trust", i < yes ? "yes" : "no"}, {"sex", sex}, {"age", age}});
    }
  }
  json::object Row(const json::value& results, const std::string& period,
                   const std::string& group) {
    for (const json::value& row : results.at("measures").at(0).at("rows").as_array()) {
      if (row.at("period") == period.c_str() && row.at("group") == group.c_str())
        return row.as_object();
    }
    ADD_FAILURE() << "no row " << period << " " << group;
    return {};
  }
  json::value Results(const std::string& query) {
    const HttpReply r = client_.Get("/api/surveys/w/results?" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }
  TestServer server_;
  HttpClient client_ = server_.Client();
  survey::Survey survey_;
};

TEST_F(WeightedTest, ApiCarriesWeightedFiguresBesideTheUnweighted) {
  const json::value v = Results("period=quarter");
  const json::object q1 = Row(v, "2026-Q1", "all");
  // The unweighted figures are as ever: 57 of 100.
  EXPECT_EQ(q1.at("positive").as_int64(), 57);
  EXPECT_EQ(q1.at("base").as_int64(), 100);
  EXPECT_DOUBLE_EQ(q1.at("share").as_double(), 0.57);
  // Weighted, rounded for display: 56% in [46%, 65%] on n_eff 98.
  const json::object& w = q1.at("weighted").as_object();
  EXPECT_DOUBLE_EQ(w.at("share").to_number<double>(), 0.56);
  EXPECT_DOUBLE_EQ(w.at("low").to_number<double>(), 0.46);
  EXPECT_DOUBLE_EQ(w.at("high").to_number<double>(), 0.65);
  EXPECT_DOUBLE_EQ(w.at("n_eff").to_number<double>(), 98);
  // 2026-Q2: the unweighted share on 60 is shown; n_eff 25.5 is under 30, so the weighted is not.
  const json::object q2 = Row(v, "2026-Q2", "all");
  EXPECT_EQ(q2.at("base").as_int64(), 60);
  EXPECT_TRUE(q2.at("share").is_double());
  EXPECT_TRUE(q2.at("weighted").at("share").is_null());
  EXPECT_EQ(q2.at("weighted").at("withheld"), "effective base under the minimum");
  // The method says how the weights are made, and how each period's raking went.
  const json::object& method = v.at("method").at("weighting").as_object();
  EXPECT_EQ(method.at("margins"), (json::array{"sex", "age"}));
  EXPECT_EQ(method.at("source"), "Example margins (approximate)");
  EXPECT_DOUBLE_EQ(method.at("trim_factor").to_number<double>(), 5);
  EXPECT_NE(method.at("note").as_string().find("n_eff"), json::string::npos);
  // 2026-Q1 converges; in 2025-Q2 every man is young and every woman old, so no weights meet
  // both margins, and the API says so rather than hiding it.
  std::map<std::string, bool> converged;
  for (const json::value& p : method.at("periods").as_array())
    converged[std::string(p.at("period").as_string())] = p.at("converged").as_bool();
  EXPECT_EQ(converged.size(), v.at("periods").as_array().size());
  EXPECT_TRUE(converged.at("2026-Q1"));
  EXPECT_FALSE(converged.at("2025-Q2"));
}

TEST_F(WeightedTest, GroupsGapsAndWithheldCellsByDimension) {
  const json::value v = Results("period=quarter&by=sex");
  // Men in 2026-Q1: weighted 0.509002 (0.51), gap to women -0.0955 (-0.10).
  const json::object men = Row(v, "2026-Q1", "m");

  EXPECT_DOUBLE_EQ(men.at("weighted").at("share").to_number<double>(), 0.51);
  EXPECT_DOUBLE_EQ(men.at("weighted").at("gap").at("difference").to_number<double>(), -0.10);
  // The old in 2026-Q2: 5 of 10 say yes, a small count: withheld, weighted or not.
  const json::value by_age = Results("period=quarter&by=age");
  const json::object old = Row(by_age, "2026-Q2", "old");
  ASSERT_TRUE(old.at("positive").is_object());
  EXPECT_TRUE(old.at("weighted").at("share").is_null());
  EXPECT_EQ(old.at("weighted").at("withheld").as_string(), stats::WithheldReason(10));
  EXPECT_FALSE(old.at("weighted").as_object().contains("low"));
}

TEST_F(WeightedTest, ResultsCsvCarriesTheWeightedRows) {
  const HttpReply r = client_.Get("/api/surveys/w/results.csv?period=quarter");
  ASSERT_EQ(r.status, 200);
  const Csv csv = ReadCsv(r.body);
  ASSERT_EQ(csv.error, "");
  auto find = [&](const std::string& period, const std::string& figure) {
    for (size_t i = 0; i < csv.rows.size(); ++i) {
      if (csv.At(i, "period") == period && csv.At(i, "group") == "all" &&
          csv.At(i, "figure") == figure)
        return i;
    }
    return csv.rows.size();
  };
  size_t i = find("2026-Q1", "weighted_share");
  ASSERT_LT(i, csv.rows.size());
  EXPECT_EQ(csv.At(i, "value"), "0.560000");
  EXPECT_EQ(csv.At(find("2026-Q1", "weighted_n_eff"), "value"), "98.000000");
  EXPECT_EQ(csv.At(find("2026-Q1", "share"), "value"), "0.570000");  // unweighted, unchanged
  i = find("2026-Q2", "weighted_share");
  ASSERT_LT(i, csv.rows.size());
  EXPECT_EQ(csv.At(i, "value"), "");
  EXPECT_EQ(csv.At(i, "suppressed"), "effective base under the minimum");
}

TEST_F(WeightedTest, DashboardShowsWeightedFirstAndSaysSo) {
  const HttpReply page = client_.Get("/r/w");
  ASSERT_EQ(page.status, 200);
  const std::string& b = page.body;
  const size_t lead = b.find("Weighted figures come first");
  ASSERT_NE(lead, std::string::npos) << b;
  const size_t weighted = b.find("<th scope=\"col\">Weighted share (95% interval)</th>");
  const size_t unweighted = b.find("<th scope=\"col\">Unweighted share</th>");
  ASSERT_NE(weighted, std::string::npos);
  ASSERT_NE(unweighted, std::string::npos);
  EXPECT_LT(weighted, unweighted);
  EXPECT_LT(weighted, lead);  // the summary table first, then what its weighting means
  // How to read it: weighted shares still describe, within each group, those who answered.
  EXPECT_NE(b.find("People chose to answer; weighting by "), std::string::npos);
  EXPECT_EQ(b.find("so the figures describe them, not everyone in the area"), std::string::npos);
  EXPECT_NE(b.find("Example margins (approximate)"), std::string::npos);  // the method note
  EXPECT_NE(b.find("effective base"), std::string::npos);

  const HttpReply measure = client_.Get("/r/w/trusting");
  ASSERT_EQ(measure.status, 200);
  EXPECT_NE(measure.body.find("<p class=\"headline weighted\">"), std::string::npos);
  EXPECT_NE(measure.body.find("Unweighted: "), std::string::npos);

  const HttpReply figures = client_.Get("/r/w/figures.csv");
  ASSERT_EQ(figures.status, 200);
  const Csv csv = ReadCsv(figures.body);
  ASSERT_EQ(csv.error, "");
  size_t q1 = csv.rows.size(), q2 = csv.rows.size();
  for (size_t i = 0; i < csv.rows.size(); ++i) {
    if (csv.At(i, "Chart") != "quarter") continue;
    if (csv.At(i, "Period code") == "2026-Q1") q1 = i;
    if (csv.At(i, "Period code") == "2026-Q2") q2 = i;
  }
  ASSERT_LT(q1, csv.rows.size());
  EXPECT_EQ(csv.At(q1, "Share (0 to 1)"), "0.570000");
  EXPECT_EQ(csv.At(q1, "Weighted share (0 to 1)"), "0.560000");
  EXPECT_EQ(csv.At(q1, "Weighted 95% interval low"), "0.460000");
  EXPECT_EQ(csv.At(q1, "Effective base (Kish)"), "98");
  ASSERT_LT(q2, csv.rows.size());
  EXPECT_EQ(csv.At(q2, "Weighted share (0 to 1)"), "");
  EXPECT_EQ(csv.At(q2, "Weighted note"), "effective base under 30");
}

}  // namespace
}  // namespace candour::testing
