#include "survey/survey.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "survey/release_cache.h"
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
  // "Treated with respect" is only for those stopped and searched, and its measure says so.
  const Question* respect = s->FindQuestion("stop_respect");
  ASSERT_NE(respect, nullptr);
  ASSERT_TRUE(respect->when.has_value());
  EXPECT_EQ(*respect->when, (Condition{"stopped", {"yes"}}));
  for (const std::string lang : {"en", "tr", "pl"}) {
    ASSERT_TRUE(respect->text.Has(lang)) << lang;
    EXPECT_EQ(respect->text.In(lang, "").find(':'), std::string::npos) << lang;  // no preamble
  }
  const auto measure = std::find_if(s->measures.begin(), s->measures.end(),
                                    [](const Measure& m) { return m.question == "stop_respect"; });
  ASSERT_NE(measure, s->measures.end());
  EXPECT_EQ(measure->label.In("en", ""),
            "Of those stopped and searched, agree they were treated with respect");
  EXPECT_TRUE(measure->label.Has("tr") && measure->label.Has("pl"));
  EXPECT_EQ(s->grace_days, 21);
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

// One dimension "sex" (m, f, and a missing "pn") and one "age" (y, o).
std::string WithPopulation(const std::string& population) {
  return R"({"id":"t","languages":["en"],"title":{"en":"T"},"questions":[
    {"id":"sex","type":"single","dimension":true,"text":{"en":"?"},"options":[
      {"id":"m","label":{"en":"M"}},{"id":"f","label":{"en":"F"}},
      {"id":"pn","label":{"en":"P"},"missing":true}]},
    {"id":"age","type":"single","dimension":true,"text":{"en":"?"},"options":[
      {"id":"y","label":{"en":"Y"}},{"id":"o","label":{"en":"O"}}]},
    {"id":"q","type":"text","text":{"en":"?"}}],"population":)" +
         population + "}";
}

TEST(SurveyTest, PopulationMarginsAreParsed) {
  auto s = ParseSurvey(WithPopulation(R"({"sex":{"m":480,"f":520},"age":{"y":400,"o":600}})"));
  ASSERT_TRUE(s.has_value()) << s.error();
  ASSERT_EQ(s->population.size(), 2u);
  EXPECT_EQ(s->population[0].dimension, "sex");
  EXPECT_EQ(s->population[0].totals, (std::vector<double>{480, 520, 0}));
  EXPECT_EQ(s->population[1].totals, (std::vector<double>{400, 600}));
  EXPECT_NE(s->json.find("\"population\""), std::string::npos);
  EXPECT_TRUE(ParseSurvey(WithPopulation("{}")).has_value() == false);
}

TEST(SurveyTest, BuiltInTemplateShipsApproximateHackneyMargins) {
  auto s = ParseSurvey(TrustAndConfidenceTemplate());
  ASSERT_TRUE(s.has_value()) << s.error();
  std::vector<std::string> dims;
  for (const PopulationMargin& m : s->population) dims.push_back(m.dimension);
  EXPECT_EQ(dims, (std::vector<std::string>{"ward", "age", "gender", "ethnicity"}));
  const Question* ward = s->FindQuestion("ward");
  const int outside = ward->OptionIndex("outside");
  ASSERT_GE(outside, 0);
  EXPECT_EQ(s->population[0].totals[static_cast<size_t>(outside)], 0);  // not in the population
  for (const std::string lang : {"en", "tr", "pl"})
    EXPECT_TRUE(s->population_source.Has(lang)) << lang;
  EXPECT_NE(s->population_source.In("en", "en").find("approximate"), std::string::npos);
}

