// Integration tests over real HTTP on 127.0.0.1 against a real RocksDB in a temporary folder.
#include <gtest/gtest.h>

#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <regex>

#include "survey/survey.h"
#include "tests/csv_reader.h"
#include "tests/test_server.h"
#include "web/qr.h"

namespace candour::testing {
namespace {

namespace json = boost::json;

class HttpTest : public ::testing::Test {
 protected:
  HttpTest() : client_(server_.Client()) {}

  // Asserts the status, that the body names what was wrong, and that nothing was stored.
  void ExpectRefused(const HttpReply& r, int status, const std::string& message_part) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_NE(r.body.find(message_part), std::string::npos)
        << "expected \"" << message_part << "\" in: " << r.body;
    EXPECT_TRUE(server_.StoredPlaintexts().empty());
  }

  TestServer server_;
  HttpClient client_;
};

TEST_F(HttpTest, FormRendersAccessiblyAndStoresNothingInTheBrowser) {
  const HttpReply r = client_.Get("/s/demo?src=morningside-2026-11");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  EXPECT_EQ(r.Header("referrer-policy"), "no-referrer");
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
  const std::string csp = r.Header("content-security-policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(r.Header("set-cookie"), "");
  EXPECT_NE(r.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(r.body.find("<form method=\"post\" action=\"/s/demo/responses\""), std::string::npos);
  EXPECT_NE(r.body.find("name=\"src\" value=\"morningside-2026-11\""), std::string::npos);
  EXPECT_NE(r.body.find("Leave this page quickly"), std::string::npos);
  // The privacy statement comes before the first question.
  const size_t privacy = r.body.find("What we keep:");
  const size_t first_question = r.body.find("<fieldset>");
  ASSERT_NE(privacy, std::string::npos);
  EXPECT_LT(privacy, first_question);
  // Every radio and checkbox has a label bound to it; no question is required.
  const std::regex input_id("<input type=\"(radio|checkbox)\" id=\"([^\"]+)\"");
  int inputs = 0;
  for (std::sregex_iterator it(r.body.begin(), r.body.end(), input_id), end; it != end; ++it) {
    ++inputs;
    EXPECT_NE(r.body.find("<label for=\"" + (*it)[2].str() + "\">"), std::string::npos);
  }
  EXPECT_GT(inputs, 50);
  EXPECT_EQ(r.body.find("required"), std::string::npos);
  // One script, from this server, deferred: an enhancement only (the form posts without it).
  EXPECT_EQ(r.body.find("<script"),
            r.body.find("<script src=\"/static/candour.js\" defer></script>"));
  EXPECT_EQ(r.body.find("<script", r.body.find("<script") + 1), std::string::npos);
  // Nothing is loaded from another origin: the only absolute URL is the quick-exit link.
  const std::regex external("(src|href)=\"(https?:)?//");
  int external_refs = 0;
  for (std::sregex_iterator it(r.body.begin(), r.body.end(), external), end; it != end; ++it) {
    ++external_refs;
  }
  EXPECT_EQ(external_refs, 1);
  EXPECT_NE(r.body.find("class=\"quick-exit\" href=\"https://"), std::string::npos);
}

TEST_F(HttpTest, TheDemoSurveySaysItIsADemo) {
  EXPECT_NE(client_.Get("/s/demo").body.find("Demo survey."), std::string::npos);
  ASSERT_EQ(server_.WaitForRelease("demo").status, 200);
  const HttpReply r = client_.Get("/api/surveys/demo/results?period=rolling");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"demo_data\""), std::string::npos);
}

TEST_F(HttpTest, InvalidSourceTagIsDroppedFromTheForm) {
  const HttpReply r = client_.Get("/s/demo?src=%3Cscript%3E");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find("name=\"src\""), std::string::npos);
  EXPECT_EQ(r.body.find("<script>"), std::string::npos);
}

TEST_F(HttpTest, StylesheetIsServedFromTheBinary) {
  const HttpReply r = client_.Get("/static/candour.css");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/css; charset=utf-8");
  EXPECT_NE(r.body.find(".quick-exit"), std::string::npos);
  EXPECT_EQ(client_.Get("/static/../CMakeLists.txt").status, 404);
  EXPECT_EQ(client_.Get("/static/nope.css").status, 404);
}

