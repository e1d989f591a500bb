// The organisers' command line, run as the real binary on a stopped server's data: the admin
// token written once to a file and rotated, the audit log's verification, surveys from a file,
// codes, and free text sealed to an offline key that only `comments export` can open.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <fstream>
#include <regex>
#include <set>

#include "tests/http_client.h"
#include "tests/process.h"
#include "tests/test_server.h"

namespace candour::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

void WriteAll(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// The file a first start says it wrote the admin token to, or empty.
std::string TokenPathIn(const std::string& output) {
  static const std::regex kPath(R"(Admin token written to (\S+) \(mode 0600\))");
  std::smatch m;
  return std::regex_search(output, m, kPath) ? m[1].str() : "";
}

// The admin token in that file (without its newline), or empty.
std::string TokenIn(const std::string& output) {
  const std::string path = TokenPathIn(output);
  if (path.empty()) return "";
  std::string token = ReadAll(path);
  while (!token.empty() && token.back() == '\n') token.pop_back();
  return token;
}

const char kDefinition[] = R"({"id":"ID","languages":["en"],"title":{"en":"Wave"},
  "questions":[{"id":"mood","type":"single","text":{"en":"How is it?"},"options":[
    {"id":"good","label":{"en":"Good"}},{"id":"bad","label":{"en":"Bad"}}]},
    {"id":"why","type":"text","text":{"en":"Why?"}}]EXTRA})";

std::string Definition(const std::string& id, const std::string& extra = "") {
  std::string s = kDefinition;
  s.replace(s.find("ID"), 2, id);
  s.replace(s.find("EXTRA"), 5, extra);
  return s;
}

class CliTest : public ::testing::Test {
 protected:
  CliTest() : dir_(MakeTempDir("cli")) {}
  ~CliTest() override { fs::remove_all(dir_); }

  fs::path data() const { return dir_ / "data"; }
  std::vector<std::string> Data() const {
    return {"--data", data().string(), "--key-file", (dir_ / "data.key").string()};
  }
  std::vector<std::string> ServeArgs(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = Data();
    args.insert(args.end(), {"--listen", "127.0.0.1:0", "--demo-responses", "0"});
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  // Runs `candour ARGS --data ... --key-file ...`.
  RunResult Run(std::vector<std::string> args) const {
    const auto data_args = Data();
    args.insert(args.end(), data_args.begin(), data_args.end());
    return RunCandour(args);
  }
  // Starts the server on a fresh folder and stops it; returns the token it printed.
  std::string Initialise() {
    CandourProcess server(ServeArgs());
    EXPECT_NE(server.port(), 0) << server.output();
    const std::string token = TokenIn(server.output());
    EXPECT_FALSE(token.empty()) << server.output();
    EXPECT_EQ(server.Signal(SIGTERM), 0) << server.output();
    return token;
  }
  static std::map<std::string, std::string> Bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
  }
  // The audit log's entries, parsed, and its lines as they are.
  std::vector<json::object> Audit() const {
    std::vector<json::object> out;
    for (const std::string& line : Lines(ReadAll(data() / "audit.log"))) {
      if (!line.empty()) out.push_back(json::parse(line).as_object());
    }
    return out;
  }
  fs::path Write(const std::string& name, const std::string& content) const {
    WriteAll(dir_ / name, content);
    return dir_ / name;
  }

  fs::path dir_;
};

// --- The admin token ---

