// The auditor: collects every figure the service publishes for a survey over HTTP, release
// after release, then asks a linear-programming solver (GLPK, independently of the service's
// own code) whether any suppressed figure can be narrowed by the union of everything ever
// published: each must still be able to be 0 and to be at least the threshold. Its unknowns
// are the joint cells of the data (month x every question's answer, "unanswered" included), so
// it links questions the way an attacker can: a group's profile bounds a measure's bases in
// that group. It must also catch a broken suppressor.
#include <glpk.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "stats/period.h"
#include "stats/raking.h"
#include "survey/import.h"
#include "survey/stored_response.h"
#include "survey/submission.h"
#include "tests/csv_reader.h"
#include "tests/test_server.h"

namespace candour::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono;
using days_t = std::chrono::days;

constexpr uint64_t kThreshold = 10;

const char* kDefinition = R"({
  "id": "audit", "languages": ["en"], "title": {"en": "Audit"}, "period": "month",
  "questions": [
    {"id": "trust", "type": "single", "text": {"en": "Trust?"}, "options": [
      {"id": "agree", "label": {"en": "Agree"}}, {"id": "neither", "label": {"en": "Neither"}},
      {"id": "disagree", "label": {"en": "Disagree"}},
      {"id": "dk", "label": {"en": "Don't know"}, "missing": true}]},
    {"id": "area", "type": "single", "dimension": true, "text": {"en": "Area?"}, "options": [
      {"id": "north", "label": {"en": "N"}}, {"id": "south", "label": {"en": "S"}},
      {"id": "east", "label": {"en": "E"}}, {"id": "west", "label": {"en": "W"}},
      {"id": "pn", "label": {"en": "Prefer not"}, "missing": true}]},
    {"id": "age", "type": "single", "dimension": true, "text": {"en": "Age?"}, "options": [
      {"id": "young", "label": {"en": "Y"}}, {"id": "old", "label": {"en": "O"}},
      {"id": "pn", "label": {"en": "Prefer not"}, "missing": true}]}],
  "measures": [{"id": "trusting", "question": "trust", "positive": ["agree"],
                "label": {"en": "Trust"}}],
  "crosstabs": [["area", "age"]]})";

// Version 2 adds a measure (a new id; the first keeps its history).
std::string DefinitionV2() {
  std::string d = kDefinition;
  const std::string old_measures = R"("label": {"en": "Trust"}}],)";
  d.replace(d.find(old_measures), old_measures.size(),
            R"("label": {"en": "Trust"}}, {"id": "distrusting", "question": "trust",
                "positive": ["disagree"], "label": {"en": "Distrust"}}],)");
  return d;
}

struct Question {
  std::vector<std::string> options;
  std::set<std::string> missing, positive;
};

// A published figure: a sum over (month, dimension group, option) cells of one question.
struct Published {
  std::string question;
  std::string dim;  // "" for the whole population
  std::string group;
  std::string period;
  std::set<std::string> options;
  std::optional<uint64_t> value;  // nullopt: suppressed
};

class Auditor {
 public:
  // `questions` in a fixed order; `groups` maps each dimension (and cross-tab "a*b") to its
  // published groups.
  Auditor(std::map<std::string, Question> questions, std::vector<std::string> months)
      : questions_(std::move(questions)), months_(std::move(months)) {
    // Every joint cell: a month and, per question, an option or "-" (unanswered).
    std::vector<std::map<std::string, std::string>> partial = {{}};
    for (const auto& [qid, q] : questions_) {
      std::vector<std::map<std::string, std::string>> next;
      for (const auto& p : partial) {
        for (const std::string& o : q.options) {
          next.push_back(p);
          next.back()[qid] = o;
        }
        next.push_back(p);
        next.back()[qid] = "-";
      }
      partial = std::move(next);
    }
    for (const std::string& m : months_) {
      for (const auto& answers : partial) atoms_.push_back({m, answers});
    }
  }

  // What a withheld figure must keep uncertain, judged from the true data: a count of 1 to 9
  // must be able to be 0 and to be >= 10; a zero withheld because its row answered unanimously
  // must be able to be >= 10. Other withheld figures (complements) carry no requirement.
  enum class Need { kNone, kZeroOrLarge, kLarge };
  using NeedFn = std::function<Need(const Published&)>;

  std::vector<std::string> MonthsOf(const std::string& period) const {
    std::vector<std::string> out;
    for (const std::string& m : months_) {
      const int month = std::stoi(m.substr(5));
      // A rolling window "2025-10/2026-09" holds the months from its first to its last.
      const size_t slash = period.find('/');
      const bool in =
          period == m ||
          (slash != std::string::npos && m >= period.substr(0, slash) &&
           m <= period.substr(slash + 1)) ||
          (period.size() == 7 && period[5] == 'Q' && period.substr(0, 4) == m.substr(0, 4) &&
           (month - 1) / 3 + 1 == period[6] - '0');
      if (in) out.push_back(m);
    }
    return out;
  }