TEST_F(HttpTest, FormPostIsStoredAndRedirectsToThanks) {
  const HttpReply r =
      client_.PostForm("/s/demo/responses",
                       "lang=en&src=poster-7&Q60=good&Q62A=tend_to_agree&ward=dalston&comment=");
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("location"), "/s/demo/thanks?lang=en");
  const auto stored = server_.StoredPlaintexts();
  ASSERT_EQ(stored.size(), 1u);
  const json::object o = json::parse(stored[0]).as_object();
  EXPECT_EQ(o.at("survey"), "demo");
  EXPECT_EQ(o.at("src"), "poster-7");
  const json::object& answers = o.at("answers").as_object();
  EXPECT_EQ(answers.size(), 3u);  // the empty comment is not an answer
  EXPECT_EQ(answers.at("Q60"), "good");
  EXPECT_EQ(answers.at("ward"), "dalston");
  const HttpReply thanks = client_.Get("/s/demo/thanks?lang=en");
  EXPECT_EQ(thanks.status, 200);
  EXPECT_NE(thanks.body.find("href=\"/r/demo?lang=en\""), std::string::npos);
}

TEST_F(HttpTest, JsonPostIsStoredWithoutAResponseId) {
  const HttpReply r =
      client_.PostJson("/s/demo/responses",
                       R"({"answers":{"Q60":"poor","NQ135BD":"strongly_disagree"},"src":"web"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body), json::parse(R"({"status":"stored"})"));
  const auto stored = server_.StoredPlaintexts();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(json::parse(stored[0]).at("answers").at("NQ135BD"), "strongly_disagree");
}

TEST_F(HttpTest, StoredPeriodIsTheIsoWeekOfTheInjectedClock) {
  TestServer fixed([](server::ServerConfig& c) {
    c.now = [] {
      return std::chrono::sys_days{std::chrono::year{2027} / 1 / 1} + std::chrono::hours{13};
    };
  });
  HttpClient client = fixed.Client();
  ASSERT_EQ(client.PostJson("/s/demo/responses", R"({"answers":{}})").status, 201);
  const auto stored = fixed.StoredPlaintexts();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(json::parse(stored[0]).at("period"), "2026-W53");
}

TEST_F(HttpTest, DefinitionIsAvailableAsJson) {
  const HttpReply r = client_.Get("/api/surveys/demo");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "application/json");
  const json::value v = json::parse(r.body);
  EXPECT_EQ(v.at("id"), "demo");
  EXPECT_EQ(v.at("questions").as_array()[0].at("id"), "Q60");
  EXPECT_EQ(v.at("questions").as_array()[0].at("options").as_array()[0].at("id"), "excellent");
}

TEST_F(HttpTest, UnknownSurveyIs404) {
  ExpectRefused(client_.Get("/s/nope"), 404, "there is no survey &quot;nope&quot;");
  ExpectRefused(client_.PostJson("/s/nope/responses", R"({"answers":{}})"), 404, "nope");
  ExpectRefused(client_.Get("/api/surveys/nope"), 404, "nope");
}

TEST_F(HttpTest, ClosedSurveyIs410) {
  auto closed = survey::ParseSurvey(
      R"({"id":"closed","languages":["en"],"title":{"en":"Old"},"open":false,
          "questions":[{"id":"q","type":"text","text":{"en":"?"}}]})");
  ASSERT_TRUE(closed.has_value()) << closed.error();
  ASSERT_FALSE(server_.catalog().Put(server_.store(), std::move(*closed)));
  ExpectRefused(client_.PostJson("/s/closed/responses", R"({"answers":{"q":"hi"}})"), 410,
                "closed");
  ExpectRefused(client_.PostForm("/s/closed/responses", "q=hi"), 410, "closed");
  EXPECT_EQ(client_.Get("/s/closed").status, 410);
}

TEST_F(HttpTest, BadJsonAnswersAre400NamingTheField) {
  struct Case {
    std::string body, field, message;
  };
  const std::vector<Case> cases = {
      {R"({"answers":{"Q999":"good"}})", "Q999", "unknown question"},
      {R"({"answers":{"Q60":"brilliant"}})", "Q60", "unknown option"},
      {R"({"answers":{"Q60":["good"]}})", "Q60", "expected one option id"},
      {R"({"answers":{"comment":42}})", "comment", "expected text"},
      {R"({"answers":{"comment":")" + std::string(1001, 'z') + "\"}}", "comment", "too long"},
      {R"({"answers":{"Q60":"good","Q60":"poor"}})", "Q60", "duplicate key"},
      {"{\"answers\":{\"comment\":\"\xc3\x28\"}}", "body", "not valid JSON"},
      {R"({"answers":{},"src":"UPPER CASE"})", "src", "source tag"},
      {R"({"answers":{},"ip":"1.2.3.4"})", "ip", "unknown field"},
      {R"(["answers"])", "body", "expected a JSON object"},
      {"", "body", "not valid JSON"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body.substr(0, 80));
    const HttpReply r = client_.PostJson("/s/demo/responses", c.body);
    ASSERT_EQ(r.status, 400);
    EXPECT_EQ(r.Header("content-type"), "application/json");
    const json::value v = json::parse(r.body);
    EXPECT_EQ(v.at("field"), c.field.c_str());
    EXPECT_NE(std::string(v.at("error").as_string()).find(c.message), std::string::npos) << r.body;
  }
  EXPECT_TRUE(server_.StoredPlaintexts().empty());
}

