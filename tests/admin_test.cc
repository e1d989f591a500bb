// Organisers running real surveys, over HTTP: the admin API and its token, versioned
// definitions, opening and closing, publishing, and the hash-chained audit log. Codes, sealed
// free text and rate limits are in codes_test.cc.
#include "survey/template.h"
#include "tests/admin_fixture.h"

namespace candour::testing::admin {
namespace {

// --- The admin token ---

TEST_F(AdminTest, NoTokenIs401WithABearerChallenge) {
  const HttpReply r = client_.Get("/api/admin/surveys");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Header("www-authenticate").rfind("Bearer", 0), 0u) << r.Header("www-authenticate");
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_NE(std::string(json::parse(r.body).at("error").as_string()).find("missing"),
            std::string::npos)
      << r.body;
}

TEST_F(AdminTest, WrongOrMalformedTokenIs403AndSaysNothingMore) {
  const std::string& token = server_.admin_token();
  ASSERT_GE(token.size(), 16u);
  std::string flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  const std::vector<std::string> headers = {"Bearer " + flipped,
                                            "Bearer " + token + "x",
                                            "Bearer " + token.substr(1),
                                            "Bearer wrong",
                                            "Bearer ",
                                            "Basic " + token,
                                            "bearer-" + token,
                                            "Bearer " + token + " " + token};
  std::vector<std::string> secrets = TokenHashes(token);
  secrets.push_back(token);
  for (const std::string& h : headers) {
    SCOPED_TRACE(h);
    const HttpReply r = client_.Get("/api/admin/surveys", {{"Authorization", h}});
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/json");
    EXPECT_NE(std::string(json::parse(r.body).at("error").as_string()).find("not valid"),
              std::string::npos)
        << r.body;
    for (const std::string& s : secrets) EXPECT_EQ(r.body.find(s), std::string::npos) << r.body;
  }
  // The right token works.
  EXPECT_EQ(client_.Get("/api/admin/surveys", Auth()).status, 200);
  server_.Shutdown();
  EXPECT_EQ(FilesHolding(server_.dir() / "data", {token}), std::vector<std::string>{});
}

TEST_F(AdminTest, EveryAdminRouteNeedsTheTokenAndChangesNothingWithout) {
  const size_t audit_before = Audit().size();
  const std::string def = json::serialize(Definition("sneaky"));
  struct Call {
    std::string method, target, body;
  };
  const std::vector<Call> calls = {
      {"GET", "/api/admin/surveys", ""},
      {"POST", "/api/admin/surveys", def},
      {"PUT", "/api/admin/surveys/demo", def},
      {"POST", "/api/admin/surveys/demo/close", ""},
      {"POST", "/api/admin/surveys/demo/open", ""},
      {"POST", "/api/admin/surveys/demo/unpublish", ""},
      {"POST", "/api/admin/surveys/demo/publish", ""},
      {"POST", "/api/admin/surveys/demo/codes?count=3", ""},
  };
  for (const Call& c : calls) {
    SCOPED_TRACE(c.method + " " + c.target);
    const std::map<std::string, std::string> json_type = {{"Content-Type", "application/json"}};
    auto with = [&](const std::string& auth) {
      auto h = json_type;
      if (!auth.empty()) h["Authorization"] = auth;
      return client_.Send(c.method, c.target, h, c.body);
    };
    const HttpReply none = with("");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(none.Header("www-authenticate").rfind("Bearer", 0), 0u);
    EXPECT_EQ(with("Bearer not-the-token").status, 403);
  }
  EXPECT_EQ(server_.catalog().Get("sneaky"), nullptr);
  const auto demo = server_.catalog().Get("demo");
  ASSERT_NE(demo, nullptr);
  EXPECT_EQ(demo->version, 1);
  EXPECT_TRUE(demo->open);
  EXPECT_TRUE(demo->public_results);
  EXPECT_EQ(Audit().size(), audit_before);
}

// --- Listing, creating and versioning surveys ---

TEST_F(AdminTest, ListShowsEachSurveyWithItsResponseCount) {
  ASSERT_EQ(client_.PostJson("/s/demo/responses", R"({"answers":{"Q60":"good"}})").status, 201);
  ASSERT_EQ(client_.PostForm("/s/demo/responses", "Q60=poor").status, 303);
  ASSERT_EQ(Create(Definition("wave-1")).status, 201);
  const HttpReply r = Admin("GET", "/api/admin/surveys");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/json");
  std::map<std::string, json::object> by_id;
  const json::value list = json::parse(r.body);
  for (const json::value& s : list.at("surveys").as_array()) {
    by_id[std::string(s.at("id").as_string())] = s.as_object();
  }
  ASSERT_EQ(by_id.size(), 2u) << r.body;
  const json::object& demo = by_id["demo"];
  EXPECT_EQ(demo.at("version"), 1);
  EXPECT_EQ(demo.at("open"), true);
  EXPECT_EQ(demo.at("public_results"), true);
  EXPECT_EQ(demo.at("requires_code"), false);
  EXPECT_EQ(demo.at("responses"), 2);
  EXPECT_NE(json::serialize(demo.at("title")).find("Trust in policing in Hackney"),
            std::string::npos);
  const json::object& wave = by_id["wave-1"];
  EXPECT_EQ(wave.at("version"), 1);
  EXPECT_EQ(wave.at("responses"), 0);
  EXPECT_EQ(wave.at("requires_code"), false);
  EXPECT_NE(json::serialize(wave.at("title")).find("Wave one"), std::string::npos);
}

TEST_F(AdminTest, CreateServesTheNewSurveyAtOnce) {
  const HttpReply r = Create(Definition("wave-1"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body), json::parse(R"({"id":"wave-1","version":1})"));
  const auto survey = server_.catalog().Get("wave-1");
  ASSERT_NE(survey, nullptr);
  EXPECT_EQ(survey->version, 1);
  EXPECT_TRUE(survey->open);
  EXPECT_EQ(client_.Get("/s/wave-1").status, 200);
  EXPECT_EQ(client_.Get("/api/surveys/wave-1").status, 200);
  EXPECT_EQ(client_.PostJson("/s/wave-1/responses", R"({"answers":{"mood":"good"}})").status, 201);
  const auto stored = server_.StoredPlaintexts();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(json::parse(stored[0]).at("version"), 1);
}

TEST_F(AdminTest, InvalidDefinitionIs400NamingTheField) {
  const size_t audit_before = Audit().size();
  json::object bad_type = Definition("bad-type");
  Questions(bad_type)[0].as_object()["type"] = "dropdown";
  json::object no_title = Definition("no-title");
  no_title.erase("title");
  json::object bad_id = Definition("Bad Id");
  json::object bad_option = Definition("bad-option");
  Options(bad_option, 0)[1].as_object()["id"] = "Fair!";
  // The error starts with the field that is wrong.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {json::serialize(bad_type), "questions[0].type: expected"},
      {json::serialize(no_title), "title: expected"},
      {json::serialize(bad_id), "id: expected"},
      {json::serialize(bad_option), "questions[0].options[1].id: expected"},
  };
  for (const auto& [body, message] : cases) {
    SCOPED_TRACE(message);
    const HttpReply r = Admin("POST", "/api/admin/surveys", body);
    EXPECT_EQ(r.status, 400) << r.body;
    const std::string error(json::parse(r.body).at("error").as_string());
    EXPECT_EQ(error.rfind(message, 0), 0u) << error;
  }
  const HttpReply r = Admin("POST", "/api/admin/surveys", "{\"id\":");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("not valid JSON"), std::string::npos) << r.body;
  for (const char* id : {"bad-type", "no-title", "bad-option"}) {
    EXPECT_EQ(server_.catalog().Get(id), nullptr) << id;
  }
  EXPECT_EQ(Audit().size(), audit_before);
}

