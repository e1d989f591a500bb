#include "web/ui_text.h"

#include <gtest/gtest.h>

#include "web/assets.h"

namespace candour::web {
namespace {

TEST(UiTextTest, BuiltInTableIsCompleteInEveryLanguage) {
  auto parsed = UiText::Parse(UiStringsJson());
  ASSERT_TRUE(parsed.has_value()) << parsed.error();
  EXPECT_EQ(parsed->languages(), (std::vector<std::string>{"en", "tr", "pl"}));
  EXPECT_EQ(UiText::BuiltIn().Plain("tr", "language_name"), "Türkçe");
  EXPECT_EQ(UiText::BuiltIn().Plain("pl", "language_name"), "Polski");
  EXPECT_NE(UiText::BuiltIn().Plain("tr", "submit"), UiText::BuiltIn().Plain("en", "submit"));
}

TEST(UiTextTest, UnknownLanguageFallsBackToEnglish) {
  EXPECT_EQ(UiText::BuiltIn().Plain("de", "submit"), "Send my answers");
}

TEST(UiTextTest, HtmlEscapesTheTextAndTextArgumentsButPlacesBuiltHtml) {
  auto ui = UiText::Parse(R"({"en": {"k": "<b> {link} & {n}"}})");
  ASSERT_TRUE(ui.has_value()) << ui.error();
  EXPECT_EQ(ui->Html("en", "k",
                     {{"link", html::Element("a").Attr("href", "x").Text("<x>")}, {"n", "3 < 4"}})
                .str(),
            "&lt;b&gt; <a href=\"x\">&lt;x&gt;</a> &amp; 3 &lt; 4");
  EXPECT_EQ(ui->Plain("en", "k", {{"n", "3"}}), "<b> {link} & 3");
}

TEST(UiTextTest, ArgumentsAreNotSearchedForPlaceholders) {
  auto ui = UiText::Parse(R"({"en": {"k": "{a} then {b}, {a} again"}})");
  ASSERT_TRUE(ui.has_value()) << ui.error();
  // A survey title that looks like a placeholder is shown as it is.
  EXPECT_EQ(ui->Plain("en", "k", {{"a", "{b}"}, {"b", "B"}}), "{b} then B, {b} again");
  EXPECT_EQ(ui->Html("en", "k", {{"a", "{b}"}, {"b", "B"}}).str(), "{b} then B, {b} again");
}

TEST(UiTextTest, IncompleteTranslationsAreRefusedNamingTheKey) {
  EXPECT_EQ(UiText::Parse(R"({"en": {"a": "x", "b": "y"}, "tr": {"a": "x"}})").error(),
            "tr.b: missing");
  EXPECT_EQ(UiText::Parse(R"({"en": {"a": "{n} x"}, "tr": {"a": "x"}})").error(),
            "tr.a: expected the placeholders of the English text");
  EXPECT_EQ(UiText::Parse(R"({"en": {"a": "x"}, "tr": {"a": "x", "c": "z"}})").error(),
            "tr: has keys that English does not");
  EXPECT_EQ(UiText::Parse(R"({"en": {"a": ""}})").error(), "en.a: expected a non-empty string");
  EXPECT_EQ(UiText::Parse(R"({"tr": {"a": "x"}})").error(), "en: expected the English table");
}

}  // namespace
}  // namespace candour::web
