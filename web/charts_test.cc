#include "web/charts.h"

#include <gtest/gtest.h>

#include "tests/text_count.h"

namespace candour::web {
namespace {

using candour::testing::Count;

ChartPoint Shown(std::string label, double share) {
  return {std::move(label), "", true, share, share - 0.1, share + 0.1, false, ""};
}
ChartPoint Hidden(std::string label) {
  return {std::move(label), "", false, 0, 0, 0, true, "withheld"};
}
ChartPoint Few(std::string label) { return {std::move(label), "", false, 0, 0, 0, false, "few"}; }

ChartText Text() {
  ChartText t;
  t.id = "m-x-trend";
  t.title_id = "m-x-trend-t";
  t.description = "Jan <b>: 40%";
  t.lang = "en";
  return t;
}

TEST(ChartsTest, PercentRoundsToAWholeNumberInTheLanguagesWay) {
  EXPECT_EQ(Percent(0.375), "38%");
  EXPECT_EQ(Percent(0.4249), "42%");
  EXPECT_EQ(Percent(0), "0%");
  EXPECT_EQ(Percent(1, "pl"), "100%");
  EXPECT_EQ(Percent(0.32, "tr"), "%32");  // as ICU's tr locale writes it
}

TEST(ChartsTest, TrendRangeIsScaledToTheIntervals) {
  EXPECT_DOUBLE_EQ(RangeOf({Shown("a", 0.4), Shown("b", 0.6)}).lo, 0.3);
  EXPECT_DOUBLE_EQ(RangeOf({Shown("a", 0.4), Shown("b", 0.6)}).hi, 0.7);
  // At least 30 points wide, kept within 0 to 100%.
  EXPECT_DOUBLE_EQ(RangeOf({Shown("a", 0.95)}).lo, 0.7);
  EXPECT_DOUBLE_EQ(RangeOf({Shown("a", 0.95)}).hi, 1.0);
  EXPECT_DOUBLE_EQ(RangeOf({Hidden("a")}).lo, 0.0);
  EXPECT_DOUBLE_EQ(RangeOf({Hidden("a")}).hi, 1.0);
}

TEST(ChartsTest, ChartIsAnImageNamedByItsCaptionAndDescription) {
  const std::string html = TrendChart({Shown("Jan 2026", 0.4)}, Text()).str();
  EXPECT_NE(html.find("<div class=\"trend-drawing\" role=\"img\" "
                      "aria-labelledby=\"m-x-trend-t m-x-trend-d\">"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<p class=\"visually-hidden\" id=\"m-x-trend-d\">Jan &lt;b&gt;: 40%</p>"),
            std::string::npos);
  // Text is in CSS pixels: no SVG holding text has a viewBox.
  EXPECT_EQ(Count(html, "viewBox"), 1u);  // the band's, which holds no text
  EXPECT_EQ(html.find("viewBox=\"0 0 1000 216.0\" preserveAspectRatio=\"none\""),
            html.find("viewBox"));
}

TEST(ChartsTest, TrendBreaksItsLineWhereAShareIsNotShownAndMarksItLightly) {
  const std::string html =
      TrendChart({Shown("a", 0.4), Shown("b", 0.5), Hidden("c"), Shown("d", 0.6), Few("e")}, Text())
          .str();
  EXPECT_EQ(Count(html, "<polyline class=\"line\""), 1u);  // a-b; d alone has only its band
  EXPECT_EQ(Count(html, "<polygon class=\"band\""), 2u);
  EXPECT_EQ(Count(html, "<circle class=\"point\""), 3u);
  EXPECT_EQ(Count(html, "<circle class=\"not-shown-mark\""), 2u);  // c and e
  // The y axis runs from 30% to 70%: ticks every 10 points.
  EXPECT_NE(html.find(">30%</text>"), std::string::npos);
  EXPECT_NE(html.find(">70%</text>"), std::string::npos);
  EXPECT_EQ(html.find(">0%</text>"), std::string::npos);
}

TEST(ChartsTest, BarsOnePerGroupWithWhiskersFullLabelsAndAReferenceLine) {
  const std::string long_label = "A group whose name is far too long for the label column";
  ChartText text = Text();
  text.reference = true;
  text.reference_share = 0.3;
  text.reference_label = "Dashed line: everyone, 30%";
  const std::string html =
      BarsChart({Shown("<b>", 0.25), Hidden("hidden"), Few(long_label)}, text).str();
  EXPECT_EQ(Count(html, "<rect class=\"bar\""), 1u);
  EXPECT_NE(html.find("width=\"25.0%\""), std::string::npos);
  EXPECT_EQ(Count(html, "<line class=\"whisker\""), 3u);
  EXPECT_NE(html.find("<span class=\"bar-label\">&lt;b&gt;</span>"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"bar-value\">25%</span>"), std::string::npos);
  // A share not shown: the light marker and the one word where the bar would be.
  EXPECT_NE(html.find("<span class=\"bar-note\"><span class=\"marker-swatch\" "
                      "aria-hidden=\"true\"></span>withheld</span>"),
            std::string::npos)
      << html;
  // Long labels are kept whole: they wrap in their column.
  EXPECT_NE(html.find(">" + long_label + "</span>"), std::string::npos);
  EXPECT_EQ(Count(html, "<line class=\"reference\" x1=\"30.0%\""), 1u);
  EXPECT_NE(html.find("Dashed line: everyone, 30%</p>"), std::string::npos);
}

}  // namespace
}  // namespace candour::web
