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

}  // namespace
}  // namespace candour::survey
