#include "web/dashboard.h"

#include <gtest/gtest.h>

#include "tests/text_count.h"
#include "web/test_release.h"

namespace candour::web {
namespace {

using candour::testing::Count;

class DashboardViewTest : public ::testing::Test {
 protected:
  DashboardView View(stats::Level level, bool print = false, std::string lang = "en") {
    return {level, print, std::move(lang)};
  }
  survey::Survey survey_ = testing::SmallSurvey();
  stats::Release release_ = testing::SmallRelease(survey_);
};

TEST_F(DashboardViewTest, ParsesOnlyTheViewsItDraws) {
  auto v = ParseDashboardView({{"period", "month"}, {"print", "1"}, {"lang", "tr"}});
  ASSERT_TRUE(v.has_value()) << v.error();
  EXPECT_EQ(v->level, stats::Level::kMonth);
  EXPECT_TRUE(v->print);
  EXPECT_EQ(ParseDashboardView({})->level, stats::Level::kQuarter);
  EXPECT_EQ(ParseDashboardView({{"period", "all"}}).error(),
            "period: unknown period \"all\"; allowed: period=month|quarter|rolling, print=1, "
            "lang=LANGUAGE");
  EXPECT_EQ(ParseDashboardView({{"by", "area"}}).error(),
            "by: unknown parameter; allowed: period=month|quarter|rolling, print=1, lang=LANGUAGE");
}

TEST_F(DashboardViewTest, PageEscapesTheOrganisersTextByConstruction) {
  const std::string page = RenderDashboard(survey_, release_, View(stats::Level::kMonth));
  EXPECT_EQ(page.find("<script>"), std::string::npos);
  EXPECT_NE(page.find("<h1>Results: Trust &lt;script&gt;&quot;x&quot;&lt;/script&gt;</h1>"),
            std::string::npos)
      << page.substr(0, 2000);
  EXPECT_NE(page.find("<h2>=Say yes, &lt;b&gt;now&lt;/b&gt;</h2>"), std::string::npos);
  EXPECT_NE(page.find("<th scope=\"row\">Area &quot;B&quot;, north</th>"), std::string::npos);
  EXPECT_EQ(page.find("<b>now</b>"), std::string::npos);
}

TEST_F(DashboardViewTest, HeadlineTrendBreakdownAndMethod) {
  const std::string page = RenderDashboard(survey_, release_, View(stats::Level::kMonth));
  EXPECT_NE(page.find("<section class=\"measure\" id=\"m-yes_share\">\n<h2>"), std::string::npos);
  EXPECT_NE(page.find("<p class=\"headline\"><span class=\"share\">43%</span> <span "
                      "class=\"detail\">95% interval 37% to 49%, based on 245 answers. "),
            std::string::npos);
  EXPECT_NE(page.find("<figure class=\"chart trend\" id=\"m-yes_share-trend\">\n<figcaption>"),
            std::string::npos);
  EXPECT_NE(page.find("<tr><th scope=\"row\">2026-01</th><td>38%</td><td>29% &ndash; 46%</td>"
                      "<td>120</td></tr>"),
            std::string::npos);
  EXPECT_NE(page.find("<figure class=\"chart breakdown\" id=\"m-yes_share-area\">"),
            std::string::npos);
  EXPECT_EQ(Count(page, "<figure class=\"chart"), Count(page, "<table>"));
  EXPECT_EQ(Count(page, "<svg"), Count(page, "role=\"img\" aria-labelledby="));
  EXPECT_NE(page.find("<td class=\"suppressed\">withheld<span class=\"visually-hidden\">: "
                      "Withheld to protect"),
            std::string::npos);
  EXPECT_NE(page.find("<p class=\"withheld-key suppressed\"><span class=\"swatch\" "
                      "aria-hidden=\"true\"></span>Withheld to protect"),
            std::string::npos);
  EXPECT_NE(page.find("<a class=\"csv-download\" href=\"/r/r/figures.csv?period=month&amp;lang=en\""
                      " download>"),
            std::string::npos);
  EXPECT_NE(page.find("<a href=\"/r/r?period=month&amp;lang=en\" aria-current=\"page\">"),
            std::string::npos);
  EXPECT_NE(page.find("<section class=\"method\" aria-labelledby=\"method-heading\">"),
            std::string::npos);
  EXPECT_EQ(page.substr(page.size() - 24), "</main>\n</body>\n</html>\n");
}

TEST_F(DashboardViewTest, PrintViewOpensTheTablesAndDropsTheControls) {
  const std::string page = RenderDashboard(survey_, release_, View(stats::Level::kQuarter, true));
  EXPECT_NE(page.find("<main class=\"dashboard print\">"), std::string::npos);
  EXPECT_NE(page.find("<details class=\"figures\" open><summary>"), std::string::npos);
  EXPECT_EQ(page.find("period-switch"), std::string::npos);
  EXPECT_EQ(page.find("nav class=\"languages\""), std::string::npos);
}

TEST_F(DashboardViewTest, InTheReadersLanguage) {
  const std::string page =
      RenderDashboard(survey_, release_, View(stats::Level::kQuarter, false, "tr"));
  EXPECT_NE(page.find("<html lang=\"tr\">"), std::string::npos);
  EXPECT_NE(page.find("Güven"), std::string::npos);
  EXPECT_NE(page.find("Bölge"), std::string::npos);
}

TEST_F(DashboardViewTest, CsvQuotesAndNeutralisesTheOrganisersText) {
  const std::string csv = DashboardCsv(survey_, release_, View(stats::Level::kMonth));
  EXPECT_EQ(csv.rfind("measure,measure_label,chart,period,group,label,positive,base,share,low,high,"
                      "note,gap,gap_low,gap_high,gap_significant\n",
                      0),
            0u);
  EXPECT_NE(csv.find("\nyes_share,\"'=Say yes, <b>now</b>\",trend,2026-01,all,2026-01,45,120,"
                     "0.375000,0.293524,0.464230,,,,,\n"),
            std::string::npos)
      << csv;
  // A withheld row: no share, and the reason (which has a comma) as one quoted field.
  EXPECT_NE(
      csv.find("\nyes_share,\"'=Say yes, <b>now</b>\",area,2026-Q1,a,Area A,,105,,,,\"Withheld "
               "to protect the people who answered: fewer than 10 responses, or a figure "
               "that would reveal them.\",,,,\n"),
      std::string::npos);
  EXPECT_NE(csv.find(",area,2026-Q1,b,\"Area \"\"B\"\", north\",,140,,,,\"Withheld"),
            std::string::npos);
}

TEST_F(DashboardViewTest, NoCompletedMonthYetAndNotPublic) {
  stats::ResponseIndex empty(survey::IndexColumns(survey_));
  const auto none = stats::Release::Build(
      survey::ReleaseSpecOf(survey_, std::chrono::sys_days{std::chrono::year{2026} / 1 / 2}),
      empty);
  const std::string page = RenderDashboard(survey_, none, View(stats::Level::kQuarter));
  EXPECT_NE(page.find("<p><a href=\"/s/r\">"), std::string::npos);
  EXPECT_EQ(page.find("<figure"), std::string::npos);
  const std::string csv = DashboardCsv(survey_, none, View(stats::Level::kQuarter));
  EXPECT_EQ(Count(csv, "\n"), 1u) << csv;  // the header only: no period is complete
  EXPECT_EQ(csv.rfind("measure,measure_label,chart,period,", 0), 0u) << csv;
  const std::string not_public = RenderNotPublic(survey_, "en");
  EXPECT_NE(not_public.find("<h1>Results: Trust &lt;script&gt;"), std::string::npos);
}

TEST_F(DashboardViewTest, BeingPreparedPageReloadsItselfWithoutScriptInEachLanguage) {
  for (const auto& [lang, text] :
       std::vector<std::pair<std::string, std::string>>{{"en", "The results are being prepared."},
                                                        {"tr", "Sonuçlar hazırlanıyor."},
                                                        {"pl", "Wyniki są przygotowywane."}}) {
    const std::string page = RenderPreparing(survey_, lang, 5);
    EXPECT_NE(page.find("<html lang=\"" + lang + "\">"), std::string::npos) << page;
    EXPECT_NE(page.find("<meta http-equiv=\"refresh\" content=\"5\">"), std::string::npos) << page;
    EXPECT_NE(page.find(text), std::string::npos) << page;
    EXPECT_EQ(page.find("<script"), std::string::npos);
  }
  EXPECT_NE(RenderPreparing(survey_, "en", 5).find("<h1>Results: Trust &lt;script&gt;"),
            std::string::npos);
  // No other page reloads itself.
  EXPECT_EQ(RenderNotPublic(survey_, "en").find("refresh"), std::string::npos);
}

}  // namespace
}  // namespace candour::web
