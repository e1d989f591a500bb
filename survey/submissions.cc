#include "survey/submissions.h"

#include <utility>

#include "stats/period.h"
#include "store/errc.h"
#include "survey/stored_response.h"

namespace candour::survey {

struct Submissions::Pending {
  SubmitOutcome outcome;
  Done done;
  Submission submission;
  std::chrono::system_clock::time_point now;
  std::string period;
  bool code_spent = false;  // to be given back if the response is not stored
};

Submissions::Submissions(SubmissionsOptions options, SurveyCatalog& catalog, store::Store& store,
                         SurveyIndexes& indexes, Codes& codes)
    : options_(std::move(options)),
      catalog_(catalog),
      store_(store),
      indexes_(indexes),
      codes_(codes) {}

Submissions::~Submissions() { Stop(); }

void Submissions::Submit(const std::string& survey_id, SubmissionFormat format, std::string body,
                         const RateCheck& rate_check, Done done) {
  {
    std::lock_guard lock(mu_);
    ++in_flight_;
  }
  auto p = std::make_shared<Pending>();
  p->done = std::move(done);
  p->outcome.survey = catalog_.Get(survey_id);
  const Survey* survey = p->outcome.survey.get();
  if (!survey) return Complete(p, SubmitOutcome::Status::kUnknownSurvey);
  if (!survey->open) return Complete(p, SubmitOutcome::Status::kClosed);
  if (format == SubmissionFormat::kOther) return Complete(p, SubmitOutcome::Status::kUnreadable);
  auto parsed = format == SubmissionFormat::kForm ? ParseFormSubmission(*survey, body)
                                                  : ParseJsonSubmission(*survey, body);
  if (!parsed) {
    p->outcome.rejection = std::move(parsed.error());
    return Complete(p, SubmitOutcome::Status::kInvalid);
  }
  p->submission = std::move(*parsed);
  // An undeclared tag is kept as "other": only declared sources are ever stored by name.
  p->submission.src = survey->StoredSource(p->submission.src);
  p->outcome.lang = p->submission.lang;
  p->outcome.not_stored = p->submission.not_stored;
  p->now = options_.now();
  const uint64_t limit =
      survey->rate_limit_per_hour ? survey->rate_limit_per_hour : options_.rate_limit_per_hour;
  if (rate_check) {
    if (auto wait = rate_check(survey->id, limit, p->now)) {
      p->outcome.retry_after = *wait;
      return Complete(p, SubmitOutcome::Status::kRateLimited);
    }
  }
  if (!survey->requires_code) return Commit(std::move(p));
  if (p->submission.code.empty()) return Complete(p, SubmitOutcome::Status::kCodeMissing);
  worker_.Post([this, p] { SpendThenCommit(p); });
}

void Submissions::SpendThenCommit(std::shared_ptr<Pending> p) {
  const Survey& survey = *p->outcome.survey;
  // Spend checks and marks in one step under the codes' lock, so a code sent twice at once is
  // taken once.
  auto spent = codes_.Spend(survey.id, p->submission.code);
  if (!spent) return Complete(p, SubmitOutcome::Status::kCodeUncheckable);
  if (*spent == Codes::State::kUnknown) return Complete(p, SubmitOutcome::Status::kCodeUnknown);
  if (*spent == Codes::State::kSpent) return Complete(p, SubmitOutcome::Status::kCodeSpent);
  p->code_spent = true;
  Commit(std::move(p));
}

void Submissions::Commit(std::shared_ptr<Pending> p) {
  const Survey& survey = *p->outcome.survey;
  SealFreeText(survey, options_.comments_key ? &*options_.comments_key : nullptr, &p->submission);
  const auto today = std::chrono::floor<std::chrono::days>(p->now);
  p->period = stats::PeriodOf(survey.period, std::chrono::year_month_day{today});
  std::string plaintext = EncodeStored(survey, p->submission, p->period);
  // Runs on the committer thread once the write-ahead log holding the response is synced.
  auto written = [this, p](boost::system::error_code ec) { Written(p, ec); };
  if (auto ec = store_.SubmitResponse(survey.id, std::move(plaintext), written)) Written(p, ec);
}

void Submissions::Written(const std::shared_ptr<Pending>& p, boost::system::error_code ec) {
  const Survey& survey = *p->outcome.survey;
  if (!ec) {
    // Before the outcome: whoever is told "stored" finds it counted.
    indexes_.Add(survey, p->period, p->submission.src, p->submission.answers);
    return Complete(p, SubmitOutcome::Status::kStored);
  }
  SubmitOutcome::Status status = SubmitOutcome::Status::kFailed;
  if (ec == store::Errc::kOverloaded) {
    status = SubmitOutcome::Status::kOverloaded;
    p->outcome.retry_after = std::chrono::seconds(1);
  }
  // The store takes answers again by itself once space returns.
  if (ec == store::Errc::kNoSpace) status = SubmitOutcome::Status::kDiskFull;
  if (!p->code_spent) return Complete(p, status);
  worker_.Post([this, p, status] {
    if (auto restore = codes_.Restore(p->outcome.survey->id, p->submission.code)) {
      // The resident cannot send again with this code; the organiser can issue another.
      // The code itself is not logged: it is a credential.
      if (options_.incidents) {
        options_.incidents->Report(Incident::kCodeGivebackFailed,
                                   "a code of survey \"" + p->outcome.survey->id +
                                       "\" was spent for a response that could not be stored, "
                                       "and could not be given back: " +
                                       restore.message());
      }
    }
    Complete(p, status);
  });
}

void Submissions::Complete(const std::shared_ptr<Pending>& p, SubmitOutcome::Status status) {
  p->outcome.status = status;
  {
    // The callback is destroyed before the count drops: it may hold the caller's I/O
    // executor, which Stop's caller destroys once nothing is in flight.
    Done done = std::exchange(p->done, Done{});
    done(std::move(p->outcome));
  }
  std::lock_guard lock(mu_);
  if (--in_flight_ == 0) idle_.notify_all();
}

void Submissions::Stop() {
  {
    std::unique_lock lock(mu_);
    idle_.wait(lock, [this] { return in_flight_ == 0; });
  }
  worker_.Stop();
}

}  // namespace candour::survey