TEST_F(HttpTest, NumbersOutOfRangeAre400) {
  auto scaled = survey::ParseSurvey(
      R"({"id":"scaled","languages":["en"],"title":{"en":"S"},
          "questions":[{"id":"likely","type":"scale","min":0,"max":10,"text":{"en":"?"}},
                       {"id":"why","type":"multi","text":{"en":"?"},
                        "options":[{"id":"a","label":{"en":"A"}},{"id":"b","label":{"en":"B"}}]}]})");
  ASSERT_TRUE(scaled.has_value()) << scaled.error();
  ASSERT_FALSE(server_.catalog().Put(server_.store(), std::move(*scaled)));
  ExpectRefused(client_.PostJson("/s/scaled/responses", R"({"answers":{"likely":11}})"), 400,
                "out of range");
  ExpectRefused(client_.PostJson("/s/scaled/responses", R"({"answers":{"likely":2.5}})"), 400,
                "whole number");
  ExpectRefused(client_.PostJson("/s/scaled/responses", R"({"answers":{"why":["a","a"]}})"), 400,
                "given twice");
  ExpectRefused(client_.PostForm("/s/scaled/responses", "likely=-1"), 400, "out of range");
  ExpectRefused(client_.PostForm("/s/scaled/responses", "likely=ten"), 400, "whole number");
  ASSERT_EQ(client_.PostForm("/s/scaled/responses", "likely=10&why=a&why=b").status, 303);
  const auto stored = server_.StoredPlaintexts();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(json::parse(stored[0]).at("answers"), json::parse(R"({"likely":10,"why":["a","b"]})"));
}

TEST_F(HttpTest, BadFormAnswersAre400AndShowTheFormAgain) {
  const HttpReply r = client_.PostForm("/s/demo/responses", "Q60=good&Q60=poor");
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("There is a problem"), std::string::npos);
  EXPECT_NE(r.body.find("Q60: answered more than once"), std::string::npos);
  EXPECT_NE(r.body.find("<form method=\"post\""), std::string::npos);
  // The form comes back with the poster's tag kept.
  const HttpReply again = client_.PostForm("/s/demo/responses", "src=poster-3&lang=en&Q60=bogus");
  EXPECT_EQ(again.status, 400);
  EXPECT_NE(again.body.find("name=\"src\" value=\"poster-3\""), std::string::npos);
  ExpectRefused(client_.PostForm("/s/demo/responses", "comment=%ff%fe"), 400,
                "comment: value is not valid UTF-8");
  ExpectRefused(client_.PostForm("/s/demo/responses", "Q60=%zz"), 400, "malformed %-escape");
  ExpectRefused(client_.PostForm("/s/demo/responses", "favourite=blue"), 400,
                "favourite: unknown question");
}

TEST_F(HttpTest, OtherContentTypesAre415) {
  ExpectRefused(
      client_.Send("POST", "/s/demo/responses", {{"Content-Type", "text/plain"}}, "Q60=good"), 415,
      "application/x-www-form-urlencoded or application/json");
  ExpectRefused(client_.Send("POST", "/s/demo/responses", {}, "Q60=good"), 415, "application/json");
}

TEST_F(HttpTest, OversizedBodyIs413) {
  const std::string big = "comment=" + std::string(17 * 1024, 'a');
  const HttpReply r = client_.PostForm("/s/demo/responses", big);
  ExpectRefused(r, 413, "larger than 16384 bytes");
  // The server still serves others afterwards.
  EXPECT_EQ(server_.Client().Get("/healthz").status, 200);
}

