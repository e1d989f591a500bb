#include "web/results_view.h"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <future>

#include "stats/estimate.h"
#include "web/change.h"
#include "web/csv.h"
#include "web/weighted_text.h"

namespace candour::web {
namespace {

namespace json = boost::json;
using stats::Level;

constexpr char kMethodNote[] =
    "Respondents chose to take part (a self-selected sample, not comparable with a probability "
    "survey such as the Public Attitude Survey). Figures cover completed periods only; weeks "
    "belong to the month of their Thursday. Counts from 1 to threshold - 1 are withheld, and "
    "further figures are withheld wherever they would let a withheld one be worked out. Shares "
    "and 95% Wilson intervals are shown only on a base of at least min_base. Don't know and "
    "Prefer not to say are outside every base. A group's gap is its share minus that of "
    "everyone else who stated a group, with Newcombe's hybrid score interval (significant when "
    "it excludes 0).";

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

// A row's weighted figures (stats/weighting.h): "weighted" is {share, low, high, n_eff}, or
// {share: null, withheld: why}; with a group's "gap" and a window's "change_year" (each null
// when not shown). Only in releases of surveys with population margins.
void AddWeighted(const stats::Release& release, Level level, const std::string& measure,
                 const std::string& dimension, const std::string& period, const std::string& group,
                 const stats::MeasureCell& m, json::object& row) {
  if (!m.weighted) return;
  const stats::WeightedFigures& w = *m.weighted;
  json::object out;
  if (w.shown) {
    out = {{"share", w.share}, {"low", w.low}, {"high", w.high}, {"n_eff", w.n_eff}};
  } else {
    out = {{"share", nullptr}, {"withheld", WeightedWithheld(m, release.spec())}};
  }
  if (!dimension.empty() && group != stats::kNotStated) {
    out["gap"] = w.has_gap ? json::value{{"difference", w.gap},
                                         {"low", w.gap_low},
                                         {"high", w.gap_high},
                                         {"significant", w.gap_significant}}
                           : json::value(nullptr);
  }
  if (stats::Release::BreakdownLevel(level)) {
    const auto c = WeightedChangeOf(release, measure, dimension, period, group);
    out["change_year"] = c ? json::value{{"from", YearEarlier(period)},
                                         {"difference", c->difference},
                                         {"low", c->low},
                                         {"high", c->high},
                                         {"z", c->z},
                                         {"p", c->p},
                                         {"significant", c->significant}}
                           : json::value(nullptr);
  }
  row["weighted"] = std::move(out);
}

// The method's weighting part: margins, settings and how each period's raking went.
json::value WeightingJson(const survey::Survey& survey, const stats::Release& release,
                          const std::vector<std::string>& periods) {
  if (!release.weighted()) return nullptr;
  const auto& spec = release.spec();
  json::array margins, runs;
  for (const auto& m : spec.population) margins.emplace_back(m.dimension);
  for (const stats::WeightingReport& r : release.weighting()) {
    if (std::find(periods.begin(), periods.end(), r.period) == periods.end()) continue;
    runs.push_back({{"period", r.period},
                    {"converged", r.converged},
                    {"sweeps", r.sweeps},
                    {"trim_rounds", r.trim_rounds},
                    {"max_weight_ratio", std::round(r.max_weight_ratio * 10) / 10}});
  }
  const std::string& lang = survey.default_language();
  return {{"margins", std::move(margins)},
          {"source", survey.population_source.In(lang, lang)},
          {"tolerance", spec.raking.tolerance},
          {"max_sweeps", spec.raking.max_sweeps},
          {"trim_factor", spec.raking.trim_factor},
          {"note", WeightingNote(spec)},
          {"periods", std::move(runs)}};
}

std::vector<std::string> Dimensions(const survey::Survey& survey) {
  std::vector<std::string> out;
  for (const survey::Question& q : survey.questions) {
    if (q.dimension && q.type == survey::QuestionType::kSingle) out.push_back(q.id);
  }
  for (const auto& [a, b] : survey.crosstabs) out.push_back(a + "*" + b);
  return out;
}

// A rolling window's change on the window a year earlier (web/change.h): "change_year" is
// {difference, low, high, significant}, or null when either window's figures are withheld or
// too few.
void AddChangeYear(const stats::Release& release, const std::string& measure,
                   const std::string& dimension, const std::string& period,
                   const std::string& group, json::object& row) {
  if (const auto c = ChangeOf(release, measure, dimension, period, group)) {
    json::object change{{"from", YearEarlier(period)},
                        {"difference", c->difference},
                        {"low", c->low},
                        {"high", c->high},
                        {"z", c->z},
                        {"p", c->p},
                        {"significant", c->significant}};
    if (c->significant) {
      char text[96];
      std::snprintf(text, sizeof text, "%s by %.0f points on a year earlier (p = %.3f)",
                    c->difference > 0 ? "Up" : "Down", std::abs(c->difference) * 100, c->p);
      change["flag"] = text;
    }
    row["change_year"] = std::move(change);
  } else {
    row["change_year"] = nullptr;
  }
}

}  // namespace

boost::system::result<ResultsView, std::string> ParseResultsView(
    const survey::Survey& survey, const std::vector<std::pair<std::string, std::string>>& query) {
  using Result = boost::system::result<ResultsView, std::string>;
  const auto dims = Dimensions(survey);
  std::string dim_list;
  for (const std::string& d : dims) dim_list += (dim_list.empty() ? "" : ", ") + d;
  const std::string allowed =
      "allowed: period=month|quarter|rolling; by=" + dim_list + " (with period=quarter or rolling)";
  ResultsView view;
  bool period_given = false;
  for (const auto& [key, value] : query) {
    if (key == "period") {
      auto level = stats::ParseLevel(value);
      if (!level)
        return Result(boost::system::in_place_error,
                      "period: unknown period \"" + value.substr(0, 20) + "\"; " + allowed);
      view.level = *level;
      period_given = true;
    } else if (key == "by") {
      if (std::find(dims.begin(), dims.end(), value) == dims.end()) {
        return Result(
            boost::system::in_place_error,
            "by: \"" + value.substr(0, 40) + "\" is not a declared dimension; " + allowed);
      }
      view.by = value;
    } else {
      return Result(boost::system::in_place_error,
                    key.substr(0, 40) + ": unknown parameter; " + allowed);
    }
  }
  if (!view.by.empty()) {
    if (!period_given) view.level = Level::kQuarter;
    if (!stats::Release::BreakdownLevel(view.level)) {
      return Result(
          boost::system::in_place_error,
          "period: breakdowns by group are published by quarter or rolling 12 months only; " +
              allowed);
    }
  }
  return view;
}

std::string ResultsJson(const survey::Survey& survey, const stats::Release& release,
                        const ResultsView& view) {
  const auto& spec = release.spec();
  const std::string lang = survey.default_language();
  json::object out;
  out["survey"] = survey.id;
  out["version"] = survey.version;
  if (survey.demo) out["demo_data"] = "this demo survey's figures include synthetic responses";
  out["period"] = stats::LevelName(view.level);
  out["by"] = view.by.empty() ? json::value(nullptr) : json::value(view.by);
  out["method"] = {
      {"threshold", spec.threshold}, {"min_base", spec.min_base}, {"note", kMethodNote}};
  const auto& periods = release.Periods(view.level);
  out["method"].as_object()["weighting"] = WeightingJson(survey, release, periods);
  json::array period_list(periods.begin(), periods.end());
  out["periods"] = std::move(period_list);
  const std::vector<std::string> groups =
      view.by.empty() ? std::vector<std::string>{stats::kAllGroups} : release.Groups(view.by);
  json::array measures;
  for (const survey::Measure& m : survey.measures) {
    json::array rows, changes;
    const stats::MeasureCell* previous = nullptr;
    std::string previous_period;
    for (const std::string& period : periods) {
      for (const std::string& group : groups) {
        const stats::MeasureCell* cell = release.Measure(m.id, view.by, period, group);
        if (!cell) continue;
        json::object row = MeasureRow(period, group, *cell, spec.threshold, spec.min_base);
        if (!view.by.empty() && group != stats::kNotStated) {
          // The group's share minus everyone else's who stated a group (Newcombe's interval).
          if (const auto gap = stats::GapOf(release, m.id, view.by, period, group)) {
            row["gap"] = {{"difference", gap->difference},
                          {"low", gap->low},
                          {"high", gap->high},
                          {"significant", gap->significant}};
          } else {
            row["gap"] = nullptr;
          }
        }
        if (view.level == Level::kRolling || view.level == Level::kQuarter)
          AddChangeYear(release, m.id, view.by, period, group, row);
        AddWeighted(release, view.level, m.id, view.by, period, group, *cell, row);
        rows.push_back(std::move(row));
        if (!view.by.empty()) continue;
        // Change from the previous period, only between shares that are both shown.
        if (previous && previous->share_shown && cell->share_shown) {
          const auto t = stats::TwoProportionZTest(previous->positive.count, previous->base.count,
                                                   cell->positive.count, cell->base.count);
          json::object change{{"from", previous_period},
                              {"to", period},
                              {"z", t.z},
                              {"p", t.p},
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
          // The same test on the weighted shares, with n_eff for n.
          if (previous->weighted && previous->weighted->shown && cell->weighted &&
              cell->weighted->shown) {
            const stats::WeightedFigures &a = *previous->weighted, &b = *cell->weighted;
            const auto wt = stats::TwoProportionZTestOfShares(a.exact_share, a.exact_n_eff,
                                                              b.exact_share, b.exact_n_eff);
            change["weighted"] = {{"z", std::round(wt.z * 100) / 100 + 0.0},
                                  {"p", std::round(wt.p * 1000) / 1000},
                                  {"significant", wt.p < 0.05}};
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
          rows.push_back(
              {{"period", period}, {"answer", node}, {"count", FigureJson(*f, spec.threshold)}});
        }
      }
      distributions.push_back({{"question", q.id}, {"rows", std::move(rows)}});
    }
    out["distributions"] = std::move(distributions);
  }
  return json::serialize(out);
}

std::string ResultsCsv(const survey::Survey& survey, const stats::Release& release,
                       const ResultsView& view) {
  // Long form: one line per figure, exactly the figures of the JSON view.
  const json::value v = json::parse(ResultsJson(survey, release, view));
  CsvWriter csv({"table", "id", "period", "group", "figure", "value", "suppressed"});
  // A figure's value and, if it has none, why ("" if there is no reason to give).
  auto figure = [&](const json::value& f, std::string_view why) {
    if (f.is_object()) {
      csv.Empty().Text(f.at("suppressed").as_string());
    } else if (f.is_double()) {
      csv.Decimal(f.get_double()).Empty();
    } else if (f.is_uint64() || f.is_int64()) {
      csv.Integer(f.to_number<uint64_t>()).Empty();
    } else {
      csv.Empty().Text(why);
    }
    csv.EndRow();
  };
  for (const json::value& m : v.at("measures").as_array()) {
    const std::string_view id = m.at("id").as_string();
    for (const json::value& row : m.at("rows").as_array()) {
      const json::object& r = row.as_object();
      const json::string* share_withheld = nullptr;
      if (const json::value* w = r.if_contains("share_withheld")) share_withheld = &w->as_string();
      for (const char* name : {"positive", "negative", "base", "share", "low", "high"}) {
        const json::value* f = r.if_contains(name);
        if (!f) continue;
        csv.Text("measure").Text(id).Text(r.at("period").as_string());
        csv.Text(r.at("group").as_string()).Text(name);
        figure(*f, share_withheld ? std::string_view(*share_withheld) : std::string_view());
      }
      if (const json::value* gap = r.if_contains("gap")) {
        for (const char* name : {"difference", "low", "high"}) {
          csv.Text("measure").Text(id).Text(r.at("period").as_string());
          csv.Text(r.at("group").as_string()).Text(std::string("gap_") + name);
          figure(gap->is_object() ? gap->at(name) : json::value(nullptr),
                 "a figure it depends on is withheld, or a base is under the minimum");
        }
      }
      // Weighted figures, each named "weighted_...": share, interval, n_eff, a group's gap.
      if (const json::value* wv = r.if_contains("weighted")) {
        const json::object& w = wv->as_object();
        const json::value* why = w.if_contains("withheld");
        for (const char* name : {"share", "low", "high", "n_eff"}) {
          csv.Text("measure").Text(id).Text(r.at("period").as_string());
          csv.Text(r.at("group").as_string()).Text(std::string("weighted_") + name);
          figure(why ? json::value(nullptr) : w.at(name),
                 why ? std::string_view(why->as_string()) : std::string_view());
        }
        if (const json::value* gap = w.if_contains("gap")) {
          for (const char* name : {"difference", "low", "high"}) {
            csv.Text("measure").Text(id).Text(r.at("period").as_string());
            csv.Text(r.at("group").as_string()).Text(std::string("weighted_gap_") + name);
            figure(gap->is_object() ? gap->at(name) : json::value(nullptr),
                   "a weighted figure it depends on is not shown, or n_eff is under the minimum");
          }
        }
      }
    }
  }
  if (const json::value* d = v.as_object().if_contains("distributions")) {
    for (const json::value& q : d->as_array()) {
      const std::string_view id = q.at("question").as_string();
      for (const json::value& row : q.at("rows").as_array()) {
        csv.Text("distribution").Text(id).Text(row.at("period").as_string()).Text("all");
        csv.Text(row.at("answer").as_string());
        figure(row.at("count"), "");
      }
    }
  }
  return std::move(csv).str();
}

}  // namespace candour::web
