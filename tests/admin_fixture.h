// The admin tests' fixture and helpers (admin_test.cc, codes_test.cc): a TestServer with an
// injected clock, an admin client, and readers for the audit log, code sheets and data files.
#pragma once

#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <boost/json.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include "survey/survey.h"
#include "tests/test_server.h"
#include "tests/text_count.h"

namespace candour::testing::admin {

namespace fs = std::filesystem;
namespace json = boost::json;
using std::chrono::minutes;

// Thursday 15 January 2026, 10:20:00 UTC (ISO week 2026-W03, in January).
inline const std::chrono::system_clock::time_point kStart =
    std::chrono::sys_days{std::chrono::year{2026} / 1 / 15} + std::chrono::hours{10} +
    std::chrono::minutes{20};
inline constexpr char kStartText[] = "2026-01-15T10:20:00Z";
constexpr int64_t kDay = 24 * 60;  // minutes

inline std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

// How a token's hash would most likely be spelled if it leaked: SHA-256 and BLAKE2b-256, hex.
inline std::vector<std::string> TokenHashes(const std::string& token) {
  const auto* in = reinterpret_cast<const unsigned char*>(token.data());
  unsigned char sha[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(sha, in, token.size());
  unsigned char blake[32];
  crypto_generichash(blake, sizeof blake, in, token.size(), nullptr, 0);
  return {Hex(sha, sizeof sha), Hex(blake, sizeof blake)};
}

inline std::string UrlEncode(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The attributes of every <input> tag of a page.
inline std::vector<std::map<std::string, std::string>> Inputs(const std::string& html) {
  static const std::regex kInput(R"(<input\b([^>]*)>)");
  static const std::regex kAttr(R"(([a-z-]+)="([^"]*)\")");
  std::vector<std::map<std::string, std::string>> out;
  for (std::sregex_iterator it(html.begin(), html.end(), kInput), end; it != end; ++it) {
    const std::string attrs = (*it)[1].str();
    std::map<std::string, std::string> m;
    for (std::sregex_iterator a(attrs.begin(), attrs.end(), kAttr); a != end; ++a) {
      m[(*a)[1].str()] = (*a)[2].str();
    }
    out.push_back(std::move(m));
  }
  return out;
}

inline bool HasInput(const std::string& html, const std::string& name, const std::string& type = "",
                     const std::string& value = "") {
  for (const auto& in : Inputs(html)) {
    auto get = [&](const std::string& k) {
      auto it = in.find(k);
      return it == in.end() ? std::string() : it->second;
    };
    if (get("name") != name) continue;
    if (!type.empty() && get("type") != type) continue;
    if (!value.empty() && get("value") != value) continue;
    return true;
  }
  return false;
}

struct IssuedCode {
  std::string code, link;
};

// The rows of a codes CSV ("code,link" then one row per code); fails the test on a bad line.
inline std::vector<IssuedCode> ParseCodes(const std::string& csv) {
  std::vector<IssuedCode> out;
  std::istringstream in(csv);
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (header) {
      EXPECT_EQ(line, "code,link");
      header = false;
      continue;
    }
    if (line.empty()) continue;
    const size_t comma = line.find(',');
    EXPECT_NE(comma, std::string::npos) << line;
    if (comma == std::string::npos) continue;
    out.push_back({line.substr(0, comma), line.substr(comma + 1)});
  }
  return out;
}

// A small survey by month: "mood" (a measure's question), "why" (free text).
inline json::object Definition(const std::string& id) {
  json::object o = json::parse(R"({"languages":["en"],"title":{"en":"Wave one"},"period":"month",
    "questions":[
      {"id":"mood","type":"single","text":{"en":"How is it?"},"options":[
        {"id":"good","label":{"en":"Good"}},{"id":"fair","label":{"en":"Fair"}},
        {"id":"bad","label":{"en":"Bad"}},{"id":"dont_know","label":{"en":"Don't know"},"missing":true}]},
      {"id":"why","type":"text","text":{"en":"Why?"}}],
    "measures":[{"id":"good_share","question":"mood","positive":["good"],"label":{"en":"Good"}}]})")
                       .as_object();
  o["id"] = id;
  return o;
}

inline json::array& Questions(json::object& def) { return def["questions"].as_array(); }
inline json::array& Options(json::object& def, size_t question) {
  return Questions(def)[question].as_object()["options"].as_array();
}

// The same, needing a single-use code per response.
inline json::object CodedDefinition(const std::string& id) {
  json::object def = Definition(id);
  def["requires_code"] = true;
  return def;
}

class AdminTest : public ::testing::Test {
 protected:
  AdminTest()
      : server_([this](server::ServerConfig& c) {
          c.now = [this] { return kStart + minutes(minutes_.load()); };
        }),
        client_(server_.Client()) {}

  std::map<std::string, std::string> Auth() const {
    return {{"Authorization", "Bearer " + server_.admin_token()}};
  }
  HttpReply Admin(const std::string& method, const std::string& target,
                  const std::string& body = "") {
    auto headers = Auth();
    if (!body.empty()) headers["Content-Type"] = "application/json";
    return client_.Send(method, target, headers, body);
  }
  HttpReply Create(const json::object& def) {
    return Admin("POST", "/api/admin/surveys", json::serialize(def));
  }
  HttpReply Put(const json::object& def) {
    return Admin("PUT", "/api/admin/surveys/" + std::string(def.at("id").as_string()),
                 json::serialize(def));
  }
  std::vector<IssuedCode> IssueCodes(const std::string& survey, int count) {
    const HttpReply r =
        Admin("POST", "/api/admin/surveys/" + survey + "/codes?count=" + std::to_string(count));
    EXPECT_EQ(r.status, 201) << r.body;
    return ParseCodes(r.body);
  }
  // The survey's entry in GET /api/admin/surveys (fails the test if it is not listed).
  json::object Listed(const std::string& id) {
    const HttpReply r = Admin("GET", "/api/admin/surveys");
    EXPECT_EQ(r.status, 200) << r.body;
    const json::value list = json::parse(r.body);
    for (const json::value& s : list.at("surveys").as_array()) {
      if (s.at("id") == id.c_str()) return s.as_object();
    }
    ADD_FAILURE() << id << " is not listed: " << r.body;
    return {};
  }
  // The audit log's entries, one parsed JSON object per line.
  std::vector<json::object> Audit() {
    std::vector<json::object> out;
    std::ifstream in(server_.dir() / "data" / "audit.log");
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      boost::system::error_code ec;
      json::value v = json::parse(line, ec);
      EXPECT_FALSE(ec) << "not JSON: " << line;
      if (!ec && v.is_object()) out.push_back(v.as_object());
    }
    return out;
  }
  // The words printed on a codes sheet (outside its tags, QR codes and styles) that open the
  // survey's form as valid codes.
  std::vector<std::string> CodesOnSheet(const std::string& html, const std::string& survey) {
    std::string text;
    for (size_t i = 0; i < html.size();) {
      if (html[i] != '<') {
        text += html[i++];
        continue;
      }
      size_t next = html.find('>', i);
      for (const std::string block : {"svg", "style", "script"}) {
        if (html.compare(i + 1, block.size(), block) == 0) {
          next = html.find("</" + block + ">", i);
          if (next != std::string::npos) next += block.size() + 2;
        }
      }
      if (next == std::string::npos) break;
      text += ' ';
      i = next + 1;
    }
    std::set<std::string> words;
    static const std::regex kWord("[A-Za-z0-9_-]{4,64}");
    for (std::sregex_iterator it(text.begin(), text.end(), kWord), end; it != end; ++it) {
      words.insert(it->str());
    }
    std::vector<std::string> codes;
    for (const std::string& w : words) {
      if (client_.Get("/s/" + survey + "?code=" + UrlEncode(w)).status == 200) {
        codes.push_back(w);
      }
    }
    return codes;
  }
  static std::string Str(const json::object& o, const char* key) {
    const json::value* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  }

  std::atomic<int64_t> minutes_{0};  // the injected clock: kStart plus this many minutes
  TestServer server_;
  HttpClient client_;
};

}  // namespace candour::testing::admin
