#include "survey/survey.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <set>
#include <span>

#include "stats/release.h"
#include "survey/submission.h"
#include "survey/text_codec.h"

namespace candour::survey {
namespace {

namespace json = boost::json;
using Error = std::string;

bool Matches(std::string_view s, size_t max_len, bool (*ok)(char)) {
  if (s.empty() || s.size() > max_len) return false;
  for (char c : s) {
    if (!ok(c)) return false;
  }
  return true;
}
bool LowerDigitDash(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }
bool NameChar(char c) { return LowerDigitDash(c) || c == '_'; }
bool UpperNameChar(char c) { return NameChar(c) || (c >= 'A' && c <= 'Z'); }
bool Lower(char c) { return c >= 'a' && c <= 'z'; }

// "2027-03-31" as a date, or nullopt if it is not a real one in that form.
std::optional<std::chrono::year_month_day> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  for (size_t i = 0; i < 10; ++i) {
    if (i == 4 || i == 7) continue;
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    int& part = i < 4 ? y : i < 7 ? m : d;
    part = part * 10 + (text[i] - '0');
  }
  const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(unsigned(m)),
                                         std::chrono::day(unsigned(d))};
  if (!date.ok()) return std::nullopt;
  return date;
}

// Names the release and the results views use beside ids: an option "base" or "total" would
// be published as the base or total of its question (stats/release.cc), a dimension option
// "all" or "not_stated" as the whole survey or the not-stated group (stats/release.h).
constexpr std::string_view kResultNames[] = {"base", "total", "all", stats::kNotStated};
// Fields of every submission beside the answers (survey/submission.cc, survey/import.cc): a
// question with one of these ids could never be answered by the form or a CSV import.
constexpr std::string_view kSubmissionFields[] = {"src", "lang", "code", "period"};
// About ten years: longer would hold figures back for good.
constexpr int64_t kMaxGraceDays = 3660;

// An id: 1-32 of a-z, 0-9, '_' and '-' (and A-Z where `upper`), starting with a letter or
// digit, and none of `reserved`. Returns the error for `field`, or empty.
Error CheckId(const std::string& field, std::string_view id, bool upper,
              std::initializer_list<std::span<const std::string_view>> reserved) {
  if (!Matches(id, 32, upper ? UpperNameChar : NameChar) || id.front() == '_' ||
      id.front() == '-') {
    return field +
           (upper ? ": expected 1-32 of A-Z, a-z, 0-9, _ and -"
                  : ": expected 1-32 of a-z, 0-9, _ and -") +
           ", starting with a letter or digit";
  }
  for (std::span<const std::string_view> words : reserved) {
    for (std::string_view word : words) {
      if (id == word) return field + ": \"" + std::string(id) + "\" is reserved";
    }
  }
  return "";
}

