#include "web/html.h"

#include <gtest/gtest.h>

namespace candour::web::html {
namespace {

TEST(HtmlTest, TextIsEscapedByConstruction) {
  const std::string title = "<script>alert('x')</script> & more";
  EXPECT_EQ(Element("h1").Text(title).str(),
            "<h1>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more</h1>");
  EXPECT_EQ(Fragment().Text(title).str(),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more");
}

TEST(HtmlTest, AttributeValuesCannotCloseTheirQuotes) {
  const std::string value = "x\" onmouseover=\"alert(1)' <b>";
  EXPECT_EQ(Element("a").Attr("href", value).Text("go").str(),
            "<a href=\"x&quot; onmouseover=&quot;alert(1)&#39; &lt;b&gt;\">go</a>");
}

TEST(HtmlTest, AttributesComeInTheOrderGivenWhateverTheOrderOfContent) {
  Element p("p");
  p.Text("a").Attr("class", "hint").Child(Element("strong").Text("b")).Attr("open");
  EXPECT_EQ(std::move(p).str(), "<p class=\"hint\" open>a<strong>b</strong></p>");
}

TEST(HtmlTest, VoidElementsAndSvgShapes) {
  EXPECT_EQ(Element("input").Attr("type", "hidden").str(), "<input type=\"hidden\">");
  EXPECT_EQ(Element("img").Attr("src", "/q.svg").str(), "<img src=\"/q.svg\">");
  EXPECT_EQ(Element("rect").Attr("x", "1").str(), "<rect x=\"1\"/>");
  EXPECT_EQ(Element("circle").Child(Element("title").Text("t")).str(),
            "<circle><title>t</title></circle>");
  EXPECT_EQ(Element("textarea").Attr("id", "a").str(), "<textarea id=\"a\"></textarea>");
  EXPECT_EQ(Element("td").str(), "<td></td>");
}

TEST(HtmlTest, MarkupAndFragmentsArePlacedAsTheyAre) {
  Fragment inner;
  inner.Text("1 < 2").Append(" &ndash; ").Append(Element("b").Text("&"));
  EXPECT_EQ(inner.str(), "1 &lt; 2 &ndash; <b>&amp;</b>");
  EXPECT_EQ(Element("p").Child(inner).str(), "<p>1 &lt; 2 &ndash; <b>&amp;</b></p>");
  // A fragment's text is escaped once, however often it is nested.
  EXPECT_EQ(Element("div").Child(Element("p").Child(inner)).str(),
            "<div><p>1 &lt; 2 &ndash; <b>&amp;</b></p></div>");
}

TEST(HtmlTest, LinesEndEachChildWithANewline) {
  EXPECT_EQ(Element("ul").Child("\n").Line(Element("li").Text("a")).str(),
            "<ul>\n<li>a</li>\n</ul>");
  EXPECT_EQ(Fragment().Line(Element("p")).Line(Element("p")).str(), "<p></p>\n<p></p>\n");
}

TEST(HtmlTest, EverythingElseIsUntouched) {
  // Only the five markup characters change: UTF-8, braces and entities' look-alikes stay.
  EXPECT_EQ(Fragment().Text("Güven {title} #1 100%").str(), "Güven {title} #1 100%");
  EXPECT_EQ(Fragment().Text("").str(), "");
}

}  // namespace
}  // namespace candour::web::html