// The first start writes the admin token to a file beside the key (mode 0600) and prints the
// file's path, never the token: under a service manager standard output is the journal.
TEST_F(CliTest, FirstStartWritesTheAdminTokenToAFileOnce) {
  std::string token;
  {
    CandourProcess server(ServeArgs());
    ASSERT_NE(server.port(), 0) << server.output();
    EXPECT_EQ(TokenPathIn(server.output()), (dir_ / "candour-admin-token").string())
        << server.output();
    token = TokenIn(server.output());
    ASSERT_GE(token.size(), 16u) << server.output();
    EXPECT_EQ(server.output().find(token), std::string::npos) << server.output();
    struct stat st {};
    ASSERT_EQ(::stat((dir_ / "candour-admin-token").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    HttpClient client(server.port());
    EXPECT_EQ(client.Get("/api/admin/surveys", Bearer(token)).status, 200);
    EXPECT_EQ(client.Get("/api/admin/surveys").status, 401);
    EXPECT_EQ(server.Signal(SIGTERM), 0) << server.output();
  }
  CandourProcess again(ServeArgs());
  ASSERT_NE(again.port(), 0) << again.output();
  HttpClient client(again.port());
  EXPECT_EQ(client.Get("/api/admin/surveys", Bearer(token)).status, 200);
  EXPECT_EQ(again.Signal(SIGTERM), 0);
  EXPECT_EQ(again.output().find("Admin token written"), std::string::npos) << again.output();
  EXPECT_EQ(again.output().find(token), std::string::npos) << again.output();
  // The token is kept only as a hash.
  EXPECT_EQ(FilesHolding(data(), {token}), std::vector<std::string>{});
}

TEST_F(CliTest, RotatedTokenReplacesTheOld) {
  const std::string old_token = Initialise();
  ASSERT_FALSE(old_token.empty());
  const RunResult r = Run({"admin-token", "--rotate"});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Admin token written to " + (dir_ / "candour-admin-token").string()),
            std::string::npos)
      << r.out;
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "candour-admin-token").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string new_token = TokenIn(r.out);
  EXPECT_GE(new_token.size(), 16u);
  EXPECT_EQ(r.out.find(new_token), std::string::npos) << r.out;
  EXPECT_NE(new_token, old_token);

  CandourProcess server(ServeArgs());
  ASSERT_NE(server.port(), 0) << server.output();
  HttpClient client(server.port());
  EXPECT_EQ(client.Get("/api/admin/surveys", Bearer(old_token)).status, 403);
  EXPECT_EQ(client.Get("/api/admin/surveys", Bearer(new_token)).status, 200);
  EXPECT_EQ(server.Signal(SIGTERM), 0);
  EXPECT_EQ(server.output().find("Admin token written"), std::string::npos) << server.output();
  EXPECT_EQ(server.output().find(new_token), std::string::npos) << server.output();
  EXPECT_EQ(FilesHolding(data(), {old_token, new_token}), std::vector<std::string>{});
}

// A token rotated in the console replaces the one in the token file (scripts that read it
// there keep working), and the page says where it went; the old token stops working.
TEST_F(CliTest, ConsoleRotationRewritesTheTokenFile) {
  CandourProcess server(ServeArgs());
  ASSERT_NE(server.port(), 0) << server.output();
  const std::string old_token = TokenIn(server.output());
  ASSERT_GE(old_token.size(), 16u) << server.output();
  const std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  HttpClient client(server.port());
  const HttpReply signed_in =
      client.Send("POST", "/admin/sign-in",
                  {{"Content-Type", "application/x-www-form-urlencoded"}, {"Origin", origin}},
                  "token=" + old_token);
  ASSERT_EQ(signed_in.status, 303) << signed_in.body;
  const std::string set = signed_in.Header("set-cookie");
  const std::string cookie = set.substr(0, set.find(';'));
  const HttpReply rotated = client.Send("POST", "/admin/token",
                                        {{"Content-Type", "application/x-www-form-urlencoded"},
                                         {"Origin", origin},
                                         {"Cookie", cookie}},
                                        "");
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  std::string new_token = ReadAll(dir_ / "candour-admin-token");
  while (!new_token.empty() && new_token.back() == '\n') new_token.pop_back();
  EXPECT_NE(new_token, old_token);
  EXPECT_NE(rotated.body.find("<code>" + new_token + "</code>"), std::string::npos) << rotated.body;
  EXPECT_NE(rotated.body.find((dir_ / "candour-admin-token").string()), std::string::npos)
      << rotated.body;
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "candour-admin-token").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(client.Get("/api/admin/surveys", Bearer(old_token)).status, 403);
  EXPECT_EQ(client.Get("/api/admin/surveys", Bearer(new_token)).status, 200);
  EXPECT_EQ(server.Signal(SIGTERM), 0) << server.output();
  EXPECT_EQ(server.output().find(new_token), std::string::npos) << server.output();
}

// --- The audit log ---

