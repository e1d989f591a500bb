#include "web/charts.h"

#include <gtest/gtest.h>

#include "tests/text_count.h"

namespace candour::web {
namespace {

using candour::testing::Count;

ChartPoint Shown(std::string label, double share) {
  return {std::move(label), true, share, share - 0.1, share + 0.1, false, ""};
}
ChartPoint Hidden(std::string label) {
  return {std::move(label), false, 0, 0, 0, true, "withheld"};
}
ChartPoint Few(std::string label) { return {std::move(label), false, 0, 0, 0, false, "few"}; }

const ChartText kText{"m-x-trend", "Say yes <by month>", "Jan: 40%", "Withheld, \"to protect\""};

TEST(ChartsTest, PercentRoundsToAWholeNumber) {
  EXPECT_EQ(Percent(0.375), "38%");
  EXPECT_EQ(Percent(0.4249), "42%");
  EXPECT_EQ(Percent(0), "0%");
  EXPECT_EQ(Percent(1), "100%");
}

TEST(ChartsTest, ChartIsAnImageNamedByItsTitleAndDescription) {
  const std::string svg = TrendSvg({Shown("2026-01", 0.4)}, kText).str();
  EXPECT_EQ(svg.rfind("<svg class=\"chart-svg\" viewBox=\"0 0 640 250\" role=\"img\" "
                      "aria-labelledby=\"m-x-trend-t m-x-trend-d\" focusable=\"false\">\n",
                      0),
            0u)
      << svg;
  EXPECT_NE(svg.find("<title id=\"m-x-trend-t\">Say yes &lt;by month&gt;</title>"),
            std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"m-x-trend-d\">Jan: 40%</desc>"), std::string::npos);
  EXPECT_EQ(svg.substr(svg.size() - 6), "</svg>");
}

TEST(ChartsTest, TrendBreaksItsLineWhereAShareIsNotShown) {
  const std::string svg =
      TrendSvg({Shown("a", 0.4), Shown("b", 0.5), Hidden("c"), Shown("d", 0.6), Few("e")}, kText)
          .str();
  EXPECT_EQ(Count(svg, "<polyline class=\"line\""), 2u);  // a-b, then d alone
  EXPECT_EQ(Count(svg, "<polygon class=\"band\""), 2u);
  EXPECT_EQ(Count(svg, "<circle class=\"point\""), 3u);
  EXPECT_NE(svg.find("<title>a: 40% (30% - 50%)</title>"), std::string::npos);
  // The withheld point is marked with the one reason (escaped); the small base is a gap.
  EXPECT_EQ(Count(svg, "<g class=\"suppressed\"><title>Withheld, &quot;to protect&quot;</title>"),
            1u);
  EXPECT_NE(svg.find("<line class=\"gap\""), std::string::npos);
  EXPECT_NE(svg.find("<title>e: few</title>"), std::string::npos);
}

TEST(ChartsTest, BarsOnePerGroupWithWhiskersAndLabelsFitted) {
  const std::string long_label = "A group whose name is far too long for the label column";
  const std::string svg =
      BarsSvg({Shown("<b>", 0.25), Hidden("hidden"), Few(long_label)}, kText).str();
  EXPECT_NE(svg.find("viewBox=\"0 0 640 124\""), std::string::npos) << svg;  // 3 rows
  EXPECT_EQ(Count(svg, "<rect class=\"bar\""), 1u);
  EXPECT_EQ(Count(svg, "<path class=\"whisker\""), 1u);
  EXPECT_NE(svg.find(">&lt;b&gt;</text>"), std::string::npos);
  EXPECT_NE(svg.find("<text class=\"value\""), std::string::npos);
  EXPECT_NE(svg.find(">25%</text>"), std::string::npos);
  EXPECT_NE(svg.find("<rect class=\"withheld-box\""), std::string::npos);
  EXPECT_NE(svg.find(">withheld</text></g>"), std::string::npos);
  // Long labels are cut at 30 characters with an ellipsis; the table has them in full.
  EXPECT_NE(svg.find(">A group whose name is far too\u2026</text>"), std::string::npos);
  EXPECT_NE(svg.find(">few</text>"), std::string::npos);
}

}  // namespace
}  // namespace candour::web
