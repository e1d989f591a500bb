// The auditor: collects every figure the service publishes for a survey over HTTP, then asks
// a linear-programming solver (GLPK, independently of the service's own code) whether any
// suppressed figure can be narrowed: each must still be able to be 0 and to be at least the
// threshold given all published figures together. It must also catch a broken suppressor.
#include <glpk.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "survey/stored_response.h"
#include "survey/submission.h"
#include "tests/csv_reader.h"
#include "tests/test_server.h"

namespace candour::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono;

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
  Auditor(std::map<std::string, Question> questions, std::vector<std::string> months,
          std::map<std::string, std::vector<std::string>> groups)
      : questions_(std::move(questions)), months_(std::move(months)), groups_(std::move(groups)) {}

  // What a withheld figure must keep uncertain, judged from the true data: a count of 1 to 9
  // must be able to be 0 and to be >= 10; a zero withheld because its row answered unanimously
  // must be able to be >= 10. Other withheld figures (complements) carry no requirement.
  enum class Need { kNone, kZeroOrLarge, kLarge };
  using NeedFn = std::function<Need(const Published&)>;

  // Number of sensitive withheld figures that the published ones pin below the standard.
  int Violations(const std::vector<Published>& figures, const NeedFn& need) {
    int violations = 0;
    for (const auto& [qid, q] : questions_) {
      std::vector<const Published*> mine;
      for (const Published& f : figures) {
        if (f.question == qid) mine.push_back(&f);
      }
      violations += Audit(qid, q, mine, need);
    }
    return violations;
  }

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

 private:
  int Audit(const std::string& qid, const Question& q, const std::vector<const Published*>& figures,
            const NeedFn& need_of) {
    glp_prob* lp = glp_create_prob();
    std::map<std::string, int> columns;
    auto column = [&](const std::string& name) {
      auto [it, added] = columns.emplace(name, 0);
      if (added) {
        it->second = glp_add_cols(lp, 1);
        glp_set_col_bnds(lp, it->second, GLP_LO, 0, 0);
      }
      return it->second;
    };
    std::vector<int> ia = {0}, ja = {0};
    std::vector<double> ar = {0};
    auto row = [&](const std::map<int, double>& terms, double rhs) {
      const int r = glp_add_rows(lp, 1);
      glp_set_row_bnds(lp, r, GLP_FX, rhs, rhs);
      for (const auto& [c, a] : terms) ia.push_back(r), ja.push_back(c), ar.push_back(a);
    };
    auto cell = [&](const std::string& dim, const std::string& group, const std::string& month,
                    const std::string& option) {
      return column(dim + "/" + group + "/" + month + "/" + option);
    };
    // Each dimension's groups split the whole population's cells.
    for (const auto& [dim, groups] : groups_) {
      if (dim == qid || dim.find('*') != std::string::npos) continue;
      for (const std::string& m : months_) {
        for (const std::string& o : q.options) {
          std::map<int, double> terms{{cell("", "", m, o), -1.0}};
          for (const std::string& g : groups) terms[cell(dim, g, m, o)] += 1.0;
          row(terms, 0);
        }
      }
    }
    // A cross-tab's cells split each margin's groups.
    for (const auto& [dim, groups] : groups_) {
      const size_t star = dim.find('*');
      if (star == std::string::npos) continue;
      const std::string a = dim.substr(0, star), b = dim.substr(star + 1);
      for (const std::string& m : months_) {
        for (const std::string& o : q.options) {
          for (const std::string& ga : groups_.at(a)) {
            std::map<int, double> terms{{cell(a, ga, m, o), -1.0}};
            for (const std::string& gb : groups_.at(b))
              terms[cell(dim, ga + "*" + gb, m, o)] += 1.0;
            row(terms, 0);
          }
          for (const std::string& gb : groups_.at(b)) {
            std::map<int, double> terms{{cell(b, gb, m, o), -1.0}};
            for (const std::string& ga : groups_.at(a))
              terms[cell(dim, ga + "*" + gb, m, o)] += 1.0;
            row(terms, 0);
          }
        }
      }
    }
    auto terms_of = [&](const Published& f) {
      std::map<int, double> terms;
      for (const std::string& m : MonthsOf(f.period)) {
        for (const std::string& o : f.options) terms[cell(f.dim, f.group, m, o)] += 1.0;
      }
      return terms;
    };
    for (const Published* f : figures) {
      if (f->value) row(terms_of(*f), static_cast<double>(*f->value));
    }
    glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
    glp_smcp params;
    glp_init_smcp(&params);
    params.msg_lev = GLP_MSG_OFF;
    auto optimise = [&](const std::map<int, double>& objective, int dir) {
      for (const auto& [c, a] : objective) glp_set_obj_coef(lp, c, a);
      glp_set_obj_dir(lp, dir);
      EXPECT_EQ(glp_simplex(lp, &params), 0);
      const bool unbounded = glp_get_status(lp) == GLP_UNBND;
      const double v = glp_get_obj_val(lp);
      for (const auto& [c, a] : objective) glp_set_obj_coef(lp, c, 0);
      return unbounded ? INFINITY : v;
    };
    int violations = 0;
    for (const Published* f : figures) {
      const Need need = f->value ? Need::kNone : need_of(*f);
      if (need == Need::kNone) continue;
      ++audited_;
      const auto objective = terms_of(*f);
      const double low = need == Need::kLarge ? 0.0 : optimise(objective, GLP_MIN);
      const double high = optimise(objective, GLP_MAX);
      if (low > 1e-6 || high < static_cast<double>(kThreshold) - 1e-6) {
        ++violations;
        if (!audit_failures_expected_) {
          ADD_FAILURE() << qid << " " << f->dim << "/" << f->group << " " << f->period
                        << " can only be in [" << low << ", " << high << "]";
        }
      }
    }
    glp_delete_prob(lp);
    glp_free_env();  // GLPK keeps an environment per thread; free it with the last problem
    return violations;
  }

 public:
  bool audit_failures_expected_ = false;
  int audited_ = 0;

 private:
  std::map<std::string, Question> questions_;
  std::vector<std::string> months_;
  std::map<std::string, std::vector<std::string>> groups_;
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
  const Question& trust = qs.at("trust");
  const std::set<std::string> base = {"agree", "neither", "disagree"};
  const std::map<std::string, std::set<std::string>> measure_sets = {
      {"positive", {"agree"}}, {"negative", {"neither", "disagree"}}, {"base", base}};
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
      for (const json::value& p : v.at("periods").as_array()) months->emplace_back(p.as_string());
    }
    const std::string by = v.at("by").is_null() ? "" : std::string(v.at("by").as_string());
    for (const json::value& row : v.at("measures").as_array()[0].at("rows").as_array()) {
      const std::string group(row.at("group").as_string());
      for (const auto& [figure, options] : measure_sets) {
        add({"trust", group == "all" ? "" : by, group == "all" ? "" : group,
             std::string(row.at("period").as_string()), options, value_of(row.at(figure))});
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
  (void)trust;
  std::vector<Published> out;
  for (auto& [k, p] : by_key) out.push_back(std::move(p));
  return out;
}

struct Outcome {
  int violations = 0;
  size_t suppressed = 0;
};

Outcome RunAudit(unsigned seed, bool secondary_suppression) {
  TestServer server([&](server::ServerConfig& c) {
    c.now = [] { return sys_days{2026y / November / 25} + hours{12}; };
    c.release_options.secondary_suppression = secondary_suppression;
  });
  auto survey = survey::ParseSurvey(kDefinition);
  EXPECT_TRUE(survey.has_value()) << survey.error();
  const survey::Survey definition = *survey;
  EXPECT_FALSE(server.catalog().Put(server.store(), std::move(*survey)));

  // Many small cells: a few hundred responses over 18 months, in bursts.
  std::mt19937 rng(seed);
  std::discrete_distribution<int> trust({5, 3, 4, 1}), area({3, 3, 2, 1, 1}), age({4, 3, 1});
  std::uniform_int_distribution<int> month(0, 17), burst(1, 9);
  const char* trusts[] = {"agree", "neither", "disagree", "dk"};
  const char* areas[] = {"north", "south", "east", "west", "pn"};
  const char* ages[] = {"young", "old", "pn"};
  std::vector<std::string> plaintexts;
  struct Row {
    std::string month;
    std::map<std::string, std::string> answers;
    int n;
  };
  std::vector<Row> rows;
  for (int i = 0; i < 110; ++i) {
    const int m = month(rng);
    char period[16];
    std::snprintf(period, sizeof period, "%04d-%02d", 2025 + m / 12, m % 12 + 1);
    survey::Submission s;
    s.answers = {{"trust", std::string(trusts[trust(rng)])},
                 {"area", std::string(areas[area(rng)])},
                 {"age", std::string(ages[age(rng)])}};
    const int n = burst(rng);
    rows.push_back({period, {}, n});
    for (const auto& [k, v] : s.answers) rows.back().answers[k] = std::get<std::string>(v);
    for (int j = 0; j < n; ++j) {
      plaintexts.push_back(survey::EncodeStored(definition, s, period));
      server.indexes().Add(definition, period, "", s.answers);
    }
  }
  EXPECT_FALSE(server.store().PutResponses("audit", plaintexts));

  const std::map<std::string, Question> questions = {
      {"trust", {{"agree", "neither", "disagree", "dk"}, {"dk"}, {"agree"}}},
      {"area", {{"north", "south", "east", "west", "pn"}, {"pn"}, {}}},
      {"age", {{"young", "old", "pn"}, {"pn"}, {}}}};
  // Built before the auditor collects (a first request only queues the build).
  EXPECT_EQ(server.WaitForRelease("audit").status, 200);
  HttpClient client = server.Client();
  std::vector<std::string> months;
  int inconsistent = 0;
  const std::vector<Published> figures =
      CollectEverything(client, questions, &months, &inconsistent);
  Outcome outcome;
  for (const Published& f : figures) outcome.suppressed += !f.value;
  std::map<std::string, std::vector<std::string>> groups = {
      {"area", {"north", "south", "east", "west", "not_stated"}},
      {"age", {"young", "old", "not_stated"}}};
  for (const std::string& a : groups["area"]) {
    for (const std::string& b : groups["age"]) groups["area*age"].push_back(a + "*" + b);
  }
  Auditor auditor(questions, months, groups);
  auditor.audit_failures_expected_ = !secondary_suppression;
  // True values, from the generated data (the test knows it; the public does not).
  auto truth = [&](const std::string& qid, const std::string& dim, const std::string& group,
                   const std::string& period, const std::set<std::string>& options) {
    const auto in_period = auditor.MonthsOf(period);
    uint64_t total = 0;
    for (const Row& r : rows) {
      if (std::find(in_period.begin(), in_period.end(), r.month) == in_period.end()) continue;
      if (!options.contains(r.answers.at(qid))) continue;
      auto group_of = [&](const std::string& d) {
        const std::string& g = r.answers.at(d);
        return g == "pn" ? std::string("not_stated") : g;
      };
      if (dim == "area*age") {
        if (group_of("area") + "*" + group_of("age") != group) continue;
      } else if (!dim.empty() && group_of(dim) != group) {
        continue;
      }
      total += static_cast<uint64_t>(r.n);
    }
    return total;
  };
  auto unanimous = [&](const Published& f, const std::vector<std::set<std::string>>& parts) {
    uint64_t total = 0, nonzero = 0;
    bool member = false;
    for (const auto& part : parts) {
      const uint64_t v = truth(f.question, f.dim, f.group, f.period, part);
      total += v;
      nonzero += v > 0;
      member = member || part == f.options;
    }
    return member && total > 0 && nonzero == 1;
  };
  auto need = [&](const Published& f) {
    const uint64_t v = truth(f.question, f.dim, f.group, f.period, f.options);
    if (v > 0 && v < kThreshold) return Auditor::Need::kZeroOrLarge;
    if (v > 0) return Auditor::Need::kNone;
    std::vector<std::set<std::string>> options;
    for (const std::string& o : questions.at(f.question).options) options.push_back({o});
    const std::vector<std::set<std::string>> measure = {{"agree"}, {"neither", "disagree"}};
    const bool sensitive = (f.dim.empty() && unanimous(f, options)) ||
                           (f.question == "trust" && unanimous(f, measure));
    return sensitive ? Auditor::Need::kLarge : Auditor::Need::kNone;
  };
  // Every published figure is the true count, computed here independently of the service.
  for (const Published& f : figures) {
    if (f.value) {
      EXPECT_EQ(*f.value, truth(f.question, f.dim, f.group, f.period, f.options))
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
  for (const json::value& row : view.at("measures").as_array()[0].at("rows").as_array()) {
    for (const char* figure : {"positive", "negative", "base"}) {
      const json::value& f = row.at(figure);
      const std::vector<std::string> expected{
          "measure",
          "trusting",
          std::string(row.at("period").as_string()),
          std::string(row.at("group").as_string()),
          figure,
          f.is_object() ? "" : json::serialize(f),
          f.is_object() ? std::string(f.at("suppressed").as_string()) : ""};
      EXPECT_NE(std::find(table.rows.begin(), table.rows.end(), expected), table.rows.end())
          << expected[2] << " " << expected[3] << " " << figure;
      ++csv_rows;
    }
  }
  EXPECT_GT(csv_rows, 0u);
  const int pinned = auditor.Violations(figures, need);
  outcome.violations = pinned + inconsistent;
  std::cout << "[ figures  ] seed " << seed << (secondary_suppression ? "" : " (broken suppressor)")
            << ": " << figures.size() << " figures, " << outcome.suppressed << " suppressed, "
            << auditor.audited_ << " sensitive, " << pinned << " pinned below the standard, "
            << inconsistent << " inconsistent\n";
  return outcome;
}

TEST(AuditTest, NoPublishedCombinationNarrowsASuppressedFigure) {
  for (unsigned seed : {11u, 12u, 13u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Outcome o = RunAudit(seed, true);
    EXPECT_GT(o.suppressed, 20u);  // the data really has many small cells
    EXPECT_EQ(o.violations, 0);
  }
}

TEST(AuditTest, CatchesABrokenSuppressor) {
  const Outcome o = RunAudit(11, false);
  EXPECT_GT(o.suppressed, 20u);
  EXPECT_GT(o.violations, 0);
}

}  // namespace
}  // namespace candour::testing
