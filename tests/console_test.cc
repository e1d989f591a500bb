// The organiser console (/admin) over real HTTP: sign-in, its cookie, expiry, sign-out, the
// Origin check, state changes through the audited Organiser, and no cookie outside /admin.
#include "tests/console_fixture.h"

namespace candour::testing::admin {
namespace {

TEST_F(ConsoleTest, WrongTokenIsRefusedAndSetsNoCookie) {
  const HttpReply r = Post("/admin/sign-in", "token=wrong", "", Origin());
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.Header("set-cookie"), "");
  EXPECT_NE(r.body.find("not the admin token"), std::string::npos);
  EXPECT_EQ(client_.Get("/admin").status, 303);
}

TEST_F(ConsoleTest, SessionCookieFlagsAndTheListAfterSignIn) {
  const HttpReply r = Post("/admin/sign-in", "token=" + server_.admin_token(), "", Origin());
  ASSERT_EQ(r.status, 303);
  const std::string set = r.Header("set-cookie");
  EXPECT_EQ(set.rfind("candour_session=", 0), 0u) << set;
  EXPECT_NE(set.find("; HttpOnly"), std::string::npos) << set;
  EXPECT_NE(set.find("; SameSite=Strict"), std::string::npos) << set;
  EXPECT_NE(set.find("; Path=/admin"), std::string::npos) << set;
  EXPECT_EQ(set.find("Secure"), std::string::npos) << set;  // http public URL
  EXPECT_EQ(set.find(server_.admin_token()), std::string::npos);
  const HttpReply list = Get("/admin", set.substr(0, set.find(';')));
  EXPECT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("/admin/surveys/demo/close"), std::string::npos) << list.body;
  EXPECT_NE(list.body.find("/s/demo/poster"), std::string::npos);
}

TEST(ConsoleHttps, CookieIsSecureUnderAnHttpsPublicUrl) {
  TestServer server([](server::ServerConfig& c) { c.public_url = "https://survey.example.org"; });
  HttpClient client = server.Client();
  const HttpReply r = client.Send("POST", "/admin/sign-in",
                                  {{"Content-Type", "application/x-www-form-urlencoded"},
                                   {"Origin", "https://survey.example.org"}},
                                  "token=" + server.admin_token());
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_NE(r.Header("set-cookie").find("; Secure"), std::string::npos) << r.Header("set-cookie");
}

TEST_F(ConsoleTest, SessionExpiresAfterInactivity) {
  const std::string cookie = SignIn();
  EXPECT_EQ(Get("/admin", cookie).status, 200);
  minutes_ += 29;
  EXPECT_EQ(Get("/admin", cookie).status, 200);  // activity renews it
  minutes_ += 29;
  EXPECT_EQ(Get("/admin", cookie).status, 200);
  minutes_ += 31;
  const HttpReply expired = Get("/admin", cookie);
  EXPECT_EQ(expired.status, 303);
  // The sign-in page says why: the session ended after 30 minutes unused.
  EXPECT_EQ(expired.Header("location"), "/admin/sign-in?ended=1");
  const HttpReply page = client_.Get(expired.Header("location"));
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Your session ended: it was unused for 30 minutes"), std::string::npos)
      << page.body;
  // Without a session cookie, nothing ended: the plain sign-in page.
  EXPECT_EQ(client_.Get("/admin").Header("location"), "/admin/sign-in");
}

