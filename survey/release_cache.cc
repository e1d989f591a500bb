#include "survey/release_cache.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cassert>
#include <future>

#include "store/errc.h"
#include "survey/errc.h"

namespace candour::survey {

namespace json = boost::json;

std::vector<std::string> GroupsOf(const stats::DimensionSpec& d) {
  std::vector<std::string> out;
  for (size_t o = 0; o < d.options.size(); ++o) {
    if (!d.missing[o]) out.push_back(d.options[o]);
  }
  out.push_back(stats::kNotStated);
  return out;
}

stats::ReleaseSpec ReleaseSpecOf(const Survey& survey, std::chrono::sys_days today) {
  stats::ReleaseSpec spec;
  spec.kind = survey.period;
  spec.today = today;
  spec.threshold = survey.threshold;
  spec.min_base = survey.min_base;
  spec.grace_days = survey.grace_days;
  for (const Question& q : survey.questions) {
    if (q.type != QuestionType::kSingle) continue;
    stats::QuestionSpec qs;
    qs.id = q.id;
    for (const Option& o : q.options) {
      qs.options.push_back(o.id);
      qs.missing.push_back(o.missing);
    }
    for (const Measure& m : survey.measures) {
      if (m.question != q.id) continue;
      stats::MeasureSpec ms{m.id, std::vector<bool>(q.options.size(), false)};
      for (const std::string& p : m.positive)
        ms.positive[static_cast<size_t>(q.OptionIndex(p))] = true;
      qs.measures.push_back(std::move(ms));
    }
    qs.profile_only = q.dimension && qs.measures.empty();
    if (q.when) {
      const Question* c = survey.FindQuestion(q.when->question);
      if (c) {
        qs.when_question = c->id;
        for (const std::string& a : q.when->answers)
          qs.when_codes.push_back(static_cast<uint8_t>(c->OptionIndex(a) + 1));
      }
    }
    spec.questions.push_back(std::move(qs));
    if (q.dimension)
      spec.dimensions.push_back(
          {q.id, spec.questions.back().options, spec.questions.back().missing, "", ""});
  }
  for (const auto& [a, b] : survey.crosstabs) {
    stats::DimensionSpec cross{a + "*" + b, {}, {}, a, b};
    const stats::DimensionSpec *da = nullptr, *db = nullptr;
    for (const auto& d : spec.dimensions) {
      if (d.id == a) da = &d;
      if (d.id == b) db = &d;
    }
    if (!da || !db) continue;
    for (const std::string& ga : GroupsOf(*da)) {
      for (const std::string& gb : GroupsOf(*db)) cross.options.push_back(ga + "*" + gb);
    }
    cross.missing.assign(cross.options.size(), false);
    spec.dimensions.push_back(std::move(cross));
  }
  // Weighting: the survey's population margins (stats/weighting.h), with raking's defaults.
  for (const PopulationMargin& m : survey.population)
    spec.population.push_back({m.dimension, m.totals});
  spec.raking.trim_factor = survey.weight_cap;
  return spec;
}

namespace {

std::string CacheKey(const Survey& survey, std::chrono::sys_days today) {
  return survey.id + "|" + std::to_string(survey.version) + "|" +
         std::to_string(today.time_since_epoch().count());
}

stats::ReleaseOptions WithCancel(stats::ReleaseOptions options, const std::atomic<bool>* cancel) {
  assert(!options.cancel && "the cache cancels its own builds");
  options.cancel = cancel;
  return options;
}

}  // namespace

ResultsCache::ResultsCache(stats::ReleaseOptions options, History history, Incidents* incidents)
    : options_(WithCancel(options, &cancel_)),
      history_(std::move(history)),
      incidents_(incidents),
      thread_([this] { Run(); }) {}

ResultsCache::History StoreHistory(store::Store& store) {
  using Published = ResultsCache::Published;
  ResultsCache::History history;
  history.load = [&store](const std::string& survey_id) -> boost::system::result<Published> {
    auto record = store.GetMeta("published/" + survey_id);
    if (!record) return record.error();
    Published out;
    if (!*record) return out;  // never released
    boost::system::error_code ec;
    const json::value v = json::parse(**record, ec);
    if (ec || !v.is_object()) return store::Errc::kCorrupt;
    for (const auto& kv : v.get_object()) {
      const json::value& value = kv.value();
      if (value.is_uint64()) {
        out[std::string(kv.key())] = value.get_uint64();
      } else if (value.is_int64() && value.get_int64() >= 0) {
        out[std::string(kv.key())] = static_cast<uint64_t>(value.get_int64());
      } else if (value.is_null()) {
        out[std::string(kv.key())] = std::nullopt;
      } else {
        return store::Errc::kCorrupt;
      }
    }
    return out;
  };
  history.save = [&store](const std::string& survey_id, const Published& published) {
    json::object o;
    for (const auto& [key, value] : published) {
      o[key] = value ? json::value(*value) : json::value(nullptr);
    }
    return store.PutMeta("published/" + survey_id, json::serialize(o));
  };
  return history;
}

ResultsCache::~ResultsCache() {
  Stop();
  thread_.join();
}

void ResultsCache::Stop() {
  std::deque<Job> dropped;
  {
    std::lock_guard lock(mu_);
    cancel_ = true;
    stopping_ = true;
    dropped.swap(queue_);
  }
  wake_.notify_one();
  idle_.notify_all();
  for (Job& job : dropped) {
    for (Done& d : job.waiters) d(Errc::kCancelled);
  }
}

bool ResultsCache::Enqueue(const std::string& key, std::shared_ptr<const Survey> survey,
                           const SurveyIndexes& indexes, std::chrono::sys_days today, Done waiter) {
  if (building_ == key) {
    if (waiter) building_waiters_.push_back(std::move(waiter));
    return false;
  }
  auto queued =
      std::find_if(queue_.begin(), queue_.end(), [&](const Job& j) { return j.key == key; });
  if (queued == queue_.end()) {
    queued = std::find_if(queue_.begin(), queue_.end(), [&](const Job& j) {
      return j.survey->id == survey->id && j.waiters.empty();
    });
    if (queued != queue_.end()) {
      // Nobody waits for that older day or version: build only the survey's newest form.
      *queued = Job{key, std::move(survey), &indexes, today, {}};
    }
  }
  if (queued != queue_.end()) {
    if (waiter) queued->waiters.push_back(std::move(waiter));
    return false;
  }
  Job job{key, std::move(survey), &indexes, today, {}};
  if (waiter) job.waiters.push_back(std::move(waiter));
  queue_.push_back(std::move(job));
  return true;
}

void ResultsCache::Get(std::shared_ptr<const Survey> survey, const SurveyIndexes& indexes,
                       std::chrono::sys_days today, Done done) {
  const std::string key = CacheKey(*survey, today);
  ReleaseResult answer = Errc::kPreparing;
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    const auto cached = releases_.find(survey->id);
    if (cached != releases_.end()) answer = cached->second.release;
    if (cached == releases_.end() || cached->second.key != key) {
      if (cached == releases_.end()) {
        if (auto failed = failures_.find(survey->id); failed != failures_.end())
          answer = failed->second;
      }
      if (!stopping_) wake = Enqueue(key, std::move(survey), indexes, today, nullptr);
    }
  }
  if (wake) wake_.notify_one();
  done(std::move(answer));
}

