#include "survey/submission.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crypto/errc.h"
#include "survey/errc.h"
#include "survey/stored_response.h"
#include "survey/test_template.h"

namespace candour::survey {
namespace {

class SubmissionTest : public ::testing::Test {
 protected:
  Rejection JsonError(std::string_view body) {
    auto r = ParseJsonSubmission(survey_, body);
    EXPECT_FALSE(r.has_value()) << body;
    return r ? Rejection{} : r.error();
  }
  Rejection FormError(std::string_view body) {
    auto r = ParseFormSubmission(survey_, body);
    EXPECT_FALSE(r.has_value()) << body;
    return r ? Rejection{} : r.error();
  }
  Survey survey_ = testing::TemplateSurvey();
};

TEST_F(SubmissionTest, JsonAnswersOfEveryKind) {
  auto r = ParseJsonSubmission(
      survey_,
      R"({"answers":{"Q60":"good","comment":"More foot patrols","ward":null,"age":"25_34"},"src":"morningside-2026-11"})");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(std::get<std::string>(r->answers.at("Q60")), "good");
  EXPECT_EQ(std::get<std::string>(r->answers.at("comment")), "More foot patrols");
  EXPECT_FALSE(r->answers.contains("ward"));  // null = unanswered
  EXPECT_EQ(r->src, "morningside-2026-11");
}

TEST_F(SubmissionTest, JsonRejectionsNameTheField) {
  EXPECT_EQ(JsonError(R"({"answers":{"Q99":"good"}})").field, "Q99");
  EXPECT_EQ(JsonError(R"({"answers":{"Q60":"brilliant"}})").field, "Q60");
  EXPECT_EQ(JsonError(R"({"answers":{"Q60":4}})").field, "Q60");
  EXPECT_EQ(JsonError(R"({"answers":{"Q60":"good","Q60":"poor"}})").field, "Q60");
  EXPECT_EQ(JsonError(R"({"answers":{},"src":"Not A Tag!"})").field, "src");
  EXPECT_EQ(JsonError(R"({"answers":{},"who":"me"})").field, "who");
  EXPECT_EQ(JsonError(R"({"answers":[]})").field, "answers");
  EXPECT_EQ(JsonError(R"({"answers":{"comment":")" + std::string(1001, 'x') + "\"}}").field,
            "comment");
  EXPECT_EQ(JsonError("{\"answers\":{\"comment\":\"\xff\"}}").field, "body");  // parser rejects
  EXPECT_EQ(JsonError("{nope").field, "body");
  const Rejection r = JsonError(R"({"answers":{"Q60":"brilliant"}})");
  EXPECT_NE(r.message.find("unknown option \"brilliant\""), std::string::npos) << r.message;
}

TEST_F(SubmissionTest, FormAnswers) {
  auto r = ParseFormSubmission(survey_,
                               "lang=en&src=poster-1&Q60=excellent&Q62A=&comment=Stop+%26+search");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(std::get<std::string>(r->answers.at("Q60")), "excellent");
  EXPECT_FALSE(r->answers.contains("Q62A"));
  EXPECT_EQ(std::get<std::string>(r->answers.at("comment")), "Stop & search");
  EXPECT_EQ(r->src, "poster-1");
}

TEST_F(SubmissionTest, FormRejectionsNameTheField) {
  EXPECT_EQ(FormError("Q60=good&Q60=poor").field, "Q60");
  EXPECT_EQ(FormError("nosuch=1").field, "nosuch");
  EXPECT_EQ(FormError("Q60=%ff").field, "Q60");
  EXPECT_EQ(FormError("Q60=%g1").field, "Q60");
  EXPECT_EQ(FormError("src=a&src=b").field, "src");
  EXPECT_EQ(FormError("comment=" + std::string(1001, 'y')).field, "comment");
}

TEST_F(SubmissionTest, StoredFormHoldsOnlyWhatIsPromised) {
  auto r = ParseJsonSubmission(survey_, R"({"answers":{"Q60":"good"},"src":"p1","lang":"en"})");
  ASSERT_TRUE(r.has_value());
  const auto stored = boost::json::parse(EncodeStored(survey_, *r, "2026-W48")).as_object();
  EXPECT_EQ(stored.size(), 5u);
  EXPECT_EQ(stored.at("survey"), "demo");
  EXPECT_EQ(stored.at("version"), 1);
  EXPECT_EQ(stored.at("period"), "2026-W48");
  EXPECT_EQ(stored.at("src"), "p1");
  EXPECT_EQ(stored.at("answers").as_object().at("Q60"), "good");
}

TEST_F(SubmissionTest, FreeTextIsSealedAndOpensOnlyWithItsKey) {
  crypto::BoxPublicKey pk{}, other_pk{};
  crypto::BoxSecretKey sk, other_sk;
  crypto_box_keypair(pk.data(), sk.data());
  crypto_box_keypair(other_pk.data(), other_sk.data());
  auto r = ParseJsonSubmission(survey_, R"({"answers":{"Q60":"good","comment":"Hello"}})");
  ASSERT_TRUE(r.has_value());
  Submission unsealed = *r;
  SealFreeText(survey_, &pk, &*r);
  const std::string& sealed = std::get<std::string>(r->answers.at("comment"));
  EXPECT_TRUE(sealed.starts_with("sealed:"));
  EXPECT_EQ(std::get<std::string>(r->answers.at("Q60")), "good");  // only free text is sealed
  EXPECT_EQ(OpenFreeText(sealed, sk).value(), "Hello");
  EXPECT_EQ(OpenFreeText(sealed, other_sk).error(), crypto::Errc::kForged);
  EXPECT_EQ(OpenFreeText("Hello", sk).error(), Errc::kNotSealed);
  EXPECT_EQ(OpenFreeText("sealed:not base64!", sk).error(), Errc::kNotSealed);
  SealFreeText(survey_, nullptr, &unsealed);  // no key: dropped, never stored readable
  EXPECT_FALSE(unsealed.answers.contains("comment"));
}

TEST_F(SubmissionTest, AnswersFromThoseAQuestionIsNotForAreDropped) {
  // stop_respect is only for those who answered "yes" to stopped (the template).
  struct Case {
    std::string answers;  // besides stop_respect
    bool kept;
  };
  const std::vector<Case> cases = {
      {R"("stopped":"yes")", true},         {R"("stopped":"no")", false},
      {R"("stopped":"prefer_not")", false},  // a missing answer is not "yes"
      {R"("stopped":null)", false},         {R"("Q60":"good")", false},  // stopped unanswered
  };
  for (const Case& c : cases) {
    const std::string body = R"({"answers":{)" + c.answers + R"(,"stop_respect":"tend_to_agree"}})";
    auto r = ParseJsonSubmission(survey_, body);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->answers.contains("stop_respect"), c.kept) << body;
    EXPECT_EQ(r->not_stored,
              c.kept ? std::vector<std::string>{} : std::vector<std::string>{"stop_respect"})
        << body;
    // Everything else is kept as it was.
    EXPECT_EQ(r->answers.contains("stopped"), c.answers.find("stopped\":\"") != std::string::npos);
    // Nothing of the dropped answer reaches what is stored.
    const std::string stored = EncodeStored(survey_, *r, "2026-W48");
    EXPECT_EQ(stored.find("tend_to_agree") != std::string::npos, c.kept) << stored;
  }
  // The form path drops it the same way.
  auto form =
      ParseFormSubmission(survey_, "lang=en&stopped=no&stop_respect=strongly_agree&Q60=good");
  ASSERT_TRUE(form.has_value()) << form.error().message;
  EXPECT_FALSE(form->answers.contains("stop_respect"));
  EXPECT_EQ(form->not_stored, std::vector<std::string>{"stop_respect"});
  EXPECT_EQ(std::get<std::string>(form->answers.at("Q60")), "good");
  form = ParseFormSubmission(survey_, "stopped=yes&stop_respect=strongly_agree");
  ASSERT_TRUE(form.has_value());
  EXPECT_EQ(std::get<std::string>(form->answers.at("stop_respect")), "strongly_agree");
  EXPECT_TRUE(form->not_stored.empty());
  // An answer that is not valid is still refused, whoever sent it.
  EXPECT_EQ(JsonError(R"({"answers":{"stopped":"no","stop_respect":"maybe"}})").field,
            "stop_respect");
}

