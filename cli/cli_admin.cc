// The administration subcommands of `candour` (see commands.h). They work on a stopped
// server's data folder, so they share nothing with a running one; each action is audited.
#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cassert>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "crypto/sealed_box.h"
#include "survey/admin_token.h"
#include "survey/audit_log.h"
#include "survey/catalog.h"
#include "survey/codes.h"
#include "survey/errc.h"
#include "survey/stored_response.h"
#include "survey/submission.h"
#include "survey/template.h"
#include "web/pages.h"

namespace candour::cli {
namespace {

namespace json = boost::json;

std::chrono::system_clock::time_point Now() { return std::chrono::system_clock::now(); }

int AuditFailed() { return Fail("the action was done but the audit log could not be written"); }

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// The free-text answers of one survey's responses, opened with the offline secret key.
struct OpenedComments {
  std::vector<std::string> lines;  // {"question":ID,"text":TEXT}
  size_t sealed = 0;               // free-text answers seen
  size_t unopened = 0;             // of which the key did not open
  size_t undecodable = 0;          // responses that did not decode

  void Add(const survey::Survey& survey, std::string_view plaintext,
           const crypto::BoxSecretKey& secret) {
    auto stored = survey::DecodeStored(plaintext);
    if (!stored) {
      ++undecodable;
      return;
    }
    for (const auto& [question, value] : stored->answers) {
      const survey::Question* q = survey.FindQuestion(question);
      const auto* text = std::get_if<std::string>(&value);
      if (!q || q->type != survey::QuestionType::kText || !text) continue;
      ++sealed;
      auto opened = survey::OpenFreeText(*text, secret);
      if (!opened) {
        ++unopened;
        continue;
      }
      lines.push_back(json::serialize(json::object{{"question", question}, {"text", *opened}}));
    }
  }
};

}  // namespace

int AdminToken(const Options& o) {
  if (!o.rotate) {
    Fail("admin-token needs --rotate (the token is never shown again)");
    return kExitUsage;
  }
  auto store = OpenStore(o, false);
  if (!store) return 1;
  auto token = survey::RotateAdminToken(**store);
  if (!token) return Fail("cannot store the new token: " + token.error().message());
  // Written to the token file (0600), never to standard output: under a service manager or a
  // logged shell that would keep it. The old token no longer works, so a failed write is loud.
  const std::filesystem::path path = AdminTokenPath(o);
  if (const std::string why = WriteSecretFile(path, *token); !why.empty()) {
    return Fail("the old token no longer works and the new one could not be written to " +
                path.string() + ": " + why +
                "; fix that and run `candour admin-token --rotate` again");
  }
  std::cout << "Admin token written to " << path.string() << " (mode 0600)" << std::endl;
  survey::AuditLog audit(o.data, **store);
  if (audit.Append(Now(), "admin-token.rotate", "", "")) return AuditFailed();
  return 0;
}

int AuditVerify(const Options& o) {
  auto store = OpenStore(o, false);
  if (!store) return 1;
  auto verified = survey::AuditLog::Verify(o.data, **store);
  if (!verified) return Fail("audit log is broken: " + verified.error());
  std::cout << "audit log verified: " << *verified << " entries, chain and head intact\n";
  return 0;
}

int SurveyTemplate(const Options&) {
  // A starting point for a real survey: the built-in definition under its own id.
  json::value v = json::parse(survey::TrustAndConfidenceTemplate());
  v.as_object()["id"] = "trust-and-confidence";
  std::cout << json::serialize(v) << "\n";
  return 0;
}

int SurveyCreate(const Options& o) {
  const std::string file = o.file.string();
  auto text = ReadFile(o.file);
  if (!text) return Fail("cannot read " + file);
  boost::system::error_code ec;
  json::value v = json::parse(*text, ec);
  if (ec || !v.is_object()) {
    auto why = survey::ParseSurvey(*text);  // says what is wrong with it
    return Fail(file + ": " + (why ? "expected a survey definition" : why.error()));
  }
  v.as_object()["version"] = 1;
  auto survey = survey::ParseSurvey(json::serialize(v));
  if (!survey) return Fail(file + ": " + survey.error());
  auto store = OpenStore(o, false);
  if (!store) return 1;
  auto catalog = survey::SurveyCatalog::Load(**store);
  if (!catalog) return Fail(catalog.error());
  const std::string id = survey->id;
  if ((*catalog)->Get(id)) return Fail("survey \"" + id + "\" exists already");
  if (auto put = (*catalog)->Put(**store, std::move(*survey))) {
    return Fail("cannot store the survey: " + put.message());
  }
  survey::AuditLog audit(o.data, **store);
  if (audit.Append(Now(), "survey.create", id, "version 1")) return AuditFailed();
  std::cout << "Created survey " << id << " version 1\n";
  return 0;
}

int IssueCodes(const Options& o) {
  // REQUIRES (checked by ParseCommandLine): a --survey, and --count from 1 to kMaxIssue.
  assert(!o.survey.empty() && o.count >= 1 &&
         o.count <= static_cast<int>(survey::Codes::kMaxIssue));
  auto opened = OpenSurvey(o);
  if (!opened) return 1;
  store::Store& store = *opened->store;
  survey::Codes codes(store);
  auto issued = codes.Issue(o.survey, static_cast<size_t>(o.count));
  if (!issued) return Fail("cannot store the codes: " + issued.error().message());
  survey::AuditLog audit(o.data, store);
  if (audit.Append(Now(), "codes.issue", o.survey, std::to_string(o.count) + " codes issued")) {
    return AuditFailed();
  }
  if (auto ec = store.Scrub()) std::cerr << "candour: scrub failed: " << ec.message() << "\n";
  std::cout << web::CodesCsv(*issued, [&](const std::string& code) {
    return survey::SurveyUrl(PublicUrl(o), o.survey, "code", code);
  });
  return 0;
}

int CommentsKeygen(const Options& o) {
  if (auto ec = crypto::CreateBoxKeyFiles(o.public_file, o.secret_file)) {
    return Fail("cannot create the key pair (files must not exist yet): " + ec.message());
  }
  std::cout << "Wrote " << o.public_file.string() << " (give it to the server: --comments-key) and "
            << o.secret_file.string() << " (mode 0600: keep it off the server)\n";
  return 0;
}

int CommentsExport(const Options& o) {
  auto secret = crypto::ReadBoxSecretKey(o.secret_key);
  if (!secret)
    return Fail("cannot use secret key " + o.secret_key.string() + ": " + secret.error().message());
  auto opened = OpenSurvey(o);
  if (!opened) return 1;
  const std::unique_ptr<store::Store>& store = opened->store;
  const std::shared_ptr<const survey::Survey>& survey = opened->survey;
  OpenedComments comments;
  auto scanned = store->ScanResponses([&](std::string_view id, std::string_view plaintext) {
    if (id == survey->id) comments.Add(*survey, plaintext, *secret);
  });
  std::vector<std::string>& lines = comments.lines;
  const size_t sealed = comments.sealed, unopened = comments.unopened,
               undecodable = comments.undecodable;
  if (!scanned) return Fail("cannot read responses: " + scanned.error().message());
  if (sealed > 0 && unopened == sealed) {
    return Fail("none of the " + std::to_string(sealed) + " sealed answers opens with " +
                o.secret_key.string() +
                ": it is not the secret half of the key they were sealed to");
  }
  // Random order: the store's order is random already, but the printout must not follow it.
  for (size_t i = lines.size(); i > 1; --i) {
    std::swap(lines[i - 1], lines[randombytes_uniform(static_cast<uint32_t>(i))]);
  }
  survey::AuditLog audit(o.data, *store);
  if (audit.Append(Now(), "comments.export", o.survey,
                   std::to_string(lines.size()) + " comments")) {
    return AuditFailed();
  }
  for (const std::string& line : lines) std::cout << line << "\n";
  if (unopened > 0) {
    std::cerr << "candour: " << unopened << " sealed answers did not open with this key\n";
  }
  if (undecodable > 0) {
    std::cerr << "candour: " << undecodable << " stored responses could not be read ("
              << make_error_code(survey::Errc::kMalformedResponse).message()
              << "); their comments are not exported\n";
  }
  return 0;
}

}  // namespace candour::cli