// Replies refused before routing carry the same security headers as every other reply.
TEST_F(HttpTest, RefusalsBeforeRoutingCarryTheSecurityHeaders) {
  const HttpReply too_large =
      client_.PostForm("/s/demo/responses", "comment=" + std::string(17 * 1024, 'a'));
  const HttpReply headers_too_large =
      server_.Client().Send("GET", "/s/demo", {{"X-Padding", std::string(9000, 'p')}});
  const std::string malformed =
      server_.Client().Raw("GET /s/demo HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
                           std::chrono::milliseconds(2000));
  for (const HttpReply* r : {&too_large, &headers_too_large}) {
    EXPECT_NE(r->status, 0);
    EXPECT_EQ(r->Header("content-security-policy").find("default-src 'none'"), 0u) << r->status;
    EXPECT_EQ(r->Header("x-content-type-options"), "nosniff") << r->status;
    EXPECT_EQ(r->Header("referrer-policy"), "no-referrer") << r->status;
    EXPECT_EQ(r->Header("cache-control"), "no-store") << r->status;
  }
  EXPECT_EQ(too_large.status, 413);
  EXPECT_EQ(headers_too_large.status, 431);
  EXPECT_EQ(malformed.rfind("HTTP/1.1 400", 0), 0u) << malformed.substr(0, 120);
  EXPECT_NE(malformed.find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_NE(malformed.find("Content-Security-Policy: default-src 'none'"), std::string::npos);
}

// Every GET route answers HEAD (uptime monitors use it): the GET reply's status and headers,
// its length included, without the body. A route without GET still refuses HEAD.
TEST_F(HttpTest, EveryGetRouteAnswersHead) {
  for (const char* target :
       {"/", "/healthz", "/readyz", "/s/demo", "/s/demo/thanks", "/s/demo/qr.svg", "/s/demo/poster",
        "/api/surveys/demo", "/static/candour.css"}) {
    const HttpReply get = client_.Get(target);
    const HttpReply head = client_.Send("HEAD", target);
    EXPECT_EQ(get.status, 200) << target;
    EXPECT_EQ(head.status, 200) << target;
    EXPECT_TRUE(head.body.empty()) << target;
    EXPECT_EQ(head.Header("content-length"), std::to_string(get.body.size())) << target;
    EXPECT_EQ(head.Header("content-type"), get.Header("content-type")) << target;
    EXPECT_EQ(head.Header("x-content-type-options"), "nosniff") << target;
  }
  EXPECT_EQ(client_.Send("HEAD", "/s/nope").status, 404);
  const HttpReply post_only = client_.Send("HEAD", "/s/demo/responses");
  EXPECT_EQ(post_only.status, 405);
  EXPECT_EQ(post_only.Header("allow"), "POST");
  // The connection is still in step after HEAD replies: the next GET reads its own reply.
  EXPECT_EQ(client_.Get("/healthz").body, "ok\n");
}

TEST_F(HttpTest, OversizedHeadersAre431) {
  const HttpReply r = client_.Send("GET", "/s/demo", {{"X-Padding", std::string(9000, 'p')}});
  EXPECT_EQ(r.status, 431);
  EXPECT_NE(r.body.find("headers are larger than"), std::string::npos);
}

TEST_F(HttpTest, WrongMethodIs405WithAllow) {
  const HttpReply r = client_.Send("DELETE", "/s/demo/responses");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("allow"), "POST");
  EXPECT_EQ(client_.Send("POST", "/s/demo", {{"Content-Type", "application/json"}}, "{}").status,
            405);
  // Every method the address takes, in the route table's order.
  HttpReply admin = client_.Send("DELETE", "/api/admin/surveys");
  EXPECT_EQ(admin.status, 405);
  EXPECT_EQ(admin.Header("allow"), "GET, HEAD, POST");
  EXPECT_EQ(admin.Header("content-type"), "application/json");
  admin = client_.Send("POST", "/api/admin/surveys/demo");
  EXPECT_EQ(admin.status, 405);
  EXPECT_EQ(admin.Header("allow"), "GET, HEAD, PUT");
  // Routed replies carry the security headers, refusals included.
  EXPECT_EQ(admin.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(client_.Get("/s/demo/nothing-here").status, 404);
  EXPECT_EQ(client_.Get("/api/admin/nothing-here").status, 404);
}

TEST_F(HttpTest, ChunkedBodyOverItsRoutesLimitIs413) {
  // No Content-Length to check up front: the limit is set on the parser before the body.
  std::string request =
      "POST /s/demo/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) request += "400\r\n" + std::string(1024, ' ') + "\r\n";
  request += "0\r\n\r\n";
  const std::string reply = client_.Raw(request, std::chrono::milliseconds(2000));
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply.substr(0, 200);
  EXPECT_NE(reply.find("larger than 16384 bytes"), std::string::npos);
  // A small chunked body is read whole.
  const std::string answer = R"({"answers":{"Q60":"good"}})";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", answer.size());
  const std::string ok = client_.Raw(
      "POST /s/demo/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
          std::string(size) + "\r\n" + answer + "\r\n0\r\n\r\n",
      std::chrono::milliseconds(2000));
  EXPECT_EQ(ok.rfind("HTTP/1.1 201", 0), 0u) << ok.substr(0, 200);
  EXPECT_EQ(server_.StoredPlaintexts().size(), 1u);
}

TEST_F(HttpTest, MetricsAndTheAccessLogNameTheRouteNotThePath) {
  const std::map<std::string, std::string> auth = {
      {"Authorization", "Bearer " + server_.admin_token()}};
  ASSERT_EQ(client_.Get("/api/admin/surveys/demo", auth).status, 200);
  ASSERT_EQ(client_.Get("/s/demo/poster?src=hall").status, 200);
  ASSERT_EQ(client_.Get("/no/such/page").status, 404);
  const std::string m = client_.Get("/metrics", auth).body;
  for (const char* series :
       {"candour_http_requests_total{route=\"/api/admin/surveys/{survey}\",status=\"2xx\"} 1",
        "candour_http_requests_total{route=\"/s/{survey}/poster\",status=\"2xx\"} 1",
        "candour_http_requests_total{route=\"other\",status=\"4xx\"} 1"}) {
    EXPECT_NE(m.find(series), std::string::npos) << series << " in\n" << m;
  }
  const auto log = server_.AccessLog();
  ASSERT_GE(log.size(), 3u);
  EXPECT_EQ(log[0].rfind("GET /api/admin/surveys/{survey} 200 ", 0), 0u) << log[0];
  EXPECT_EQ(log[1].rfind("GET /s/{survey}/poster 200 ", 0), 0u) << log[1];
  EXPECT_EQ(log[2].rfind("GET other 404 ", 0), 0u) << log[2];
  for (const std::string& line : log) {
    EXPECT_EQ(line.find("demo"), std::string::npos) << line;
    EXPECT_EQ(line.find("hall"), std::string::npos) << line;
  }
}

TEST_F(HttpTest, MalformedRequestLineIs400) {
  const std::string reply =
      client_.Raw("GET /s/demo HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n",
                  std::chrono::milliseconds(2000));
  EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << reply;
  EXPECT_NE(reply.find("malformed HTTP request"), std::string::npos);
}

TEST_F(HttpTest, SlowClientIsDisconnectedAndOthersAreServed) {
  TestServer quick(
      [](server::ServerConfig& c) { c.request_timeout = std::chrono::milliseconds(300); });
  HttpClient slow = quick.Client();
  const auto start = std::chrono::steady_clock::now();
  // Sends half a request and never finishes: the server must hang up by itself.
  const std::string reply =
      slow.Raw("POST /s/demo/responses HTTP/1.1\r\nHost: x\r\n", std::chrono::milliseconds(5000));
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_LT(waited, std::chrono::milliseconds(4000));
  EXPECT_EQ(quick.Client().Get("/healthz").status, 200);
}

TEST_F(HttpTest, TwoHundredSlowClientsDoNotStopOthers) {
  TestServer quick(
      [](server::ServerConfig& c) { c.request_timeout = std::chrono::milliseconds(4000); });
  boost::asio::io_context ioc;
  std::vector<boost::asio::ip::tcp::socket> slow;
  const auto endpoint =
      boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), quick.port());
  for (int i = 0; i < 200; ++i) {
    slow.emplace_back(ioc);
    boost::system::error_code ec;
    slow.back().connect(endpoint, ec);
    ASSERT_FALSE(ec) << ec.message();
    // Half a request line, then nothing: a slowloris.
    boost::asio::write(slow.back(), boost::asio::buffer(std::string("POST /s/demo/resp")), ec);
  }
  HttpClient client = quick.Client();
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(client.Get("/healthz").status, 200);
    EXPECT_EQ(client.PostJson("/s/demo/responses", R"({"answers":{"Q60":"good"}})").status, 201);
  }
  // Others were served while every slow connection was still open (not after they were
  // dropped): a read on each would still block.
  int still_open = 0;
  for (auto& s : slow) {
    s.non_blocking(true);
    char probe;
    boost::system::error_code ec;
    s.read_some(boost::asio::buffer(&probe, 1), ec);
    still_open += ec == boost::asio::error::would_block;
    s.non_blocking(false);
  }
  EXPECT_EQ(still_open, 200);
  // The slow clients are hung up on once their time is up.
  char byte;
  int closed = 0;
  for (auto& s : slow) {
    boost::system::error_code ec;
    s.read_some(boost::asio::buffer(&byte, 1), ec);  // returns when the server closes
    closed += ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
  }
  EXPECT_EQ(closed, 200);
}

