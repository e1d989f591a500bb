#include "survey/survey.h"

#include <gtest/gtest.h>

#include "survey/template.h"

namespace candour::survey {
namespace {

TEST(SurveyTest, BuiltInTemplateParses) {
  auto s = ParseSurvey(TrustAndConfidenceTemplate());
  ASSERT_TRUE(s.has_value()) << s.error();
  EXPECT_EQ(s->id, "demo");
  const Question* q60 = s->FindQuestion("Q60");
  ASSERT_NE(q60, nullptr);
  EXPECT_EQ(q60->type, QuestionType::kSingle);
  EXPECT_TRUE(q60->options.back().missing);  // "Don't know" is outside the base
  const Question* ward = s->FindQuestion("ward");
  ASSERT_NE(ward, nullptr);
  EXPECT_TRUE(ward->dimension);
  EXPECT_GE(s->measures.size(), 8u);
  EXPECT_NE(s->FindQuestion("comment"), nullptr);
}

TEST(SurveyTest, ErrorsNameTheField) {
  const std::string base = R"({"id":"t","languages":["en"],"title":{"en":"T"},)";
  const std::vector<std::pair<std::string, std::string>> rebuilt = {
      {"[]", "definition: expected a JSON object"},
      {"{", "definition is not valid JSON"},
      {R"({"id":"Bad Id","languages":["en"],"title":{"en":"T"},"questions":[]})", "id: expected"},
      {R"({"id":"t","languages":[],"title":{"en":"T"}})", "languages: expected"},
      {R"({"id":"t","languages":["en"],"title":{"fr":"T"}})", "title: missing the text in \"en\""},
      {base + R"("questions":[]})", "questions: expected a non-empty array"},
      {base + R"("questions":[{"id":"q","type":"dial","text":{"en":"?"}}]})",
       "questions[0].type: expected"},
      {base + R"("questions":[{"id":"q","type":"single","text":{"en":"?"}}]})",
       "questions[0].options: expected"},
      {base +
           R"("questions":[{"id":"q","type":"single","text":{"en":"?"},"options":[{"id":"a","label":{"en":"A"}},{"id":"a","label":{"en":"B"}}]}]})",
       "questions[0].options[1].id: duplicate"},
      {base + R"("questions":[{"id":"q","type":"scale","text":{"en":"?"},"min":5,"max":1}]})",
       "questions[0].min/max"},
      {base +
           R"("questions":[{"id":"q","type":"text","text":{"en":"?"}}],"measures":[{"id":"m","question":"q","positive":["a"],"label":{"en":"M"}}]})",
       "measures[0].question: expected the id of a single-choice question"},
      {base + R"("questions":[{"id":"q","type":"text","text":{"en":"?"}}],"colour":"red"})",
       "colour: unknown field"},
      {base +
           R"("questions":[{"id":"q","type":"text","text":{"en":"?"}}],"suppression":{"threshold":5}})",
       "suppression.threshold: expected an integer from 10 to 1000"},
      {base +
           R"("questions":[{"id":"q","type":"text","text":{"en":"?"}}],"suppression":{"min_base":12,"threshold":20}})",
       "suppression.min_base: expected an integer from the threshold"},
      {base +
           R"("questions":[{"id":"q","type":"single","text":{"en":"?"},"options":[{"id":"yes","label":{"en":"Y"}},{"id":"pn","label":{"en":"P"},"missing":true}]}],"measures":[{"id":"m","question":"q","positive":["yes"],"label":{"en":"M"}}]})",
       "measures[0].positive: leaves no answer outside it"},
  };
  for (const auto& [json, prefix] : rebuilt) {
    auto s = ParseSurvey(json);
    ASSERT_FALSE(s.has_value()) << json;
    EXPECT_EQ(s.error().substr(0, prefix.size()), prefix) << s.error();
  }
}

TEST(SurveyTest, SuppressionSettings) {
  auto s = ParseSurvey(R"({"id":"t","languages":["en"],"title":{"en":"T"},
    "suppression":{"threshold":20,"min_base":50},
    "questions":[{"id":"q","type":"text","text":{"en":"?"}}]})");
  ASSERT_TRUE(s.has_value()) << s.error();
  EXPECT_EQ(s->threshold, 20u);
  EXPECT_EQ(s->min_base, 50u);
  auto d = ParseSurvey(TrustAndConfidenceTemplate());
  EXPECT_EQ(d->threshold, 10u);
  EXPECT_EQ(d->min_base, 30u);
}

TEST(SurveyTest, SurveyIds) {
  EXPECT_TRUE(IsValidSurveyId("demo"));
  EXPECT_TRUE(IsValidSurveyId("hackney-2026"));
  EXPECT_FALSE(IsValidSurveyId(""));
  EXPECT_FALSE(IsValidSurveyId("-x"));
  EXPECT_FALSE(IsValidSurveyId("Demo"));
  EXPECT_FALSE(IsValidSurveyId("a/b"));
  EXPECT_FALSE(IsValidSurveyId(std::string(65, 'a')));
}

}  // namespace
}  // namespace candour::survey
