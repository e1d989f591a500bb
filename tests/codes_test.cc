// Single-use codes, free text sealed to an offline key, and per-address rate limits that keep
// nothing, over HTTP.
#include "tests/admin_fixture.h"
#include "tests/csv_reader.h"

namespace candour::testing::admin {
namespace {

// --- Single-use codes ---

TEST_F(AdminTest, CodesComeAsCsvWithTheirLinks) {
  ASSERT_EQ(Create(CodedDefinition("ballot")).status, 201);
  const HttpReply r = Admin("POST", "/api/admin/surveys/ballot/codes?count=25");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Header("content-type").rfind("text/csv", 0), 0u) << r.Header("content-type");
  const Csv csv = ReadCsv(r.body);
  ASSERT_EQ(csv.error, "") << r.body.substr(0, 200);
  EXPECT_EQ(csv.header, (std::vector<std::string>{"code", "link"}));
  ASSERT_EQ(csv.rows.size(), 25u);
  std::set<std::string> distinct;
  const std::string base = "http://127.0.0.1:" + std::to_string(server_.port()) + "/s/ballot?code=";
  for (size_t i = 0; i < csv.rows.size(); ++i) {
    const std::string code = csv.At(i, "code");
    EXPECT_GE(code.size(), 8u) << code;
    EXPECT_EQ(csv.At(i, "link"), base + code);
    distinct.insert(code);
  }
  EXPECT_EQ(distinct.size(), 25u);
  // Another batch shares none of them.
  for (const IssuedCode& c : IssueCodes("ballot", 25)) EXPECT_FALSE(distinct.contains(c.code));
}

TEST_F(AdminTest, CodeCountMustBeFrom1To1000) {
  ASSERT_EQ(Create(CodedDefinition("ballot")).status, 201);
  const size_t audit_before = Audit().size();
  for (const char* query : {"?count=0", "?count=1001", "?count=-1", "?count=ten", "?count=", ""}) {
    const HttpReply r = Admin("POST", std::string("/api/admin/surveys/ballot/codes") + query);
    EXPECT_EQ(r.status, 400) << query << " " << r.body;
    EXPECT_NE(r.body.find("count"), std::string::npos) << r.body;
  }
  EXPECT_EQ(Audit().size(), audit_before);
  EXPECT_EQ(IssueCodes("ballot", 1).size(), 1u);
  const auto start = std::chrono::steady_clock::now();
  const auto many = IssueCodes("ballot", 1000);
  EXPECT_EQ(many.size(), 1000u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  std::set<std::string> distinct;
  for (const IssuedCode& c : many) distinct.insert(c.code);
  EXPECT_EQ(distinct.size(), 1000u);
}

TEST_F(AdminTest, CodesAsAPrintableSheetOfQrCodes) {
  ASSERT_EQ(Create(CodedDefinition("ballot")).status, 201);
  const HttpReply r = Admin("POST", "/api/admin/surveys/ballot/codes?count=6&format=html");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(Count(r.body, "<svg"), 6u);
  // Exactly six of the words printed on the sheet are codes of the survey, and they work.
  const auto codes = CodesOnSheet(r.body, "ballot");
  EXPECT_EQ(codes.size(), 6u) << r.body.substr(0, 3000);
  for (const std::string& c : codes) {
    EXPECT_EQ(
        client_.PostJson("/s/ballot/responses", R"({"code":")" + c + R"(","answers":{}})").status,
        201)
        << c;
  }
  EXPECT_EQ(server_.StoredPlaintexts().size(), codes.size());
}

TEST_F(AdminTest, ACodedSurveyTakesEachCodeOnce) {
  ASSERT_EQ(Create(CodedDefinition("ballot")).status, 201);
  const auto codes = IssueCodes("ballot", 3);
  ASSERT_EQ(codes.size(), 3u);
  const std::string a = codes[0].code, b = codes[1].code;

  // The form asks for a code, or carries the one in the link.
  HttpReply page = client_.Get("/s/ballot");
  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(HasInput(page.body, "code")) << page.body;
  page = client_.Get("/s/ballot?code=" + UrlEncode(a));
  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(HasInput(page.body, "code", "hidden", a)) << page.body;
  page = client_.Get("/s/ballot?code=NOTACODE42");
  EXPECT_EQ(page.status, 403);
  EXPECT_NE(page.body.find("is not valid"), std::string::npos) << page.body;

  // Refused without a valid code; nothing stored.
  EXPECT_EQ(client_.PostForm("/s/ballot/responses", "mood=good").status, 403);
  EXPECT_EQ(client_.PostJson("/s/ballot/responses", R"({"answers":{"mood":"good"}})").status, 403);
  EXPECT_EQ(client_.PostForm("/s/ballot/responses", "code=NOTACODE42&mood=good").status, 403);
  EXPECT_EQ(
      client_.PostJson("/s/ballot/responses", R"({"code":"NOTACODE42","answers":{"mood":"good"}})")
          .status,
      403);
  EXPECT_TRUE(server_.StoredPlaintexts().empty());

  // A form post with a valid code, then the same code again.
  HttpReply r = client_.PostForm("/s/ballot/responses", "code=" + UrlEncode(a) + "&mood=good");
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(server_.StoredPlaintexts().size(), 1u);
  r = client_.PostForm("/s/ballot/responses", "code=" + UrlEncode(a) + "&mood=bad");
  EXPECT_EQ(r.status, 410) << r.body;
  EXPECT_EQ(server_.StoredPlaintexts().size(), 1u);
  page = client_.Get("/s/ballot?code=" + UrlEncode(a));
  EXPECT_EQ(page.status, 410);
  EXPECT_NE(page.body.find("has already been used"), std::string::npos) << page.body;

  // A JSON post with another code, then again.
  const std::string json_b = R"({"code":")" + b + R"(","answers":{"mood":"fair"}})";
  r = client_.PostJson("/s/ballot/responses", json_b);
  EXPECT_EQ(r.status, 201) << r.body;
  r = client_.PostJson("/s/ballot/responses", json_b);
  EXPECT_EQ(r.status, 410) << r.body;
  EXPECT_TRUE(json::parse(r.body).as_object().contains("error"));
  r = client_.PostForm("/s/ballot/responses", "code=" + UrlEncode(b) + "&mood=good");
  EXPECT_EQ(r.status, 410);

  // What is stored says nothing of the code.
  const auto stored = server_.StoredPlaintexts();
  ASSERT_EQ(stored.size(), 2u);
  for (const std::string& p : stored) {
    for (const IssuedCode& c : codes) EXPECT_EQ(p.find(c.code), std::string::npos) << p;
    const json::object o = json::parse(p).as_object();
    EXPECT_FALSE(o.contains("code")) << p;
    EXPECT_FALSE(o.at("answers").as_object().contains("code")) << p;
  }
  const json::object listed = Listed("ballot");
  EXPECT_EQ(listed.at("requires_code"), true);
  EXPECT_EQ(listed.at("responses"), 2);
}

TEST_F(AdminTest, ACodeOfAnotherSurveyIsNotValid) {
  ASSERT_EQ(Create(CodedDefinition("ballot")).status, 201);
  ASSERT_EQ(Create(CodedDefinition("ballot-2")).status, 201);
  const auto codes = IssueCodes("ballot-2", 1);
  ASSERT_EQ(codes.size(), 1u);
  const HttpReply page = client_.Get("/s/ballot?code=" + UrlEncode(codes[0].code));
  EXPECT_EQ(page.status, 403);
  EXPECT_NE(page.body.find("is not valid"), std::string::npos);
  EXPECT_EQ(
      client_.PostJson("/s/ballot/responses", R"({"code":")" + codes[0].code + R"(","answers":{}})")
          .status,
      403);
  EXPECT_TRUE(server_.StoredPlaintexts().empty());
  // Still unspent for its own survey.
  EXPECT_EQ(
      client_
          .PostJson("/s/ballot-2/responses", R"({"code":")" + codes[0].code + R"(","answers":{}})")
          .status,
      201);
}

TEST_F(AdminTest, ACodeSentTwiceAtOnceIsTakenOnce) {
  ASSERT_EQ(Create(CodedDefinition("ballot")).status, 201);
  const auto codes = IssueCodes("ballot", 1);
  ASSERT_EQ(codes.size(), 1u);
  const std::string body = R"({"code":")" + codes[0].code + R"(","answers":{"mood":"good"}})";
  std::atomic<int> created{0}, gone{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      HttpClient c = server_.Client();
      const int status = c.PostJson("/s/ballot/responses", body).status;
      created += status == 201;
      gone += status == 410;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(gone.load(), 7);
  EXPECT_EQ(server_.StoredPlaintexts().size(), 1u);
}

TEST_F(AdminTest, ARefusedAnswerDoesNotSpendItsCode) {
  json::object def = CodedDefinition("ballot");
  def["rate_limit"] = json::object{{"per_hour", 1}};
  ASSERT_EQ(Create(def).status, 201);
  const auto codes = IssueCodes("ballot", 2);
  ASSERT_EQ(codes.size(), 2u);
  const std::string a = UrlEncode(codes[0].code);
  // An invalid answer, in either encoding: refused, code kept.
  EXPECT_EQ(client_.PostForm("/s/ballot/responses", "code=" + a + "&mood=brilliant").status, 400);
  EXPECT_EQ(client_
                .PostJson("/s/ballot/responses",
                          R"({"code":")" + codes[0].code + R"(","answers":{"mood":"brilliant"}})")
                .status,
            400);
  // While the survey is closed: refused, code kept.
  ASSERT_EQ(Admin("POST", "/api/admin/surveys/ballot/close").status, 200);
  EXPECT_EQ(client_.PostForm("/s/ballot/responses", "code=" + a + "&mood=good").status, 410);
  ASSERT_EQ(Admin("POST", "/api/admin/surveys/ballot/open").status, 200);
  EXPECT_EQ(client_.Get("/s/ballot?code=" + a).status, 200);
  EXPECT_EQ(client_.PostForm("/s/ballot/responses", "code=" + a + "&mood=good").status, 303);
  // Over the rate limit: refused, code kept until the next hour.
  const std::string b = UrlEncode(codes[1].code);
  EXPECT_EQ(client_.PostForm("/s/ballot/responses", "code=" + b + "&mood=good").status, 429);
  minutes_ = 40;
  EXPECT_EQ(client_.PostForm("/s/ballot/responses", "code=" + b + "&mood=good").status, 303);
  EXPECT_EQ(server_.StoredPlaintexts().size(), 2u);
}

TEST_F(AdminTest, CodesAreStoredOnlyAsHashes) {
  ASSERT_EQ(Create(CodedDefinition("ballot")).status, 201);
  std::vector<std::string> secrets;
  for (const IssuedCode& c : IssueCodes("ballot", 5)) secrets.push_back(c.code);
  const HttpReply sheet = Admin("POST", "/api/admin/surveys/ballot/codes?count=3&format=html");
  ASSERT_EQ(sheet.status, 201);
  for (const std::string& c : CodesOnSheet(sheet.body, "ballot")) secrets.push_back(c);
  ASSERT_GE(secrets.size(), 8u);
  // One spent, the others not.
  ASSERT_EQ(client_
                .PostJson("/s/ballot/responses",
                          R"({"code":")" + secrets[0] + R"(","answers":{"mood":"good"}})")
                .status,
            201);
  server_.Shutdown();
  EXPECT_EQ(FilesHolding(server_.dir() / "data", secrets), std::vector<std::string>{});
}

// --- Free text ---

TEST_F(AdminTest, FreeTextIsSealedToTheOfflineKey) {
  const auto demo = server_.catalog().Get("demo");
  ASSERT_NE(demo, nullptr);
  std::string text_id;
  for (const auto& q : demo->questions) {
    if (q.type == survey::QuestionType::kText) text_id = q.id;
  }
  ASSERT_FALSE(text_id.empty());
  const std::string canary = "canary-sealed-7731 the sergeant at Qwertyville";
  const std::string form_canary = "canary-sealed-7732";
  json::object body;
  body["answers"] = {{"Q60", "good"}, {text_id, canary}};
  ASSERT_EQ(client_.PostJson("/s/demo/responses", json::serialize(body)).status, 201);
  ASSERT_EQ(client_.PostForm("/s/demo/responses", "Q60=poor&" + text_id + "=" + form_canary).status,
            303);

  const auto stored = server_.StoredPlaintexts();
  ASSERT_EQ(stored.size(), 2u);
  for (const std::string& p : stored) {
    EXPECT_EQ(p.find("canary-sealed"), std::string::npos) << p;
    EXPECT_EQ(p.find("Qwertyville"), std::string::npos) << p;
    // The answer is kept, sealed.
    EXPECT_TRUE(json::parse(p).at("answers").as_object().contains(text_id)) << p;
  }
  // Nor in any published figure, once its week is complete.
  minutes_ = 60 * kDay;
  ASSERT_EQ(server_.WaitForRelease("demo").status, 200);
  for (const char* target :
       {"/api/surveys/demo/results?period=rolling", "/api/surveys/demo/results.csv?period=rolling",
        "/api/surveys/demo/results?period=quarter", "/r/demo", "/r/demo/figures.csv",
        "/api/admin/surveys"}) {
    const HttpReply r = client_.Get(target, Auth());
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.body.find("canary-sealed"), std::string::npos) << target;
    if (std::string_view(target).find(".csv") != std::string_view::npos) {
      EXPECT_EQ(ReadCsv(r.body).error, "") << target;  // and every CSV reads back whole
    }
  }
  for (const std::string& line : server_.AccessLog()) {
    EXPECT_EQ(line.find("canary"), std::string::npos) << line;
  }
  server_.Shutdown();
  EXPECT_EQ(FilesHolding(server_.dir() / "data", {"canary-sealed", "Qwertyville"}),
            std::vector<std::string>{});
}

// --- Rate limits ---

TEST_F(AdminTest, RateLimitPerAddressAndClockHourKeepsNothing) {
  json::object def = Definition("limited");
  def["rate_limit"] = json::object{{"per_hour", 3}};
  ASSERT_EQ(Create(def).status, 201) << json::serialize(def);
  const std::string answer = R"({"answers":{"mood":"good"}})";
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(client_.PostJson("/s/limited/responses", answer).status, 201) << i;
  }
  HttpReply r = client_.PostJson("/s/limited/responses", answer);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_FALSE(std::string(json::parse(r.body).at("error").as_string()).empty());
  // Until the next clock hour: 40 minutes from 10:20.
  const std::string retry = r.Header("retry-after");
  ASSERT_TRUE(std::regex_match(retry, std::regex("[0-9]+"))) << retry;
  EXPECT_GE(std::stoi(retry), 1);
  EXPECT_LE(std::stoi(retry), 3600);
  // A forwarded-for header names no other address: it is neither trusted nor kept.
  r = client_.Send("POST", "/s/limited/responses",
                   {{"Content-Type", "application/json"}, {"X-Forwarded-For", "198.51.100.7"}},
                   answer);
  EXPECT_EQ(r.status, 429);
  r = client_.PostForm("/s/limited/responses", "mood=good");
  EXPECT_EQ(r.status, 429);
  EXPECT_NE(r.Header("retry-after"), "");
  EXPECT_FALSE(r.body.empty());
  EXPECT_EQ(server_.StoredPlaintexts().size(), 3u);
  // Other surveys are not limited.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(client_.PostJson("/s/demo/responses", R"({"answers":{}})").status, 201);
  }
  // 10:50 is the same hour; 11:00 is the next.
  minutes_ = 30;
  EXPECT_EQ(client_.PostJson("/s/limited/responses", answer).status, 429);
  minutes_ = 40;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(client_.PostJson("/s/limited/responses", answer).status, 201) << i;
  }
  EXPECT_EQ(client_.PostJson("/s/limited/responses", answer).status, 429);
  EXPECT_EQ(server_.StoredPlaintexts().size(), 3u + 5u + 3u);

  const auto log = server_.AccessLog();
  EXPECT_FALSE(log.empty());
  for (const std::string& line : log) EXPECT_EQ(line.find("127.0.0.1"), std::string::npos) << line;
  server_.Shutdown();
  EXPECT_EQ(FilesHolding(server_.dir() / "data", {"127.0.0.1", "198.51.100"}),
            std::vector<std::string>{});
}

}  // namespace
}  // namespace candour::testing::admin