// Reads one definition; each step returns an error message naming the field, or empty.
class Reader {
 public:
  Error ReadSurvey(const json::object& o, Survey* s) {
    if (Error e =
            KnownKeys(o, "",
                      {"id", "version", "languages", "title", "intro", "period", "open",
                       "public_results", "force_name", "groups", "questions", "measures",
                       "suppression", "crosstabs", "demo", "requires_code", "rate_limit",
                       "grace_days", "population", "population_source", "weight_cap", "sources",
                       // What a poster says besides the survey's own texts
                       "contact", "closes", "opens"});
        !e.empty())
      return e;
    if (Error e = String(o, "id", "", &s->id); !e.empty()) return e;
    if (!IsValidSurveyId(s->id)) return "id: expected 1-64 of a-z, 0-9, '-'";
    if (const json::value* v = o.if_contains("version")) {
      if (!v->is_int64() || v->as_int64() < 1) return "version: expected a positive integer";
      s->version = v->as_int64();
    }
    const json::array* langs = ArrayAt(o, "languages");
    if (!langs || langs->empty()) return "languages: expected a non-empty array of language codes";
    for (size_t i = 0; i < langs->size(); ++i) {
      const json::string* l = (*langs)[i].if_string();
      if (!l || !Matches(*l, 3, Lower) || l->size() < 2) {
        return "languages[" + std::to_string(i) + "]: expected a 2-3 letter language code";
      }
      s->languages.emplace_back(*l);
    }
    languages_front_ = s->languages.front();
    if (Error e = TextAt(o, "title", "", &s->title, true); !e.empty()) return e;
    if (Error e = TextAt(o, "intro", "", &s->intro, false); !e.empty()) return e;
    if (const json::value* v = o.if_contains("period")) {
      const auto kind = v->is_string() ? stats::ParsePeriodKind(v->get_string()) : std::nullopt;
      if (!kind) return "period: expected \"week\" or \"month\"";
      s->period = *kind;
    }
    if (Error e = Bool(o, "open", "", &s->open); !e.empty()) return e;
    if (Error e = Bool(o, "public_results", "", &s->public_results); !e.empty()) return e;
    if (Error e = Bool(o, "demo", "", &s->demo); !e.empty()) return e;
    if (Error e = Bool(o, "requires_code", "", &s->requires_code); !e.empty()) return e;
    if (Error e = ReadRateLimit(o, s); !e.empty()) return e;
    if (Error e = ReadSuppression(o, s); !e.empty()) return e;
    if (const json::value* v = o.if_contains("grace_days")) {
      if (!v->is_int64() || v->as_int64() < 0 || v->as_int64() > kMaxGraceDays) {
        return "grace_days: expected an integer from 0 to " + std::to_string(kMaxGraceDays);
      }
      s->grace_days = static_cast<int>(v->as_int64());
    }
    if (Error e = ReadGroups(o, s); !e.empty()) return e;
    if (Error e = ReadQuestions(o, s); !e.empty()) return e;
    if (Error e = ReadMeasures(o, s); !e.empty()) return e;
    if (Error e = ReadSources(o, s); !e.empty()) return e;
    if (Error e = ReadPosterFacts(o, s); !e.empty()) return e;
    if (Error e = ReadCrosstabs(o, s); !e.empty()) return e;
    if (Error e = ReadPopulation(o, s); !e.empty()) return e;
    // Where the margins come from, in the survey's languages (shown in the method note).
    if (Error e = TextAt(o, "population_source", "", &s->population_source, false); !e.empty())
      return e;
    if (o.contains("population_source") && s->population.empty())
      return "population_source: given without \"population\"";
    if (const json::value* v = o.if_contains("weight_cap")) {
      if (s->population.empty()) return "weight_cap: given without \"population\"";
      const double cap = v->is_number() ? v->to_number<double>() : 0;
      if (!v->is_number() || !(cap > 1 && cap <= 100)) {
        return "weight_cap: expected a number above 1 and at most 100 (the largest weight, in "
               "times the mean weight; default 5)";
      }
      s->weight_cap = cap;
    }
    return "";
  }

 private:
  Error KnownKeys(const json::object& o, const std::string& where,
                  std::initializer_list<std::string_view> allowed) {
    for (const auto& kv : o) {
      bool known = false;
      for (std::string_view a : allowed) known = known || kv.key() == a;
      if (!known) return where + std::string(kv.key()) + ": unknown field";
    }
    return "";
  }
  const json::array* ArrayAt(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v ? v->if_array() : nullptr;
  }
  Error String(const json::object& o, std::string_view key, const std::string& where,
               std::string* out) {
    const json::value* v = o.if_contains(key);
    if (!v || !v->is_string()) return where + std::string(key) + ": expected a string";
    *out = v->get_string();
    return "";
  }
  Error Bool(const json::object& o, std::string_view key, const std::string& where, bool* out) {
    const json::value* v = o.if_contains(key);
    if (!v) return "";
    if (!v->is_bool()) return where + std::string(key) + ": expected true or false";
    *out = v->get_bool();
    return "";
  }
  // A text object {"en": "...", ...}; the survey's first language must be present if required.
  Error TextAt(const json::object& o, std::string_view key, const std::string& where, Text* out,
               bool required) {
    const std::string field = where + std::string(key);
    const json::value* v = o.if_contains(key);
    if (!v) return required ? field + ": expected an object of texts by language" : "";
    const json::object* texts = v->if_object();
    if (!texts) return field + ": expected an object of texts by language, e.g. {\"en\": \"...\"}";
    std::map<std::string, std::string> by_lang;
    for (const auto& kv : *texts) {
      if (!kv.value().is_string())
        return field + "." + std::string(kv.key()) + ": expected a string";
      by_lang.emplace(std::string(kv.key()), std::string(kv.value().get_string()));
    }
    if (required && !by_lang.contains(languages_front_)) {
      return field + ": missing the text in \"" + languages_front_ + "\"";
    }
    *out = Text(std::move(by_lang));
    return "";
  }