TEST_F(CliTest, AuditVerifyDetectsEditedAndDeletedEntries) {
  {
    CandourProcess server(ServeArgs());
    ASSERT_NE(server.port(), 0) << server.output();
    const std::string token = TokenIn(server.output());
    HttpClient client(server.port());
    ASSERT_EQ(client
                  .Send("POST", "/api/admin/surveys", Bearer(token),
                        Definition("wave", R"(,"requires_code":true)"))
                  .status,
              201);
    ASSERT_EQ(client.Send("POST", "/api/admin/surveys/wave/codes?count=5", Bearer(token)).status,
              201);
    ASSERT_EQ(client.Send("POST", "/api/admin/surveys/wave/close", Bearer(token)).status, 200);
    ASSERT_EQ(client.Send("POST", "/api/admin/surveys/wave/open", Bearer(token)).status, 200);
    EXPECT_EQ(server.Signal(SIGTERM), 0);
  }
  RunResult r = Run({"audit", "verify"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("verified"), std::string::npos) << r.out;

  const fs::path log = data() / "audit.log";
  const std::string original = ReadAll(log);
  std::vector<std::string> lines = Lines(original);
  const auto entries = Audit();
  ASSERT_EQ(entries.size(), lines.size());
  ASSERT_GE(entries.size(), 4u) << original;
  auto index_of = [&](const std::string& action) {
    for (size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].at("action") == action.c_str()) return i;
    }
    ADD_FAILURE() << "no " << action << " entry in " << original;
    return size_t{0};
  };
  auto seq = [&](size_t i) { return entries[i].at("seq").to_number<int64_t>(); };
  auto entry = [](int64_t n) { return "entry " + std::to_string(n); };
  auto join = [](const std::vector<std::string>& ls) {
    std::string out;
    for (const std::string& l : ls) out += l + "\n";
    return out;
  };
  const size_t codes = index_of("codes.issue");
  const size_t close = index_of("survey.close");
  const size_t last = lines.size() - 1;
  ASSERT_EQ(entries[last].at("action"), "survey.open");

  // One byte of a detail: the number of codes issued, 5 made 6.
  {
    std::vector<std::string> edited = lines;
    const size_t detail = edited[codes].find("\"detail\":\"");
    ASSERT_NE(detail, std::string::npos) << edited[codes];
    const size_t detail_end = edited[codes].find('"', detail + 10);
    const size_t five = edited[codes].find('5', detail);
    ASSERT_LT(five, detail_end) << edited[codes];
    edited[codes][five] = '6';
    WriteAll(log, join(edited));
    r = Run({"audit", "verify"});
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find(entry(seq(codes))), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("verified"), std::string::npos) << r.out;
  }
  // A middle entry deleted: named as missing, or as the one whose "prev" no longer matches.
  {
    std::vector<std::string> edited = lines;
    edited.erase(edited.begin() + static_cast<long>(close));
    WriteAll(log, join(edited));
    r = Run({"audit", "verify"});
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_TRUE(r.out.find(entry(seq(close))) != std::string::npos ||
                r.out.find(entry(seq(close) + 1)) != std::string::npos)
        << r.out;
  }
  // The last entry deleted: the chain is whole but shorter than the store says.
  {
    std::vector<std::string> edited = lines;
    edited.pop_back();
    WriteAll(log, join(edited));
    r = Run({"audit", "verify"});
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_TRUE(r.out.find(entry(seq(last))) != std::string::npos ||
                r.out.find(entry(seq(last) - 1)) != std::string::npos)
        << r.out;
    // The next action must not adopt (and so hide) the cut: it refuses to append, and the
    // log stays broken.
    r = Run({"codes", "--survey", "wave", "--count", "1"});
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("audit log could not be written"), std::string::npos) << r.out;
    EXPECT_EQ(Run({"audit", "verify"}).exit_code, 1);
    EXPECT_EQ(ReadAll(log), join(edited));
  }
  WriteAll(log, original);
  r = Run({"audit", "verify"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
}

// --- Surveys and codes from the command line ---

TEST_F(CliTest, SurveyFromTheTemplateIsCreatedAndServed) {
  Initialise();
  RunResult r = Run({"survey", "template"});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  boost::system::error_code ec;
  json::value templ = json::parse(r.out, ec);
  ASSERT_FALSE(ec) << r.out.substr(0, 400);
  ASSERT_TRUE(templ.is_object());
  ASSERT_TRUE(templ.as_object().contains("questions"));
  EXPECT_FALSE(templ.at("questions").as_array().empty());
  templ.as_object()["id"] = "wave-cli";
  const fs::path file = Write("wave.json", json::serialize(templ));
  r = Run({"survey", "create", file.string()});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Created survey wave-cli version 1"), std::string::npos) << r.out;
  // The same again: the id is taken.
  EXPECT_EQ(Run({"survey", "create", file.string()}).exit_code, 1);

  const auto entries = Audit();
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back().at("action"), "survey.create");
  EXPECT_EQ(entries.back().at("survey"), "wave-cli");

  CandourProcess server(ServeArgs());
  ASSERT_NE(server.port(), 0) << server.output();
  HttpClient client(server.port());
  EXPECT_EQ(client.Get("/s/wave-cli").status, 200);
  const HttpReply def = client.Get("/api/surveys/wave-cli");
  ASSERT_EQ(def.status, 200);
  EXPECT_EQ(json::parse(def.body).at("version"), 1);
  EXPECT_EQ(server.Signal(SIGTERM), 0);
}