TEST(SurveyTest, PopulationGroupsOutsideAndSource) {
  // null: a group outside the population (weighted like the not stated); a source per language.
  auto s = ParseSurvey(
      WithPopulation(R"j({"sex":{"m":480,"f":520},"age":{"y":1000,"o":null}},"population_source":)j"
                     R"j({"en":"Census 2021 (approximate)"})j"));
  ASSERT_TRUE(s.has_value()) << s.error();
  EXPECT_EQ(s->population[1].totals, (std::vector<double>{1000, 0}));
  EXPECT_EQ(s->population_source.In("en", "en"), "Census 2021 (approximate)");
  EXPECT_EQ(ParseSurvey(WithPopulation(R"({"age":{"y":null,"o":null}})")).error(),
            "population.age: expected at least one group with a positive total");
  const std::string without = R"({"id":"t","languages":["en"],"title":{"en":"T"},
    "questions":[{"id":"q","type":"text","text":{"en":"?"}}],"population_source":{"en":"x"}})";
  EXPECT_EQ(ParseSurvey(without).error(), "population_source: given without \"population\"");
}

TEST(SurveyTest, WeightCapIsDeclaredPerSurveyAndReachesTheRaking) {
  const std::string margins = R"({"sex":{"m":480,"f":520}})";
  auto s = ParseSurvey(WithPopulation(margins));
  ASSERT_TRUE(s.has_value()) << s.error();
  EXPECT_EQ(s->weight_cap, 5);  // the default
  const auto today = std::chrono::sys_days{std::chrono::year{2026} / 12 / 3};
  EXPECT_EQ(ReleaseSpecOf(*s, today).raking.trim_factor, 5);
  s = ParseSurvey(WithPopulation(margins + R"(,"weight_cap":8.5)"));
  ASSERT_TRUE(s.has_value()) << s.error();
  EXPECT_EQ(ReleaseSpecOf(*s, today).raking.trim_factor, 8.5);
  const std::string expected =
      "weight_cap: expected a number above 1 and at most 100 (the largest weight, in times the "
      "mean weight; default 5)";
  for (const char* bad : {"1", "0", "-3", "101", "\"5\"", "null"})
    EXPECT_EQ(ParseSurvey(WithPopulation(margins + ",\"weight_cap\":" + bad)).error(), expected)
        << bad;
  const std::string without = R"({"id":"t","languages":["en"],"title":{"en":"T"},
    "questions":[{"id":"q","type":"text","text":{"en":"?"}}],"weight_cap":5})";
  EXPECT_EQ(ParseSurvey(without).error(), "weight_cap: given without \"population\"");
}

TEST(SurveyTest, PopulationErrorsNameTheField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"sex":{"m":480,"f":520},"age":{"y":400,"o":500}})",
       "population.age: totals sum to 900, but sex's to 1000 (every margin"},
      {R"({"ward":{"a":1}})", "population.ward: expected the id of a single-choice dimension"},
      {R"({"q":{"a":1}})", "population.q: expected the id of a single-choice dimension"},
      {R"({"sex":{"m":480,"x":520}})", "population.sex.x: not an option of sex"},
      {R"({"sex":{"m":480,"f":500,"pn":20}})", "population.sex.pn: a missing answer"},
      {R"({"sex":{"m":0,"f":520}})", "population.sex.m: expected a positive number"},
      {R"({"sex":{"m":-4,"f":520}})", "population.sex.m: expected a positive number"},
      {R"({"sex":{"m":"480","f":520}})", "population.sex.m: expected a positive number"},
      {R"({"sex":{"m":480}})", "population.sex: no total for \"f\""},
      {R"([1])", "population: expected an object"},
      {R"({})", "population: expected an object"},
  };
  for (const auto& [population, prefix] : cases) {
    auto s = ParseSurvey(WithPopulation(population));
    ASSERT_FALSE(s.has_value()) << population;
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

// A definition with a single-choice question `q` and a dimension `ward` (their options
// given); `extra` is added at the top level. Built with append: GCC 12 warns falsely
// (-Wrestrict) on long chains of string operator+.
std::string WithOptions(const std::string& q_options, const std::string& ward_options,
                        const std::string& extra = "") {
  std::string out = R"({"id":"t","languages":["en"],"title":{"en":"T"},"questions":[)";
  out.append(R"({"id":"q","type":"single","text":{"en":"?"},"options":[)").append(q_options);
  out.append(R"(]},{"id":"ward","type":"single","dimension":true,"text":{"en":"?"},"options":[)");
  return out.append(ward_options).append("]}]").append(extra).append("}");
}

std::string Options(std::initializer_list<std::string> ids) {
  std::string out;
  for (const std::string& id : ids) {
    out.append(out.empty() ? "" : ",").append(R"({"id":")").append(id);
    out.append(R"(","label":{"en":"x"}})");
  }
  return out;
}

