#include "web/pages.h"

#include <gtest/gtest.h>

#include "tests/text_count.h"
#include "web/test_release.h"
#include "web/ui_text.h"

namespace candour::web {
namespace {

using candour::testing::Count;

survey::Survey FormSurvey() {
  auto s = survey::ParseSurvey(R"({"id":"f","languages":["en","tr"],
    "title":{"en":"Hi <script>alert(\"x\")</script>"},"intro":{"en":"Tell us & see"},
    "questions":[
      {"id":"pick","type":"multi","text":{"en":"Pick \"some\""},"options":[
        {"id":"a","label":{"en":"<i>A</i>"}},{"id":"b","label":{"en":"B"}}]},
      {"id":"rate","type":"scale","min":1,"max":3,"text":{"en":"Rate"}},
      {"id":"why","type":"text","max_length":200,"text":{"en":"Why?"}}]})");
  EXPECT_TRUE(s.has_value()) << s.error();
  return s ? *s : survey::Survey();
}

TEST(PagesTest, FormEscapesEverythingTheOrganiserWrote) {
  const survey::Rejection error{"pick", "pick: <b>bad</b>"};
  const std::string page = RenderForm(FormSurvey(), "en", "hall-1", &error, "c\"ode");
  EXPECT_EQ(page.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.find("<title>Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</title>"),
            std::string::npos);
  EXPECT_NE(page.find("<h1>Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</h1>"),
            std::string::npos);
  EXPECT_NE(page.find("<p>Tell us &amp; see</p>"), std::string::npos);
  EXPECT_NE(page.find("<legend>Pick &quot;some&quot;</legend>"), std::string::npos);
  EXPECT_NE(page.find("<label for=\"pick-a\">&lt;i&gt;A&lt;/i&gt;</label>"), std::string::npos);
  EXPECT_NE(page.find("<p>pick: &lt;b&gt;bad&lt;/b&gt;</p>"), std::string::npos);
  EXPECT_NE(page.find("<input type=\"hidden\" name=\"code\" value=\"c&quot;ode\">"),
            std::string::npos);
  EXPECT_NE(page.find("<input type=\"hidden\" name=\"src\" value=\"hall-1\">"), std::string::npos);
}

TEST(PagesTest, FormHasEveryKindOfQuestion) {
  const std::string page = RenderForm(FormSurvey(), "en", "", nullptr);
  EXPECT_EQ(page.rfind("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">", 0),
            0u);
  EXPECT_NE(page.find("<script src=\"/static/candour.js\" defer></script>"), std::string::npos);
  EXPECT_EQ(page.substr(page.size() - 24), "</main>\n</body>\n</html>\n");
  EXPECT_NE(page.find("<a class=\"quick-exit\" href=\"https://www.bbc.co.uk/weather\" "
                      "rel=\"noreferrer noopener\">"),
            std::string::npos);
  EXPECT_NE(page.find("<form method=\"post\" action=\"/s/f/responses\" accept-charset=\"utf-8\">"),
            std::string::npos);
  EXPECT_EQ(Count(page, "<input type=\"checkbox\""), 2u);
  EXPECT_NE(page.find("<div class=\"option\"><input type=\"radio\" id=\"rate-3\" name=\"rate\" "
                      "value=\"3\"><label for=\"rate-3\">3</label></div>"),
            std::string::npos);
  EXPECT_NE(page.find("<textarea id=\"why\" name=\"why\" rows=\"4\" maxlength=\"200\" "
                      "aria-describedby=\"why-hint\"></textarea>"),
            std::string::npos);
  EXPECT_NE(page.find("<p class=\"form-length\" id=\"form-progress\" data-progress=\""),
            std::string::npos);
  EXPECT_NE(page.find("data-total=\"3\">"), std::string::npos);
  EXPECT_EQ(page.find("name=\"src\""), std::string::npos);
  EXPECT_EQ(page.find("error-summary"), std::string::npos);
  EXPECT_NE(page.find("<section class=\"privacy\" aria-labelledby=\"privacy-heading\">"),
            std::string::npos);
}

survey::Survey ConditionalSurvey() {
  auto s = survey::ParseSurvey(R"({"id":"c","languages":["en","tr"],"title":{"en":"C"},
    "questions":[
      {"id":"stopped","type":"single","text":{"en":"Were you <stopped>?","tr":"Durduruldunuz mu?"},
        "options":[{"id":"yes","label":{"en":"Yes & more","tr":"Evet"}},
        {"id":"no","label":{"en":"No","tr":"Hayır"}},{"id":"maybe","label":{"en":"Maybe"}}]},
      {"id":"contact","type":"single","short":{"en":"Contact"},"text":{"en":"Any contact?"},
        "options":[{"id":"y","label":{"en":"Y"}},{"id":"n","label":{"en":"N"}}]},
      {"id":"respect","type":"single","text":{"en":"Respect?"},
        "when":{"question":"stopped","answers":["yes"]},
        "options":[{"id":"a","label":{"en":"A"}}]},
      {"id":"rate","type":"scale","min":0,"max":2,"text":{"en":"Rate"},
        "when":{"question":"stopped","answers":["yes","no","maybe"]}},
      {"id":"why","type":"text","text":{"en":"Why?"},"when":{"question":"contact","answers":["y"]}},
      {"id":"other","type":"single","text":{"en":"Other"},"options":[{"id":"o","label":{"en":"O"}}]}]})");
  EXPECT_TRUE(s.has_value()) << s.error();
  return s ? *s : survey::Survey();
}

TEST(PagesTest, ConditionalQuestionsSayWhoTheyAreFor) {
  const std::string page = RenderForm(ConditionalSurvey(), "en", "", nullptr);
  // Part of the fieldset's description, right under its legend; escaped like any text.
  EXPECT_NE(page.find("<fieldset aria-describedby=\"respect-when\">\n<legend>Respect?</legend>\n"
                      "<p class=\"hint condition\" id=\"respect-when\">Only if you answered "
                      "“Yes &amp; more” to “Were you &lt;stopped&gt;?”.</p>\n"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("<fieldset aria-describedby=\"rate-when\">\n<legend>Rate</legend>\n"
                      "<p class=\"hint condition\" id=\"rate-when\">Only if you answered "
                      "“Yes &amp; more”, “No” or “Maybe” to “Were you &lt;stopped&gt;?”.</p>\n"
                      "<p class=\"hint\">From 0 to 2.</p>"),
            std::string::npos)
      << page;
  // A text question: the label, then the line; the textarea is described by both hints. The
  // condition's question is named by its short text.
  EXPECT_NE(page.find("<label class=\"block\" for=\"why\">Why?</label>\n<p class=\"hint "
                      "condition\" id=\"why-when\">Only if you answered “Y” to “Contact”.</p>\n"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("<textarea id=\"why\" name=\"why\" rows=\"4\" maxlength=\"1000\" "
                      "aria-describedby=\"why-when why-hint\"></textarea>"),
            std::string::npos);
  // Everyone sees every question, and nothing else changes for the others.
  EXPECT_NE(page.find("name=\"respect\""), std::string::npos);
  EXPECT_EQ(Count(page, "class=\"hint condition\""), 3u);
  EXPECT_EQ(Count(page, "<fieldset>"), 3u);  // stopped, contact, other
  EXPECT_NE(page.find("data-total=\"6\">"), std::string::npos);
}

TEST(PagesTest, ConditionLinesAreInThePagesLanguage) {
  const std::string page = RenderForm(ConditionalSurvey(), "tr", "", nullptr);
  EXPECT_NE(page.find("id=\"respect-when\">Yalnızca “Durduruldunuz mu?” sorusuna “Evet” "
                      "yanıtını verenler için.</p>"),
            std::string::npos)
      << page;
  // Texts missing in Turkish fall back to the survey's first language, as everywhere.
  EXPECT_NE(page.find("id=\"rate-when\">Yalnızca “Durduruldunuz mu?” sorusuna “Evet”, “Hayır” "
                      "veya “Maybe” yanıtını verenler için.</p>"),
            std::string::npos)
      << page;
}

TEST(PagesTest, EveryLanguageHasTheConditionLine) {
  // Texts in English only, so every language shows the same question and answer.
  auto s = survey::ParseSurvey(R"({"id":"c","languages":["en"],"title":{"en":"C"},
    "questions":[
      {"id":"stopped","type":"single","text":{"en":"Were you <stopped>?"},
        "options":[{"id":"yes","label":{"en":"Yes & more"}},{"id":"no","label":{"en":"No"}}]},
      {"id":"respect","type":"single","text":{"en":"Respect?"},
        "when":{"question":"stopped","answers":["yes"]},
        "options":[{"id":"a","label":{"en":"A"}}]}]})");
  ASSERT_TRUE(s.has_value()) << s.error();
  for (const std::string& lang : UiText::BuiltIn().languages()) {
    const std::string page = RenderForm(*s, lang, "", nullptr);
    const size_t at = page.find("id=\"respect-when\">");
    ASSERT_NE(at, std::string::npos) << lang;
    const std::string line = page.substr(at, page.find("</p>", at) - at);
    EXPECT_NE(line.find("Were you &lt;stopped&gt;?"), std::string::npos) << line;
    EXPECT_NE(line.find("Yes &amp; more"), std::string::npos) << line;
    EXPECT_EQ(line.find('{'), std::string::npos) << line;  // every placeholder filled
  }
}

TEST(PagesTest, LanguageSwitchNamesEachLanguageInItself) {
  const std::string nav = LanguageSwitch(FormSurvey(), "tr", "/s/f", "hall-1").str();
  EXPECT_NE(nav.find("<a href=\"/s/f?lang=en&amp;src=hall-1\" hreflang=\"en\" lang=\"en\">"
                     "English</a>"),
            std::string::npos)
      << nav;
  EXPECT_NE(nav.find("hreflang=\"tr\" lang=\"tr\" aria-current=\"page\">Türkçe</a>"),
            std::string::npos);
  survey::Survey one = FormSurvey();
  one.languages = {"en"};
  EXPECT_TRUE(LanguageSwitch(one, "en", "/s/f", "").empty());
}

TEST(PagesTest, PosterSpellsTheLinkOutEscaped) {
  const std::string page = RenderPoster(FormSurvey(), "en", "hall-1", "https://x/s/f?a=1&b=\"2\"");
  EXPECT_NE(page.find("<img class=\"poster-qr\" src=\"/s/f/qr.svg?src=hall-1\" alt=\""),
            std::string::npos);
  // Wrapping, if it must, before the query.
  EXPECT_NE(page.find("<strong>https://x/s/f<wbr>?a=1&amp;b=&quot;2&quot;</strong>"),
            std::string::npos)
      << page;
  EXPECT_EQ(page.find("b=\"2\""), std::string::npos);
  EXPECT_EQ(page.find("quick-exit"), std::string::npos);  // a poster is printed, not browsed
}

// A monthly survey keeps the month of each answer: its poster must not promise the week.
TEST(PagesTest, PosterSaysWhichPeriodIsKept) {
  survey::Survey s = FormSurvey();
  EXPECT_NE(RenderPoster(s, "en", "", "https://x/s/f").find("and the week you answered"),
            std::string::npos);
  s.period = stats::PeriodKind::kMonth;
  const std::string en = RenderPoster(s, "en", "", "https://x/s/f");
  EXPECT_NE(en.find("and the month you answered"), std::string::npos) << en;
  EXPECT_EQ(en.find("week"), std::string::npos) << en;
  EXPECT_NE(RenderPoster(s, "tr", "", "https://x/s/f").find("yanıt verdiğiniz ayı"),
            std::string::npos);
}

TEST(PagesTest, ThanksMessageAndIndex) {
  survey::Survey s = FormSurvey();
  s.public_results = true;
  const std::string thanks = RenderThanks(s, "en");
  EXPECT_NE(thanks.find("Hi &lt;script&gt;"), std::string::npos);
  EXPECT_NE(thanks.find("<a href=\"/r/f?lang=en\">"), std::string::npos);
  s.public_results = false;
  EXPECT_EQ(RenderThanks(s, "en").find("/r/f"), std::string::npos);

  const std::string message = RenderMessage("Closed <now>", "Come back & try", "tr");
  EXPECT_NE(message.find("<html lang=\"tr\">"), std::string::npos);
  EXPECT_NE(
      message.find("<main>\n<h1>Closed &lt;now&gt;</h1>\n<p>Come back &amp; try</p>\n</main>"),
      std::string::npos);

  const std::string index = RenderIndex({{"a", "A & B", true}, {"b", "<b>", false}});
  EXPECT_NE(index.find("<li><a href=\"/s/a\">A &amp; B</a> &middot; <a href=\"/r/a\">results</a>"
                       "</li>\n<li><a href=\"/s/b\">&lt;b&gt;</a></li>"),
            std::string::npos)
      << index;
  EXPECT_NE(RenderIndex({}).find("There are no open surveys."), std::string::npos);
}

TEST(PagesTest, CodeEntrySaysWhatWasWrong) {
  const std::string page = RenderCodeEntry(FormSurvey(), "en", "code_spent");
  EXPECT_NE(page.find("<div class=\"error-summary\" role=\"alert\">"), std::string::npos);
  EXPECT_NE(page.find("<form method=\"get\" action=\"/s/f\">"), std::string::npos);
  EXPECT_NE(page.find("<input class=\"code-input\" type=\"text\" id=\"code\" name=\"code\""),
            std::string::npos);
  EXPECT_EQ(RenderCodeEntry(FormSurvey(), "en", "").find("error-summary"), std::string::npos);
}

TEST(PagesTest, CodeSheetAndCodesCsv) {
  const auto link = [](const std::string& code) { return "http://x/s/f?code=" + code; };
  const std::string sheet = RenderCodeSheet(FormSurvey(), {"abc", "d<e"}, link);
  EXPECT_EQ(Count(sheet, "<li class=\"code-card\"><p class=\"card-title\">"), 2u);
  EXPECT_EQ(Count(sheet, "<svg xmlns="), 2u);
  EXPECT_NE(sheet.find("<p class=\"card-code\">d&lt;e</p>"), std::string::npos);
  // One sentence of instruction naming the plain link; the file needs nothing from the service.
  EXPECT_NE(sheet.find("go to http://x/s/f?code= and type the code"), std::string::npos);
  EXPECT_EQ(sheet.find("/static/"), std::string::npos);
  EXPECT_NE(sheet.find("<style>"), std::string::npos);
  EXPECT_NE(sheet.find("shown only once"), std::string::npos);
  // Pages of kCodeCardsPerPage cards.
  const std::vector<std::string> many(kCodeCardsPerPage + 1, "abc");
  EXPECT_EQ(Count(RenderCodeSheet(FormSurvey(), many, link), "<section class=\"sheet-page\""), 2u);
  EXPECT_EQ(CodesCsv({"abc", "=x,y"}, link),
            "code,link\nabc,http://x/s/f?code=abc\n\"'=x,y\",\"http://x/s/f?code==x,y\"\n");
}

}  // namespace
}  // namespace candour::web
