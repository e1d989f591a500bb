#include "survey/organiser.h"

#include <boost/json.hpp>

#include "store/errc.h"
#include "survey/admin_token.h"

namespace candour::survey {
namespace {

namespace json = boost::json;
using Status = OrganiserResult::Status;

OrganiserResult Refused(Status status, std::string message) {
  OrganiserResult r;
  r.status = status;
  r.message = std::move(message);
  return r;
}

OrganiserResult NoSurvey(const std::string& id) {
  return Refused(Status::kNotFound, "there is no survey \"" + id + "\"");
}

OrganiserResult Succeeded(std::shared_ptr<const Survey> survey) {
  OrganiserResult r;
  r.status = Status::kDone;
  r.survey = std::move(survey);
  return r;
}

// The definition `json_text` with `changes` applied, parsed.
boost::system::result<Survey, std::string> WithFields(std::string_view json_text,
                                                      const json::object& changes) {
  boost::system::error_code ec;
  json::value v = json::parse(json_text, ec);
  if (ec || !v.is_object()) return ParseSurvey(json_text);  // fails, saying why
  for (const auto& [k, value] : changes) v.as_object()[k] = value;
  return ParseSurvey(json::serialize(v));
}

const char* ActionOf(Organiser::Change change) {
  switch (change) {
    case Organiser::Change::kOpen:
      return "survey.open";
    case Organiser::Change::kClose:
      return "survey.close";
    case Organiser::Change::kPublish:
      return "survey.publish";
    case Organiser::Change::kUnpublish:
      return "survey.unpublish";
  }
  return "survey.state";
}

std::string Phase(std::string_view phase, std::string_view detail) {
  std::string out(phase);
  if (!detail.empty()) out.append(": ").append(detail);
  return out;
}

}  // namespace

Organiser::Organiser(OrganiserOptions options, SurveyCatalog& catalog, store::Store& store,
                     SurveyIndexes& indexes, AuditLog& audit, Codes& codes)
    : options_(std::move(options)),
      catalog_(catalog),
      store_(store),
      indexes_(indexes),
      audit_(audit),
      codes_(codes) {}

Organiser::~Organiser() { Stop(); }

void Organiser::Create(std::string definition, Done done) {
  worker_.Post([this, definition = std::move(definition), done = std::move(done)] {
    done(DoCreate(definition));
  });
}

void Organiser::NewVersion(std::string id, std::string definition, Done done) {
  worker_.Post([this, id = std::move(id), definition = std::move(definition),
                done = std::move(done)] { done(DoNewVersion(id, definition)); });
}

void Organiser::SetState(std::string id, Change change, Done done) {
  worker_.Post(
      [this, id = std::move(id), change, done = std::move(done)] { done(DoSetState(id, change)); });
}

void Organiser::IssueCodes(std::string id, size_t count, Done done) {
  worker_.Post(
      [this, id = std::move(id), count, done = std::move(done)] { done(DoIssueCodes(id, count)); });
}

// Backups through the admin API, audited like every other action.
void Organiser::BackUp(std::filesystem::path to, Done done) {
  worker_.Post([this, to = std::move(to), done = std::move(done)] { done(DoBackUp(to)); });
}

void Organiser::RotateToken(Done done) {
  worker_.Post([this, done = std::move(done)] { done(DoRotateToken()); });
}

OrganiserResult Organiser::DoRotateToken() {
  // The same action name as `candour admin-token --rotate`: one kind of entry for one act.
  return Audited("admin-token.rotate", "", "", [&] {
    auto token = RotateAdminToken(store_);
    if (!token) return Refused(Status::kFailed, "the new token could not be stored");
    OrganiserResult result = Succeeded(nullptr);
    result.token = std::move(*token);
    return result;
  });
}

OrganiserResult Organiser::DoBackUp(const std::filesystem::path& to) {
  return Audited("backup", "", "to " + to.string(), [&] {
    const auto ec = store_.Checkpoint(to, {audit_.path().filename().string()});
    if (ec == store::Errc::kInvalid) {
      return Refused(Status::kConflict, "to: " + to.string() + " exists");
    }
    if (ec) return Refused(Status::kFailed, "the backup failed: " + ec.message());
    return Succeeded(nullptr);
  });
}

OrganiserResult Organiser::Audited(std::string_view action, const std::string& survey,
                                   const std::string& detail,
                                   const std::function<OrganiserResult()>& act) {
  if (auto ec = audit_.Append(options_.now(), action, survey, Phase("intent", detail))) {
    Log(Incident::kAuditIntentFailed,
        "audit: " + std::string(action) + " of \"" + survey +
            "\" was not done: its intent could not be written to the audit log: " + ec.message());
    return Refused(Status::kFailed, "the audit log could not be written, so nothing was done");
  }
  OrganiserResult result = act();
  const std::string outcome =
      result.status == Status::kDone ? Phase("done", detail) : Phase("failed", result.message);
  if (auto ec = audit_.Append(options_.now(), action, survey, outcome)) {
    // The action stands as it is (done or not): reporting a done action as failed would
    // invite doing it twice. The intent line is in the log; the operator learns the rest here.
    Log(Incident::kAuditOutcomeFailed,
        "audit: " + std::string(action) + " of \"" + survey + "\" ended (" + outcome +
            ") but its outcome could not be written to the audit log: " + ec.message());
  }
  return result;
}

OrganiserResult Organiser::DoCreate(const std::string& definition) {
  auto survey = WithFields(definition, {{"version", 1}});
  if (!survey) return Refused(Status::kInvalid, survey.error());
  const std::string id = survey->id;
  if (auto existing = catalog_.Get(id)) {
    OrganiserResult conflict = Refused(Status::kConflict, "survey \"" + id + "\" exists");
    conflict.survey = std::move(existing);
    return conflict;
  }
  return Audited("survey.create", id, "version 1", [&] {
    if (catalog_.Put(store_, std::move(*survey))) {
      return Refused(Status::kFailed, "the survey could not be stored");
    }
    return Succeeded(catalog_.Get(id));
  });
}

OrganiserResult Organiser::DoNewVersion(const std::string& id, const std::string& definition) {
  const auto current = catalog_.Get(id);
  if (!current) return NoSurvey(id);
  boost::system::error_code ec;
  const json::value body = json::parse(definition, ec);
  const json::value* body_id =
      !ec && body.is_object() ? body.as_object().if_contains("id") : nullptr;
  if (!body_id || *body_id != json::value(id)) {
    return Refused(Status::kInvalid, "id: expected \"" + id + "\", as in the address");
  }
  auto next = WithFields(definition, {{"version", current->version + 1}});
  if (!next) return Refused(Status::kInvalid, next.error());
  if (const std::string why = IncompatibleChange(*current, *next); !why.empty()) {
    return Refused(Status::kInvalid, why);
  }
  std::string failed;
  if (const std::string why = IncompatibleWithEarlier(*current, *next, &failed); !why.empty()) {
    return Refused(Status::kInvalid, why);
  }
  if (!failed.empty()) return Refused(Status::kFailed, failed);
  const std::string version = "version " + std::to_string(next->version);
  return Audited("survey.version", id, version, [&] {
    // The earlier version is kept as it was: responses to it were answers to that text.
    auto shared = std::make_shared<const Survey>(std::move(*next));
    if (store_.PutMeta("survey-version/" + id + "/" + std::to_string(current->version),
                       current->json) ||
        catalog_.Put(store_, *shared)) {
      return Refused(Status::kFailed, "the new version could not be stored");
    }
    // The version is stored and served: done, whatever the index says.
    if (auto reindexed = indexes_.Reindex(store_, shared)) {
      Log(Incident::kReindexFailed,
          "survey \"" + id + "\" " + version + " is stored, but its index could not be rebuilt (" +
              reindexed.message() +
              "); its figures stay on the earlier questions until the server restarts");
    }
    return Succeeded(shared);
  });
}

std::string Organiser::IncompatibleWithEarlier(const Survey& current, const Survey& next,
                                               std::string* failed) const {
  // Questions stay from version to version, so checking the current one covers them; a
  // measure can be removed and its id later given to another definition, which only the
  // versions before can show.
  for (int64_t v = 1; v < current.version; ++v) {
    const std::string key = "survey-version/" + current.id + "/" + std::to_string(v);
    auto stored = store_.GetMeta(key);
    if (!stored) {
      *failed = "earlier versions could not be read: " + stored.error().message();
      return "";
    }
    // Kept since versions were first kept; a survey from before has none to compare.
    if (!*stored) continue;
    auto earlier = ParseSurvey(**stored);
    if (!earlier) {
      *failed = "version " + std::to_string(v) + " is stored but invalid: " + earlier.error();
      return "";
    }
    if (std::string why = IncompatibleChange(*earlier, next); !why.empty()) {
      return "version " + std::to_string(v) + ": " + why;
    }
  }
  return "";
}

OrganiserResult Organiser::DoSetState(const std::string& id, Change change) {
  const auto current = catalog_.Get(id);
  if (!current) return NoSurvey(id);
  json::object fields;
  if (change == Change::kOpen || change == Change::kClose) {
    fields["open"] = change == Change::kOpen;
  } else {
    fields["public_results"] = change == Change::kPublish;
  }
  // Opening, closing and publishing change no question: the version stays.
  auto next = WithFields(current->json, fields);
  // A stored definition that no longer parses with one field changed is a bug of ours.
  if (!next) return Refused(Status::kFailed, next.error());
  return Audited(ActionOf(change), id, "", [&] {
    if (catalog_.Put(store_, std::move(*next))) {
      return Refused(Status::kFailed, "the change could not be stored");
    }
    return Succeeded(catalog_.Get(id));
  });
}

OrganiserResult Organiser::DoIssueCodes(const std::string& id, size_t count) {
  const auto survey = catalog_.Get(id);
  if (!survey) return NoSurvey(id);
  if (count < 1 || count > Codes::kMaxIssue) {
    return Refused(Status::kInvalid,
                   "count: expected a number from 1 to " + std::to_string(Codes::kMaxIssue));
  }
  return Audited("codes.issue", id, std::to_string(count) + " codes", [&] {
    auto codes = codes_.Issue(id, count);
    if (!codes) return Refused(Status::kFailed, "the codes could not be stored");
    OrganiserResult result = Succeeded(survey);
    result.codes = std::move(*codes);
    return result;
  });
}

void Organiser::Log(Incident kind, const std::string& line) const {
  if (options_.incidents) options_.incidents->Report(kind, line);
}

}  // namespace candour::survey
