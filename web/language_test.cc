#include "web/language.h"

#include <gtest/gtest.h>

namespace candour::web {
namespace {

survey::Survey InLanguages(std::vector<std::string> languages) {
  survey::Survey s;
  s.languages = std::move(languages);
  return s;
}

TEST(LanguageTest, QueryParameterWinsWhenTheSurveyHasIt) {
  const auto s = InLanguages({"en", "tr", "pl"});
  EXPECT_EQ(ChooseLanguage(s, "pl", "tr"), "pl");
  EXPECT_EQ(ChooseLanguage(s, "de", "tr"), "tr");  // not offered: Accept-Language decides
  EXPECT_EQ(ChooseLanguage(s, "PL", ""), "en");    // ?lang= is matched exactly
}

TEST(LanguageTest, HighestQualityOfferedLanguage) {
  const auto s = InLanguages({"en", "tr", "pl"});
  EXPECT_EQ(ChooseLanguage(s, "", "de-DE,de;q=0.9,pl;q=0.5,tr;q=0.7"), "tr");
  EXPECT_EQ(ChooseLanguage(s, "", "pl;q=0.5, tr;q=0.5"), "pl");  // the first of equals
  EXPECT_EQ(ChooseLanguage(s, "", "TR-tr"), "tr");               // primary subtag, any case
  EXPECT_EQ(ChooseLanguage(s, "", "tr;q=0, pl;q=0.1"), "pl");    // q=0 means "not this"
}

TEST(LanguageTest, OtherwiseTheSurveysDefault) {
  const auto s = InLanguages({"tr", "en"});
  EXPECT_EQ(ChooseLanguage(s, "", ""), "tr");
  EXPECT_EQ(ChooseLanguage(s, "", "de, fr;q=0.8"), "tr");
  EXPECT_EQ(ChooseLanguage(s, "", "tr;q=0"), "tr");  // refused, but it is the default anyway
  EXPECT_EQ(ChooseLanguage(s, "", ",;q=,;"), "tr");  // malformed: ignored
}

}  // namespace
}  // namespace candour::web