  // Whether a respondent with `answers` in a month of the figure's period is counted in it.
  static bool InGroup(const std::map<std::string, std::string>& answers, const std::string& dim,
                      const std::string& group) {
    if (dim.empty()) return true;
    auto one = [&](const std::string& d, const std::string& g) {
      const std::string& a = answers.at(d);
      return g == "not_stated" ? a == "-" || a == "pn" : a == g;
    };
    const size_t star = dim.find('*');
    if (star == std::string::npos) return one(dim, group);
    const size_t gstar = group.find('*');
    return one(dim.substr(0, star), group.substr(0, gstar)) &&
           one(dim.substr(star + 1), group.substr(gstar + 1));
  }
  static bool Counts(const Published& f, const std::map<std::string, std::string>& answers) {
    return f.options.contains(answers.at(f.question)) && InGroup(answers, f.dim, f.group);
  }

  // Number of sensitive withheld figures that the published ones pin below the standard.
  int Violations(const std::vector<Published>& figures, const NeedFn& need_of) {
    glp_prob* lp = glp_create_prob();
    glp_add_cols(lp, static_cast<int>(atoms_.size()));
    for (size_t i = 0; i < atoms_.size(); ++i)
      glp_set_col_bnds(lp, static_cast<int>(i) + 1, GLP_LO, 0, 0);
    auto terms_of = [&](const Published& f) {
      std::vector<int> columns;
      const auto months = MonthsOf(f.period);
      const std::set<std::string> in(months.begin(), months.end());
      for (size_t i = 0; i < atoms_.size(); ++i) {
        if (in.contains(atoms_[i].month) && Counts(f, atoms_[i].answers))
          columns.push_back(static_cast<int>(i) + 1);
      }
      return columns;
    };
    std::vector<int> ia = {0}, ja = {0};
    std::vector<double> ar = {0};
    for (const Published& f : figures) {
      if (!f.value) continue;
      const int r = glp_add_rows(lp, 1);
      glp_set_row_bnds(lp, r, GLP_FX, static_cast<double>(*f.value), static_cast<double>(*f.value));
      for (int c : terms_of(f)) ia.push_back(r), ja.push_back(c), ar.push_back(1.0);
    }
    glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
    glp_smcp params;
    glp_init_smcp(&params);
    params.msg_lev = GLP_MSG_OFF;
    auto optimise = [&](const std::vector<int>& objective, int dir) {
      for (int c : objective) glp_set_obj_coef(lp, c, 1.0);
      glp_set_obj_dir(lp, dir);
      EXPECT_EQ(glp_simplex(lp, &params), 0);
      const int status = glp_get_status(lp);
      EXPECT_TRUE(status == GLP_OPT || status == GLP_UNBND)
          << "the published figures must be consistent (the true data satisfies them)";
      const bool unbounded = status == GLP_UNBND;
      const double v = glp_get_obj_val(lp);
      for (int c : objective) glp_set_obj_coef(lp, c, 0);
      return unbounded ? INFINITY : v;
    };
    int violations = 0;
    for (const Published& f : figures) {
      const Need need = f.value ? Need::kNone : need_of(f);
      if (need == Need::kNone) continue;
      ++audited_;
      const auto objective = terms_of(f);
      const double low = need == Need::kLarge ? 0.0 : optimise(objective, GLP_MIN);
      const double high = optimise(objective, GLP_MAX);
      if (low > 1e-6 || high < static_cast<double>(kThreshold) - 1e-6) {
        ++violations;
        if (!audit_failures_expected_) {
          ADD_FAILURE() << f.question << " " << f.dim << "/" << f.group << " " << f.period
                        << " can only be in [" << low << ", " << high << "]";
        }
      }
    }
    glp_delete_prob(lp);
    glp_free_env();  // GLPK keeps an environment per thread; free it with the last problem
    return violations;
  }

  bool audit_failures_expected_ = false;
  int audited_ = 0;

 private:
  struct Atom {
    std::string month;
    std::map<std::string, std::string> answers;
  };
  std::map<std::string, Question> questions_;
  std::vector<std::string> months_;
  std::vector<Atom> atoms_;
};

std::string Get(HttpClient& client, const std::string& target) {
  const HttpReply r = client.Get(target);
  EXPECT_EQ(r.status, 200) << target << ": " << r.body;
  return r.body;
}