TEST_F(HttpTest, QrCodeOfTheSurveyLink) {
  const HttpReply r = client_.Get("/s/demo/qr.svg?src=morningside-2026-11");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "image/svg+xml");
  EXPECT_EQ(r.body.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(r.body.find("<path fill=\"#000\" d=\"M4 4h7v1h-7z"), std::string::npos);
  // The same link as a QR code in its own right (the server encodes exactly this link).
  auto expected = web::QrSvg("http://127.0.0.1:" + std::to_string(server_.port()) +
                             "/s/demo?src=morningside-2026-11");
  ASSERT_TRUE(expected.has_value());
  EXPECT_EQ(r.body, *expected);
  ExpectRefused(client_.Get("/s/demo/qr.svg?src=Bad%20Tag"), 400, "src: expected a source tag");
  ExpectRefused(client_.Get("/s/nope/qr.svg"), 404, "nope");
}

TEST_F(HttpTest, PosterForAnEvent) {
  const HttpReply r = client_.Get("/s/demo/poster?src=morningside-2026-11");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<h1>Trust in policing in Hackney</h1>"), std::string::npos);
  EXPECT_NE(r.body.find("src=\"/s/demo/qr.svg?src=morningside-2026-11\""), std::string::npos);
  // Spelled out, with a place to wrap before the query (a <wbr>), never inside a word.
  const std::string link =
      "http://127.0.0.1:" + std::to_string(server_.port()) + "/s/demo<wbr>?src=morningside-2026-11";
  EXPECT_NE(r.body.find("<strong>" + link + "</strong>"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("no IP address"), std::string::npos);
  ExpectRefused(client_.Get("/s/demo/poster?src=NOT%20OK"), 400, "src:");
}

// /healthz and /readyz are public and say nothing else; /metrics is for operators only (its
// live counters would tell anyone polling when each response arrives).
TEST_F(HttpTest, HealthAndMetrics) {
  ASSERT_EQ(client_.PostJson("/s/demo/responses", R"({"answers":{"Q60":"good"}})").status, 201);
  EXPECT_EQ(client_.Get("/healthz").body, "ok\n");
  const HttpReply ready = client_.Get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "ready\n");
  EXPECT_EQ(client_.Send("HEAD", "/readyz").status, 200);
  const HttpReply anonymous = client_.Get("/metrics");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.body.find("candour_"), std::string::npos) << anonymous.body;
  EXPECT_EQ(client_.Get("/metrics", {{"Authorization", "Bearer not-the-token"}}).status, 403);
  const HttpReply m =
      client_.Get("/metrics", {{"Authorization", "Bearer " + server_.admin_token()}});
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(
      m.body.find("candour_http_requests_total{route=\"/s/{survey}/responses\",status=\"2xx\"} 1"),
      std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("candour_commit_records_total 1"), std::string::npos);
}