  Error ReadRateLimit(const json::object& o, Survey* s) {
    const json::value* v = o.if_contains("rate_limit");
    if (!v) return "";
    const json::object* limit = v->if_object();
    if (!limit) return "rate_limit: expected an object with \"per_hour\"";
    if (Error e = KnownKeys(*limit, "rate_limit.", {"per_hour"}); !e.empty()) return e;
    const json::value* n = limit->if_contains("per_hour");
    if (!n || !n->is_int64() || n->as_int64() < 1 || n->as_int64() > 1'000'000) {
      return "rate_limit.per_hour: expected an integer from 1 to 1000000";
    }
    s->rate_limit_per_hour = static_cast<uint64_t>(n->as_int64());
    return "";
  }

  Error ReadSuppression(const json::object& o, Survey* s) {
    const json::value* v = o.if_contains("suppression");
    if (!v) return "";
    const json::object* sup = v->if_object();
    if (!sup) return "suppression: expected an object with \"threshold\" and \"min_base\"";
    if (Error e = KnownKeys(*sup, "suppression.", {"threshold", "min_base"}); !e.empty()) return e;
    if (const json::value* t = sup->if_contains("threshold")) {
      // Lower than 10 is not allowed: the service promises residents at least that.
      if (!t->is_int64() || t->as_int64() < 10 || t->as_int64() > 1000) {
        return "suppression.threshold: expected an integer from 10 to 1000";
      }
      s->threshold = static_cast<uint64_t>(t->as_int64());
    }
    if (const json::value* b = sup->if_contains("min_base")) {
      if (!b->is_int64() || b->as_int64() < static_cast<int64_t>(s->threshold) ||
          b->as_int64() > 100000) {
        return "suppression.min_base: expected an integer from the threshold to 100000";
      }
      s->min_base = static_cast<uint64_t>(b->as_int64());
    }
    return "";
  }

  Error ReadGroups(const json::object& o, Survey* s) {
    const json::value* v = o.if_contains("groups");
    if (!v) return "";
    if (!v->is_array()) return "groups: expected an array";
    for (size_t i = 0; i < v->get_array().size(); ++i) {
      const std::string where = "groups[" + std::to_string(i) + "].";
      const json::object* g = v->get_array()[i].if_object();
      if (!g) return where + ": expected an object";
      Group group;
      if (Error e = String(*g, "id", where, &group.id); !e.empty()) return e;
      if (Error e = CheckId(where + "id", group.id, true, {kResultNames}); !e.empty()) return e;
      if (s->FindGroup(group.id)) return where + "id: duplicate group id";
      if (Error e = TextAt(*g, "text", where, &group.text, true); !e.empty()) return e;
      s->groups.push_back(std::move(group));
    }
    return "";
  }

  Error ReadQuestions(const json::object& o, Survey* s) {
    const json::array* qs = ArrayAt(o, "questions");
    if (!qs || qs->empty()) return "questions: expected a non-empty array";
    std::set<std::string> ids;
    for (size_t i = 0; i < qs->size(); ++i) {
      const std::string where = "questions[" + std::to_string(i) + "].";
      const json::object* q = (*qs)[i].if_object();
      if (!q) return "questions[" + std::to_string(i) + "]: expected an object";
      Question question;
      if (Error e = ReadQuestion(*q, where, *s, &question); !e.empty()) return e;
      if (!ids.insert(question.id).second) return where + "id: duplicate question id";
      s->questions.push_back(std::move(question));
    }
    return "";
  }

