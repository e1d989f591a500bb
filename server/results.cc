#include "server/results.h"

#include <boost/json.hpp>
#include <cstdio>
#include <future>

#include "stats/estimate.h"

namespace candour::server {
namespace {

namespace json = boost::json;
using stats::Level;

constexpr char kMethodNote[] =
    "Respondents chose to take part (a self-selected sample, not comparable with a probability "
    "survey such as the Public Attitude Survey). Figures cover completed periods only; weeks "
    "belong to the month of their Thursday. Counts from 1 to threshold - 1 are withheld, and "
    "further figures are withheld wherever they would let a withheld one be worked out. Shares "
    "and 95% Wilson intervals are shown only on a base of at least min_base. Don't know and "
    "Prefer not to say are outside every base.";

json::value FigureJson(const stats::Figure& f, uint64_t threshold) {
  if (f.published()) return f.count;
  return {{"suppressed", stats::WithheldReason(threshold)}};
}

const char* ShareNote(const stats::MeasureCell& m, uint64_t min_base) {
  if (m.share_shown) return nullptr;
  if (!m.positive.published() || !m.negative.published()) return "a count is withheld";
  if (!m.base.published()) return "the base is withheld";
  if (m.base.count == 0) return "no responses";
  return min_base > 0 ? "base under the minimum" : "";
}

json::object MeasureRow(const std::string& period, const std::string& group,
                        const stats::MeasureCell& m, uint64_t threshold, uint64_t min_base) {
  json::object row{{"period", period},
                   {"group", group},
                   {"positive", FigureJson(m.positive, threshold)},
                   {"negative", FigureJson(m.negative, threshold)},
                   {"base", FigureJson(m.base, threshold)}};
  if (m.share_shown) {
    row["share"] = m.share;
    row["low"] = m.low;
    row["high"] = m.high;
  } else {
    row["share"] = nullptr;
    row["share_withheld"] = ShareNote(m, min_base);
  }
  return row;
}

std::vector<std::string> Dimensions(const Survey& survey) {
  std::vector<std::string> out;
  for (const Question& q : survey.questions) {
    if (q.dimension && q.type == QuestionType::kSingle) out.push_back(q.id);
  }
  for (const auto& [a, b] : survey.crosstabs) out.push_back(a + "*" + b);
  return out;
}

// A dimension's groups as the release names them: its answerable options, then not_stated.
std::vector<std::string> GroupsOf(const stats::DimensionSpec& d) {
  std::vector<std::string> out;
  for (size_t o = 0; o < d.options.size(); ++o) {
    if (!d.missing[o]) out.push_back(d.options[o]);
  }
  out.push_back(stats::kNotStated);
  return out;
}

}  // namespace

stats::ReleaseSpec ReleaseSpecOf(const Survey& survey, std::chrono::sys_days today) {
  stats::ReleaseSpec spec;
  spec.kind = survey.period;
  spec.today = today;
  spec.threshold = survey.threshold;
  spec.min_base = survey.min_base;
  for (const Question& q : survey.questions) {
    if (q.type != QuestionType::kSingle) continue;
    stats::QuestionSpec qs{q.id, {}, {}, {}};
    for (const Option& o : q.options) {
      qs.options.push_back(o.id);
      qs.missing.push_back(o.missing);
    }
    for (const Measure& m : survey.measures) {
      if (m.question != q.id) continue;
      stats::MeasureSpec ms{m.id, std::vector<bool>(q.options.size(), false)};
      for (const std::string& p : m.positive) ms.positive[static_cast<size_t>(q.OptionIndex(p))] = true;
      qs.measures.push_back(std::move(ms));
    }
    qs.profile_only = q.dimension && qs.measures.empty();
    spec.questions.push_back(std::move(qs));
    if (q.dimension) spec.dimensions.push_back({q.id, spec.questions.back().options, spec.questions.back().missing, "", ""});
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
  return spec;
}

boost::system::result<ResultsView, std::string> ParseResultsView(
    const Survey& survey, const std::vector<std::pair<std::string, std::string>>& query) {
  using Result = boost::system::result<ResultsView, std::string>;
  const auto dims = Dimensions(survey);
  std::string dim_list;
  for (const std::string& d : dims) dim_list += (dim_list.empty() ? "" : ", ") + d;
  const std::string allowed = "allowed: period=month|quarter|year|all; by=" + dim_list +
                              " (with period=quarter or year)";
  ResultsView view;
  bool period_given = false;
  for (const auto& [key, value] : query) {
    if (key == "period") {
      auto level = stats::ParseLevel(value);
      if (!level) return Result(boost::system::in_place_error, "period: unknown period \"" + value.substr(0, 20) + "\"; " + allowed);
      view.level = *level;
      period_given = true;
    } else if (key == "by") {
      if (std::find(dims.begin(), dims.end(), value) == dims.end()) {
        return Result(boost::system::in_place_error, "by: \"" + value.substr(0, 40) + "\" is not a declared dimension; " + allowed);
      }
      view.by = value;
    } else {
      return Result(boost::system::in_place_error, key.substr(0, 40) + ": unknown parameter; " + allowed);
    }
  }
  if (!view.by.empty()) {
    if (!period_given) view.level = Level::kQuarter;
    if (!stats::Release::BreakdownLevel(view.level)) {
      return Result(boost::system::in_place_error, "period: breakdowns by group are published by quarter or year only; " + allowed);
    }
  }
  return view;
}

std::string ResultsJson(const Survey& survey, const stats::Release& release, const ResultsView& view) {
  const auto& spec = release.spec();
  const std::string lang = survey.default_language();
  json::object out;
  out["survey"] = survey.id;
  out["version"] = survey.version;
  if (survey.demo) out["demo_data"] = "this demo survey's figures include synthetic responses";
  out["period"] = stats::LevelName(view.level);
  out["by"] = view.by.empty() ? json::value(nullptr) : json::value(view.by);
  out["method"] = {{"threshold", spec.threshold}, {"min_base", spec.min_base}, {"note", kMethodNote}};
  const auto& periods = release.Periods(view.level);
  json::array period_list(periods.begin(), periods.end());
  out["periods"] = std::move(period_list);
  const std::vector<std::string> groups =
      view.by.empty() ? std::vector<std::string>{stats::kAllGroups} : release.Groups(view.by);
  json::array measures;
  for (const Measure& m : survey.measures) {
    json::array rows, changes;
    const stats::MeasureCell* previous = nullptr;
    std::string previous_period;
    for (const std::string& period : periods) {
      for (const std::string& group : groups) {
        const stats::MeasureCell* cell = release.Measure(m.id, view.by, period, group);
        if (!cell) continue;
        rows.push_back(MeasureRow(period, group, *cell, spec.threshold, spec.min_base));
        if (!view.by.empty()) continue;
        // Change from the previous period, only between shares that are both shown.
        if (previous && previous->share_shown && cell->share_shown) {
          const auto t = stats::TwoProportionZTest(previous->positive.count, previous->base.count,
                                                   cell->positive.count, cell->base.count);
          json::object change{{"from", previous_period}, {"to", period}, {"z", t.z}, {"p", t.p},
                              {"significant", t.p < 0.05}};
          if (t.p < 0.05) {
            char text[160];
            std::snprintf(text, sizeof text,
                          "%s from %.0f%% to %.0f%% between %s and %s: unlikely to be chance "
                          "(p = %.3f)",
                          t.z > 0 ? "Rose" : "Fell", previous->share * 100, cell->share * 100,
                          previous_period.c_str(), period.c_str(), t.p);
            change["flag"] = text;
          }
          changes.push_back(std::move(change));
        }
        previous = cell;
        previous_period = period;
      }
    }
    json::object measure{{"id", m.id},
                         {"question", m.question},
                         {"label", m.label.In(lang, lang)},
                         {"rows", std::move(rows)}};
    if (view.by.empty()) measure["changes"] = std::move(changes);
    measures.push_back(std::move(measure));
  }
  out["measures"] = std::move(measures);
  if (view.by.empty()) {
    json::array distributions;
    for (const stats::QuestionSpec& q : spec.questions) {
      json::array rows;
      for (const std::string& period : periods) {
        std::vector<std::string> nodes = q.options;
        nodes.push_back("base");
        nodes.push_back("total");
        for (const std::string& node : nodes) {
          const stats::Figure* f = release.Distribution(q.id, period, node);
          if (!f) continue;
          rows.push_back({{"period", period}, {"answer", node}, {"count", FigureJson(*f, spec.threshold)}});
        }
      }
      distributions.push_back({{"question", q.id}, {"rows", std::move(rows)}});
    }
    out["distributions"] = std::move(distributions);
  }
  return json::serialize(out);
}

std::string ResultsCsv(const Survey& survey, const stats::Release& release, const ResultsView& view) {
  // Long form: one line per figure, exactly the figures of the JSON view.
  const json::value v = json::parse(ResultsJson(survey, release, view));
  std::string out = "table,id,period,group,figure,value,suppressed\n";
  auto cell = [](const json::value& f) -> std::pair<std::string, std::string> {
    if (f.is_object()) return {"", std::string(f.at("suppressed").as_string())};
    if (f.is_null()) return {"", ""};
    if (f.is_double()) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6f", f.get_double());
      return {buf, ""};
    }
    return {json::serialize(f), ""};
  };
  for (const json::value& m : v.at("measures").as_array()) {
    const std::string id(m.at("id").as_string());
    for (const json::value& row : m.at("rows").as_array()) {
      const std::string prefix = "measure," + id + "," + std::string(row.at("period").as_string()) +
                                 "," + std::string(row.at("group").as_string()) + ",";
      for (const char* figure : {"positive", "negative", "base", "share", "low", "high"}) {
        const json::value* f = row.as_object().if_contains(figure);
        if (!f) continue;
        auto [value, why] = cell(*f);
        if (value.empty() && why.empty() && row.as_object().contains("share_withheld")) {
          why = std::string(row.at("share_withheld").as_string());
        }
        out += prefix + figure + "," + value + "," + why + "\n";
      }
    }
  }
  if (const json::value* d = v.as_object().if_contains("distributions")) {
    for (const json::value& q : d->as_array()) {
      const std::string id(q.at("question").as_string());
      for (const json::value& row : q.at("rows").as_array()) {
        auto [value, why] = cell(row.at("count"));
        out += "distribution," + id + "," + std::string(row.at("period").as_string()) + ",all," +
               std::string(row.at("answer").as_string()) + "," + value + "," + why + "\n";
      }
    }
  }
  return out;
}

namespace {

std::string CacheKey(const Survey& survey, std::chrono::sys_days today) {
  return survey.id + "|" + std::to_string(survey.version) + "|" +
         std::to_string(today.time_since_epoch().count());
}

}  // namespace

ResultsCache::ResultsCache(stats::ReleaseOptions options, History history)
    : options_(options), history_(std::move(history)), thread_([this] { Run(); }) {}

ResultsCache::History StoreHistory(store::Store& store) {
  using Published = ResultsCache::Published;
  ResultsCache::History history;
  history.load = [&store](const std::string& survey_id) {
    Published out;
    auto record = store.GetMeta("published/" + survey_id);
    if (!record || !*record) return out;
    boost::system::error_code ec;
    const json::value v = json::parse(**record, ec);
    if (ec || !v.is_object()) return out;
    for (const auto& kv : v.get_object()) {
      out[std::string(kv.key())] =
          kv.value().is_uint64() || kv.value().is_int64()
              ? std::optional<uint64_t>(kv.value().to_number<uint64_t>())
              : std::nullopt;
    }
    return out;
  };
  history.save = [&store](const std::string& survey_id, const Published& published) {
    json::object o;
    for (const auto& [key, value] : published) {
      o[key] = value ? json::value(*value) : json::value(nullptr);
    }
    // A failed write is not fatal: the next build starts from the last history that was kept.
    (void)store.PutMeta("published/" + survey_id, json::serialize(o));
  };
  return history;
}

ResultsCache::~ResultsCache() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void ResultsCache::Get(std::shared_ptr<const Survey> survey, const SurveyIndexes& indexes,
                       std::chrono::sys_days today, Done done) {
  const std::string key = CacheKey(*survey, today);
  std::shared_ptr<const stats::Release> ready;
  {
    std::lock_guard lock(mu_);
    if (auto it = releases_.find(key); it != releases_.end()) {
      ready = it->second;
    } else {
      Job& job = jobs_[key];
      if (!job.survey) job = Job{std::move(survey), &indexes, today, {}};
      job.waiters.push_back(std::move(done));
    }
  }
  if (ready) {
    done(std::move(ready));
  } else {
    wake_.notify_one();
  }
}

std::shared_ptr<const stats::Release> ResultsCache::GetNow(std::shared_ptr<const Survey> survey,
                                                           const SurveyIndexes& indexes,
                                                           std::chrono::sys_days today) {
  std::promise<std::shared_ptr<const stats::Release>> promise;
  auto future = promise.get_future();
  Get(std::move(survey), indexes, today,
      [&promise](std::shared_ptr<const stats::Release> r) { promise.set_value(std::move(r)); });
  return future.get();
}

void ResultsCache::Run() {
  for (;;) {
    std::string key;
    Job job;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      busy_ = true;
      key = jobs_.begin()->first;
      job = std::move(jobs_.begin()->second);
      jobs_.erase(jobs_.begin());
    }
    // Copy the index under its lock (milliseconds), then build from the copy unlocked.
    std::optional<stats::ResponseIndex> copy;
    job.indexes->Read(job.survey->id, [&](const stats::ResponseIndex& index) { copy = index; });
    if (!copy) copy.emplace(IndexColumns(*job.survey));
    stats::ReleaseSpec spec = ReleaseSpecOf(*job.survey, job.today);
    if (history_.load) spec.previous = history_.load(job.survey->id);
    auto release = std::make_shared<const stats::Release>(stats::BuildRelease(spec, *copy, options_));
    if (history_.save) history_.save(job.survey->id, release->Published());
    std::vector<Done> waiters;
    {
      std::lock_guard lock(mu_);
      // Keep only the newest release per survey.
      const std::string prefix = job.survey->id + "|";
      std::erase_if(releases_, [&](const auto& kv) { return kv.first.starts_with(prefix); });
      releases_[key] = release;
      waiters = std::move(job.waiters);
      // Requests that arrived for this key while it was being built.
      if (auto it = jobs_.find(key); it != jobs_.end()) {
        for (Done& d : it->second.waiters) waiters.push_back(std::move(d));
        jobs_.erase(it);
      }
    }
    for (Done& d : waiters) d(release);
    // The callbacks hold their callers' executors: release them before saying we are idle.
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
  idle_.wait(lock, [this] { return stopping_ || (!busy_ && jobs_.empty()); });
}

}  // namespace candour::server