TEST_F(HttpTest, LanguageFromQueryThenAcceptLanguage) {
  auto bilingual = survey::ParseSurvey(
      R"({"id":"bi","languages":["en","tr"],"title":{"en":"Trust","tr":"Guven"},
          "questions":[{"id":"q","type":"text","text":{"en":"Why?","tr":"Neden?"}}]})");
  ASSERT_TRUE(bilingual.has_value()) << bilingual.error();
  ASSERT_FALSE(server_.catalog().Put(server_.store(), std::move(*bilingual)));
  EXPECT_NE(client_.Get("/s/bi?lang=tr").body.find("<html lang=\"tr\">"), std::string::npos);
  const HttpReply r = client_.Get("/s/bi", {{"Accept-Language", "de;q=0.9, tr;q=0.8, en;q=0.5"}});
  EXPECT_NE(r.body.find("<html lang=\"tr\">"), std::string::npos);
  EXPECT_NE(r.body.find("Neden?"), std::string::npos);
  EXPECT_NE(client_.Get("/s/bi?lang=xx").body.find("<html lang=\"en\">"), std::string::npos);
}

}  // namespace
}  // namespace candour::testing

namespace candour::testing {
namespace {

TEST(IndexOnCommitTest, CommittedResponsesReachTheIndexRefusedOnesDoNot) {
  TestServer server;
  HttpClient client = server.Client();
  ASSERT_EQ(client.PostJson("/s/demo/responses", R"({"answers":{"Q60":"excellent"}})").status, 201);
  ASSERT_EQ(client.PostForm("/s/demo/responses", "Q60=excellent&ward=dalston").status, 303);
  ASSERT_EQ(client.PostForm("/s/demo/responses", "Q60=bogus").status, 400);
  size_t rows = 0, excellent = 0;
  ASSERT_TRUE(server.indexes().Read("demo", [&](const stats::ResponseIndex& index) {
    rows = index.size();
    for (uint8_t c : index.Codes(static_cast<size_t>(index.ColumnOf("Q60")))) excellent += c == 1;
  }));
  EXPECT_EQ(rows, 2u);
  EXPECT_EQ(excellent, 2u);
}

}  // namespace
}  // namespace candour::testing

