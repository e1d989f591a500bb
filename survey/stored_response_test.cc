#include "survey/stored_response.h"

#include <gtest/gtest.h>

#include "survey/errc.h"

namespace candour::survey {
namespace {

// One question of each type; `extra` adds to the end of the questions (a later version).
Survey Definition(int version, const std::string& extra_option = "",
                  const std::string& extra_question = "") {
  const std::string json = R"({"id":"t","version":)" + std::to_string(version) +
                           R"(,"languages":["en"],"title":{"en":"T"},"questions":[
    {"id":"one","type":"single","text":{"en":"?"},"options":[
      {"id":"yes","label":{"en":"Y"}},{"id":"no","label":{"en":"N"}})" +
                           extra_option + R"(]},
    {"id":"many","type":"multi","text":{"en":"?"},"options":[
      {"id":"a","label":{"en":"A"}},{"id":"b","label":{"en":"B"}},{"id":"c","label":{"en":"C"}}]},
    {"id":"score","type":"scale","text":{"en":"?"},"min":-2,"max":2},
    {"id":"note","type":"text","text":{"en":"?"}})" +
                           extra_question + "]}";
  auto s = ParseSurvey(json);
  EXPECT_TRUE(s.has_value()) << s.error();
  return s ? std::move(*s) : Survey{};
}

std::vector<uint64_t> FastCodes(const Survey& survey, std::string_view plaintext) {
  const StoredCodesDecoder decoder(survey);
  std::string period, src;
  std::vector<uint64_t> codes;
  EXPECT_FALSE(decoder.Decode(plaintext, &period, &src, &codes)) << plaintext;
  return codes;
}

TEST(StoredResponseTest, EveryAnswerTypeRoundTrips) {
  const Survey survey = Definition(3);
  Submission s;
  s.src = "poster-7";
  s.answers = {{"one", std::string("no")},
               {"many", std::vector<std::string>{"c", "a"}},
               {"score", int64_t{-2}},
               {"note", std::string("sealed:AAAA \"quoted\"\n")}};
  const std::string plaintext = EncodeStored(survey, s, "2026-W40");
  auto decoded = DecodeStored(plaintext);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->survey, "t");
  EXPECT_EQ(decoded->version, 3);
  EXPECT_EQ(decoded->period, "2026-W40");
  EXPECT_EQ(decoded->src, "poster-7");
  EXPECT_EQ(decoded->answers, s.answers);
  // The fast path codes exactly as the decoded answers do.
  const std::vector<uint64_t> codes = FastCodes(survey, plaintext);
  EXPECT_EQ(codes, IndexCodes(survey, decoded->answers));
  EXPECT_EQ(codes, (std::vector<uint64_t>{2, 0b101, 1}));  // no=2, a|c, -2 is the first point
  // No answers and no source tag are a response too.
  auto empty = DecodeStored(EncodeStored(survey, Submission{}, "2026-10"));
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->answers.empty());
  EXPECT_EQ(empty->src, "");
}

TEST(StoredResponseTest, MalformedPlaintextsAreRefused) {
  const Survey survey = Definition(1);
  const std::string head = R"({"survey":"t","version":1,"period":"2026-W40","src":"",)";
  for (const std::string& plaintext : {
           std::string("not json"),
           std::string("[]"),
           std::string("{}"),
           std::string(R"({"version":1,"period":"2026-W40","src":"","answers":{}})"),
           std::string(R"({"survey":"t","period":"2026-W40","src":"","answers":{}})"),
           std::string(R"({"survey":"t","version":1,"src":"","answers":{}})"),
           std::string(R"({"survey":"t","version":1,"period":"2026-W40","answers":{}})"),
           head + "\"extra\":1}",
           std::string(R"({"survey":"t","version":"1","period":"2026-W40","src":"","answers":{}})"),
           std::string(R"({"survey":"t","version":1.0,"period":"2026-W40","src":"","answers":{}})"),
           std::string(R"({"survey":7,"version":1,"period":"2026-W40","src":"","answers":{}})"),
           std::string(R"({"survey":"t","version":1,"period":null,"src":"","answers":{}})"),
           head + R"("answers":[]})",
           head + R"("answers":{"one":true}})",
           head + R"("answers":{"one":null}})",
           head + R"("answers":{"score":1.5}})",
           head + R"("answers":{"score":18446744073709551615}})",
           head + R"("answers":{"many":["a",1]}})",
           head + R"("answers":{"gone":{"a":1}}})",
       }) {
    auto decoded = DecodeStored(plaintext);
    ASSERT_FALSE(decoded.has_value()) << plaintext;
    EXPECT_EQ(decoded.error(), Errc::kMalformedResponse) << plaintext;
    const StoredCodesDecoder decoder(survey);
    std::string period, src;
    std::vector<uint64_t> codes;
    EXPECT_EQ(decoder.Decode(plaintext, &period, &src, &codes), Errc::kMalformedResponse)
        << plaintext;
  }
}

TEST(StoredResponseTest, AnswersTheDefinitionDoesNotKnowCountAsUnanswered) {
  // Version 2 adds an option and a question; the index may still code with version 1.
  const Survey v1 = Definition(1);
  const Survey v2 = Definition(2, R"(,{"id":"maybe","label":{"en":"M"}})",
                               R"(,{"id":"later","type":"single","text":{"en":"?"},
                                    "options":[{"id":"x","label":{"en":"X"}}]})");
  Submission s;
  s.answers = {{"one", std::string("maybe")}, {"later", std::string("x")}};
  const std::string plaintext = EncodeStored(v2, s, "2026-W40");
  EXPECT_EQ(FastCodes(v1, plaintext), (std::vector<uint64_t>{0, 0, 0}));
  EXPECT_EQ(FastCodes(v2, plaintext), (std::vector<uint64_t>{3, 0, 0, 1}));
  // Decoding keeps every stored answer; only coding drops what the definition lacks.
  auto decoded = DecodeStored(plaintext);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->answers, s.answers);
  EXPECT_EQ(IndexCodes(v1, decoded->answers), (std::vector<uint64_t>{0, 0, 0}));
  // And so do values of the wrong kind or out of range, and options it never had.
  const std::string odd = R"({"survey":"t","version":1,"period":"2026-W40","src":"","answers":)"
                          R"({"one":["yes"],"many":"a","score":3,"note":5,"gone":"x"}})";
  EXPECT_EQ(FastCodes(v1, odd), (std::vector<uint64_t>{0, 0, 0}));
  EXPECT_EQ(FastCodes(v1, R"({"survey":"t","version":1,"period":"p","src":"",)"
                          R"("answers":{"many":["a","zz","b"],"score":2}})"),
            (std::vector<uint64_t>{0, 0b011, 5}));
}

}  // namespace
}  // namespace candour::survey