TEST_F(AdminTest, TheBuiltInTemplateIsCreatedThroughTheApi) {
  // What `candour survey template` prints, as an organiser would start from it.
  json::value def = json::parse(survey::TrustAndConfidenceTemplate());
  def.as_object()["id"] = "trust-2026";
  const std::string body = json::serialize(def);
  ASSERT_GT(body.size(), 16u * 1024);  // over the submissions' body limit
  const HttpReply r = Admin("POST", "/api/admin/surveys", body);
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_NE(server_.catalog().Get("trust-2026"), nullptr);
  EXPECT_EQ(client_.Get("/s/trust-2026").status, 200);
  // And a new version of it.
  def.as_object()["title"].as_object()["en"] = "Trust in policing, 2026";
  EXPECT_EQ(Admin("PUT", "/api/admin/surveys/trust-2026", json::serialize(def)).status, 200);
  EXPECT_EQ(server_.catalog().Get("trust-2026")->version, 2);
}

TEST_F(AdminTest, DefinitionsMayBeUpTo1MiB) {
  // A definition padded with JSON whitespace to 100 KB is read whole and accepted.
  const std::string small = json::serialize(Definition("padded"));
  const std::string padded = small.substr(0, small.size() - 1) + std::string(100'000, ' ') + "}";
  HttpReply r = Admin("POST", "/api/admin/surveys", padded);
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_NE(server_.catalog().Get("padded"), nullptr);
  // 2 MiB is refused before it is read, and nothing is created or audited.
  const size_t audit_before = Audit().size();
  const std::string big = json::serialize(Definition("too-big"));
  r = Admin("POST", "/api/admin/surveys",
            big.substr(0, big.size() - 1) + std::string(2 << 20, ' ') + "}");
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_NE(r.body.find("larger than 1048576 bytes"), std::string::npos) << r.body;
  EXPECT_EQ(server_.catalog().Get("too-big"), nullptr);
  EXPECT_EQ(Audit().size(), audit_before);
  // The submissions' limit is unchanged.
  r = client_.PostJson("/s/padded/responses",
                       R"({"answers":{"why":")" + std::string(17 * 1024, 'a') + "\"}}");
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_NE(r.body.find("larger than 16384 bytes"), std::string::npos) << r.body;
  // Actions that take no body take a small one.
  r = Admin("POST", "/api/admin/surveys/padded/close", std::string(4096, ' '));
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_TRUE(server_.catalog().Get("padded")->open);
}