TEST_F(SubmissionTest, ConditionsWithSeveralAnswersAndTheNoteForTheReply) {
  auto s = ParseSurvey(R"({"id":"t","languages":["en"],"title":{"en":"T"},"questions":[
    {"id":"contact","type":"single","text":{"en":"?"},"options":[{"id":"phone","label":{"en":"P"}},
      {"id":"visit","label":{"en":"V"}},{"id":"none","label":{"en":"N"}}]},
    {"id":"how","type":"multi","text":{"en":"?"},"options":[{"id":"a","label":{"en":"A"}}],
      "when":{"question":"contact","answers":["phone","visit"]}},
    {"id":"rate","type":"scale","min":0,"max":10,"text":{"en":"?"},
      "when":{"question":"contact","answers":["visit"]}},
    {"id":"why","type":"text","text":{"en":"?"},"when":{"question":"contact","answers":["none"]}}]})");
  ASSERT_TRUE(s.has_value()) << s.error();
  const std::string all = R"("how":["a"],"rate":7,"why":"busy")";
  auto r = ParseJsonSubmission(*s, R"({"answers":{"contact":"phone",)" + all + "}}");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_TRUE(r->answers.contains("how"));
  EXPECT_EQ(r->not_stored, (std::vector<std::string>{"rate", "why"}));  // the survey's order
  EXPECT_EQ(NotStoredNote(*s, r->not_stored),
            R"(not stored: "rate" is only for those who answered "visit" to "contact"; )"
            R"("why" is only for those who answered "none" to "contact")");
  r = ParseJsonSubmission(*s, R"({"answers":{"contact":"visit",)" + all + "}}");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->not_stored, std::vector<std::string>{"why"});
  EXPECT_EQ(std::get<int64_t>(r->answers.at("rate")), 7);
  r = ParseJsonSubmission(*s, R"({"answers":{)" + all + "}}");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->answers.empty());
  EXPECT_EQ(NotStoredNote(*s, r->not_stored),
            R"(not stored: "how" is only for those who answered "phone" or "visit" to )"
            R"("contact"; "rate" is only for those who answered "visit" to "contact"; "why" is )"
            R"(only for those who answered "none" to "contact")");
  // Not answering a conditional question is not "not stored".
  r = ParseJsonSubmission(*s, R"({"answers":{"contact":"none"}})");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->not_stored.empty());
}

}  // namespace
}  // namespace candour::survey
