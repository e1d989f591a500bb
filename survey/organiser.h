// Organiser: the organisers' actions on surveys: create one, make a new version, open, close,
// publish and unpublish it, issue single-use codes; and rotating the admin token. Every action that
// is attempted is audited twice: its intent before it is done (if that cannot be written, nothing
// is done and the action fails) and its outcome after ("done: ..." or "failed: ..."). An action
// that was done is always reported done: if only its outcome line cannot be written, the operator
// log says so. Refusals (invalid definition, unknown survey, existing id) are not actions and are
// not audited. Checking who may act (the admin token) is the caller's job. Actions run one at a
// time, in the order asked, on a worker thread of the Organiser's own: they block on synced writes,
// and a new version may rescan every response to rebuild its survey's index, which must not hold up
// submissions (they have their own worker). Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"
#include "survey/audit_log.h"
#include "survey/catalog.h"
#include "survey/codes.h"
#include "survey/incidents.h"
#include "survey/survey.h"
#include "survey/survey_index.h"
#include "survey/work_queue.h"

namespace candour::survey {

struct OrganiserOptions {
  // The clock of audit entries. Default: system clock (UTC).
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };
  // Where the operator is told what no reply says (an outcome line the audit log refused, an
  // index that could not be rebuilt), counted by kind. Must outlive the service. Default: none.
  Incidents* incidents = nullptr;
};

struct OrganiserResult {
  enum class Status {
    kDone,      // the action was done (and audited)
    kInvalid,   // refused: `message` names the field and says what was expected
    kNotFound,  // refused: there is no such survey
    kConflict,  // refused: a survey with this id exists (create)
    kFailed,    // not done, or not known to be done: `message` says what failed
  };
  Status status = Status::kFailed;
  std::string message;  // every status but kDone
  // kDone: the survey as it now is; kConflict: the survey that has the id.
  std::shared_ptr<const Survey> survey;
  std::vector<std::string> codes;  // kDone of IssueCodes: the codes, in clear, once
  std::string token;               // kDone of RotateToken: the new admin token, in clear, once
};

class Organiser {
 public:
  using Done = std::function<void(OrganiserResult)>;
  enum class Change { kOpen, kClose, kPublish, kUnpublish };

  // Everything must outlive the Organiser.
  Organiser(OrganiserOptions options, SurveyCatalog& catalog, store::Store& store,
            SurveyIndexes& indexes, AuditLog& audit, Codes& codes);
  Organiser(const Organiser&) = delete;
  Organiser& operator=(const Organiser&) = delete;
  // Stops (see Stop).
  ~Organiser();

  // Each action queues itself on the worker and calls `done` there, once, with its result.

  // Creates a survey from its JSON definition, as version 1. kInvalid for a definition that
  // does not parse or validate; kConflict if the id is taken; kFailed if it cannot be stored.
  void Create(std::string definition, Done done);
  // Makes `definition` (whose "id" must be `id`) the next version of survey `id`, keeping the
  // current one as "survey-version/ID/N", and rebuilds the survey's index if its columns
  // changed. kNotFound; kInvalid for another id, an invalid definition or an incompatible
  // change (naming the question or measure) against the current version or any stored earlier
  // one (a measure removed in between still keeps its definition); kFailed if it cannot be
  // stored or an earlier version cannot be read.
  void NewVersion(std::string id, std::string definition, Done done);
  // Opens, closes, publishes or unpublishes survey `id` (the version stays). kNotFound;
  // kFailed if it cannot be stored.
  void SetState(std::string id, Change change, Done done);
  // Issues `count` codes (1..Codes::kMaxIssue) for survey `id`. kNotFound; kInvalid for a
  // count out of range; kFailed if they cannot be stored.
  void IssueCodes(std::string id, size_t count, Done done);

  // Replaces the admin token (survey/admin_token.h: only its hash is stored), audited as
  // "admin-token.rotate"; the old one stops working at once. kFailed if it cannot be stored.
  void RotateToken(Done done);

  // Backs the data folder up into `to` (store::Store::Checkpoint, with the audit log),
  // audited as "backup". kConflict if `to` exists (or its parent does not); kFailed if the
  // copy fails. Blocks the worker while it copies: other actions wait for it.
  void BackUp(std::filesystem::path to, Done done);

  // Finishes the actions queued, then stops the worker (later actions run on the caller's
  // thread).
  void Stop() { worker_.Stop(); }

 private:
  OrganiserResult DoCreate(const std::string& definition);
  OrganiserResult DoNewVersion(const std::string& id, const std::string& definition);
  // Why `next` cannot follow the stored versions before `current`, or empty; kFailed's
  // message in *failed when one cannot be read.
  std::string IncompatibleWithEarlier(const Survey& current, const Survey& next,
                                      std::string* failed) const;
  OrganiserResult DoSetState(const std::string& id, Change change);
  OrganiserResult DoIssueCodes(const std::string& id, size_t count);
  OrganiserResult DoBackUp(const std::filesystem::path& to);
  OrganiserResult DoRotateToken();
  // Writes the intent of `action` on `survey`, runs `act` if it was written, then writes the
  // outcome. `detail` says what is intended ("version 2", "7 codes").
  OrganiserResult Audited(std::string_view action, const std::string& survey,
                          const std::string& detail, const std::function<OrganiserResult()>& act);
  void Log(Incident kind, const std::string& line) const;

  // Constant after construction.
  const OrganiserOptions options_;
  SurveyCatalog& catalog_;
  store::Store& store_;
  SurveyIndexes& indexes_;
  AuditLog& audit_;
  Codes& codes_;

  WorkQueue worker_;  // last: stopped (joined) first; the only thread that changes surveys
};

}  // namespace candour::survey