TEST_F(ConsoleTest, SignOutEndsTheSession) {
  const std::string cookie = SignIn();
  ASSERT_EQ(Get("/admin", cookie).status, 200);
  const HttpReply out = Post("/admin/sign-out", "", cookie, Origin());
  EXPECT_EQ(out.status, 303);
  EXPECT_NE(out.Header("set-cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Get("/admin", cookie).status, 303);
  EXPECT_EQ(Post("/admin/surveys/demo/close", "", cookie, Origin()).status, 403);
}

TEST_F(ConsoleTest, CrossOriginOrMissingOriginIsRefusedAndChangesNothing) {
  const std::string cookie = SignIn();
  const size_t audit_before = Audit().size();
  const HttpReply cross = Post("/admin/surveys/demo/close", "", cookie, "https://evil.example");
  EXPECT_EQ(cross.status, 403);
  EXPECT_NE(cross.body.find("another site"), std::string::npos) << cross.body;
  const HttpReply missing = Post("/admin/surveys/demo/close", "", cookie, "");
  EXPECT_EQ(missing.status, 403);
  EXPECT_NE(missing.body.find("Origin"), std::string::npos) << missing.body;
  EXPECT_EQ(Post("/admin/sign-in", "token=" + server_.admin_token(), "", "").status, 403);
  EXPECT_EQ(Listed("demo").at("open"), true);
  EXPECT_EQ(Audit().size(), audit_before);
}

TEST_F(ConsoleTest, StateChangeIsConfirmedDoneAndAudited) {
  const std::string cookie = SignIn();
  const HttpReply confirm = Get("/admin/surveys/demo/close", cookie);
  EXPECT_EQ(confirm.status, 200);
  EXPECT_NE(confirm.body.find("Close this survey?"), std::string::npos);
  EXPECT_NE(confirm.body.find("action=\"/admin/surveys/demo/close\""), std::string::npos);
  EXPECT_EQ(Listed("demo").at("open"), true);  // the confirmation page changes nothing
  const HttpReply done = Post("/admin/surveys/demo/close", "", cookie, Origin());
  EXPECT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(Listed("demo").at("open"), false);
  const auto audit = Audit();
  ASSERT_GE(audit.size(), 2u);
  EXPECT_EQ(Str(audit.back(), "survey"), "demo");
  EXPECT_NE(Str(audit.back(), "action").find("close"), std::string::npos)
      << Str(audit.back(), "action");
  const HttpReply page = Get("/admin/audit", cookie);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("intact"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("close"), std::string::npos);
}

// An unknown survey or action is a 404 page that says which, on every console route, and a
// POST to one changes nothing.
TEST_F(ConsoleTest, AnUnknownSurveyOrActionIsA404ThatSaysSo) {
  const std::string cookie = SignIn();
  for (const HttpReply& r :
       {Get("/admin/surveys/nothing/close", cookie), Get("/admin/surveys/nothing/codes", cookie),
        Post("/admin/surveys/nothing/codes", "count=3", cookie, Origin()),
        Post("/admin/surveys/nothing/close", "", cookie, Origin())}) {
    EXPECT_EQ(r.status, 404);
    EXPECT_NE(r.body.find("No such survey"), std::string::npos) << r.body;
  }
  EXPECT_NE(Get("/admin/surveys/nothing/codes", cookie).body.find("no survey &quot;nothing&quot;"),
            std::string::npos);
  for (const HttpReply& r : {Get("/admin/surveys/demo/explode", cookie),
                             Post("/admin/surveys/demo/explode", "", cookie, Origin())}) {
    EXPECT_EQ(r.status, 404);
    EXPECT_NE(r.body.find("There is no such action."), std::string::npos) << r.body;
  }
  EXPECT_EQ(Listed("demo").at("open"), true);
}

TEST_F(ConsoleTest, CodesComeAsAnAttachmentOnce) {
  const std::string cookie = SignIn();
  const HttpReply form = Get("/admin/surveys/demo/codes", cookie);
  EXPECT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("shown once"), std::string::npos);
  EXPECT_EQ(Post("/admin/surveys/demo/codes", "count=0", cookie, Origin()).status, 400);
  const HttpReply sheet = Post("/admin/surveys/demo/codes", "count=3", cookie, Origin());
  EXPECT_EQ(sheet.status, 201) << sheet.body;
  EXPECT_NE(sheet.Header("content-disposition").find("attachment"), std::string::npos);
}

// Under a "no-referrer" policy a browser sends "Origin: null" with a form (found by the
// browser suite: no sign-in worked), so the console's pages send their referrer to this site
// only; every other page still sends none.
TEST_F(ConsoleTest, ConsolePagesSendTheirOriginToThisSiteOnly) {
  const HttpReply console = client_.Get("/admin/sign-in");
  EXPECT_EQ(console.Header("referrer-policy"), "same-origin");
  EXPECT_NE(console.body.find("<meta name=\"referrer\" content=\"same-origin\">"),
            std::string::npos)
      << console.body;
  for (const char* t : {"/", "/s/demo", "/healthz", "/api/surveys/demo"}) {
    const HttpReply r = client_.Get(t);
    EXPECT_EQ(r.Header("referrer-policy"), "no-referrer") << t;
    EXPECT_EQ(r.body.find("same-origin"), std::string::npos) << t;
  }
}

TEST_F(ConsoleTest, NoResponseOutsideAdminSetsACookie) {
  SignIn();
  const std::vector<std::string> targets = {
      "/",       "/s/demo",           "/s/demo/thanks", "/s/demo/poster", "/s/demo/qr.svg",
      "/r/demo", "/api/surveys/demo", "/healthz",       "/nothing"};
  for (const auto& t : targets) {
    SCOPED_TRACE(t);
    EXPECT_EQ(client_.Get(t).Header("set-cookie"), "");
  }
  EXPECT_EQ(client_.PostForm("/s/demo/responses", "Q60=poor").Header("set-cookie"), "");
  EXPECT_EQ(Admin("GET", "/api/admin/surveys").status, 200);  // the bearer token still works
  EXPECT_EQ(Admin("GET", "/api/admin/surveys").Header("set-cookie"), "");
}

// --- sources: responses per source and month, posters ---

// A survey by month that declares two sources and says who runs it, how to reach them and
// when it closes.
json::object EventsDefinition() {
  json::object def = Definition("events");
  def["sources"] = json::parse(R"([{"tag":"hall","label":"Town hall, 10 Jan"},
                                   {"tag":"library","label":"Library poster"}])");
  def["force_name"] = "Hackney Council";
  def["contact"] = "Questions: engagement@hackney.example";
  def["closes"] = "2026-03-31";
  return def;
}