  Error ReadQuestion(const json::object& q, const std::string& where, const Survey& s,
                     Question* out) {
    if (Error e = KnownKeys(q, where,
                            {"id", "type", "text", "short", "group", "dimension", "options", "min",
                             "max", "max_length", "when"});
        !e.empty())
      return e;
    if (Error e = String(q, "id", where, &out->id); !e.empty()) return e;
    if (Error e = CheckId(where + "id", out->id, true, {kResultNames, kSubmissionFields});
        !e.empty())
      return e;
    std::string type;
    if (Error e = String(q, "type", where, &type); !e.empty()) return e;
    if (type == "single")
      out->type = QuestionType::kSingle;
    else if (type == "multi")
      out->type = QuestionType::kMulti;
    else if (type == "scale")
      out->type = QuestionType::kScale;
    else if (type == "text")
      out->type = QuestionType::kText;
    else
      return where + "type: expected \"single\", \"multi\", \"scale\" or \"text\"";
    if (Error e = TextAt(q, "text", where, &out->text, true); !e.empty()) return e;
    if (Error e = TextAt(q, "short", where, &out->short_text, false); !e.empty()) return e;
    if (q.contains("group")) {
      if (Error e = String(q, "group", where, &out->group); !e.empty()) return e;
      if (!s.FindGroup(out->group)) return where + "group: no group with this id in \"groups\"";
    }
    if (Error e = Bool(q, "dimension", where, &out->dimension); !e.empty()) return e;
    if (Error e = ReadCondition(q, where, s, out); !e.empty()) return e;
    const bool choice = out->type == QuestionType::kSingle || out->type == QuestionType::kMulti;
    if (choice != q.contains("options")) {
      return where + (choice ? "options: expected a non-empty array for a choice question"
                             : "options: only single and multi questions have options");
    }
    if (choice) return ReadOptions(q, where, out);
    if (out->type == QuestionType::kScale) {
      const json::value* mn = q.if_contains("min");
      const json::value* mx = q.if_contains("max");
      if (!mn || !mx || !mn->is_int64() || !mx->is_int64() || mn->as_int64() >= mx->as_int64() ||
          mn->as_int64() < -1000 || mx->as_int64() > 1000) {
        return where + "min/max: expected integers with -1000 <= min < max <= 1000";
      }
      out->min = mn->as_int64();
      out->max = mx->as_int64();
    }
    if (out->type == QuestionType::kText) {
      if (const json::value* v = q.if_contains("max_length")) {
        if (!v->is_int64() || v->as_int64() < 1 || v->as_int64() > 5000) {
          return where + "max_length: expected an integer from 1 to 5000";
        }
        out->max_length = static_cast<size_t>(v->as_int64());
      }
    }
    return "";
  }

  // "when": {"question": ID, "answers": [OPTION, ...]}. `s` holds the questions before this
  // one: a condition refers to one of them, so conditions never form a chain or a cycle.
  Error ReadCondition(const json::object& q, const std::string& where, const Survey& s,
                      Question* out) {
    const json::value* v = q.if_contains("when");
    if (!v) return "";
    const std::string at = where + "when";
    const json::object* when = v->if_object();
    if (!when) return at + ": expected an object {\"question\": ID, \"answers\": [OPTION, ...]}";
    if (Error e = KnownKeys(*when, at + ".", {"question", "answers"}); !e.empty()) return e;
    if (out->dimension) {
      return at + ": a dimension is asked of everyone (its groups add up to the total), so it " +
             "cannot have a condition";
    }
    Condition c;
    if (Error e = String(*when, "question", at + ".", &c.question); !e.empty()) return e;
    const Question* on = s.FindQuestion(c.question);
    if (c.question == out->id) return at + ".question: a question cannot depend on itself";
    if (!on) {
      return at + ".question: expected the id of an earlier question; there is no \"" +
             c.question.substr(0, 32) + "\" before this one";
    }
    if (on->type != QuestionType::kSingle) {
      return at + ".question: \"" + on->id + "\" is not a single-choice question";
    }
    if (on->when) {
      return at + ".question: \"" + on->id + "\" has a condition of its own; a condition " +
             "refers to a question everyone is asked";
    }
    const json::array* answers = ArrayAt(*when, "answers");
    if (!answers || answers->empty()) {
      return at + ".answers: expected a non-empty array of option ids of \"" + on->id + "\"";
    }
    for (size_t i = 0; i < answers->size(); ++i) {
      const std::string field = at + ".answers[" + std::to_string(i) + "]";
      const json::string* id = (*answers)[i].if_string();
      const int idx = id ? on->OptionIndex(*id) : -1;
      if (idx < 0) return field + ": expected an option id of \"" + on->id + "\"";
      if (on->options[static_cast<size_t>(idx)].missing) {
        return field + ": \"" + std::string(*id) + "\" is marked missing (\"Don't know\", " +
               "\"Prefer not to say\"); a condition names real answers";
      }
      if (std::find(c.answers.begin(), c.answers.end(), *id) != c.answers.end()) {
        return field + ": \"" + std::string(*id) + "\" is given twice";
      }
      c.answers.emplace_back(*id);
    }
    out->when = std::move(c);
    return "";
  }