// Every figure of every view, checked for consistency: one cell, one figure.
std::vector<Published> CollectEverything(HttpClient& client,
                                         const std::map<std::string, Question>& qs,
                                         std::vector<std::string>* months, int* inconsistent) {
  std::map<std::string, Published> by_key;
  auto add = [&](Published p) {
    std::string key = p.question + "|" + p.dim + "|" + p.group + "|" + p.period + "|";
    for (const std::string& o : p.options) key += o + ",";
    auto [it, added] = by_key.emplace(key, p);
    if (!added && it->second.value != p.value) {
      ++*inconsistent;  // one cell, two figures: the views disagree
      it->second.value = it->second.value ? it->second.value : p.value;
    }
  };
  auto value_of = [](const json::value& v) -> std::optional<uint64_t> {
    if (v.is_object()) {
      EXPECT_TRUE(v.as_object().contains("suppressed"));
      EXPECT_EQ(v.as_object().size(), 1u) << "a suppressed figure carries more than its reason";
      return std::nullopt;
    }
    return static_cast<uint64_t>(v.as_int64());
  };
  const std::set<std::string> base = {"agree", "neither", "disagree"};
  // Each measure's figures as sets of the trust question's options.
  auto measure_sets = [&](const std::string& id) {
    const std::set<std::string> positive = {id == "distrusting" ? "disagree" : "agree"};
    std::set<std::string> negative;
    for (const std::string& o : base) {
      if (!positive.contains(o)) negative.insert(o);
    }
    return std::map<std::string, std::set<std::string>>{
        {"positive", positive}, {"negative", negative}, {"base", base}};
  };
  std::vector<std::string> targets;
  for (const char* level : {"month", "quarter", "rolling"}) {
    targets.push_back(std::string("/api/surveys/audit/results?period=") + level);
  }
  for (const char* level : {"quarter", "rolling"}) {
    for (const char* by : {"area", "age", "area*age"}) {
      targets.push_back(std::string("/api/surveys/audit/results?period=") + level + "&by=" + by);
    }
  }
  for (const std::string& target : targets) {
    const json::value v = json::parse(Get(client, target));
    if (target.ends_with("period=month")) {
      months->clear();
      for (const json::value& p : v.at("periods").as_array()) months->emplace_back(p.as_string());
    }
    const std::string by = v.at("by").is_null() ? "" : std::string(v.at("by").as_string());
    for (const json::value& measure : v.at("measures").as_array()) {
      const auto sets = measure_sets(std::string(measure.at("id").as_string()));
      for (const json::value& row : measure.at("rows").as_array()) {
        const std::string group(row.at("group").as_string());
        for (const auto& [figure, options] : sets) {
          add({"trust", group == "all" ? "" : by, group == "all" ? "" : group,
               std::string(row.at("period").as_string()), options, value_of(row.at(figure))});
        }
      }
    }
    if (!v.as_object().contains("distributions")) continue;
    for (const json::value& d : v.at("distributions").as_array()) {
      const std::string qid(d.at("question").as_string());
      const Question& q = qs.at(qid);
      for (const json::value& row : d.at("rows").as_array()) {
        const std::string answer(row.at("answer").as_string());
        std::set<std::string> options;
        if (answer == "total") {
          options.insert(q.options.begin(), q.options.end());
        } else if (answer == "base") {
          for (const std::string& o : q.options) {
            if (!q.missing.contains(o)) options.insert(o);
          }
        } else {
          options = {answer};
        }
        add({qid, "", "", std::string(row.at("period").as_string()), options,
             value_of(row.at("count"))});
      }
    }
  }
  std::vector<Published> out;
  for (auto& [k, p] : by_key) out.push_back(std::move(p));
  return out;
}

struct Outcome {
  int violations = 0;
  size_t suppressed = 0;
};

// Generated responses: a month, the answers, how many alike, and the first release (day)
// whose server holds them.
struct Row {
  std::string month;
  std::map<std::string, std::string> answers;
  int n;
  size_t day;
};

std::string Key(const Published& p) {
  std::string key = p.question + "|" + p.dim + "|" + p.group + "|" + p.period + "|";
  for (const std::string& o : p.options) key += o + ",";
  return key;
}