TEST_F(ConsoleTest, SourcesAreCountedPerMonthWithSmallCountsAsFewerThanTen) {
  ASSERT_EQ(Create(EventsDefinition()).status, 201);
  auto submit = [&](const std::string& src, int n) {
    for (int i = 0; i < n; ++i) {
      const std::string body = src.empty() ? R"({"answers":{"mood":"good"}})"
                                           : R"({"src":")" + src + R"(","answers":{}})";
      ASSERT_EQ(client_.PostJson("/s/events/responses", body).status, 201);
    }
  };
  submit("hall", 25);
  submit("library", 2);
  submit("nowhere", 1);  // undeclared: kept as "other"
  submit("", 14);        // the plain link

  EXPECT_EQ(client_.Get("/api/admin/surveys/events/sources").status, 401);
  EXPECT_EQ(Admin("GET", "/api/admin/surveys/nothing/sources").status, 404);
  const HttpReply api = Admin("GET", "/api/admin/surveys/events/sources");
  ASSERT_EQ(api.status, 200) << api.body;
  EXPECT_EQ(api.Header("content-type"), "application/json");
  const json::object o = json::parse(api.body).as_object();
  EXPECT_EQ(o.at("total").as_int64(), 42);
  EXPECT_EQ(o.at("threshold").as_int64(), 10);
  std::vector<std::string> tags;
  for (const auto& s : o.at("sources").as_array())
    tags.emplace_back(s.as_object().at("tag").as_string());
  EXPECT_EQ(tags, (std::vector<std::string>{"hall", "library", "other", ""}));
  const json::array& months = o.at("months").as_array();
  ASSERT_EQ(months.size(), 1u);
  const json::object& jan = months[0].as_object();
  EXPECT_EQ(jan.at("month").as_string(), "2026-01");  // a month, never a week or a time
  EXPECT_EQ(jan.at("complete").as_bool(), false);     // the month under way, counted so far
  EXPECT_EQ(jan.size(), 3u);
  std::map<std::string, json::object> cell;
  for (const auto& c : jan.at("counts").as_array())
    cell[std::string(c.as_object().at("source").as_string())] = c.as_object();
  for (const char* small : {"library", "other"}) {
    EXPECT_EQ(cell[small].at("fewer_than").as_int64(), 10) << small;
    EXPECT_FALSE(cell[small].contains("count")) << small;
  }
  // The month's total (42) is known from the survey list: what the shown counts leave of it
  // must be able to hide a count of 10, or a small count would follow by subtraction.
  int64_t shown = 0;
  for (auto& [tag, c] : cell)
    if (c.contains("count")) shown += c.at("count").as_int64();
  EXPECT_GE(42 - shown, 10) << api.body;
  EXPECT_EQ(api.body.find("-W"), std::string::npos);

  // The console's page shows the same, and links each source's posters and QR codes.
  const std::string cookie = SignIn();
  EXPECT_NE(Get("/admin", cookie).body.find("/admin/surveys/events/sources"), std::string::npos);
  EXPECT_EQ(client_.Get("/admin/surveys/events/sources").status, 303);  // signed out
  const HttpReply page = Get("/admin/surveys/events/sources", cookie);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(Count(page.body, ">fewer than 10</td>"), 2u) << page.body;
  EXPECT_NE(page.body.find("Town hall, 10 Jan"), std::string::npos);
  EXPECT_NE(page.body.find("Jan 2026 (so far)"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/s/events/poster?src=library&amp;lang=en\""), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/s/events/qr.png?src=hall\""), std::string::npos);
  EXPECT_NE(page.body.find(">" + Origin() + "/s/events?src=hall</p>"), std::string::npos);
  EXPECT_EQ(Get("/admin/surveys/nothing/sources", cookie).status, 404);
}

TEST_F(ConsoleTest, ASourcesPosterSaysWhoRunsItHowToReachThemAndWhenItCloses) {
  ASSERT_EQ(Create(EventsDefinition()).status, 201);
  const HttpReply poster = client_.Get("/s/events/poster?src=hall");
  ASSERT_EQ(poster.status, 200);
  EXPECT_NE(poster.body.find("A survey by Hackney Council."), std::string::npos) << poster.body;
  EXPECT_NE(poster.body.find("Questions: engagement@hackney.example"), std::string::npos);
  EXPECT_NE(poster.body.find("Open until 31 March 2026."), std::string::npos);
  EXPECT_NE(poster.body.find("src=\"/s/events/qr.svg?src=hall\""), std::string::npos);
  EXPECT_NE(poster.body.find(Origin() + "/s/events?src=hall"), std::string::npos);
  const HttpReply qr = client_.Get("/s/events/qr.svg?src=hall");
  EXPECT_EQ(qr.status, 200);
  EXPECT_EQ(qr.Header("content-type"), "image/svg+xml");
  // The demo survey's poster names its three languages, each in itself.
  const HttpReply demo = client_.Get("/s/demo/poster?lang=tr");
  EXPECT_NE(demo.body.find("Diller: <span lang=\"en\">English</span>, <span lang=\"tr\">"),
            std::string::npos)
      << demo.body;
}

}  // namespace
}  // namespace candour::testing::admin