  Error ReadOptions(const json::object& q, const std::string& where, Question* out) {
    const json::array* opts = ArrayAt(q, "options");
    if (!opts || opts->empty()) return where + "options: expected a non-empty array";
    // Index codes are one byte and multiple-choice answers a 64-bit mask (survey/index_coder.h):
    // answers past the limit would be published as unanswered.
    const size_t limit = out->type == QuestionType::kSingle ? kMaxSingleOptions : kMaxMultiOptions;
    if (opts->size() > limit) {
      return where + "options: \"" + out->id + "\" has " + std::to_string(opts->size()) +
             " options; a " + (out->type == QuestionType::kSingle ? "single" : "multiple") +
             "-choice question has at most " + std::to_string(limit);
    }
    std::set<std::string> ids;
    for (size_t j = 0; j < opts->size(); ++j) {
      const std::string at = where + "options[" + std::to_string(j) + "].";
      const json::object* opt = (*opts)[j].if_object();
      if (!opt) return at + ": expected an object";
      Option option;
      if (Error e = KnownKeys(*opt, at, {"id", "label", "missing"}); !e.empty()) return e;
      if (Error e = String(*opt, "id", at, &option.id); !e.empty()) return e;
      if (Error e = CheckId(at + "id", option.id, false, {kResultNames}); !e.empty()) return e;
      if (!ids.insert(option.id).second) return at + "id: duplicate option id";
      if (Error e = TextAt(*opt, "label", at, &option.label, true); !e.empty()) return e;
      if (Error e = Bool(*opt, "missing", at, &option.missing); !e.empty()) return e;
      out->options.push_back(std::move(option));
    }
    return "";
  }

  Error ReadMeasures(const json::object& o, Survey* s) {
    const json::value* v = o.if_contains("measures");
    if (!v) return "";
    if (!v->is_array()) return "measures: expected an array";
    std::set<std::string> ids;
    for (size_t i = 0; i < v->get_array().size(); ++i) {
      const std::string where = "measures[" + std::to_string(i) + "].";
      const json::object* m = v->get_array()[i].if_object();
      if (!m) return where + ": expected an object";
      Measure measure;
      if (Error e = String(*m, "id", where, &measure.id); !e.empty()) return e;
      if (Error e = CheckId(where + "id", measure.id, false, {kResultNames}); !e.empty()) return e;
      if (!ids.insert(measure.id).second) return where + "id: duplicate measure id";
      if (Error e = String(*m, "question", where, &measure.question); !e.empty()) return e;
      const Question* q = s->FindQuestion(measure.question);
      if (!q || q->type != QuestionType::kSingle) {
        return where + "question: expected the id of a single-choice question";
      }
      const json::array* pos = ArrayAt(*m, "positive");
      if (!pos || pos->empty()) return where + "positive: expected a non-empty array of option ids";
      for (const json::value& p : *pos) {
        const json::string* id = p.if_string();
        const int idx = id ? q->OptionIndex(*id) : -1;
        if (idx < 0 || q->options[static_cast<size_t>(idx)].missing) {
          return where + "positive: expected option ids of \"" + q->id + "\" that are not missing";
        }
        measure.positive.emplace_back(*id);
      }
      const size_t answerable =
          static_cast<size_t>(std::count_if(q->options.begin(), q->options.end(),
                                            [](const Option& option) { return !option.missing; }));
      if (measure.positive.size() >= answerable) {
        return where + "positive: leaves no answer outside it; a measure needs at least one " +
               "option of \"" + q->id + "\" that is neither positive nor missing";
      }
      if (Error e = TextAt(*m, "label", where, &measure.label, true); !e.empty()) return e;
      s->measures.push_back(std::move(measure));
    }
    return "";
  }