TEST_F(AdminTest, AnActionWhoseIntentCannotBeAuditedIsNotDone) {
  ASSERT_EQ(Admin("POST", "/api/admin/surveys/demo/close").status, 200);
  // The log's file replaced by a directory: nothing can be appended to it, even as root.
  const fs::path log = server_.dir() / "data" / "audit.log";
  fs::rename(log, server_.dir() / "audit.log.saved");
  fs::create_directory(log);
  HttpReply r = Create(Definition("unaudited"));
  EXPECT_EQ(r.status, 500) << r.body;
  EXPECT_NE(r.body.find("audit log"), std::string::npos) << r.body;
  EXPECT_EQ(server_.catalog().Get("unaudited"), nullptr);
  r = Admin("POST", "/api/admin/surveys/demo/open");
  EXPECT_EQ(r.status, 500) << r.body;
  EXPECT_FALSE(server_.catalog().Get("demo")->open);
  r = Admin("POST", "/api/admin/surveys/demo/codes?count=3");
  EXPECT_EQ(r.status, 500) << r.body;
  EXPECT_EQ(r.body.find("code,link"), std::string::npos) << r.body;
  // Back in place, the chain goes on where it stopped.
  fs::remove(log);
  fs::rename(server_.dir() / "audit.log.saved", log);
  EXPECT_EQ(Admin("POST", "/api/admin/surveys/demo/open").status, 200);
  EXPECT_TRUE(server_.catalog().Get("demo")->open);
  const auto entries = Audit();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(Str(entries[2], "action"), "survey.open");
  EXPECT_EQ(Str(entries[2], "prev"), Str(entries[1], "hash"));
}

TEST_F(AdminTest, ExistingIdIs409AndKeepsTheSurvey) {
  ASSERT_EQ(Create(Definition("wave-1")).status, 201);
  json::object again = Definition("wave-1");
  again["title"] = json::object{{"en", "Hijacked"}};
  const size_t audit_before = Audit().size();
  EXPECT_EQ(Create(again).status, 409);
  EXPECT_EQ(Create(Definition("demo")).status, 409);
  EXPECT_EQ(server_.catalog().Get("wave-1")->version, 1);
  EXPECT_EQ(server_.catalog().Get("wave-1")->title.In("en", "en"), "Wave one");
  EXPECT_EQ(server_.catalog().Get("demo")->questions.front().id, "Q60");
  EXPECT_EQ(Audit().size(), audit_before);
}

