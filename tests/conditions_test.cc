// Conditional questions over real HTTP: an answer from someone a question is not for is not
// stored (neither in the store nor in the index), the JSON reply says which and why, the form
// path simply keeps it out, and the form says who each such question is for.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/test_server.h"

namespace candour::testing {
namespace {

namespace json = boost::json;

// The demo survey's stop_respect is only for those who answered "yes" to stopped.
class ConditionsTest : public ::testing::Test {
 protected:
  ConditionsTest() : client_(server_.Client()) {}

  // The answers of every stored response.
  std::vector<json::object> StoredAnswers() {
    std::vector<json::object> out;
    for (const std::string& p : server_.StoredPlaintexts()) {
      out.push_back(json::parse(p).at("answers").as_object());
    }
    return out;
  }
  // How many responses in the index answered `question`.
  size_t IndexedAnswers(const std::string& question) {
    size_t n = 0;
    EXPECT_TRUE(server_.indexes().Read("demo", [&](const stats::ResponseIndex& index) {
      const int column = index.ColumnOf(question);
      EXPECT_GE(column, 0);
      for (uint8_t c : index.Codes(static_cast<size_t>(column))) n += c != 0;
    }));
    return n;
  }

  TestServer server_;
  HttpClient client_;
};

TEST_F(ConditionsTest, JsonReplyNamesTheAnswersNotStored) {
  const HttpReply r = client_.PostJson(
      "/s/demo/responses",
      R"({"answers":{"Q60":"good","stopped":"no","stop_respect":"strongly_agree"}})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body),
            json::parse(R"({"status":"stored","not_stored":["stop_respect"],)"
                        R"("note":"not stored: \"stop_respect\" is only for those who answered )"
                        R"(\"yes\" to \"stopped\""})"));
  const auto stored = StoredAnswers();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].at("Q60"), "good");
  EXPECT_EQ(stored[0].at("stopped"), "no");
  EXPECT_FALSE(stored[0].contains("stop_respect"));
  EXPECT_EQ(IndexedAnswers("stop_respect"), 0u);
  EXPECT_EQ(IndexedAnswers("stopped"), 1u);
}

TEST_F(ConditionsTest, TheAnswerOfSomeoneTheQuestionIsForIsStored) {
  const HttpReply r = client_.PostJson(
      "/s/demo/responses", R"({"answers":{"stopped":"yes","stop_respect":"tend_to_disagree"}})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body), json::parse(R"({"status":"stored"})"));
  const auto stored = StoredAnswers();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].at("stop_respect"), "tend_to_disagree");
  EXPECT_EQ(IndexedAnswers("stop_respect"), 1u);
}

TEST_F(ConditionsTest, UnansweredConditionDropsTheAnswerToo) {
  const HttpReply r =
      client_.PostJson("/s/demo/responses", R"({"answers":{"stop_respect":"strongly_agree"}})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body).at("not_stored"), json::parse(R"(["stop_respect"])"));
  const auto stored = StoredAnswers();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_TRUE(stored[0].empty());
  EXPECT_EQ(IndexedAnswers("stop_respect"), 0u);
}

TEST_F(ConditionsTest, FormPathStoresOnlyWhatTheQuestionsAreFor) {
  HttpReply r = client_.PostForm("/s/demo/responses",
                                 "lang=tr&stopped=prefer_not&stop_respect=strongly_agree&Q60=fair");
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("location"), "/s/demo/thanks?lang=tr");  // the same for everyone
  r = client_.PostForm("/s/demo/responses", "stopped=yes&stop_respect=strongly_agree");
  ASSERT_EQ(r.status, 303) << r.body;
  const auto stored = StoredAnswers();
  ASSERT_EQ(stored.size(), 2u);
  size_t with_respect = 0;
  for (const json::object& answers : stored) {
    if (!answers.contains("stop_respect")) continue;
    ++with_respect;
    EXPECT_EQ(answers.at("stopped"), "yes");
  }
  EXPECT_EQ(with_respect, 1u);
  EXPECT_EQ(IndexedAnswers("stop_respect"), 1u);
  EXPECT_EQ(IndexedAnswers("stopped"), 2u);  // "prefer not to say" is an answer too
}

TEST_F(ConditionsTest, TheFormSaysWhoTheQuestionIsFor) {
  HttpReply r = client_.Get("/s/demo?lang=en");
  ASSERT_EQ(r.status, 200);
  // Shown to everyone (JavaScript or not), described by the line that says who it is for.
  EXPECT_NE(r.body.find("<fieldset aria-describedby=\"stop_respect-when\">"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("<p class=\"hint condition\" id=\"stop_respect-when\">Only if you "
                        "answered “Yes” to “Have you been stopped and searched by the police in "
                        "the last 12 months?”.</p>"),
            std::string::npos);
  EXPECT_NE(r.body.find("name=\"stop_respect\""), std::string::npos);
  r = client_.Get("/s/demo?lang=pl");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("id=\"stop_respect-when\">Tylko dla osób, które na pytanie „Czy w ciągu "
                        "ostatnich 12 miesięcy policja zatrzymała Cię i przeszukała?” "
                        "odpowiedziały „Tak”.</p>"),
            std::string::npos);
}

TEST_F(ConditionsTest, TheDefinitionSaysWhoTheQuestionIsForAndItsGraceTime) {
  const HttpReply r = client_.Get("/api/surveys/demo");
  ASSERT_EQ(r.status, 200);
  const json::value v = json::parse(r.body);
  EXPECT_EQ(v.at("grace_days"), 21);
  for (const json::value& q : v.at("questions").as_array()) {
    const bool respect = q.at("id") == "stop_respect";
    EXPECT_EQ(q.as_object().contains("when"), respect) << q;
    if (respect) {
      EXPECT_EQ(q.at("when"), json::parse(R"({"question":"stopped","answers":["yes"]})"));
    }
  }
}

}  // namespace
}  // namespace candour::testing