  Error ReadSources(const json::object& o, Survey* s) {
    const json::value* v = o.if_contains("sources");
    if (!v) return "";
    const json::array* a = v->if_array();
    if (!a || a->size() > kMaxSources) {
      return "sources: expected an array of at most " + std::to_string(kMaxSources) +
             " objects {\"tag\", \"label\"}";
    }
    for (size_t i = 0; i < a->size(); ++i) {
      const std::string where = "sources[" + std::to_string(i) + "].";
      const json::object* src = (*a)[i].if_object();
      if (!src)
        return "sources[" + std::to_string(i) + "]: expected an object {\"tag\", \"label\"}";
      if (Error e = KnownKeys(*src, where, {"tag", "label"}); !e.empty()) return e;
      Source source;
      const json::string* tag = src->contains("tag") ? src->at("tag").if_string() : nullptr;
      if (!tag || !IsValidSourceTag(*tag)) {
        return where + "tag: expected a source tag of 1-48 of a-z, 0-9 and '-'";
      }
      source.tag = *tag;
      if (source.tag == kOtherSource || source.tag == "none") {
        return where + "tag: \"" + source.tag + "\" is reserved";
      }
      if (s->FindSource(source.tag)) return where + "tag: \"" + source.tag + "\" declared twice";
      const json::string* label = src->contains("label") ? src->at("label").if_string() : nullptr;
      if (!label || label->empty() || label->size() > kMaxSourceLabel) {
        return where + "label: expected a non-empty string of at most " +
               std::to_string(kMaxSourceLabel) + " bytes";
      }
      source.label = *label;
      s->sources.push_back(std::move(source));
    }
    return "";
  }

  // The organisation's name ("force_name"), a contact line and the closing date, for
  // posters. Each optional.
  Error ReadPosterFacts(const json::object& o, Survey* s) {
    auto line = [&](std::string_view key, size_t max, std::string* out) -> Error {
      const json::value* v = o.if_contains(key);
      if (!v) return "";
      const json::string* text = v->if_string();
      if (!text || text->size() > max || !IsValidUtf8(*text)) {
        return std::string(key) + ": expected a string of at most " + std::to_string(max) +
               " bytes";
      }
      *out = *text;
      return "";
    };
    if (Error e = line("force_name", kMaxOrganisationName, &s->organisation); !e.empty()) return e;
    if (Error e = line("contact", kMaxContactLine, &s->contact); !e.empty()) return e;
    for (auto [key, out] : {std::pair{"opens", &s->opens}, std::pair{"closes", &s->closes}}) {
      std::string date;
      if (Error e = line(key, 10, &date); !e.empty()) return e;
      if (date.empty()) continue;
      *out = ParseIsoDate(date);
      if (!*out) return std::string(key) + ": expected a date YYYY-MM-DD";
    }
    if (s->opens && s->closes &&
        std::chrono::sys_days(*s->closes) < std::chrono::sys_days(*s->opens)) {
      return "closes: expected a date on or after \"opens\"";
    }
    return "";
  }