std::string ManyOptions(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.append(i ? "," : "").append(R"({"id":"o)").append(std::to_string(i));
    out.append(R"(","label":{"en":"x"}})");
  }
  return out;
}

std::string MultiWith(size_t n) {
  std::string out = R"({"id":"t","languages":["en"],"title":{"en":"T"},"questions":[)";
  out.append(R"({"id":"m","type":"multi","text":{"en":"?"},"options":[)");
  return out.append(ManyOptions(n)).append("]}]}");
}

TEST(SurveyTest, ChoiceQuestionsFitTheIndex) {
  // Index codes are one byte: a 256th option would be published as unanswered.
  EXPECT_TRUE(ParseSurvey(WithOptions(ManyOptions(255), Options({"a", "b"}))).has_value());
  auto s = ParseSurvey(WithOptions(Options({"a", "b"}), ManyOptions(256)));
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error(),
            "questions[1].options: \"ward\" has 256 options; a single-choice question has at "
            "most 255");
  EXPECT_TRUE(ParseSurvey(MultiWith(64)).has_value());
  s = ParseSurvey(MultiWith(65));
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error(),
            "questions[0].options: \"m\" has 65 options; a multiple-choice question has at "
            "most 64");
}

TEST(SurveyTest, IdsAreShortNamesAndNotReserved) {
  const std::string measure =
      R"(,"measures":[{"id":"M","question":"q","positive":["a"],"label":{"en":"M"}}])";
  const std::string lower_rule =
      ": expected 1-32 of a-z, 0-9, _ and -, starting with a letter or digit";
  const std::vector<std::pair<std::string, std::string>> refused = {
      // The overall base would be shown as this option's count.
      {WithOptions(Options({"a", "base"}), Options({"x"})),
       R"(questions[0].options[1].id: "base" is reserved)"},
      {WithOptions(Options({"total", "a"}), Options({"x"})),
       R"(questions[0].options[0].id: "total" is reserved)"},
      // A ward shown with the whole survey's figures, or as the not-stated group.
      {WithOptions(Options({"a", "b"}), Options({"x", "all"})),
       R"(questions[1].options[1].id: "all" is reserved)"},
      {WithOptions(Options({"a", "b"}), Options({"not_stated"})),
       R"(questions[1].options[0].id: "not_stated" is reserved)"},
      {WithOptions(Options({"a", "b"}), Options({"total"})),
       R"(questions[1].options[0].id: "total" is reserved)"},
      {WithOptions(Options({"a", "B"}), Options({"x"})), "questions[0].options[1].id" + lower_rule},
      {WithOptions(Options({"a", "-b"}), Options({"x"})),
       "questions[0].options[1].id" + lower_rule},
      {WithOptions(Options({"a", std::string(33, 'b')}), Options({"x"})),
       "questions[0].options[1].id" + lower_rule},
      // Measure ids are cells of results.csv rows.
      {WithOptions(Options({"a", "b"}), Options({"x"}), measure), "measures[0].id" + lower_rule},
      {WithOptions(
           Options({"a", "b"}), Options({"x"}),
           R"(,"measures":[{"id":"a,b","question":"q","positive":["a"],"label":{"en":"M"}}])"),
       "measures[0].id" + lower_rule},
      {WithOptions(
           Options({"a", "b"}), Options({"x"}),
           R"(,"measures":[{"id":"a\"b","question":"q","positive":["a"],"label":{"en":"M"}}])"),
       "measures[0].id" + lower_rule},
      {WithOptions(
           Options({"a", "b"}), Options({"x"}),
           R"(,"measures":[{"id":"a\nb","question":"q","positive":["a"],"label":{"en":"M"}}])"),
       "measures[0].id" + lower_rule},
      {WithOptions(
           Options({"a", "b"}), Options({"x"}),
           R"(,"measures":[{"id":"all","question":"q","positive":["a"],"label":{"en":"M"}}])"),
       R"(measures[0].id: "all" is reserved)"},
      {WithOptions(Options({"a", "b"}), Options({"x"}),
                   R"(,"groups":[{"id":"g 1","text":{"en":"G"}}])"),
       "groups[0].id: expected 1-32 of A-Z, a-z, 0-9, _ and -, starting with a letter or digit"},
      {WithOptions(Options({"a", "b"}), Options({"x"}),
                   R"(,"groups":[{"id":"base","text":{"en":"G"}}])"),
       R"(groups[0].id: "base" is reserved)"},
      {WithOptions(Options({"a", "b"}), Options({"x"}),
                   R"(,"groups":[{"id":"g","text":{"en":"G"}},{"id":"g","text":{"en":"H"}}])"),
       "groups[1].id: duplicate group id"},
      // A question named like a submission's own field could never be answered.
      {R"({"id":"t","languages":["en"],"title":{"en":"T"},"questions":[{"id":"src","type":"text","text":{"en":"?"}}]})",
       R"(questions[0].id: "src" is reserved)"},
      {R"({"id":"t","languages":["en"],"title":{"en":"T"},"questions":[{"id":"_q","type":"text","text":{"en":"?"}}]})",
       "questions[0].id: expected 1-32 of A-Z, a-z, 0-9, _ and -, starting with a letter or digit"},
      {R"({"id":"t","languages":["en"],"title":{"en":"T"},"questions":[{"id":"a*b","type":"text","text":{"en":"?"}}]})",
       "questions[0].id: expected 1-32 of A-Z, a-z, 0-9, _ and -, starting with a letter or digit"},
  };
  for (const auto& [json, error] : refused) {
    auto s = ParseSurvey(json);
    ASSERT_FALSE(s.has_value()) << json;
    EXPECT_EQ(s.error(), error) << json;
  }
  // What the rule allows: digits first, '-' and '_' inside, capitals in question ids.
  auto s = ParseSurvey(
      WithOptions(Options({"16_24", "a-b", "based"}), Options({"x", "all_of_it"}),
                  R"(,"groups":[{"id":"Q62","text":{"en":"G"}}],"measures":[)"
                  R"({"id":"m-1","question":"q","positive":["a-b"],"label":{"en":"M"}}])"));
  EXPECT_TRUE(s.has_value()) << s.error();
}