TEST_F(AdminTest, CompatibleEditsMakeNewVersions) {
  json::object def = Definition("wave-1");
  ASSERT_EQ(Create(def).status, 201);
  // A new question at the end.
  Questions(def).push_back(json::parse(R"({"id":"often","type":"scale","min":0,"max":10,
                                           "text":{"en":"How often?"}})"));
  HttpReply r = Put(def);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body), json::parse(R"({"id":"wave-1","version":2})"));
  // An option at the end.
  Options(def, 0).push_back(json::parse(R"({"id":"awful","label":{"en":"Awful"}})"));
  r = Put(def);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("version"), 3);
  // A language.
  def["languages"] = json::array{"en", "tr"};
  def["title"] = json::object{{"en", "Wave one"}, {"tr", "Birinci dalga"}};
  r = Put(def);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("version"), 4);
  // Texts.
  def["title"] = json::object{{"en", "Wave one, revised"}, {"tr", "Birinci dalga"}};
  Questions(def)[0].as_object()["text"] = json::object{{"en", "How is it going?"}};
  r = Put(def);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("version"), 5);

  const auto survey = server_.catalog().Get("wave-1");
  ASSERT_NE(survey, nullptr);
  EXPECT_EQ(survey->version, 5);
  EXPECT_EQ(survey->title.In("en", "en"), "Wave one, revised");
  EXPECT_NE(survey->FindQuestion("often"), nullptr);
  EXPECT_EQ(survey->FindQuestion("mood")->options.back().id, "awful");
  EXPECT_NE(client_.Get("/s/wave-1?lang=tr").body.find("<html lang=\"tr\">"), std::string::npos);
  EXPECT_NE(client_.Get("/s/wave-1").body.find("How is it going?"), std::string::npos);
}

TEST_F(AdminTest, IncompatibleEditsAre400NamingTheQuestion) {
  const json::object def = Definition("wave-1");
  ASSERT_EQ(Create(def).status, 201);
  const size_t audit_before = Audit().size();
  json::object removed = def;
  Questions(removed).erase(Questions(removed).begin() + 1);  // "why"
  json::object retyped = def;
  Questions(retyped)[1] = json::parse(R"({"id":"why","type":"scale","min":0,"max":10,
                                          "text":{"en":"Why?"}})");
  json::object option_removed = def;
  Options(option_removed, 0).erase(Options(option_removed, 0).begin() + 1);  // "fair"
  json::object reordered = def;
  std::swap(Options(reordered, 0)[1], Options(reordered, 0)[2]);  // bad before fair
  const std::vector<std::pair<std::string, json::object>> cases = {
      {"why", removed}, {"why", retyped}, {"mood", option_removed}, {"mood", reordered}};
  for (const auto& [question, edited] : cases) {
    SCOPED_TRACE(json::serialize(edited.at("questions")));
    // Each edit is a valid definition on its own: only the change is refused.
    ASSERT_TRUE(survey::ParseSurvey(json::serialize(edited)).has_value());
    const HttpReply r = Put(edited);
    EXPECT_EQ(r.status, 400) << r.body;
    const std::string error(json::parse(r.body).at("error").as_string());
    EXPECT_NE(error.find(question), std::string::npos) << error;
  }
  const auto survey = server_.catalog().Get("wave-1");
  EXPECT_EQ(survey->version, 1);
  EXPECT_EQ(survey->FindQuestion("why")->type, survey::QuestionType::kText);
  EXPECT_EQ(Audit().size(), audit_before);
}

TEST_F(AdminTest, PutNeedsTheSameIdAndAnExistingSurvey) {
  json::object def = Definition("wave-1");
  ASSERT_EQ(Create(def).status, 201);
  def["id"] = "wave-2";
  HttpReply r = Admin("PUT", "/api/admin/surveys/wave-1", json::serialize(def));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("id"), std::string::npos);
  EXPECT_EQ(server_.catalog().Get("wave-2"), nullptr);
  EXPECT_EQ(server_.catalog().Get("wave-1")->version, 1);
  r = Put(def);  // PUT /api/admin/surveys/wave-2: there is no such survey to edit
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(server_.catalog().Get("wave-2"), nullptr);
  json::object bad = Definition("wave-1");
  Questions(bad)[0].as_object()["type"] = "dropdown";
  r = Put(bad);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("questions[0].type: expected"), std::string::npos) << r.body;
}