  Error ReadCrosstabs(const json::object& o, Survey* s) {
    const json::value* v = o.if_contains("crosstabs");
    if (!v) return "";
    if (!v->is_array()) return "crosstabs: expected an array of pairs of dimension ids";
    for (size_t i = 0; i < v->get_array().size(); ++i) {
      const std::string where = "crosstabs[" + std::to_string(i) + "]";
      const json::array* pair = v->get_array()[i].if_array();
      auto dimension = [&](const json::value& id) {
        const Question* q = id.is_string() ? s->FindQuestion(id.get_string()) : nullptr;
        return q && q->dimension && q->type == QuestionType::kSingle ? q : nullptr;
      };
      if (!pair || pair->size() != 2 || !dimension((*pair)[0]) || !dimension((*pair)[1]) ||
          (*pair)[0] == (*pair)[1]) {
        return where +
               ": expected two different single-choice dimension ids, e.g. [\"ward\", "
               "\"ethnicity\"]";
      }
      std::pair<std::string, std::string> ids{(*pair)[0].get_string(), (*pair)[1].get_string()};
      for (const auto& existing : s->crosstabs) {
        if (existing == ids) return where + ": declared twice";
      }
      s->crosstabs.push_back(std::move(ids));
    }
    return "";
  }

  Error ReadPopulation(const json::object& o, Survey* s) {
    const json::value* v = o.if_contains("population");
    if (!v) return "";
    if (!v->is_object() || v->get_object().empty()) {
      return "population: expected an object of dimension ids, each with its groups' totals";
    }
    double first_sum = 0;
    std::string first;
    for (const auto& kv : v->get_object()) {
      const std::string where = "population." + std::string(kv.key());
      const Question* q = s->FindQuestion(kv.key());
      if (!q || !q->dimension || q->type != QuestionType::kSingle) {
        return where + ": expected the id of a single-choice dimension question";
      }
      const json::object* groups = kv.value().if_object();
      if (!groups) return where + ": expected an object of option ids and population totals";
      PopulationMargin m{q->id, std::vector<double>(q->options.size(), 0)};
      // null: a group outside the population ("outside the area"), weighted like the not stated.
      std::vector<bool> outside(q->options.size(), false);
      for (const auto& g : *groups) {
        const int index = q->OptionIndex(g.key());
        if (index < 0) return where + "." + std::string(g.key()) + ": not an option of " + q->id;
        if (q->options[static_cast<size_t>(index)].missing) {
          return where + "." + std::string(g.key()) +
                 ": a missing answer (not stated, prefer not to say) is never weighted";
        }
        if (g.value().is_null()) {
          outside[static_cast<size_t>(index)] = true;
          continue;
        }
        const double total = g.value().is_number() ? g.value().to_number<double>() : 0;
        if (!(total > 0) || !std::isfinite(total)) {
          return where + "." + std::string(g.key()) +
                 ": expected a positive number (or null for a group outside the population)";
        }
        m.totals[static_cast<size_t>(index)] = total;
      }
      double sum = 0;
      for (size_t i = 0; i < q->options.size(); ++i) {
        if (q->options[i].missing || outside[i]) continue;
        if (m.totals[i] <= 0) return where + ": no total for \"" + q->options[i].id + "\"";
        sum += m.totals[i];
      }
      if (sum <= 0) return where + ": expected at least one group with a positive total";
      if (first.empty()) {
        first = q->id;
        first_sum = sum;
      } else if (std::fabs(sum - first_sum) > 1e-9 * first_sum) {
        char text[96];
        std::snprintf(text, sizeof text, ": totals sum to %.12g, but %s's to %.12g", sum,
                      first.c_str(), first_sum);
        return where + text + " (every margin describes one population)";
      }
      s->population.push_back(std::move(m));
    }
    return "";
  }

  std::string languages_front_;
};

}  // namespace

const std::string& Text::In(std::string_view lang, std::string_view fallback) const {
  static const std::string kEmpty;
  if (auto it = by_lang_.find(std::string(lang)); it != by_lang_.end()) return it->second;
  if (auto it = by_lang_.find(std::string(fallback)); it != by_lang_.end()) return it->second;
  return by_lang_.empty() ? kEmpty : by_lang_.begin()->second;
}

int Question::OptionIndex(std::string_view option_id) const {
  for (size_t i = 0; i < options.size(); ++i) {
    if (options[i].id == option_id) return static_cast<int>(i);
  }
  return -1;
}