TEST(SurveyTest, SurveyUrls) {
  EXPECT_EQ(SurveyUrl("https://x.org", "demo", "src", "poster-7"),
            "https://x.org/s/demo?src=poster-7");
  EXPECT_EQ(SurveyUrl("https://x.org", "demo", "src", ""), "https://x.org/s/demo");
  EXPECT_EQ(SurveyUrl("https://x.org", "demo", "lang", "pl"), "https://x.org/s/demo?lang=pl");
  EXPECT_EQ(SurveyUrl("https://x.org", "demo", "code", "a b&c"),
            "https://x.org/s/demo?code=a%20b%26c");  // values are percent-encoded
}

TEST(SurveyTest, TextFallsBackToTheDefaultLanguageThenAny) {
  const Text t({{"en", "Hello"}, {"pl", "Cześć"}});
  EXPECT_EQ(t.In("pl", "en"), "Cześć");
  EXPECT_EQ(t.In("tr", "en"), "Hello");
  EXPECT_EQ(Text(std::map<std::string, std::string>{{"pl", "Cześć"}}).In("tr", "en"), "Cześć");
  EXPECT_EQ(Text().In("en", "en"), "");
}

TEST(SurveyTest, NewVersionsKeepEveryAnswersMeaning) {
  const std::string head = R"({"id":"t","languages":["en"],"title":{"en":"T"},"questions":[)";
  const std::string q = R"({"id":"q","type":"single","text":{"en":"?"},"options":[)";
  auto v1 = ParseSurvey(head + q + Options({"a", "b"}) + "]}]}");
  ASSERT_TRUE(v1.has_value());
  auto added = ParseSurvey(head + q + Options({"a", "b", "c"}) +
                           R"(]},{"id":"n","type":"text","text":{"en":"?"}}]})");
  ASSERT_TRUE(added.has_value());
  EXPECT_EQ(IncompatibleChange(*v1, *added), "");
  auto reordered = ParseSurvey(head + q + Options({"b", "a"}) + "]}]}");
  EXPECT_EQ(IncompatibleChange(*v1, *reordered).rfind("questions: \"q\" changes its options", 0),
            0u);
  auto dropped = ParseSurvey(head + R"({"id":"n","type":"text","text":{"en":"?"}}]})");
  EXPECT_EQ(IncompatibleChange(*v1, *dropped).rfind("questions: \"q\" is missing", 0), 0u);
}