TEST_F(AdminTest, ResponsesKeepTheirVersionAndResultsStayOneSeries) {
  json::object def = Definition("series");
  ASSERT_EQ(Create(def).status, 201);
  auto answer = [&](const std::string& mood, int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_EQ(
          client_.PostJson("/s/series/responses", R"({"answers":{"mood":")" + mood + "\"}}").status,
          201);
    }
  };
  answer("good", 15);
  answer("bad", 15);
  Options(def, 0).push_back(json::parse(R"({"id":"awful","label":{"en":"Awful"}})"));
  def["title"] = json::object{{"en", "Wave one, revised"}};
  ASSERT_EQ(Put(def).status, 200);
  answer("good", 15);
  answer("bad", 15);
  std::map<int64_t, int> by_version;
  for (const std::string& p : server_.StoredPlaintexts()) {
    ++by_version[json::parse(p).at("version").as_int64()];
  }
  EXPECT_EQ(by_version, (std::map<int64_t, int>{{1, 30}, {2, 30}}));
  // In March, January is complete: one series, 30 of 60 good across both versions.
  minutes_ = 54 * kDay;
  ASSERT_EQ(server_.WaitForRelease("series").status, 200);
  const HttpReply r = client_.Get("/api/surveys/series/results?period=month");
  ASSERT_EQ(r.status, 200) << r.body;
  const json::value v = json::parse(r.body);
  const json::array& measures = v.at("measures").as_array();
  ASSERT_EQ(measures.size(), 1u);
  bool january = false;
  for (const json::value& row : measures[0].at("rows").as_array()) {
    if (row.at("period") != "2026-01") continue;
    january = true;
    EXPECT_EQ(row.at("positive"), 30) << json::serialize(row);
    EXPECT_EQ(row.at("base"), 60) << json::serialize(row);
  }
  EXPECT_TRUE(january) << r.body;
  // The admin list counts responses of every version.
  const json::object listed = Listed("series");
  EXPECT_EQ(listed.at("responses"), 60);
  EXPECT_EQ(listed.at("version"), 2);
}

// --- Lifecycle ---

// A lifecycle reply: {"id", "open", "public_results"} (other fields may follow).
void ExpectState(const HttpReply& r, const std::string& id, bool open, bool public_results) {
  EXPECT_EQ(r.Header("content-type"), "application/json");
  const json::value v = json::parse(r.body);
  EXPECT_EQ(v.at("id"), id.c_str()) << r.body;
  EXPECT_EQ(v.at("open"), open) << r.body;
  EXPECT_EQ(v.at("public_results"), public_results) << r.body;
}

TEST_F(AdminTest, ClosedSurveyRefusesAnswersUntilOpenedAgain) {
  HttpReply r = Admin("POST", "/api/admin/surveys/demo/close");
  ASSERT_EQ(r.status, 200) << r.body;
  ExpectState(r, "demo", false, true);
  EXPECT_FALSE(server_.catalog().Get("demo")->open);
  const HttpReply page = client_.Get("/s/demo");
  EXPECT_EQ(page.status, 410);
  EXPECT_EQ(page.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("This survey is closed"), std::string::npos) << page.body;
  EXPECT_EQ(client_.PostJson("/s/demo/responses", R"({"answers":{"Q60":"good"}})").status, 410);
  EXPECT_EQ(client_.PostForm("/s/demo/responses", "Q60=good").status, 410);
  EXPECT_TRUE(server_.StoredPlaintexts().empty());
  // Closing twice is harmless.
  EXPECT_EQ(Admin("POST", "/api/admin/surveys/demo/close").status, 200);

  r = Admin("POST", "/api/admin/surveys/demo/open");
  ASSERT_EQ(r.status, 200) << r.body;
  ExpectState(r, "demo", true, true);
  EXPECT_EQ(client_.Get("/s/demo").status, 200);
  EXPECT_EQ(client_.PostJson("/s/demo/responses", R"({"answers":{"Q60":"good"}})").status, 201);
  EXPECT_EQ(server_.StoredPlaintexts().size(), 1u);
}

