// Randomised robustness tests (deterministic seeds, bounded): every parser that takes untrusted
// input is fed mutations of valid inputs and random bytes. They must return an answer, never
// crash or hang; the sanitizer build turns any memory error or UB into a failure.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "survey/import.h"
#include "survey/stored_response.h"
#include "survey/submission.h"
#include "survey/survey.h"
#include "survey/template.h"
#include "survey/text_codec.h"
#include "tests/test_server.h"

namespace candour::testing {
namespace {

// Byte-level mutations of a seed: flips, insertions of interesting bytes, deletions, splices.
std::string Mutate(const std::string& seed, std::mt19937& rng) {
  static const std::vector<std::string> kInteresting = {"\"",
                                                        "\\",
                                                        "{",
                                                        "}",
                                                        "[",
                                                        "]",
                                                        ",",
                                                        ":",
                                                        "%",
                                                        "%%",
                                                        "%0",
                                                        "&",
                                                        "=",
                                                        "\xff",
                                                        "\xc0\xaf",
                                                        "\xed\xa0\x80",
                                                        "1e309",
                                                        "-0",
                                                        "99999999999999999999",
                                                        "null",
                                                        "\n",
                                                        "\r\n",
                                                        "\0"};
  std::string s = seed;
  std::uniform_int_distribution<int> op(0, 4);
  const int edits = 1 + static_cast<int>(rng() % 8);
  for (int e = 0; e < edits; ++e) {
    const size_t at = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (op(rng)) {
      case 0:
        if (!s.empty() && at < s.size()) s[at] = static_cast<char>(rng() & 0xff);
        break;
      case 1:
        s.insert(at, kInteresting[rng() % kInteresting.size()]);
        break;
      case 2:
        if (at < s.size()) s.erase(at, 1 + rng() % 8);
        break;
      case 3:
        s.insert(at, s.substr(rng() % (s.size() + 1), rng() % 16));
        break;
      default:
        s.insert(at, std::string(1 + rng() % 64, static_cast<char>(rng() & 0xff)));
    }
  }
  return s;
}

survey::Survey Demo() { return *survey::ParseSurvey(survey::TrustAndConfidenceTemplate()); }

TEST(FuzzTest, SubmissionParsersAnswerEveryInput) {
  const survey::Survey demo = Demo();
  std::mt19937 rng(1234);
  const std::vector<std::string> json_seeds = {
      R"({"answers":{"Q60":"good","Q62A":"tend_to_agree","comment":"hi"},"src":"p-1"})",
      R"({"answers":{"ward":null,"age":"25_34"}})", "{}", "[]"};
  const std::vector<std::string> form_seeds = {
      "Q60=good&Q62A=tend_to_agree&comment=hello+there&src=poster-1&lang=en", "a=b", ""};
  size_t accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string j = Mutate(json_seeds[static_cast<size_t>(i) % json_seeds.size()], rng);
    accepted += survey::ParseJsonSubmission(demo, j).has_value();
    const std::string f = Mutate(form_seeds[static_cast<size_t>(i) % form_seeds.size()], rng);
    accepted += survey::ParseFormSubmission(demo, f).has_value();
  }
  // Not a check that cannot fail: the seeds are valid, so some mutations stay valid.
  EXPECT_GT(accepted, 0u);
}

TEST(FuzzTest, DefinitionAndImportParsersAnswerEveryInput) {
  const survey::Survey demo = Demo();
  std::mt19937 rng(99);
  const std::string definition(survey::TrustAndConfidenceTemplate());
  const std::string csv = "period,src,Q60,ward,comment\n2026-W10,p,good,dalston,\"a, \"\"b\"\"\"\n";
  const std::string jsonl = "{\"period\":\"2026-W10\",\"answers\":{\"Q60\":\"good\"}}\n";
  const auto today = std::chrono::sys_days{std::chrono::year{2026} / 1 / 1};
  for (int i = 0; i < 2000; ++i) {
    (void)survey::ParseSurvey(Mutate(definition, rng));
    (void)survey::ParseImport(demo, Mutate(csv, rng), survey::ImportFormat::kCsv, today);
    (void)survey::ParseImport(demo, Mutate(jsonl, rng), survey::ImportFormat::kJsonLines, today);
    (void)survey::FindDuplicateJsonKey(Mutate(jsonl, rng));
    std::string bad;
    (void)survey::ParseFormPairs(Mutate("a=%41&b=c+d", rng), &bad);
  }
  SUCCEED();  // reaching here under ASan/UBSan is the assertion
}

TEST(FuzzTest, ServerAnswersGarbageAndKeepsServing) {
  TestServer server(
      [](server::ServerConfig& c) { c.request_timeout = std::chrono::milliseconds(200); });
  HttpClient client = server.Client();
  std::mt19937 rng(7);
  const std::string request =
      "POST /s/demo/responses?lang=en HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 26\r\n\r\n{\"answers\":{\"Q60\":\"good\"}}";
  int answered = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string reply = client.Raw(Mutate(request, rng), std::chrono::milliseconds(1000));
    answered += reply.rfind("HTTP/1.1 ", 0) == 0;
  }
  EXPECT_GT(answered, 60);  // most garbled requests still get a status line
  EXPECT_EQ(client.Get("/healthz").status, 200);
  // Whatever was stored is a well-formed, validated response.
  for (const std::string& p : server.StoredPlaintexts()) {
    EXPECT_TRUE(survey::DecodeStored(p).has_value()) << p;
  }
}

}  // namespace
}  // namespace candour::testing