// A survey of `stopped` (yes / no / prefer_not, missing), `kind` (multi) and `respect`, whose
// question object gets `when` (a JSON value, or nothing when empty) and `respect_extra`;
// `more_questions` go after it.
std::string Conditional(const std::string& when, const std::string& respect_extra = "",
                        const std::string& more_questions = "") {
  std::string out = R"({"id":"t","languages":["en"],"title":{"en":"T"},"questions":[)";
  out.append(R"({"id":"stopped","type":"single","text":{"en":"Stopped?"},"options":[)");
  out.append(R"({"id":"yes","label":{"en":"Yes"}},{"id":"no","label":{"en":"No"}},)");
  out.append(R"({"id":"prefer_not","label":{"en":"Prefer not"},"missing":true}]},)");
  out.append(R"({"id":"kind","type":"multi","text":{"en":"Kind?"},"options":[)");
  out.append(R"({"id":"a","label":{"en":"A"}},{"id":"b","label":{"en":"B"}}]},)");
  out.append(R"({"id":"respect","type":"single","text":{"en":"Respect?"})");
  if (!when.empty()) out.append(R"(,"when":)").append(when);
  out.append(respect_extra).append(R"(,"options":[)");
  out.append(R"({"id":"agree","label":{"en":"Agree"}},{"id":"disagree","label":{"en":"No"}}]})");
  return out.append(more_questions).append("]}");
}

TEST(SurveyTest, ConditionalQuestionIsParsedAndKeptInTheDefinition) {
  auto s = ParseSurvey(Conditional(R"({"question":"stopped","answers":["yes"]})"));
  ASSERT_TRUE(s.has_value()) << s.error();
  const Question* respect = s->FindQuestion("respect");
  ASSERT_NE(respect, nullptr);
  ASSERT_TRUE(respect->when.has_value());
  EXPECT_EQ(respect->when->question, "stopped");
  EXPECT_EQ(respect->when->answers, std::vector<std::string>{"yes"});
  EXPECT_FALSE(s->FindQuestion("stopped")->when.has_value());
  // The definition the API returns and the store keeps says who the question is for.
  auto again = ParseSurvey(s->json);
  ASSERT_TRUE(again.has_value()) << again.error();
  ASSERT_TRUE(again->FindQuestion("respect")->when.has_value());
  EXPECT_EQ(*again->FindQuestion("respect")->when, *respect->when);
  EXPECT_NE(s->json.find(R"("when":{"question":"stopped","answers":["yes"]})"), std::string::npos)
      << s->json;
  // Any question type may be conditional, and a condition may name several answers.
  const std::string text_question = R"(,{"id":"why","type":"text","text":{"en":"Why?"},)"
                                    R"("when":{"question":"stopped","answers":["no","yes"]}})";
  s = ParseSurvey(Conditional("", "", text_question));
  ASSERT_TRUE(s.has_value()) << s.error();
  EXPECT_EQ(s->FindQuestion("why")->when->answers, (std::vector<std::string>{"no", "yes"}));
}