namespace candour::testing {
namespace {

namespace json = boost::json;

// A month-period survey with one measure, filled with known counts.
class ResultsApiTest : public ::testing::Test {
 protected:
  ResultsApiTest()
      : server_([](server::ServerConfig& c) {
          c.now = [] { return std::chrono::sys_days{std::chrono::year{2026} / 11 / 25}; };
        }) {
    auto s =
        survey::ParseSurvey(R"({"id":"r","languages":["en"],"title":{"en":"R"},"period":"month",
      "questions":[{"id":"q","type":"single","text":{"en":"?"},"options":[
        {"id":"yes","label":{"en":"Yes"}},{"id":"no","label":{"en":"No"}}]},
        {"id":"area","type":"single","dimension":true,"text":{"en":"?"},"options":[
        {"id":"a","label":{"en":"A"}},{"id":"b","label":{"en":"B"}}]}],
      "measures":[{"id":"yes_share","question":"q","positive":["yes"],"label":{"en":"Yes"}}]})");
    EXPECT_TRUE(s.has_value()) << s.error();
    survey_ = *s;
    EXPECT_FALSE(server_.catalog().Put(server_.store(), std::move(*s)));
    // 45/120 in January, 60/125 in February: the worked z-test of the issue.
    Add("2026-01", "yes", "a", 45);
    Add("2026-01", "no", "b", 75);
    Add("2026-02", "yes", "a", 60);
    Add("2026-02", "no", "b", 65);
    Add("2026-11", "yes", "a", 50);  // the current month: never published
  }
  // Each test reads the survey's release: built first (a first request only queues it).
  void SetUp() override { ASSERT_EQ(server_.WaitForRelease("r").status, 200); }
  void Add(const std::string& month, const std::string& q, const std::string& area, int n) {
    survey::Submission s;
    s.answers = {{"q", q}, {"area", area}};
    for (int i = 0; i < n; ++i) server_.indexes().Add(survey_, month, "", s.answers);
  }
  TestServer server_;
  survey::Survey survey_;
};

TEST_F(ResultsApiTest, MonthlyTrendWithIntervalsAndChange) {
  HttpClient client = server_.Client();
  const HttpReply r = client.Get("/api/surveys/r/results?period=month");
  ASSERT_EQ(r.status, 200) << r.body;
  const json::value v = json::parse(r.body);
  EXPECT_EQ(v.at("periods"), json::parse(R"(["2026-01","2026-02"])"));
  const json::array& rows = v.at("measures").as_array()[0].at("rows").as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("positive"), 45);
  EXPECT_EQ(rows[0].at("base"), 120);
  EXPECT_NEAR(rows[0].at("low").as_double(), 0.293524, 5e-7);
  EXPECT_NEAR(rows[0].at("high").as_double(), 0.464230, 5e-7);
  const json::object& change =
      v.at("measures").as_array()[0].at("changes").as_array()[0].as_object();
  EXPECT_NEAR(change.at("z").as_double(), 1.660196, 5e-7);
  EXPECT_NEAR(change.at("p").as_double(), 0.096875, 5e-7);
  EXPECT_EQ(change.at("significant"), false);
  EXPECT_FALSE(change.contains("flag"));  // no plain-language flag unless p < 0.05
}