TEST_F(AdminTest, UnpublishedResultsAreNotServed) {
  HttpReply r = Admin("POST", "/api/admin/surveys/demo/unpublish");
  ASSERT_EQ(r.status, 200) << r.body;
  ExpectState(r, "demo", true, false);
  EXPECT_FALSE(server_.catalog().Get("demo")->public_results);
  EXPECT_EQ(client_.Get("/r/demo").status, 404);
  EXPECT_EQ(client_.Get("/r/demo/figures.csv").status, 404);
  EXPECT_EQ(client_.Get("/api/surveys/demo/results?period=rolling").status, 404);
  EXPECT_EQ(client_.Get("/api/surveys/demo/results.csv?period=rolling").status, 404);
  // The form still takes answers: publishing and opening are separate.
  EXPECT_EQ(client_.PostJson("/s/demo/responses", R"({"answers":{"Q60":"good"}})").status, 201);

  r = Admin("POST", "/api/admin/surveys/demo/publish");
  ASSERT_EQ(r.status, 200) << r.body;
  ExpectState(r, "demo", true, true);
  EXPECT_EQ(server_.WaitForRelease("demo").status, 200);
  EXPECT_EQ(client_.Get("/r/demo").status, 200);
  EXPECT_EQ(client_.Get("/api/surveys/demo/results?period=rolling").status, 200);
}

TEST_F(AdminTest, LifecycleOfAnUnknownSurveyIs404) {
  for (const char* action : {"open", "close", "publish", "unpublish"}) {
    const HttpReply r = Admin("POST", std::string("/api/admin/surveys/nope/") + action);
    EXPECT_EQ(r.status, 404) << action << " " << r.body;
    EXPECT_TRUE(json::parse(r.body).as_object().contains("error"));
  }
  EXPECT_EQ(Admin("POST", "/api/admin/surveys/nope/codes?count=3").status, 404);
  EXPECT_EQ(server_.catalog().Get("nope"), nullptr);
}

// --- The audit log ---

