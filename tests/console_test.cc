// The organiser console (/admin) over real HTTP: sign-in, its cookie, expiry, sign-out, the
// Origin check, state changes through the audited Organiser, and no cookie outside /admin.
#include "tests/admin_fixture.h"

namespace candour::testing::admin {
namespace {

class ConsoleTest : public AdminTest {
 protected:
  std::string Origin() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }
  HttpReply Post(const std::string& target, const std::string& body, const std::string& cookie,
                 const std::string& origin) {
    std::map<std::string, std::string> h = {{"Content-Type", "application/x-www-form-urlencoded"}};
    if (!cookie.empty()) h["Cookie"] = cookie;
    if (!origin.empty()) h["Origin"] = origin;
    return client_.Send("POST", target, h, body);
  }
  // Signs in; returns "candour_session=ID".
  std::string SignIn() {
    const HttpReply r = Post("/admin/sign-in", "token=" + server_.admin_token(), "", Origin());
    EXPECT_EQ(r.status, 303) << r.body;
    const std::string set = r.Header("set-cookie");
    return set.substr(0, set.find(';'));
  }
  HttpReply Get(const std::string& target, const std::string& cookie) {
    return client_.Get(target, {{"Cookie", cookie}});
  }
};

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
  EXPECT_EQ(expired.Header("location"), "/admin/sign-in");
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

}  // namespace
}  // namespace candour::testing::admin