const Question* Survey::FindQuestion(std::string_view question_id) const {
  for (const Question& q : questions) {
    if (q.id == question_id) return &q;
  }
  return nullptr;
}

const Group* Survey::FindGroup(std::string_view group_id) const {
  for (const Group& g : groups) {
    if (g.id == group_id) return &g;
  }
  return nullptr;
}

const Source* Survey::FindSource(std::string_view tag) const {
  for (const Source& source : sources) {
    if (source.tag == tag) return &source;
  }
  return nullptr;
}

std::string Survey::StoredSource(std::string_view src) const {
  if (src.empty() || sources.empty() || FindSource(src)) return std::string(src);
  return std::string(kOtherSource);
}

bool IsValidSurveyId(std::string_view id) {
  return Matches(id, 64, LowerDigitDash) && id.front() != '-';
}

boost::system::result<Survey, std::string> ParseSurvey(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  using Result = boost::system::result<Survey, std::string>;
  constexpr auto kError = boost::system::in_place_error;
  if (ec) return Result(kError, "definition is not valid JSON: " + ec.message());
  const json::object* o = v.if_object();
  if (!o) return Result(kError, "definition: expected a JSON object");
  Survey s;
  Reader reader;
  if (Error e = reader.ReadSurvey(*o, &s); !e.empty()) return Result(kError, e);
  // Explicit, so that a later change of the default cannot move when stored figures froze.
  if (!o->contains("grace_days")) v.as_object()["grace_days"] = s.grace_days;
  s.json = json::serialize(v);
  return s;
}

}  // namespace candour::survey

namespace candour::survey {
namespace {

std::set<std::string> AsSet(const std::vector<std::string>& ids) {
  return std::set<std::string>(ids.begin(), ids.end());
}

// The order in which a condition lists its answers means nothing.
bool SameCondition(const std::optional<Condition>& a, const std::optional<Condition>& b) {
  if (!a || !b) return !a && !b;
  return a->question == b->question && AsSet(a->answers) == AsSet(b->answers);
}

const Measure* FindMeasure(const Survey& s, std::string_view id) {
  for (const Measure& m : s.measures) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

}  // namespace

std::string IncompatibleChange(const Survey& current, const Survey& next) {
  if (current.id != next.id) return "id: expected \"" + current.id + "\"";
  for (const Question& q : current.questions) {
    const std::string where = "questions: \"" + q.id + "\" ";
    const Question* n = next.FindQuestion(q.id);
    if (!n) return where + "is missing: every question of an earlier version stays in later ones";
    if (n->type != q.type) return where + "changes its type; add a new question instead";
    if (n->type == QuestionType::kScale && (n->min != q.min || n->max != q.max)) {
      return where + "changes its range; add a new question instead";
    }
    bool kept = n->options.size() >= q.options.size();
    for (size_t i = 0; kept && i < q.options.size(); ++i)
      kept = n->options[i].id == q.options[i].id;
    if (!kept) {
      return where +
             "changes its options: existing options keep their ids and order, new "
             "ones go at the end";
    }
    if (!SameCondition(q.when, n->when)) {
      return where +
             "changes who it is for (\"when\"): answers to earlier versions would change "
             "their meaning; add a new question instead";
    }
  }
  for (const Measure& m : current.measures) {
    const Measure* n = FindMeasure(next, m.id);
    if (!n) continue;  // removing a measure leaves its published figures as they are
    if (n->question != m.question || AsSet(n->positive) != AsSet(m.positive)) {
      return "measures: \"" + m.id + "\" changes its " +
             (n->question != m.question ? "question" : "positive answers") +
             ": a published measure is never redefined; give the changed definition a new "
             "measure id (the old one keeps its history)";
    }
  }
  return "";
}

std::string SurveyUrl(std::string_view public_url, std::string_view survey_id,
                      std::string_view param, std::string_view value) {
  std::string link = std::string(public_url).append("/s/").append(survey_id);
  if (!value.empty()) link.append("?").append(param).append("=").append(PercentEncode(value));
  return link;
}

}  // namespace candour::survey