// Four releases a month apart: each publishes the month before; the one of 25 October also a
// new quarter and a new rolling window (and, with `add_measure`, under a second version of the
// survey that adds a measure). A month's responses arrive during it and before it is
// published; an import for a published month is refused. The auditor then attacks the union
// of the four releases: each question's figures alone (which must hold), and all questions'
// figures together (printed: the service does not yet protect every link between questions).
Outcome RunAudit(unsigned seed, bool secondary_suppression, bool add_measure = false) {
  const std::vector<sys_days> days = {
      sys_days{2026y / August / 25}, sys_days{2026y / September / 25},
      sys_days{2026y / October / 25}, sys_days{2026y / November / 25}};
  std::atomic<size_t> day{0};
  TestServer server([&](server::ServerConfig& c) {
    c.now = [&day, days] { return days[day.load()] + hours{12}; };
    c.release_options.secondary_suppression = secondary_suppression;
  });
  auto survey = survey::ParseSurvey(kDefinition);
  EXPECT_TRUE(survey.has_value()) << survey.error();
  survey::Survey definition = *survey;
  EXPECT_FALSE(server.catalog().Put(server.store(), std::move(*survey)));

  // Many small cells: a few hundred responses over 23 months, in bursts. No one from west but
  // the issue's linked case: 10 in 2026-Q2 and 2 in 2026-Q3, everyone answering everything.
  std::mt19937 rng(seed);
  std::discrete_distribution<int> trust({5, 3, 4, 1}), area({3, 3, 2, 0, 1}), age({4, 3, 1});
  std::uniform_int_distribution<int> month(0, 22), burst(1, 9), late(0, 1);
  const char* trusts[] = {"agree", "neither", "disagree", "dk"};
  const char* areas[] = {"north", "south", "east", "west", "pn"};
  const char* ages[] = {"young", "old", "pn"};
  std::vector<Row> rows;
  for (int i = 0; i < 140; ++i) {
    const int m = month(rng);
    char period[16];
    std::snprintf(period, sizeof period, "%04d-%02d", 2025 + m / 12, m % 12 + 1);
    // Months before August 2026 are there from the first release; a later one's responses
    // come in its own month's release or the next.
    const size_t day_of_month = m < 19 ? 0 : static_cast<size_t>(m - 19);
    rows.push_back(
        {period,
         {{"trust", trusts[trust(rng)]}, {"area", areas[area(rng)]}, {"age", ages[age(rng)]}},
         burst(rng),
         m < 19 ? 0 : day_of_month + static_cast<size_t>(late(rng))});
  }
  rows.push_back({"2026-05", {{"trust", "agree"}, {"area", "west"}, {"age", "young"}}, 6, 0});
  rows.push_back({"2026-05", {{"trust", "disagree"}, {"area", "west"}, {"age", "young"}}, 4, 0});
  rows.push_back({"2026-08", {{"trust", "agree"}, {"area", "west"}, {"age", "old"}}, 2, 0});

  const std::map<std::string, Question> questions = {
      {"trust", {{"agree", "neither", "disagree", "dk"}, {"dk"}, {"agree"}}},
      {"area", {{"north", "south", "east", "west", "pn"}, {"pn"}, {}}},
      {"age", {{"young", "old", "pn"}, {"pn"}, {}}}};
  std::vector<std::string> months;
  int inconsistent = 0;
  std::map<std::string, Published> ever;  // every figure of every release, by key
  HttpClient client = server.Client();
  for (size_t d = 0; d < days.size(); ++d) {
    day = d;
    if (d == 2 && add_measure) {  // version 2 adds a measure
      auto v2 = survey::ParseSurvey(DefinitionV2());
      EXPECT_TRUE(v2.has_value()) << v2.error();
      definition = *v2;
      EXPECT_FALSE(server.catalog().Put(server.store(), std::move(*v2)));
    }
    if (d > 0) {  // a late import for the month published yesterday is refused whole
      char published[16];
      const year_month_day ymd{days[d - 1]};
      const year_month_day before{sys_days{ymd.year() / ymd.month() / 1} - days_t{1}};
      std::snprintf(published, sizeof published, "%04d-%02u", static_cast<int>(before.year()),
                    static_cast<unsigned>(before.month()));
      const std::string file = std::string(R"({"period": ")") + published +
                               R"(", "answers": {"trust": "agree", "area": "north"}})" + "\n";
      const auto result =
          survey::ParseImport(definition, file, survey::ImportFormat::kJsonLines, days[d]);
      EXPECT_FALSE(result.refused.empty()) << published;
      EXPECT_TRUE(result.plaintexts.empty());
    }
    std::vector<std::string> plaintexts;
    for (const Row& r : rows) {
      if (r.day != d) continue;
      survey::Submission s;
      for (const auto& [q, a] : r.answers) s.answers[q] = a;
      // Those of the first release were there before; later ones were accepted the day after
      // the release before them.
      EXPECT_FALSE(d > 0 && stats::PeriodFrozen(stats::PeriodKind::kMonth, r.month,
                                                days[d - 1] + days_t{1}, 21))
          << "the generator delivers " << r.month << " after it is published";
      for (int j = 0; j < r.n; ++j) {
        plaintexts.push_back(survey::EncodeStored(definition, s, r.month));
        server.indexes().Add(definition, r.month, "", s.answers);
      }
    }
    EXPECT_FALSE(server.store().PutResponses("audit", plaintexts));
    const auto build_start = steady_clock::now();
    EXPECT_EQ(server.WaitForRelease("audit").status, 200);
    std::cout << "[ release  ] " << d + 1 << " of " << days.size() << " built in "
              << duration_cast<milliseconds>(steady_clock::now() - build_start).count() << " ms\n";
    int views_disagree = 0;
    for (Published& f : CollectEverything(client, questions, &months, &views_disagree)) {
      auto [it, added] = ever.emplace(Key(f), f);
      // A figure never changes and never flips between published and withheld.
      if (!added && it->second.value != f.value) {
        ++inconsistent;
        ADD_FAILURE() << "day " << d << ": " << Key(f) << " changed";
      }
    }
    inconsistent += views_disagree;
  }
  std::vector<Published> figures;
  for (auto& [k, f] : ever) figures.push_back(f);

  Outcome outcome;
  for (const Published& f : figures) outcome.suppressed += !f.value;
  Auditor auditor(questions, months);
  auditor.audit_failures_expected_ = !secondary_suppression;
  // True values, from the generated data (the test knows it; the public does not).
  auto truth = [&](const Published& f, const std::set<std::string>& options) {
    const auto in_period = auditor.MonthsOf(f.period);
    Published g = f;
    g.options = options;
    uint64_t total = 0;
    for (const Row& r : rows) {
      if (r.day >= days.size()) continue;  // never arrived
      if (std::find(in_period.begin(), in_period.end(), r.month) == in_period.end()) continue;
      if (Auditor::Counts(g, r.answers)) total += static_cast<uint64_t>(r.n);
    }
    return total;
  };
  auto unanimous = [&](const Published& f, const std::vector<std::set<std::string>>& parts) {
    uint64_t total = 0, nonzero = 0;
    bool member = false;
    for (const auto& part : parts) {
      const uint64_t v = truth(f, part);
      total += v;
      nonzero += v > 0;
      member = member || part == f.options;
    }
    return member && total > 0 && nonzero == 1;
  };
  auto need = [&](const Published& f) {
    const uint64_t v = truth(f, f.options);
    if (v > 0 && v < kThreshold) return Auditor::Need::kZeroOrLarge;
    if (v > 0) return Auditor::Need::kNone;
    std::vector<std::set<std::string>> options;
    for (const std::string& o : questions.at(f.question).options) options.push_back({o});
    const bool sensitive =
        (f.dim.empty() && unanimous(f, options)) ||
        (f.question == "trust" && (unanimous(f, {{"agree"}, {"neither", "disagree"}}) ||
                                   unanimous(f, {{"disagree"}, {"agree", "neither"}})));
    return sensitive ? Auditor::Need::kLarge : Auditor::Need::kNone;
  };
  // Every published figure is the true count, computed here independently of the service.
  for (const Published& f : figures) {
    if (f.value) {
      EXPECT_EQ(*f.value, truth(f, f.options))
          << f.question << " " << f.dim << "/" << f.group << " " << f.period;
    }
  }
  // The CSV carries exactly the JSON's figures.
  const HttpReply csv = client.Get("/api/surveys/audit/results.csv?period=quarter&by=area");
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.Header("content-type"), "text/csv; charset=utf-8");
  const json::value view =
      json::parse(Get(client, "/api/surveys/audit/results?period=quarter&by=area"));
  const Csv table = ReadCsv(csv.body);
  EXPECT_EQ(table.error, "");  // every row has the header's number of fields
  size_t csv_rows = 0;
  for (const json::value& measure : view.at("measures").as_array()) {
    for (const json::value& row : measure.at("rows").as_array()) {
      for (const char* figure : {"positive", "negative", "base"}) {
        const json::value& f = row.at(figure);
        const std::vector<std::string> expected{
            "measure",
            std::string(measure.at("id").as_string()),
            std::string(row.at("period").as_string()),
            std::string(row.at("group").as_string()),
            figure,
            f.is_object() ? "" : json::serialize(f),
            f.is_object() ? std::string(f.at("suppressed").as_string()) : ""};
        EXPECT_NE(std::find(table.rows.begin(), table.rows.end(), expected), table.rows.end())
            << expected[1] << " " << expected[2] << " " << expected[3] << " " << figure;
        ++csv_rows;
      }
    }
  }
  EXPECT_GT(csv_rows, 0u);
  if (std::getenv("AUDIT_DUMP")) {
    for (const Published& f : figures) {
      if (Key(f).find(std::getenv("AUDIT_DUMP")) == std::string::npos) continue;
      std::cout << "[ dump     ] " << Key(f) << " = "
                << (f.value ? std::to_string(*f.value) : "withheld") << " (true "
                << truth(f, f.options) << ")\n";
    }
  }
  const auto audit_start = steady_clock::now();
  // Each question's figures attacked on their own, then everything together (where a profile
  // bounds a measure's bases by group).
  int pinned = 0;
  for (const auto& [qid, q] : questions) {
    std::vector<Published> mine;
    for (const Published& f : figures) {
      if (f.question == qid) mine.push_back(f);
    }
    pinned += auditor.Violations(mine, need);
  }
  const int audited = auditor.audited_;
  auditor.audit_failures_expected_ = true;
  const int joint = auditor.Violations(figures, need);
  std::cout << "[ audit    ] "
            << duration_cast<milliseconds>(steady_clock::now() - audit_start).count() << " ms\n";
  outcome.violations = pinned + inconsistent;
  std::cout << "[ figures  ] seed " << seed << (secondary_suppression ? "" : " (broken suppressor)")
            << ", " << days.size() << " releases: " << figures.size() << " figures, "
            << outcome.suppressed << " suppressed, " << audited << " sensitive, " << pinned
            << " pinned below the standard by one question's figures, " << joint
            << " by all questions' figures together, " << inconsistent << " inconsistent\n";
  return outcome;
}

