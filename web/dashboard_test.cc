#include "web/dashboard.h"

#include <gtest/gtest.h>

#include "survey/demo_data.h"
#include "survey/index_coder.h"
#include "survey/release_cache.h"
#include "survey/stored_response.h"
#include "survey/template.h"
#include "tests/text_count.h"
#include "web/dashboard_model.h"
#include "web/test_release.h"

namespace candour::web {
namespace {

using candour::testing::Count;

class DashboardViewTest : public ::testing::Test {
 protected:
  DashboardView View(std::string measure = "", bool print = false, std::string lang = "en") {
    return {print, std::move(lang), std::move(measure)};
  }
  survey::Survey survey_ = testing::SmallSurvey();
  stats::Release release_ = testing::SmallRelease(survey_, true);
};

TEST_F(DashboardViewTest, ParsesOnlyTheViewsItDraws) {
  auto v = ParseDashboardView(survey_, {{"print", "1"}, {"lang", "tr"}, {"measure", "yes_share"}});
  ASSERT_TRUE(v.has_value()) << v.error();
  EXPECT_TRUE(v->print);
  EXPECT_EQ(v->measure, "yes_share");
  EXPECT_EQ(ParseDashboardView(survey_, {{"measure", "nope"}}).error(),
            "measure: there is no measure \"nope\"; allowed: print=1, measure=MEASURE "
            "(figures.csv), lang=LANGUAGE");
  EXPECT_TRUE(ParseDashboardView(survey_, {{"period", "month"}}));  // old links: ignored
  EXPECT_EQ(ParseDashboardView(survey_, {{"period", "all"}}).error(),
            "period: unknown parameter; allowed: print=1, measure=MEASURE (figures.csv), "
            "lang=LANGUAGE");
}

TEST_F(DashboardViewTest, PagesEscapeTheOrganisersTextByConstruction) {
  const std::string page = RenderDashboard(survey_, release_, View());
  EXPECT_EQ(page.find("<script>"), std::string::npos);
  EXPECT_NE(page.find("<h1>Results: Trust &lt;script&gt;&quot;x&quot;&lt;/script&gt;</h1>"),
            std::string::npos)
      << page.substr(0, 2000);
  EXPECT_NE(page.find(">=Say yes, &lt;b&gt;now&lt;/b&gt;</a></th>"), std::string::npos);
  const std::string measure = *RenderMeasurePage(survey_, release_, View("yes_share"));
  EXPECT_NE(measure.find("<h1>=Say yes, &lt;b&gt;now&lt;/b&gt;</h1>"), std::string::npos);
  EXPECT_NE(measure.find("<th scope=\"row\">Area &quot;B&quot;, north</th>"), std::string::npos);
  EXPECT_EQ(measure.find("<b>now</b>"), std::string::npos);
}

TEST_F(DashboardViewTest, SummaryOfTheLatestTwelveMonthsWithNoteAndLinks) {
  const std::string page = RenderDashboard(survey_, release_, View());
  // 12 months to Mar 2026 hold January and February: 105 of 245 = 42.9%, Wilson [36.8%, 49.1%].
  EXPECT_NE(page.find("<caption>Every measure: 12 months to Mar 2026</caption>"), std::string::npos)
      << page;
  EXPECT_NE(page.find("<tr><th scope=\"row\"><a href=\"/r/r/yes_share?lang=en\">"),
            std::string::npos);
  EXPECT_NE(page.find("<td data-label=\"Share\" class=\"share\">43%</td><td data-label=\"95% "
                      "interval\">37% to 49%</td><td data-label=\"Base\">245</td>"),
            std::string::npos);
  // A year before, 40 of 100: +2.9 points, an interval that includes 0. Area a's figures are
  // withheld, so no gap can be computed.
  EXPECT_NE(page.find("<td data-label=\"Change on the year before\"><span>no clear "
                      "change</span> <span class=\"interval\">"),
            std::string::npos);
  EXPECT_NE(page.find("<td data-label=\"Largest gap between groups\">not available</td>"),
            std::string::npos);
  EXPECT_NE(page.find("<section class=\"how-to-read\""), std::string::npos);
  EXPECT_NE(page.find("People chose to answer, so the figures describe them, not everyone in the "
                      "area."),
            std::string::npos);  // unweighted: said plainly
  EXPECT_NE(page.find("<a href=\"#method-heading\">How these figures are made</a>"),
            std::string::npos);
  EXPECT_NE(page.find("<section class=\"who-answered\""), std::string::npos);
  // Who answered: area b's 140 of the 245 who answered (57%), area a's withheld.
  EXPECT_NE(page.find("<tr><th scope=\"row\">Area &quot;B&quot;, north</th><td>140</td>"
                      "<td>57%</td></tr>"),
            std::string::npos);
  EXPECT_EQ(page.find("<figure"), std::string::npos);  // no measure's chart on the summary
  EXPECT_EQ(page.substr(page.size() - 24), "</main>\n</body>\n</html>\n");
}

TEST_F(DashboardViewTest, WithoutAYearBeforeTheSummaryHasNoChangeColumnButSaysWhy) {
  // The demo: a year of answers, so no rolling window has one a year before it.
  auto demo = survey::ParseSurvey(survey::TrustAndConfidenceTemplate());
  ASSERT_TRUE(demo.has_value()) << demo.error();
  const auto today = std::chrono::sys_days{std::chrono::year{2026} / 11 / 25};
  stats::ResponseIndex index(survey::IndexColumns(*demo));
  for (const std::string& stored : survey::DemoResponses(*demo, today, 2000)) {
    auto decoded = survey::DecodeStored(stored);
    ASSERT_TRUE(decoded.has_value());
    index.Add(decoded->period, decoded->src, survey::IndexCodes(*demo, decoded->answers));
  }
  const stats::Release first_year =
      stats::Release::Build(survey::ReleaseSpecOf(*demo, today), index);
  const std::string page = RenderDashboard(*demo, first_year, View());
  EXPECT_NE(page.find("<table class=\"summary no-change\">"), std::string::npos) << page;
  EXPECT_EQ(page.find("Change on the year before"), std::string::npos);
  EXPECT_NE(page.find("<p>No change on the year before is shown yet: it compares the latest 12 "
                      "months with the 12 before them"),
            std::string::npos);
  EXPECT_NE(page.find("<td data-label=\"Largest gap between groups\">"), std::string::npos);
  // The demo's Black respondents trust less: the summary names the group alone (no other
  // dimension has a group of that name), the measure page with its dimension.
  const std::string black = "Black, Black British, Black Welsh, Caribbean or African";
  EXPECT_NE(page.find("<span class=\"gap-group\">" + black + ":</span>"), std::string::npos);
  const std::string measure = *RenderMeasurePage(*demo, first_year, View("trust"));
  EXPECT_NE(measure.find("<span class=\"gap-group\">" + black + " (Ethnic group):</span>"),
            std::string::npos);
  // With a year before (the small fixture's), the column is there and the sentence is not.
  const std::string both = RenderDashboard(survey_, release_, View());
  EXPECT_NE(both.find("<table class=\"summary\">"), std::string::npos);
  EXPECT_EQ(both.find("No change on the year before is shown yet"), std::string::npos);
}

TEST_F(DashboardViewTest, MeasurePageTrendsBreakdownsAndTheirTables) {
  EXPECT_FALSE(RenderMeasurePage(survey_, release_, View("nope")));
  const std::string page = *RenderMeasurePage(survey_, release_, View("yes_share"));
  for (const char* id : {"m-yes_share-rolling", "m-yes_share-quarter", "m-yes_share-month"}) {
    EXPECT_NE(page.find(std::string("<figure class=\"chart trend\" id=\"") + id + "\">"),
              std::string::npos)
        << id;
  }
  EXPECT_NE(page.find("<tr><th scope=\"row\">Jan 2026</th><td>38%</td><td>29% to 46%</td>"
                      "<td>120</td></tr>"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("<th scope=\"row\">2025/26 Q4</th>"), std::string::npos);
  EXPECT_NE(page.find("<figure class=\"chart breakdown\" id=\"m-yes_share-area\">"),
            std::string::npos);
  EXPECT_EQ(Count(page, "<figure class=\"chart"), Count(page, "<table>"));
  // Every chart is an image, but the breakdown, whose every share is withheld (each area
  // answered unanimously), which says so instead.
  EXPECT_EQ(Count(page, "<figure class=\"chart"), 4u);
  EXPECT_EQ(Count(page, "role=\"img\" aria-labelledby="), 3u);
  EXPECT_EQ(Count(page, "<p class=\"note\">No share can be shown for this chart"), 1u);
  // Area a answered unanimously: withheld, marked lightly, explained once beside the chart.
  EXPECT_NE(page.find("<td class=\"suppressed\">withheld<span class=\"visually-hidden\">: "
                      "Withheld so that no small group can be picked out"),
            std::string::npos);
  EXPECT_EQ(Count(page, "<p class=\"key withheld-key\">"), 1u);
  EXPECT_EQ(page.find("Area A: 100%"), std::string::npos);
  EXPECT_NE(page.find("<a class=\"csv-download\" href=\"/r/r/figures.csv?lang=en&amp;"
                      "measure=yes_share\" download>"),
            std::string::npos);
}

TEST(PeriodLabelTest, MonthsFinancialQuartersAndRollingWindowsInEachLanguage) {
  using dashboard::PeriodLabel;
  using stats::Level;
  EXPECT_EQ(PeriodLabel("2026-01", Level::kMonth, "en"), "Jan 2026");
  EXPECT_EQ(PeriodLabel("2025-10", Level::kMonth, "pl"), "paź 2025");
  EXPECT_EQ(PeriodLabel("2026-08", Level::kMonth, "tr"), "Ağu 2026");
  // January to March is the fourth quarter of the financial year that began the April before.
  EXPECT_EQ(PeriodLabel("2026-Q1", Level::kQuarter, "en"), "2025/26 Q4");
  EXPECT_EQ(PeriodLabel("2026-Q2", Level::kQuarter, "en"), "2026/27 Q1");
  EXPECT_EQ(PeriodLabel("2099-Q4", Level::kQuarter, "en"), "2099/00 Q3");
  EXPECT_EQ(PeriodLabel("2026-Q3", Level::kQuarter, "tr"), "2026/27 2. çeyrek");
  EXPECT_EQ(PeriodLabel("2026-Q3", Level::kQuarter, "pl"), "II kw. 2026/27");
  EXPECT_EQ(PeriodLabel("2025-10/2026-09", Level::kRolling, "en"), "12 months to Sep 2026");
  EXPECT_EQ(PeriodLabel("2025-10/2026-09", Level::kRolling, "en", true), "Sep 2026");
  // Anything else is shown as it is.
  EXPECT_EQ(PeriodLabel("2026-13", Level::kMonth, "en"), "2026-13");
  EXPECT_EQ(PeriodLabel("2026-Q5", Level::kQuarter, "en"), "2026-Q5");
}

TEST_F(DashboardViewTest, PrintViewOpensTheTablesAndDropsTheControls) {
  const std::string page = *RenderMeasurePage(survey_, release_, View("yes_share", true));
  EXPECT_NE(page.find("<main class=\"dashboard print\">"), std::string::npos);
  EXPECT_NE(page.find("<details class=\"figures\" open><summary>"), std::string::npos);
  EXPECT_EQ(page.find("class=\"actions\""), std::string::npos);
  EXPECT_EQ(page.find("nav class=\"languages\""), std::string::npos);
}

TEST_F(DashboardViewTest, InTheReadersLanguageWithItsPeriodsAndPercentages) {
  const std::string page = *RenderMeasurePage(survey_, release_, View("yes_share", false, "tr"));
  EXPECT_NE(page.find("<html lang=\"tr\">"), std::string::npos);
  EXPECT_NE(page.find("Güven"), std::string::npos);
  EXPECT_NE(page.find("Bölge"), std::string::npos);
  EXPECT_NE(page.find("<th scope=\"row\">Oca 2026</th><td>%38</td>"), std::string::npos);
  EXPECT_NE(
      RenderUnknownMeasure(survey_, "pl", "x<y").find("W tej ankiecie nie ma wskaźnika „x&lt;y”."),
      std::string::npos);
}

TEST_F(DashboardViewTest, CsvQuotesAndNeutralisesTheOrganisersText) {
  const std::string csv = DashboardCsv(survey_, release_, View());
  EXPECT_EQ(csv.rfind("Measure code,Measure,Chart,Period code,Period,Group code,Group,Positive "
                      "answers,Base (answers counted),Share (0 to 1),95% interval low,95% interval "
                      "high,Note,Gap to everyone else,Gap interval low,Gap interval high,Gap "
                      "significant (1 or 0)\n",
                      0),
            0u);
  EXPECT_NE(
      csv.find("\nyes_share,\"'=Say yes, <b>now</b>\",month,2026-01,Jan 2026,all,Everyone who "
               "answered,45,120,0.375000,0.293524,0.464230,,,,,\n"),
      std::string::npos)
      << csv;
  // A withheld row: no share, and the one explanation as a field.
  EXPECT_NE(csv.find("\nyes_share,\"'=Say yes, <b>now</b>\",area,2025-04/2026-03,12 months to Mar "
                     "2026,a,Area A,,105,,,,"
                     "Withheld so that no small group can be picked out or worked out from other "
                     "figures.,,,,\n"),
            std::string::npos);
  EXPECT_NE(
      csv.find(",area,2025-04/2026-03,12 months to Mar 2026,b,\"Area \"\"B\"\", north\",,140,,,,"
               "Withheld"),
      std::string::npos);
}

TEST_F(DashboardViewTest, CsvInPolishNamesItsColumnsAndLabelsInPolish) {
  const std::string csv = DashboardCsv(survey_, release_, View("", false, "pl"));
  EXPECT_EQ(csv.rfind("Kod wskaźnika,Wskaźnik,Wykres,Kod okresu,Okres,Kod grupy,Grupa,", 0), 0u)
      << csv.substr(0, 300);
  // ISO code, then the Polish label; counts and shares as in every language.
  EXPECT_NE(csv.find(",quarter,2026-Q1,IV kw. 2025/26,all,Wszyscy odpowiadający,105,245,0.428571,"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",month,2026-01,sty 2026,all,"), std::string::npos);
  EXPECT_NE(csv.find(",area,2025-04/2026-03,12 miesięcy do mar 2026,b,"), std::string::npos);
}

TEST_F(DashboardViewTest, NoCompleteQuarterYetAndNotPublic) {
  stats::ResponseIndex empty(survey::IndexColumns(survey_));
  const auto none = stats::Release::Build(
      survey::ReleaseSpecOf(survey_, std::chrono::sys_days{std::chrono::year{2026} / 1 / 2}),
      empty);
  const std::string page = RenderDashboard(survey_, none, View());
  EXPECT_NE(page.find("<p><a href=\"/s/r\">"), std::string::npos);
  EXPECT_EQ(page.find("<table"), std::string::npos);
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
  EXPECT_EQ(RenderNotPublic(survey_, "en").find("refresh"), std::string::npos);
}

}  // namespace
}  // namespace candour::web