TEST_F(ResultsApiTest, OnlyDeclaredViews) {
  HttpClient client = server_.Client();
  EXPECT_EQ(client.Get("/api/surveys/r/results?period=quarter&by=area").status, 200);
  for (const char* bad :
       {"?period=week", "?period=month&by=area", "?by=colour", "?from=2026-01-03", "?period=day"}) {
    const HttpReply r = client.Get(std::string("/api/surveys/r/results") + bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_NE(r.body.find("allowed: period=month|quarter|rolling; by=area"), std::string::npos)
        << r.body;
  }
  EXPECT_EQ(client.Get("/api/surveys/nope/results").status, 404);
}

// The row of `csv` whose first columns are `key` (table, id, period, group, figure), or null.
const std::vector<std::string>* Figure(const Csv& csv, const std::vector<std::string>& key) {
  for (const auto& row : csv.rows) {
    if (std::equal(key.begin(), key.end(), row.begin())) return &row;
  }
  return nullptr;
}

TEST_F(ResultsApiTest, CsvByAcceptHeaderOrSuffix) {
  HttpClient client = server_.Client();
  const HttpReply a = client.Get("/api/surveys/r/results?period=month", {{"Accept", "text/csv"}});
  const HttpReply b = client.Get("/api/surveys/r/results.csv?period=month");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body, b.body);
  const Csv csv = ReadCsv(a.body);
  ASSERT_EQ(csv.error, "") << a.body;
  EXPECT_EQ(csv.header, (std::vector<std::string>{"table", "id", "period", "group", "figure",
                                                  "value", "suppressed"}));
  const auto* positive = Figure(csv, {"measure", "yes_share", "2026-01", "all", "positive"});
  ASSERT_NE(positive, nullptr) << a.body;
  EXPECT_EQ((*positive)[5], "45");
  EXPECT_EQ((*positive)[6], "");
  const auto* low = Figure(csv, {"measure", "yes_share", "2026-01", "all", "low"});
  ASSERT_NE(low, nullptr);
  EXPECT_EQ((*low)[5], "0.293524");
}

// The withheld reason has a comma. Written unquoted, it split into two fields and gave its row
// one field more than the header: a spreadsheet showed the reason in two columns.
TEST_F(ResultsApiTest, CsvKeepsAWithheldReasonInOneField) {
  const HttpReply r = server_.Client().Get("/api/surveys/r/results.csv?period=quarter&by=area");
  ASSERT_EQ(r.status, 200) << r.body;
  const Csv csv = ReadCsv(r.body);
  ASSERT_EQ(csv.error, "") << r.body;  // every row has the header's number of fields
  const auto* negative = Figure(csv, {"measure", "yes_share", "2026-Q1", "a", "negative"});
  ASSERT_NE(negative, nullptr) << r.body;
  EXPECT_EQ((*negative)[5], "");
  EXPECT_EQ((*negative)[6],
            "small numbers: fewer than 10 responses, or a figure that would reveal them");
  const auto* base = Figure(csv, {"measure", "yes_share", "2026-Q1", "b", "base"});
  ASSERT_NE(base, nullptr);
  EXPECT_EQ((*base)[5], "140");
}

TEST_F(ResultsApiTest, WhatIsPublishedIsKeptForTheNextRelease) {
  HttpClient client = server_.Client();
  ASSERT_EQ(client.Get("/api/surveys/r/results?period=month").status, 200);
  auto record = server_.store().GetMeta("published/r");
  ASSERT_TRUE(record.has_value());
  ASSERT_TRUE(record->has_value());
  const json::value kept = json::parse(**record);
  EXPECT_EQ(kept.at("q|||2026-01|yes"), 45);
  EXPECT_EQ(kept.at("q|||2026-02|base"), 125);
  // January's "yes" in group a is unanimous (45 of 45): withheld, and kept as withheld.
  EXPECT_TRUE(kept.at("q|area|a|2026-Q1|yes_share:negative").is_null());
  EXPECT_EQ(kept.at("q|area|b|2026-Q1|base"), 140);
}

TEST_F(ResultsApiTest, UnpublishedSurveyHasNoResults) {
  auto s = survey::ParseSurvey(R"({"id":"private","languages":["en"],"title":{"en":"P"},
    "public_results":false,"questions":[{"id":"q","type":"text","text":{"en":"?"}}]})");
  ASSERT_TRUE(s.has_value());
  ASSERT_FALSE(server_.catalog().Put(server_.store(), std::move(*s)));
  EXPECT_EQ(server_.Client().Get("/api/surveys/private/results").status, 404);
}

}  // namespace
}  // namespace candour::testing