TEST_F(AdminTest, EveryAdminActionIsAChainedAuditEntry) {
  const size_t before = Audit().size();
  json::object def = CodedDefinition("wave-1");
  ASSERT_EQ(Create(def).status, 201);
  def["title"] = json::object{{"en", "Wave one, revised"}};
  ASSERT_EQ(Put(def).status, 200);
  ASSERT_EQ(Admin("POST", "/api/admin/surveys/wave-1/close").status, 200);
  ASSERT_EQ(Admin("POST", "/api/admin/surveys/wave-1/open").status, 200);
  ASSERT_EQ(Admin("POST", "/api/admin/surveys/wave-1/unpublish").status, 200);
  ASSERT_EQ(Admin("POST", "/api/admin/surveys/wave-1/publish").status, 200);
  const auto codes = IssueCodes("wave-1", 7);
  ASSERT_EQ(codes.size(), 7u);
  // Failed and unauthorised calls add nothing.
  EXPECT_EQ(Create(def).status, 409);
  EXPECT_EQ(Admin("POST", "/api/admin/surveys", "{}").status, 400);
  EXPECT_EQ(Admin("POST", "/api/admin/surveys/nope/close").status, 404);
  EXPECT_EQ(Admin("POST", "/api/admin/surveys/wave-1/codes?count=0").status, 400);
  EXPECT_EQ(client_.Send("POST", "/api/admin/surveys/wave-1/close").status, 401);
  EXPECT_EQ(
      client_.Send("POST", "/api/admin/surveys/wave-1/close", {{"Authorization", "Bearer nope"}})
          .status,
      403);
  EXPECT_TRUE(server_.catalog().Get("wave-1")->open);

  // Each action twice: its intent before it was done, its outcome after.
  const auto entries = Audit();
  ASSERT_EQ(entries.size(), before + 14);
  const std::vector<std::string> actions = {"survey.create", "survey.version",   "survey.close",
                                            "survey.open",   "survey.unpublish", "survey.publish",
                                            "codes.issue"};
  for (size_t i = 0; i < actions.size(); ++i) {
    for (size_t phase = 0; phase < 2; ++phase) {
      const json::object& e = entries[before + 2 * i + phase];
      SCOPED_TRACE(json::serialize(e));
      EXPECT_EQ(Str(e, "action"), actions[i]);
      EXPECT_EQ(Str(e, "survey"), "wave-1");
      EXPECT_EQ(Str(e, "time"), kStartText);  // the injected clock
      EXPECT_EQ(Str(e, "detail").rfind(phase == 0 ? "intent" : "done", 0), 0u);
    }
  }
  EXPECT_EQ(Str(entries[before], "detail"), "intent: version 1");
  EXPECT_EQ(Str(entries[before + 3], "detail"), "done: version 2");
  EXPECT_NE(Str(entries.back(), "detail").find('7'), std::string::npos)
      << json::serialize(entries.back());
  // One chain: seq counts up, each entry's prev is the previous entry's hash.
  const std::regex hex64("[0-9a-f]{64}");
  for (size_t i = 0; i < entries.size(); ++i) {
    const json::object& e = entries[i];
    SCOPED_TRACE(json::serialize(e));
    for (const char* key : {"seq", "time", "action", "survey", "detail", "prev", "hash"}) {
      EXPECT_TRUE(e.contains(key)) << key;
    }
    EXPECT_TRUE(std::regex_match(Str(e, "hash"), hex64));
    EXPECT_TRUE(std::regex_match(Str(e, "time"), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
    if (i == 0) {
      EXPECT_EQ(Str(e, "prev"), std::string(64, '0'));
    } else {
      EXPECT_EQ(Str(e, "prev"), Str(entries[i - 1], "hash"));
      EXPECT_EQ(e.at("seq").to_number<int64_t>(),
                entries[i - 1].at("seq").to_number<int64_t>() + 1);
    }
  }
  std::set<std::string> hashes;
  for (const auto& e : entries) hashes.insert(Str(e, "hash"));
  EXPECT_EQ(hashes.size(), entries.size());
  // The log holds neither the codes nor the token.
  const std::string log = ReadAll(server_.dir() / "data" / "audit.log");
  for (const IssuedCode& c : codes) EXPECT_EQ(log.find(c.code), std::string::npos);
  EXPECT_EQ(log.find(server_.admin_token()), std::string::npos);
}

TEST_F(AdminTest, ConcurrentAdminActionsKeepOneChain) {
  ASSERT_EQ(Create(CodedDefinition("ballot")).status, 201);
  const size_t before = Audit().size();
  std::vector<std::thread> threads;
  std::atomic<int> issued{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      HttpClient c = server_.Client();
      for (int i = 0; i < 5; ++i) {
        issued += c.Send("POST", "/api/admin/surveys/ballot/codes?count=2", Auth()).status == 201;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(issued.load(), 20);
  const auto entries = Audit();
  ASSERT_EQ(entries.size(), before + 2 * 20);  // intent and outcome of each
  for (size_t i = 1; i < entries.size(); ++i) {
    EXPECT_EQ(Str(entries[i], "prev"), Str(entries[i - 1], "hash")) << i;
    EXPECT_EQ(entries[i].at("seq").to_number<int64_t>(),
              entries[i - 1].at("seq").to_number<int64_t>() + 1);
  }
}

TEST_F(AdminTest, AuditTimeFollowsTheClock) {
  minutes_ = 3 * kDay + 45;  // Sunday 18 January 2026, 11:05
  ASSERT_EQ(Admin("POST", "/api/admin/surveys/demo/close").status, 200);
  const auto entries = Audit();
  ASSERT_GE(entries.size(), 2u);
  EXPECT_EQ(Str(entries[entries.size() - 2], "time"), "2026-01-18T11:05:00Z");  // the intent
  EXPECT_EQ(Str(entries.back(), "time"), "2026-01-18T11:05:00Z");
  EXPECT_EQ(Str(entries.back(), "action"), "survey.close");
  EXPECT_EQ(Str(entries.back(), "survey"), "demo");
}

}  // namespace
}  // namespace candour::testing::admin