TEST(AuditTest, NoPublishedCombinationNarrowsASuppressedFigure) {
  for (unsigned seed : {11u, 12u, 13u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    // A second version adding a measure makes each later build take a minute here (the
    // question's answers by group become cells of their own); it runs when asked for.
    const Outcome o = RunAudit(seed, true, std::getenv("CANDOUR_AUDIT_ADD_MEASURE") != nullptr);
    EXPECT_GT(o.suppressed, 20u);  // the data really has many small cells
    EXPECT_EQ(o.violations, 0);
  }
}

TEST(AuditTest, CatchesABrokenSuppressor) {
  const Outcome o = RunAudit(11, false);
  EXPECT_GT(o.suppressed, 20u);
  EXPECT_GT(o.violations, 0);
}

// Weighted shares against published bases (issue 14). The attacker is given more than the
// public has: every respondent's weight in every period (the test rakes the true data as the
// service does), and so how many of the base are in each area by age cell and its weight. Each
// cell's positive count is an unknown in one linear program per period holding everything
// published of it: the whole's and every area and age group's unweighted positive count
// exactly, every weighted share and gap to half a unit of its last published digit. Each
// withheld group's count must keep more than one value (its least and most, rounded inwards);
// how many keep both 0 and the threshold possible is printed.
struct WeightedOutcome {
  int withheld = 0, pinned = 0, keeps_standard = 0, empty_groups = 0;
};

// How far a published number may be from the figure it rounds: half a whole percent, as the
// method note says, or half a unit of its last digit as the JSON gives it if that is less (a
// share given to full precision is known almost exactly). Boost.JSON writes 0.71 as 7.1E-1.
double HalfUnit(const json::value& v) {
  const std::string text = json::serialize(v);
  const size_t e = text.find_first_of("eE");
  const std::string mantissa = text.substr(0, e);
  const int exponent = e == std::string::npos ? 0 : std::stoi(text.substr(e + 1));
  const size_t point = mantissa.find('.');
  const int decimals = point == std::string::npos ? 0 : int(mantissa.size() - point - 1);
  return std::min(0.005, 0.5 * std::pow(10.0, exponent - decimals));
}

WeightedOutcome RunWeightedAudit(unsigned seed) {
  const auto today = sys_days{2026y / November / 25};
  TestServer server(
      [&](server::ServerConfig& c) { c.now = [today] { return today + hours{12}; }; });
  std::string text = kDefinition;
  text.replace(text.find(R"("id": "audit")"), 13, R"("id": "waudit")");
  text.insert(text.rfind('}'), R"(, "population": {
    "area": {"north": 300, "south": 300, "east": 250, "west": 150},
    "age": {"young": 450, "old": 550}})");
  auto parsed = survey::ParseSurvey(text);
  EXPECT_TRUE(parsed.has_value()) << parsed.error();
  const survey::Survey definition = *parsed;
  EXPECT_FALSE(server.catalog().Put(server.store(), std::move(*parsed)));
  std::mt19937 rng(seed);
  std::discrete_distribution<int> trust({5, 3, 4, 1}), area({3, 3, 2, 1, 1}), age({4, 3, 1});
  std::uniform_int_distribution<int> month(0, 21), burst(1, 9);
  const char* trusts[] = {"agree", "neither", "disagree", "dk"};
  const char* areas[] = {"north", "south", "east", "west", "pn"};
  const char* ages[] = {"young", "old", "pn"};
  struct Person {
    std::string month;
    int trust, area, age;
  };
  std::vector<Person> people;
  for (int i = 0; i < 160; ++i) {
    const int m = month(rng);
    char period[16];
    std::snprintf(period, sizeof period, "%04d-%02d", 2025 + m / 12, m % 12 + 1);
    const Person p{period, trust(rng), area(rng), age(rng)};
    for (int j = burst(rng); j > 0; --j) {
      people.push_back(p);
      server.indexes().Add(
          definition, p.month, "",
          {{"trust", trusts[p.trust]}, {"area", areas[p.area]}, {"age", ages[p.age]}});
    }
  }
  EXPECT_EQ(server.WaitForRelease("waudit").status, 200);
  HttpClient client = server.Client();
  auto in_period = [](const std::string& m, const std::string& period) {
    const size_t slash = period.find('/');
    if (slash != std::string::npos)
      return m >= period.substr(0, slash) && m <= period.substr(slash + 1);
    return stats::QuarterOf(m) == period;
  };
  const std::vector<stats::Margin> margins = {{{300, 300, 250, 150}}, {{450, 550}}};
  const std::vector<std::string> area_names = {"north", "south", "east", "west", "not_stated"};
  const std::vector<std::string> age_names = {"young", "old", "not_stated"};
  constexpr int kAreas = 5, kAges = 3, kCells = kAreas * kAges;
  WeightedOutcome out;
  for (const char* level : {"quarter", "rolling"}) {
    auto results = [&](const std::string& by) {
      return json::parse(Get(client, std::string("/api/surveys/waudit/results?period=") + level +
                                         (by.empty() ? "" : "&by=" + by)));
    };
    const json::value whole = results(""), by_area = results("area"), by_age = results("age");
    for (const json::value& period_value : by_area.at("periods").as_array()) {
      const std::string period(period_value.as_string());
      // The attacker's knowledge: each base respondent's weight, and so how many of the base
      // are in each area by age cell and the cell's weight (raking gives alike respondents the
      // same weight).
      std::vector<const Person*> in;
      for (const Person& p : people)
        if (in_period(p.month, period)) in.push_back(&p);
      std::vector<std::vector<int>> g(2);
      for (const Person* p : in) {
        g[0].push_back(p->area == 4 ? stats::kNoGroup : p->area);
        g[1].push_back(p->age == 2 ? stats::kNoGroup : p->age);
      }
      const stats::RakingResult raked = stats::Rake(g, margins, in.size());
      std::vector<int> n(kCells, 0), truth(kCells, 0);
      std::vector<double> weight(kCells, 0);
      for (size_t i = 0; i < in.size(); ++i) {
        if (in[i]->trust == 3) continue;  // don't know: outside the base
        const int cell = in[i]->area * kAges + std::min(in[i]->age, 2);
        if (n[cell] > 0) {
          EXPECT_NEAR(weight[cell], raked.weights[i], 1e-9 * weight[cell]);
        }
        weight[cell] = raked.weights[i];
        ++n[cell];
        truth[cell] += in[i]->trust == 0;
      }
      // Every published figure of the period, as relations over the cells' positive counts:
      // unweighted counts exactly, weighted shares and gaps to their rounding.
      struct Relation {
        std::vector<double> coef;
        double lo, hi;
      };
      std::vector<Relation> relations;
      auto members = [&](bool is_area, int group) {
        std::vector<int> cells;
        for (int c = 0; c < kCells; ++c)
          if ((is_area ? c / kAges : c % kAges) == group) cells.push_back(c);
        return cells;
      };
      auto weighted_base = [&](const std::vector<int>& cells) {
        double w = 0;
        for (int c : cells) w += weight[c] * n[c];
        return w;
      };
      auto add_figures = [&](const json::object& row, const std::vector<int>& cells) {
        std::vector<double> ones(kCells, 0), weights(kCells, 0);
        for (int c : cells) ones[c] = 1, weights[c] = weight[c];
        if (row.at("positive").is_number()) {
          const double v = row.at("positive").to_number<double>();
          relations.push_back({ones, v, v});
        }
        const json::value& ws = row.at("weighted").at("share");
        if (!ws.is_null()) {
          const double w = weighted_base(cells), share = ws.to_number<double>(), e = HalfUnit(ws);
          relations.push_back({weights, w * (share - e) - 1e-9, w * (share + e) + 1e-9});
        }
      };
      std::vector<int> everyone(kCells);
      for (int c = 0; c < kCells; ++c) everyone[c] = c;
      for (const json::value& row : whole.at("measures").at(0).at("rows").as_array())
        if (row.at("period") == period.c_str()) add_figures(row.as_object(), everyone);
      struct Withheld {
        std::string name;
        std::vector<int> cells;
      };
      std::vector<Withheld> withheld;
      for (const bool is_area : {true, false}) {
        const json::value& v = is_area ? by_area : by_age;
        const std::vector<std::string>& names = is_area ? area_names : age_names;
        std::map<std::string, json::object> rows;
        for (const json::value& row : v.at("measures").at(0).at("rows").as_array())
          if (row.at("period") == period.c_str())
            rows[std::string(row.at("group").as_string())] = row.as_object();
        std::vector<int> stated;
        for (int h = 0; h + 1 < static_cast<int>(names.size()); ++h)
          for (int c : members(is_area, h)) stated.push_back(c);
        for (int h = 0; h < static_cast<int>(names.size()); ++h) {
          const std::string& name = names[static_cast<size_t>(h)];
          if (!rows.contains(name)) continue;
          const json::object& row = rows[name];
          const std::vector<int> cells = members(is_area, h);
          add_figures(row, cells);
          if (!row.at("positive").is_number()) withheld.push_back({name, cells});
          // P_h / W_h - others' P / others' W = gap, to its rounding.
          const json::value* gap = row.at("weighted").as_object().if_contains("gap");
          if (!gap || gap->is_null()) continue;
          const double mine = weighted_base(cells), others = weighted_base(stated) - mine;
          if (mine <= 0 || others <= 0) continue;
          std::vector<double> coef(kCells, 0);
          for (int c : stated) coef[c] = -weight[c] / others;
          for (int c : cells) coef[c] = weight[c] / mine;
          const double d = gap->at("difference").to_number<double>();
          const double e = HalfUnit(gap->at("difference"));
          relations.push_back({coef, d - e - 1e-9, d + e + 1e-9});
        }
      }
      // A linear program over the cells' positive counts: the least and the most each
      // withheld group's count can be, given everything published of the period together
      // (rounded inwards to whole people; an integer program would be tighter still, but
      // GLPK's branch and bound does not finish on these narrow weighted rows).
      glp_prob* lp = glp_create_prob();
      glp_add_cols(lp, kCells);
      for (int c = 0; c < kCells; ++c)
        glp_set_col_bnds(lp, c + 1, n[c] > 0 ? GLP_DB : GLP_FX, 0, n[c]);
      std::vector<int> ia = {0}, ja = {0};
      std::vector<double> ar = {0};
      for (const Relation& r : relations) {
        const int row = glp_add_rows(lp, 1);
        glp_set_row_bnds(lp, row, r.lo < r.hi ? GLP_DB : GLP_FX, r.lo, std::max(r.lo, r.hi));
        for (int c = 0; c < kCells; ++c)
          if (r.coef[c] != 0) ia.push_back(row), ja.push_back(c + 1), ar.push_back(r.coef[c]);
      }
      glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
      glp_smcp params;
      glp_init_smcp(&params);
      params.msg_lev = GLP_MSG_OFF;
      for (const Withheld& w : withheld) {
        int people_in = 0, true_count = 0;
        for (int c : w.cells) people_in += n[c], true_count += truth[c];
        // A group with no respondent in the base: the weights the test hands the attacker
        // already say so, with or without any published figure (the public does not know
        // them), so the published figures cannot be what pins it.
        if (people_in == 0) {
          ++out.empty_groups;
          continue;
        }
        auto bound = [&](int dir) {
          for (int c = 0; c < kCells; ++c)
            glp_set_obj_coef(lp, c + 1,
                             std::find(w.cells.begin(), w.cells.end(), c) != w.cells.end() ? 1 : 0);
          glp_set_obj_dir(lp, dir);
          EXPECT_EQ(glp_simplex(lp, &params), 0);
          EXPECT_EQ(glp_get_status(lp), GLP_OPT) << "the truth satisfies every figure";
          const double v = glp_get_obj_val(lp);
          return static_cast<int>(dir == GLP_MIN ? std::ceil(v - 1e-6) : std::floor(v + 1e-6));
        };
        const int lo = bound(GLP_MIN), hi = bound(GLP_MAX);
        EXPECT_LE(lo, true_count);
        EXPECT_GE(hi, true_count);
        ++out.withheld;
        if (lo == hi) {
          ++out.pinned;
          ADD_FAILURE() << level << " " << period << " " << w.name
                        << ": the published figures pin its positive count to " << true_count;
        }
        if (lo == 0 && hi >= static_cast<int>(kThreshold)) ++out.keeps_standard;
      }
      glp_delete_prob(lp);
    }
  }
  glp_free_env();
  return out;
}

TEST(AuditTest, WeightedSharesRecoverNoWithheldCount) {
  int withheld = 0;
  for (unsigned seed : {21u, 22u, 23u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const WeightedOutcome o = RunWeightedAudit(seed);
    withheld += o.withheld;
    EXPECT_EQ(o.pinned, 0);
    std::cout << "[ weighted ] seed " << seed << ": " << o.withheld << " withheld positive counts, "
              << o.pinned << " pinned by the weighted figures, " << o.keeps_standard
              << " still able to be 0 and at least " << kThreshold << " (and " << o.empty_groups
              << " groups with nobody in the base, left out)\n";
  }
  EXPECT_GT(withheld, 10);  // the data really has withheld group counts to attack
}

}  // namespace
}  // namespace candour::testing
