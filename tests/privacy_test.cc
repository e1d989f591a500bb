// Privacy as a feature: what a resident's request carries must not reach the disk or the logs.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <regex>

#include "tests/test_server.h"

namespace candour::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const std::string kUserAgent = "CanaryBrowser/9.9 (privacy-probe-ua)";
const std::string kForwardedFor = "203.0.113.77";
const std::string kReferrer = "https://referrer.example/canary-referrer";
const std::string kCookie = "session=canary-cookie-value";
const std::string kCanaryText = "canary-free-text-31337 the officer on Mare Street";

std::map<std::string, std::string> IdentifyingHeaders() {
  return {{"User-Agent", kUserAgent},   {"X-Forwarded-For", kForwardedFor},
          {"X-Real-IP", kForwardedFor}, {"Forwarded", "for=" + kForwardedFor},
          {"Referer", kReferrer},       {"Cookie", kCookie}};
}

TEST(PrivacyTest, NothingIdentifyingReachesDiskOrLogs) {
  TestServer server;
  HttpClient client = server.Client();
  auto headers = IdentifyingHeaders();
  headers["Content-Type"] = "application/json";
  json::object body;
  body["answers"] = {{"Q60", "very_poor"}, {"comment", kCanaryText}, {"ward", "hackney_wick"}};
  body["src"] = "privacy-probe";
  ASSERT_EQ(client.Send("POST", "/s/demo/responses", headers, json::serialize(body)).status, 201);
  headers["Content-Type"] = "application/x-www-form-urlencoded";
  ASSERT_EQ(client
                .Send("POST", "/s/demo/responses", headers,
                      "Q60=very_poor&comment=canary-free-text-31337+the+officer+on+Mare+Street")
                .status,
            303);

  // What is stored, decrypted, is exactly the promised fields.
  const auto stored = server.StoredPlaintexts();
  ASSERT_EQ(stored.size(), 2u);
  for (const std::string& plaintext : stored) {
    const json::object o = json::parse(plaintext).as_object();
    std::set<std::string> keys;
    for (const auto& kv : o) keys.insert(std::string(kv.key()));
    EXPECT_EQ(keys, (std::set<std::string>{"answers", "period", "src", "survey", "version"}));
    EXPECT_TRUE(
        std::regex_match(std::string(o.at("period").as_string()), std::regex(R"(\d{4}-W\d{2})")));
    for (const std::string& probe : {kUserAgent, kForwardedFor, kReferrer, kCookie}) {
      EXPECT_EQ(plaintext.find(probe), std::string::npos) << probe;
    }
  }

  const auto log = server.AccessLog();
  server.Shutdown();

  // No file in the data folder holds the request's identifying data or any answer in clear.
  const std::vector<std::string> secrets = {
      kUserAgent, "CanaryBrowser", kForwardedFor, "203.0.113", kReferrer, "canary-cookie",
      "canary-free-text", "Mare Street",
      // answers as the stored JSON would spell them (the
      // option ids alone are in the survey definition)
      "\"Q60\":\"very_poor\"", "Q60=very_poor", "\"ward\":\"hackney_wick\"", "privacy-probe"};
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(server.dir())) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const std::string bytes = ReadAll(entry.path());
    for (const std::string& s : secrets) {
      EXPECT_EQ(bytes.find(s), std::string::npos) << s << " found in " << entry.path();
    }
  }
  EXPECT_GT(files, 3);  // the WAL, manifest, options... were really inspected

  // The access log says method, route pattern, status and latency, and nothing else.
  ASSERT_EQ(log.size(), 2u);
  const std::regex line(R"((GET|POST) /[a-z{}/]* \d{3} \d+us)");
  for (const std::string& l : log) {
    EXPECT_TRUE(std::regex_match(l, line)) << l;
    for (const std::string& s : secrets) EXPECT_EQ(l.find(s), std::string::npos) << l;
  }
}

TEST(PrivacyTest, StorageOrderIsNotArrivalOrder) {
  TestServer server;
  HttpClient client = server.Client();
  const int n = 40;
  for (int i = 0; i < n; ++i) {
    const std::string body = R"({"answers":{},"src":"arrival-)" + std::to_string(i) + "\"}";
    ASSERT_EQ(client.PostJson("/s/demo/responses", body).status, 201);
  }
  std::vector<int> order;
  for (const std::string& p : server.StoredPlaintexts()) {
    const std::string src(json::parse(p).at("src").as_string());
    order.push_back(std::stoi(src.substr(std::string("arrival-").size())));
  }
  ASSERT_EQ(order.size(), static_cast<size_t>(n));
  // Keys are random, so the stored order is a random permutation: count how many adjacent
  // pairs keep arrival order. Sorted would give n-1; a random order about (n-1)/2.
  int ascending = 0;
  for (int i = 1; i < n; ++i) ascending += order[i] > order[i - 1];
  EXPECT_LT(ascending, n - 10) << "stored order follows arrival order";
  EXPECT_GT(ascending, 5);
}

TEST(PrivacyTest, RepliesCarryNoIdentifierAndSetNoCookie) {
  TestServer server;
  HttpClient client = server.Client();
  const HttpReply r = client.PostJson("/s/demo/responses", R"({"answers":{"Q60":"good"}})");
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(r.Header("set-cookie"), "");
  EXPECT_EQ(r.Header("location"), "");
  EXPECT_EQ(json::parse(r.body).as_object().size(), 1u);  // {"status":"stored"} only
  const HttpReply form = client.PostForm("/s/demo/responses", "Q60=good");
  EXPECT_EQ(form.Header("set-cookie"), "");
  EXPECT_EQ(form.Header("location"), "/s/demo/thanks?lang=en");  // the same for everyone
}

}  // namespace
}  // namespace candour::testing