TEST(SurveyTest, ConditionErrorsNameTheField) {
  const std::string later =
      R"(,{"id":"later","type":"single","text":{"en":"?"},"options":[{"id":"x","label":{"en":"X"}}]})";
  const std::string chained =
      R"(,{"id":"next","type":"text","text":{"en":"?"},"when":{"question":"respect","answers":["agree"]}})";
  const std::vector<std::pair<std::string, std::string>> refused = {
      {Conditional(R"("stopped")"),
       R"(questions[2].when: expected an object {"question": ID, "answers": [OPTION, ...]})"},
      {Conditional(R"({"question":"stopped","answers":["yes"],"only":true})"),
       "questions[2].when.only: unknown field"},
      {Conditional(R"({"answers":["yes"]})"), "questions[2].when.question: expected a string"},
      {Conditional(R"({"question":"respect","answers":["agree"]})"),
       "questions[2].when.question: a question cannot depend on itself"},
      {Conditional(R"({"question":"later","answers":["x"]})", "", later),
       R"(questions[2].when.question: expected the id of an earlier question; there is no "later" before this one)"},
      {Conditional(R"({"question":"nope","answers":["x"]})"),
       R"(questions[2].when.question: expected the id of an earlier question; there is no "nope" before this one)"},
      {Conditional(R"({"question":"kind","answers":["a"]})"),
       R"(questions[2].when.question: "kind" is not a single-choice question)"},
      {Conditional(R"({"question":"stopped","answers":["yes"]})", "", chained),
       R"(questions[3].when.question: "respect" has a condition of its own; a condition refers to a question everyone is asked)"},
      {Conditional(R"({"question":"stopped"})"),
       R"(questions[2].when.answers: expected a non-empty array of option ids of "stopped")"},
      {Conditional(R"({"question":"stopped","answers":[]})"),
       R"(questions[2].when.answers: expected a non-empty array of option ids of "stopped")"},
      {Conditional(R"({"question":"stopped","answers":["yes","maybe"]})"),
       R"(questions[2].when.answers[1]: expected an option id of "stopped")"},
      {Conditional(R"({"question":"stopped","answers":[1]})"),
       R"(questions[2].when.answers[0]: expected an option id of "stopped")"},
      {Conditional(R"({"question":"stopped","answers":["yes","yes"]})"),
       R"(questions[2].when.answers[1]: "yes" is given twice)"},
      {Conditional(R"({"question":"stopped","answers":["prefer_not"]})"),
       R"(questions[2].when.answers[0]: "prefer_not" is marked missing ("Don't know", "Prefer not to say"); a condition names real answers)"},
      {Conditional(R"({"question":"stopped","answers":["yes"]})", R"(,"dimension":true)"),
       "questions[2].when: a dimension is asked of everyone (its groups add up to the total), so "
       "it cannot have a condition"},
  };
  for (const auto& [json, error] : refused) {
    auto s = ParseSurvey(json);
    ASSERT_FALSE(s.has_value()) << json;
    EXPECT_EQ(s.error(), error) << json;
  }
}

TEST(SurveyTest, GraceDaysDefaultToTwentyOneAndAreAlwaysInTheDefinition) {
  auto s = ParseSurvey(Conditional(""));
  ASSERT_TRUE(s.has_value()) << s.error();
  EXPECT_EQ(s->grace_days, 21);
  // Written out even when not given: a stored definition keeps the grace time it froze under.
  EXPECT_NE(s->json.find(R"("grace_days":21)"), std::string::npos) << s->json;
  EXPECT_EQ(ParseSurvey(s->json)->json, s->json);
  std::string seven = Conditional("");
  seven.insert(1, R"("grace_days":7,)");
  s = ParseSurvey(seven);
  ASSERT_TRUE(s.has_value()) << s.error();
  EXPECT_EQ(s->grace_days, 7);
  EXPECT_NE(s->json.find(R"("grace_days":7)"), std::string::npos);
  EXPECT_EQ(s->json.find(R"("grace_days":21)"), std::string::npos);
  for (const std::string bad : {"-1", "3661", "\"21\"", "2.5", "true"}) {
    std::string json = Conditional("");
    json.insert(1, R"("grace_days":)" + bad + ",");
    auto refused = ParseSurvey(json);
    ASSERT_FALSE(refused.has_value()) << bad;
    EXPECT_EQ(refused.error(), "grace_days: expected an integer from 0 to 3660");
  }
  std::string edges = Conditional("");
  edges.insert(1, R"("grace_days":0,)");
  EXPECT_EQ(ParseSurvey(edges)->grace_days, 0);
  edges = Conditional("");
  edges.insert(1, R"("grace_days":3660,)");
  EXPECT_EQ(ParseSurvey(edges)->grace_days, 3660);
}

TEST(SurveyTest, NewVersionsKeepWhoEachQuestionIsFor) {
  const std::string yes = R"({"question":"stopped","answers":["yes"]})";
  auto v1 = ParseSurvey(Conditional(yes));
  ASSERT_TRUE(v1.has_value()) << v1.error();
  const std::string changed =
      R"(questions: "respect" changes who it is for ("when"): answers to earlier versions would )"
      R"(change their meaning; add a new question instead)";
  auto wider = ParseSurvey(Conditional(R"({"question":"stopped","answers":["yes","no"]})"));
  ASSERT_TRUE(wider.has_value()) << wider.error();
  EXPECT_EQ(IncompatibleChange(*v1, *wider), changed);
  auto dropped = ParseSurvey(Conditional(""));
  ASSERT_TRUE(dropped.has_value());
  EXPECT_EQ(IncompatibleChange(*v1, *dropped), changed);
  EXPECT_EQ(IncompatibleChange(*dropped, *v1), changed);  // adding one changes it too
  // The same condition, with a new question and new texts, is a compatible version.
  std::string same = Conditional(yes, "", R"(,{"id":"extra","type":"text","text":{"en":"?"}})");
  same.replace(same.find("Respect?"), 8, "Treated with respect?");
  auto v2 = ParseSurvey(same);
  ASSERT_TRUE(v2.has_value()) << v2.error();
  EXPECT_EQ(IncompatibleChange(*v1, *v2), "");
  // The order of the answers means nothing.
  auto both = ParseSurvey(Conditional(R"({"question":"stopped","answers":["yes","no"]})"));
  auto reversed = ParseSurvey(Conditional(R"({"question":"stopped","answers":["no","yes"]})"));
  EXPECT_EQ(IncompatibleChange(*both, *reversed), "");
}

TEST(SurveyTest, PublishedMeasuresAreNeverRedefined) {
  auto with = [](const std::string& measures) {
    auto s = ParseSurvey(WithOptions(Options({"a", "b", "c"}), Options({"x", "y"}),
                                     R"(,"measures":[)" + measures + "]"));
    EXPECT_TRUE(s.has_value()) << s.error();
    return s ? *s : Survey();
  };
  const Survey v1 = with(R"({"id":"m","question":"q","positive":["a","b"],"label":{"en":"M"}})");
  // A new label, the same positive set in another order, and a new measure: compatible.
  EXPECT_EQ(IncompatibleChange(
                v1, with(R"({"id":"m","question":"q","positive":["b","a"],"label":{"en":"New"}},)"
                         R"({"id":"m2","question":"q","positive":["a"],"label":{"en":"M2"}})")),
            "");
  // Removing a measure is allowed: its published figures stay as they are.
  EXPECT_EQ(IncompatibleChange(
                v1, with(R"({"id":"m2","question":"q","positive":["a"],"label":{"en":"M2"}})")),
            "");
  EXPECT_EQ(
      IncompatibleChange(v1,
                         with(R"({"id":"m","question":"q","positive":["a"],"label":{"en":"M"}})")),
      R"(measures: "m" changes its positive answers: a published measure is never redefined; )"
      R"(give the changed definition a new measure id (the old one keeps its history))");
  // As many positive options, but not the same ones.
  EXPECT_EQ(
      IncompatibleChange(
          v1, with(R"({"id":"m","question":"q","positive":["a","c"],"label":{"en":"M"}})")),
      R"(measures: "m" changes its positive answers: a published measure is never redefined; )"
      R"(give the changed definition a new measure id (the old one keeps its history))");
  EXPECT_EQ(IncompatibleChange(
                v1, with(R"({"id":"m","question":"ward","positive":["x"],"label":{"en":"M"}})")),
            R"(measures: "m" changes its question: a published measure is never redefined; )"
            R"(give the changed definition a new measure id (the old one keeps its history))");
}

// A survey with `sources` (a JSON array, or nothing when empty) and one question.
std::string WithSources(const std::string& sources) {
  std::string out = R"({"id":"t","languages":["en"],"title":{"en":"T"},)";
  if (!sources.empty()) out += R"("sources":)" + sources + ",";
  return out + R"("questions":[{"id":"q","type":"text","text":{"en":"?"}}]})";
}

TEST(SurveyTest, DeclaredSourcesAreParsedAndUndeclaredTagsBecomeOther) {
  auto s = ParseSurvey(WithSources(
      R"([{"tag":"morningside-2026-11","label":"Morningside Community Centre, 26 Nov"},)"
      R"({"tag":"poster-1","label":"Library poster"}])"));
  ASSERT_TRUE(s.has_value()) << s.error();
  ASSERT_EQ(s->sources.size(), 2u);
  EXPECT_EQ(s->sources[0].tag, "morningside-2026-11");
  EXPECT_EQ(s->sources[0].label, "Morningside Community Centre, 26 Nov");
  ASSERT_NE(s->FindSource("poster-1"), nullptr);
  EXPECT_EQ(s->FindSource("poster-2"), nullptr);
  EXPECT_EQ(s->StoredSource("poster-1"), "poster-1");
  EXPECT_EQ(s->StoredSource("poster-2"), "other");
  EXPECT_EQ(s->StoredSource(""), "");
  EXPECT_NE(s->json.find("morningside-2026-11"), std::string::npos);  // kept in the definition

  // A survey that declares none keeps every valid tag, as before sources existed.
  auto none = ParseSurvey(WithSources(""));
  ASSERT_TRUE(none.has_value()) << none.error();
  EXPECT_TRUE(none->sources.empty());
  EXPECT_EQ(none->StoredSource("poster-2"), "poster-2");
}

TEST(SurveyTest, SourceErrorsNameTheField) {
  const std::string long_label(kMaxSourceLabel + 1, 'x');
  const std::pair<std::string, std::string> cases[] = {
      {R"({"tag":"a"})", "sources: expected an array"},
      {R"([{"tag":"Bad Tag","label":"L"}])", "sources[0].tag: expected a source tag"},
      {R"([{"label":"L"}])", "sources[0].tag: expected a source tag"},
      {R"([{"tag":"a","label":"L"},{"tag":"a","label":"M"}])",
       "sources[1].tag: \"a\" declared twice"},
      {R"([{"tag":"other","label":"L"}])", "sources[0].tag: \"other\" is reserved"},
      {R"([{"tag":"none","label":"L"}])", "sources[0].tag: \"none\" is reserved"},
      {R"([{"tag":"a","label":""}])", "sources[0].label: expected a non-empty string"},
      {R"([{"tag":"a"}])", "sources[0].label: expected a non-empty string"},
      {R"([{"tag":"a","label":")" + long_label + R"("}])",
       "sources[0].label: expected a non-empty string"},
      {R"([{"tag":"a","label":"L","when":1}])", "sources[0].when: unknown field"},
      {R"(["a"])", "sources[0]: expected an object"},
  };
  for (const auto& [sources, error] : cases) {
    auto s = ParseSurvey(WithSources(sources));
    ASSERT_FALSE(s.has_value()) << sources;
    EXPECT_EQ(s.error().rfind(error, 0), 0u) << sources << " -> " << s.error();
  }
}

TEST(SurveyTest, NewVersionsMayAddSources) {
  auto v1 = ParseSurvey(WithSources(""));
  auto v2 = ParseSurvey(WithSources(R"([{"tag":"event-1","label":"Event 1"}])"));
  auto v3 = ParseSurvey(
      WithSources(R"([{"tag":"event-1","label":"Event 1"},{"tag":"event-2","label":"Two"}])"));
  ASSERT_TRUE(v1.has_value() && v2.has_value() && v3.has_value());
  EXPECT_EQ(IncompatibleChange(*v1, *v2), "");
  EXPECT_EQ(IncompatibleChange(*v2, *v3), "");
}

}  // namespace
}  // namespace candour::survey