TEST_F(CliTest, InvalidSurveyFileIsRefusedNamingTheField) {
  Initialise();
  const size_t audit_before = Audit().size();
  std::string bad = Definition("bad");
  bad.replace(bad.find("\"single\""), 8, "\"dropdown\"");
  RunResult r = Run({"survey", "create", Write("bad.json", bad).string()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("questions[0].type: expected"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Created"), std::string::npos) << r.out;
  r = Run({"survey", "create", Write("broken.json", "{\"id\":").string()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("not valid JSON"), std::string::npos) << r.out;
  EXPECT_EQ(Audit().size(), audit_before);

  CandourProcess server(ServeArgs());
  ASSERT_NE(server.port(), 0) << server.output();
  EXPECT_EQ(HttpClient(server.port()).Get("/s/bad").status, 404);
  EXPECT_EQ(server.Signal(SIGTERM), 0);
}

TEST_F(CliTest, CodesFromTheCommandLineWorkOnce) {
  Initialise();
  const fs::path file = Write("ballot.json", Definition("ballot", R"(,"requires_code":true)"));
  RunResult r = Run({"survey", "create", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = Run({"codes", "--survey", "ballot", "--count", "4"});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto lines = Lines(r.out);
  ASSERT_GE(lines.size(), 5u) << r.out;
  EXPECT_EQ(lines[0], "code,link");
  std::vector<std::string> codes;
  for (size_t i = 1; i < 5; ++i) {
    const size_t comma = lines[i].find(',');
    ASSERT_NE(comma, std::string::npos) << lines[i];
    const std::string code = lines[i].substr(0, comma), link = lines[i].substr(comma + 1);
    EXPECT_EQ(link.rfind("http", 0), 0u) << link;
    EXPECT_TRUE(link.ends_with("/s/ballot?code=" + code)) << link;
    codes.push_back(code);
  }
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), 4u);
  EXPECT_EQ(FilesHolding(data(), codes), std::vector<std::string>{});
  EXPECT_EQ(Run({"codes", "--survey", "nope", "--count", "4"}).exit_code, 1);

  CandourProcess server(ServeArgs());
  ASSERT_NE(server.port(), 0) << server.output();
  HttpClient client(server.port());
  const std::string body = R"({"code":")" + codes[0] + R"(","answers":{"mood":"good"}})";
  EXPECT_EQ(client.PostJson("/s/ballot/responses", body).status, 201);
  EXPECT_EQ(client.PostJson("/s/ballot/responses", body).status, 410);
  EXPECT_EQ(client.Get("/s/ballot?code=" + codes[1]).status, 200);
  EXPECT_EQ(server.Signal(SIGTERM), 0);
}

TEST_F(CliTest, VersionsStatesAndSpentCodesSurviveARestart) {
  std::string token, code;
  {
    CandourProcess server(ServeArgs());
    ASSERT_NE(server.port(), 0) << server.output();
    token = TokenIn(server.output());
    HttpClient client(server.port());
    std::string def = Definition("wave", R"(,"requires_code":true)");
    ASSERT_EQ(client.Send("POST", "/api/admin/surveys", Bearer(token), def).status, 201);
    def.replace(def.find("\"Wave\""), 6, "\"Wave two\"");
    ASSERT_EQ(client.Send("PUT", "/api/admin/surveys/wave", Bearer(token), def).status, 200);
    const HttpReply codes =
        client.Send("POST", "/api/admin/surveys/wave/codes?count=1", Bearer(token));
    ASSERT_EQ(codes.status, 201);
    const std::string row = Lines(codes.body).at(1);
    code = row.substr(0, row.find(','));
    ASSERT_EQ(
        client.PostJson("/s/wave/responses", R"({"code":")" + code + R"(","answers":{}})").status,
        201);
    ASSERT_EQ(client.Send("POST", "/api/admin/surveys/wave/unpublish", Bearer(token)).status, 200);
    ASSERT_EQ(client.Send("POST", "/api/admin/surveys/demo/close", Bearer(token)).status, 200);
    EXPECT_EQ(server.Signal(SIGTERM), 0);
  }
  CandourProcess server(ServeArgs());
  ASSERT_NE(server.port(), 0) << server.output();
  HttpClient client(server.port());
  EXPECT_EQ(client.Get("/s/demo").status, 410);
  EXPECT_EQ(client.Get("/api/surveys/wave/results").status, 404);
  EXPECT_EQ(client.Get("/s/wave?code=" + code).status, 410);
  EXPECT_EQ(
      client.PostJson("/s/wave/responses", R"({"code":")" + code + R"(","answers":{}})").status,
      410);
  const HttpReply list = client.Get("/api/admin/surveys", Bearer(token));
  ASSERT_EQ(list.status, 200);
  const json::value v = json::parse(list.body);
  bool found = false;
  for (const json::value& s : v.at("surveys").as_array()) {
    if (s.at("id") != "wave") continue;
    found = true;
    EXPECT_EQ(s.at("version"), 2) << list.body;
    EXPECT_EQ(s.at("open"), true) << list.body;
    EXPECT_EQ(s.at("public_results"), false) << list.body;
    EXPECT_EQ(s.at("responses"), 1) << list.body;
  }
  EXPECT_TRUE(found) << list.body;
  EXPECT_EQ(server.Signal(SIGTERM), 0);
  const RunResult verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
}

// --- Free text sealed to an offline key ---

TEST_F(CliTest, CommentsKeygenWritesAPairAndNeverOverwrites) {
  const fs::path pub = dir_ / "comments.pub", sec = dir_ / "comments.sec";
  RunResult r = Run({"comments", "keygen", "--public", pub.string(), "--secret", sec.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  ASSERT_TRUE(fs::exists(pub));
  ASSERT_TRUE(fs::exists(sec));
  struct stat st {};
  ASSERT_EQ(::stat(sec.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string pub_bytes = ReadAll(pub), sec_bytes = ReadAll(sec);
  EXPECT_NE(pub_bytes, sec_bytes);
  EXPECT_EQ(sec_bytes.find(pub_bytes), std::string::npos);  // the secret file is not the public

  r = Run({"comments", "keygen", "--public", pub.string(), "--secret", sec.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  // Either one existing is enough to refuse, and nothing is written.
  const fs::path other_pub = dir_ / "other.pub";
  r = Run({"comments", "keygen", "--public", other_pub.string(), "--secret", sec.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_FALSE(fs::exists(other_pub));
  EXPECT_EQ(ReadAll(pub), pub_bytes);
  EXPECT_EQ(ReadAll(sec), sec_bytes);
}

class CommentsTest : public CliTest {
 protected:
  // Two canaries as answers to the demo's free-text question, through a server sealing to
  // comments.pub, then stopped.
  void SubmitCanaries() {
    const fs::path pub = dir_ / "comments.pub", sec = dir_ / "comments.sec";
    const RunResult r =
        Run({"comments", "keygen", "--public", pub.string(), "--secret", sec.string()});
    ASSERT_EQ(r.exit_code, 0) << r.out;
    CandourProcess server(ServeArgs({"--comments-key", pub.string()}));
    ASSERT_NE(server.port(), 0) << server.output();
    HttpClient client(server.port());
    const HttpReply def = client.Get("/api/surveys/demo");
    ASSERT_EQ(def.status, 200);
    const json::value definition = json::parse(def.body);
    for (const json::value& q : definition.at("questions").as_array()) {
      if (q.at("type") == "text") text_id_ = std::string(q.at("id").as_string());
    }
    ASSERT_FALSE(text_id_.empty()) << def.body;
    for (const std::string& canary : canaries_) {
      json::object body;
      body["answers"] = {{"Q60", "fair"}, {text_id_, canary}};
      ASSERT_EQ(client.PostJson("/s/demo/responses", json::serialize(body)).status, 201);
    }
    ASSERT_EQ(client.PostJson("/s/demo/responses", R"({"answers":{"Q60":"good"}})").status, 201);
    EXPECT_EQ(server.Signal(SIGTERM), 0) << server.output();
  }
  RunResult Export(const std::string& secret) const {
    return Run(
        {"comments", "export", "--survey", "demo", "--secret-key", (dir_ / secret).string()});
  }

  std::string text_id_;
  const std::vector<std::string> canaries_ = {"canary-offline-5501 more foot patrols on Mare St",
                                              "canary-offline-5502 \"quoted\" and caf\xc3\xa9"};
};

TEST_F(CommentsTest, ExportOpensWhatTheServerCouldNot) {
  ASSERT_NO_FATAL_FAILURE(SubmitCanaries());
  EXPECT_EQ(FilesHolding(data(), {"canary-offline", "Mare St", "quoted"}),
            std::vector<std::string>{});

  const RunResult r = Export("comments.sec");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::multiset<std::string> texts;
  for (const std::string& line : Lines(r.out)) {
    if (line.empty() || line.front() != '{') continue;
    const json::value v = json::parse(line);
    EXPECT_EQ(v.at("question"), text_id_.c_str()) << line;
    texts.insert(std::string(v.at("text").as_string()));
  }
  EXPECT_EQ(texts, std::multiset<std::string>(canaries_.begin(), canaries_.end())) << r.out;

  const auto entries = Audit();
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back().at("action"), "comments.export");
  EXPECT_EQ(entries.back().at("survey"), "demo");
  const std::string log = ReadAll(data() / "audit.log");
  EXPECT_EQ(log.find("canary-offline"), std::string::npos);
  const RunResult verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
}

TEST_F(CommentsTest, ExportWithTheWrongSecretKeyPrintsNoText) {
  ASSERT_NO_FATAL_FAILURE(SubmitCanaries());
  const RunResult other = Run({"comments", "keygen", "--public", (dir_ / "other.pub").string(),
                               "--secret", (dir_ / "other.sec").string()});
  ASSERT_EQ(other.exit_code, 0) << other.out;
  const RunResult r = Export("other.sec");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out.find("canary-offline"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("{\"question\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("key"), std::string::npos) << r.out;
  // A missing key file is refused the same way.
  const RunResult missing = Export("absent.sec");
  EXPECT_EQ(missing.exit_code, 1) << missing.out;
  EXPECT_EQ(missing.out.find("canary-offline"), std::string::npos) << missing.out;
}

// --- The command line itself: help, version, validation, environment, config file ---

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(CliTest, VersionIsPrinted) {
  const RunResult r = RunCandour({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(std::regex_match(r.out, std::regex("candour [0-9]+\\.[0-9]+\\.[0-9]+\n"))) << r.out;
}

TEST_F(CliTest, ServeHelpListsItsOptionsAndWhereTheyComeFrom) {
  const RunResult r = RunCandour({"serve", "--help"});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* option : {"--data", "--key-file", "--listen", "--threads", "--group-commit",
                             "--public-url", "--demo-responses", "--access-log", "--rate-limit",
                             "--console-idle", "--comments-key", "--config"}) {
    EXPECT_TRUE(Contains(r.out, option)) << option << " missing from\n" << r.out;
  }
  EXPECT_TRUE(Contains(r.out, "(Env:CANDOUR_THREADS)")) << r.out;
  EXPECT_TRUE(Contains(r.out, "Default: 127.0.0.1:8080.")) << r.out;
  EXPECT_TRUE(Contains(r.out, "its flag; its environment variable (Env:); the\nconfig file"))
      << r.out;
  EXPECT_FALSE(Contains(r.out, "--survey")) << r.out;  // import's, not serve's
}

TEST_F(CliTest, ImportHelpListsItsOptions) {
  const RunResult r = RunCandour({"import", "--help"});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* option : {"--survey ID REQUIRED", "FILE", "--format csv|jsonl", "--skip-invalid",
                             "--data", "--key-file", "--comments-key"}) {
    EXPECT_TRUE(Contains(r.out, option)) << option << " missing from\n" << r.out;
  }
  EXPECT_FALSE(Contains(r.out, "--threads")) << r.out;
  // `candour help import` is the same.
  EXPECT_EQ(RunCandour({"help", "import"}).out, r.out);
}

TEST_F(CliTest, ListenMustBeHostAndNumericPort) {
  for (const char* listen : {"127.0.0.1:http", "127.0.0.1:65536", "127.0.0.1:", "127.0.0.1",
                             "127.0.0.1:80 ", "::1:80"}) {
    const RunResult r = RunCandour({"serve", "--listen", listen, "--data", data().string()});
    EXPECT_EQ(r.exit_code, 64) << listen << ": " << r.out;
    EXPECT_TRUE(Contains(r.out, "--listen takes HOST:PORT")) << r.out;
    EXPECT_TRUE(Contains(r.out, std::string("(not \"") + listen + "\")")) << r.out;
  }
  EXPECT_FALSE(fs::exists(data()));  // refused before anything was opened
}

TEST_F(CliTest, NumbersAreDigitsWithinRange) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"serve", "--threads", "3abc"}, "--threads takes a number from 1 to 64"},
      {{"serve", "--threads", "65"}, "--threads takes a number from 1 to 64"},
      {{"serve", "--threads", " 3"}, "--threads takes a number from 1 to 64"},
      {{"serve", "--rate-limit", "0"}, "--rate-limit takes a number from 1 to 100000000"},
      {{"serve", "--rate-limit", "99999999999999999999999"}, "--rate-limit takes a number"},
      {{"serve", "--demo-responses", "1e3"}, "--demo-responses takes a number from 0 to"},
      {{"serve", "--console-idle", "0"}, "--console-idle takes a number from 1 to 604800"},
      {{"codes", "--survey", "demo", "--count", "1001"}, "--count takes a number from 1 to 1000"},
      {{"codes", "--survey", "demo", "--count", "+5"}, "--count takes a number from 1 to 1000"},
      {{"codes", "--survey", "demo"}, "--count is required"},
      {{"import", "--survey", "demo", "--format", "xml", "f"}, "--format takes csv or jsonl"},
      {{"frobnicate"}, "unknown command frobnicate"},
  };
  for (const auto& [args, message] : cases) {
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 64) << args.back() << ": " << r.out;
    EXPECT_TRUE(Contains(r.out, message)) << message << " not in\n" << r.out;
  }
  EXPECT_FALSE(fs::exists(data()));
}

// Three data folders under one key, told apart by the one survey each holds.
class CliSourcesTest : public CliTest {
 protected:
  void SetUp() override {
    for (const std::string id : {"alpha", "beta", "gamma"}) {
      // A key that has held data makes no second database: each folder is made under a copy.
      const std::string copy = (dir_ / (id + ".key")).string();
      if (fs::exists(Key())) fs::copy_file(Key(), copy);
      RunResult r =
          RunCandour({"init", "--data", Folder(id), "--key-file", fs::exists(copy) ? copy : Key()});
      ASSERT_EQ(r.exit_code, 0) << r.out;
      r = RunCandour({"survey", "create", Write(id + ".json", Definition(id)), "--data", Folder(id),
                      "--key-file", Key()});
      ASSERT_EQ(r.exit_code, 0) << r.out;
    }
  }
  std::string Folder(const std::string& id) const { return (dir_ / ("data-" + id)).string(); }
  std::string Key() const { return (dir_ / "shared.key").string(); }
  std::string Write(const std::string& name, const std::string& content) const {
    return CliTest::Write(name, content).string();
  }
  // The one survey `count` printed, or what it printed instead.
  static std::string Counted(const RunResult& r) {
    std::smatch m;
    if (r.exit_code == 0 && std::regex_match(r.out, m, std::regex("(\\w+) 0\n"))) return m[1];
    return "exit " + std::to_string(r.exit_code) + ": " + r.out;
  }
};

TEST_F(CliSourcesTest, ConfigFileSetsOptions) {
  const std::string config =
      Write("candour.toml", "# for every command\ndata = \"" + Folder("beta") +
                                "\"\nkey-file = \"" + Key() + "\"\nthreads = 3\n");
  EXPECT_EQ(Counted(RunCandour({"count", "--config", config})), "beta");
  EXPECT_EQ(Counted(RunCandour({"count"}, {{"CANDOUR_CONFIG", config}})), "beta");
  // A [count] section is for count only; serve's keys are skipped.
  const std::string sections =
      Write("sections.toml", "threads = 5\n[serve]\ndata = \"" + Folder("alpha") +
                                 "\"\n[count]\ndata = \"" + Folder("gamma") + "\"\nkey-file = \"" +
                                 Key() + "\"\n");
  EXPECT_EQ(Counted(RunCandour({"count", "--config", sections})), "gamma");
}

TEST_F(CliSourcesTest, EnvironmentIsHonoured) {
  EXPECT_EQ(Counted(RunCandour({"count"},
                               {{"CANDOUR_DATA", Folder("gamma")}, {"CANDOUR_KEY_FILE", Key()}})),
            "gamma");
  // Checked like a flag, and named as the option.
  const RunResult r = RunCandour({"serve"}, {{"CANDOUR_THREADS", "3abc"}});
  EXPECT_EQ(r.exit_code, 64) << r.out;
  EXPECT_TRUE(Contains(r.out, "--threads takes a number from 1 to 64")) << r.out;
  // Another command's variable is not this one's business.
  EXPECT_EQ(Counted(RunCandour({"count", "--data", Folder("beta"), "--key-file", Key()},
                               {{"CANDOUR_THREADS", "3abc"}})),
            "beta");
}

TEST_F(CliSourcesTest, FlagBeatsEnvironmentBeatsConfigFile) {
  const std::string config = Write("c.toml", "data = \"" + Folder("gamma") + "\"\n");
  const std::vector<std::string> args = {"count", "--config", config, "--key-file", Key()};
  std::vector<std::string> with_flag = args;
  with_flag.insert(with_flag.end(), {"--data", Folder("alpha")});
  const Environment env = {{"CANDOUR_DATA", Folder("beta")}};
  EXPECT_EQ(Counted(RunCandour(with_flag, env)), "alpha");
  EXPECT_EQ(Counted(RunCandour(args, env)), "beta");
  EXPECT_EQ(Counted(RunCandour(args)), "gamma");
}

TEST_F(CliSourcesTest, ConfigFileErrorsNameTheKey) {
  const std::string typo = Write("typo.toml", "threadz = 4\n");
  RunResult r = RunCandour({"count", "--config", typo});
  EXPECT_EQ(r.exit_code, 64) << r.out;
  EXPECT_TRUE(Contains(r.out, "\"threadz\", which is no candour option")) << r.out;
  const std::string bad = Write("bad.toml", "threads = \"3abc\"\n");
  r = RunCandour({"serve", "--config", bad});
  EXPECT_EQ(r.exit_code, 64) << r.out;
  EXPECT_TRUE(Contains(r.out, "--threads takes a number from 1 to 64")) << r.out;
  r = RunCandour({"count", "--config", (dir_ / "absent.toml").string()});
  EXPECT_EQ(r.exit_code, 64) << r.out;
  EXPECT_TRUE(Contains(r.out, "absent.toml")) << r.out;
}

TEST_F(CliTest, ServeTakesItsOptionsFromTheConfigFile) {
  const fs::path config =
      Write("serve.toml",
            "data = \"" + data().string() + "\"\nkey-file = \"" + (dir_ / "data.key").string() +
                "\"\nlisten = \"127.0.0.1:0\"\ndemo-responses = 0\naccess-log = true\n");
  CandourProcess server({"--config", config.string()});
  ASSERT_NE(server.port(), 0) << server.output();
  EXPECT_TRUE(fs::exists(data()));
  EXPECT_TRUE(Contains(server.output(), "Indexed 0 stored responses")) << server.output();
  EXPECT_EQ(HttpClient(server.port()).Get("/healthz").status, 200);
  EXPECT_EQ(server.Signal(SIGTERM), 0);
  EXPECT_TRUE(Contains(server.output(), "/healthz")) << server.output();  // the access log
}

}  // namespace
}  // namespace candour::testing