ResultsCache::ReleaseResult ResultsCache::GetNow(std::shared_ptr<const Survey> survey,
                                                 const SurveyIndexes& indexes,
                                                 std::chrono::sys_days today) {
  const std::string key = CacheKey(*survey, today);
  std::promise<ReleaseResult> promise;
  auto future = promise.get_future();
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (auto cached = releases_.find(survey->id);
        cached != releases_.end() && cached->second.key == key) {
      return cached->second.release;
    }
    if (stopping_) return Errc::kCancelled;
    wake = Enqueue(key, std::move(survey), indexes, today,
                   [&promise](ReleaseResult r) { promise.set_value(std::move(r)); });
  }
  if (wake) wake_.notify_one();
  return future.get();
}

ResultsCache::ReleaseResult ResultsCache::Build(const Job& job) {
  const std::string& id = job.survey->id;
  stats::ReleaseSpec spec = ReleaseSpecOf(*job.survey, job.today);
  if (history_.load) {
    auto previous = history_.load(id);
    if (Cancelled()) return Errc::kCancelled;
    if (!previous) {
      if (incidents_) {
        incidents_->Report(Incident::kHistoryReadFailed,
                           "survey " + id + ": the release history cannot be read (" +
                               previous.error().message() + "); its results stay unpublished");
      }
      return previous.error();
    }
    spec.previous = std::move(*previous);
  }
  // Copy the index under its lock (milliseconds), then build from the copy unlocked.
  std::optional<stats::ResponseIndex> copy;
  job.indexes->Read(id, [&](const stats::ResponseIndex& index) { copy = index; });
  if (!copy) copy.emplace(IndexColumns(*job.survey));
  auto release = std::make_shared<const stats::Release>(stats::BuildRelease(spec, *copy, options_));
  // An unfinished release is never saved: its history would record figures never published.
  if (release->cancelled() || Cancelled()) return Errc::kCancelled;
  if (history_.save) {
    if (boost::system::error_code ec = history_.save(id, release->Published())) {
      if (incidents_) {
        incidents_->Report(Incident::kHistorySaveFailed,
                           "survey " + id + ": the new release's history cannot be saved (" +
                               ec.message() + "); the release is withheld");
      }
      return ec;
    }
  }
  return release;
}

void ResultsCache::Run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      busy_ = true;
      job = std::move(queue_.front());
      queue_.pop_front();
      building_ = job.key;
    }
    const ReleaseResult outcome = Build(job);
    std::vector<Done> waiters;
    {
      std::lock_guard lock(mu_);
      const std::string& id = job.survey->id;
      if (outcome) {
        // Keep only the newest release per survey (a build for an older day or version that
        // finishes late replaces nothing). A refused one replaces nothing either.
        Cached& cached = releases_[id];
        if (!cached.release ||
            std::pair(job.survey->version, job.today) >= std::pair(cached.version, cached.today)) {
          cached = Cached{job.key, job.survey->version, job.today, *outcome};
        }
        failures_.erase(id);
      } else if (outcome.error() != Errc::kCancelled) {
        failures_[id] = outcome.error();
      }
      waiters = std::move(job.waiters);
      for (Done& d : building_waiters_) waiters.push_back(std::move(d));
      building_waiters_.clear();
      building_.clear();
    }
    for (Done& d : waiters) d(outcome);
    // GetNow's callbacks hold its promise: release them before saying we are idle.
    waiters.clear();
    job = Job{};
    {
      std::lock_guard lock(mu_);
      busy_ = false;
    }
    idle_.notify_all();
  }
}

void ResultsCache::Drain() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return !busy_ && (stopping_ || queue_.empty()); });
}

}  // namespace candour::survey
