// Survey: an immutable, validated survey definition (questions, options, measures, languages).
// Parsed from JSON (the built-in template, the admin API, the store); never changed after.
// Thread-safe: immutable after ParseSurvey; share it as shared_ptr<const Survey>.
#pragma once

#include <boost/system/result.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stats/period.h"

namespace candour::survey {

// Text in each of the survey's languages: language code -> text.
class Text {
 public:
  Text() = default;
  explicit Text(std::map<std::string, std::string> by_lang) : by_lang_(std::move(by_lang)) {}
  // The text in `lang`, else in `fallback`, else any; empty if there is none.
  const std::string& In(std::string_view lang, std::string_view fallback) const;
  bool Has(std::string_view lang) const { return by_lang_.contains(std::string(lang)); }

 private:
  std::map<std::string, std::string> by_lang_;
};

enum class QuestionType { kSingle, kMulti, kScale, kText };

// Options of a choice question at most: index codes are one byte (stats/response_index.h) and
// a multiple-choice answer is a 64-bit mask.
inline constexpr size_t kMaxSingleOptions = 255;
inline constexpr size_t kMaxMultiOptions = 64;

struct Option {
  std::string id;
  Text label;
  bool missing = false;  // "Don't know" / "Prefer not to say": outside every measure's base
};

// Who a question is for: those whose answer to `question` (an earlier single-choice question
// that everyone is asked) is one of `answers` ("when" in the definition). An answer from
// anyone else is not stored (DropUnmetConditions, survey/submission.h).
struct Condition {
  std::string question;
  std::vector<std::string> answers;  // option ids of `question`, none missing, no duplicates

  bool operator==(const Condition&) const = default;
};

struct Question {
  std::string id;
  QuestionType type = QuestionType::kSingle;
  Text text;
  Text short_text;                // "short": a name for charts and tables ("Ward"), optional
  std::string group;              // id of the shared stem, or empty
  bool dimension = false;         // a demographic or area question used for breakdowns
  std::vector<Option> options;    // kSingle and kMulti only
  int64_t min = 0, max = 10;      // kScale only
  size_t max_length = 1000;       // kText only, in Unicode code points
  std::optional<Condition> when;  // only for some respondents; never on a dimension

  // Index of the option with this id, or -1.
  int OptionIndex(std::string_view option_id) const;
};

struct Group {
  std::string id;
  Text text;
};

struct Measure {
  std::string id;
  std::string question;
  std::vector<std::string> positive;  // option ids that count as positive
  Text label;
};

// Population totals of one weighting dimension ("population" in the definition):
// totals[i] is option i's total, 0 for the missing options ("not stated", "prefer not to
// say") and for groups declared outside the population (null, e.g. "outside the area"), which
// are never weighted to a total.
struct PopulationMargin {
  std::string dimension;  // a single-choice dimension question's id
  std::vector<double> totals;
};
// A declared source of responses: an event or a poster, named by the tag in its link
// (`?src=TAG`) and described to organisers by its label.
struct Source {
  std::string tag;    // as a submission's src: 1-48 of a-z, 0-9 and '-'; never "other"/"none"
  std::string label;  // 1-120 characters, in the organisers' words
};
inline constexpr size_t kMaxSources = 200;
inline constexpr size_t kMaxSourceLabel = 120;
inline constexpr size_t kMaxOrganisationName = 120;
inline constexpr size_t kMaxContactLine = 200;
// The source a response from an undeclared tag is kept under, in a survey that declares any.
inline constexpr std::string_view kOtherSource = "other";

struct Survey {
  std::string id;
  int64_t version = 1;
  std::vector<std::string> languages;  // first is the default
  Text title, intro;
  stats::PeriodKind period = stats::PeriodKind::kWeek;
  bool open = true;
  bool public_results = true;
  // The built-in demo survey: its results include synthetic answers, and every page says so.
  bool demo = false;
  // Each response needs a single-use code (issued by organisers) when true.
  bool requires_code = false;
  // Submissions per hour accepted from one address ("rate_limit": {"per_hour": N}); 0 means
  // the server's default (ServerConfig::rate_limit_per_hour).
  uint64_t rate_limit_per_hour = 0;
  // Disclosure control: counts from 1 to threshold - 1 are withheld (default 10); no share or
  // interval is shown on a base under min_base (default 30). "suppression" in the definition.
  uint64_t threshold = 10;
  uint64_t min_base = 30;
  // A month's figures are published this many days after it ends, and frozen from then on:
  // no response for it is taken afterwards (stats::PeriodFrozen). "grace_days", 0 to 3660;
  // always present in `json`, so that a stored definition keeps the grace time it was
  // published under. Default: 21.
  int grace_days = 21;
  std::vector<Group> groups;
  std::vector<Question> questions;
  std::vector<Measure> measures;
  // Declared cross-tabs: pairs of dimension question ids; measures are broken down by every
  // pair of their groups, published as dimension "a*b". No others exist.
  std::vector<std::pair<std::string, std::string>> crosstabs;
  // Population margins for weighting, one per weighting dimension, all with one sum; empty
  // when the survey declares none. Releases then publish weighted figures beside the
  // unweighted (stats/weighting.h).
  std::vector<PopulationMargin> population;
  // Where the margins come from ("population_source", per language; optional), e.g. "Census
  // 2021 (approximate)": the method note says it.
  Text population_source;
  // No weight above this many times the mean weight ("weight_cap", above 1 and at most 100;
  // default 5): raking trims and re-rakes until it holds or its sweep limit is reached.
  double weight_cap = 5;
  // Declared sources ("sources": [{"tag", "label"}]). When any are declared, a submission's
  // src that is none of them is kept as kOtherSource; when none are, any valid tag is kept.
  std::vector<Source> sources;
  // What a poster says besides the survey's texts, each optional: the organisation
  // running it ("force_name", at most kMaxOrganisationName bytes), a contact line ("contact",
  // at most kMaxContactLine bytes, e.g. "Questions: engagement@hackney.gov.uk") and the date
  // it closes ("closes": "2027-03-31"; shown on posters, the survey is closed by an organiser).
  std::string organisation, contact;
  std::optional<std::chrono::year_month_day> closes;
  // The date it is planned to open ("opens", optional, not after "closes"): for organisers,
  // like "closes" the survey is opened by an organiser, not by the date.
  std::optional<std::chrono::year_month_day> opens;
  std::string json;  // the definition, serialised canonically (what the API returns)

  const std::string& default_language() const { return languages.front(); }
  // The question with this id, or nullptr.
  const Question* FindQuestion(std::string_view question_id) const;
  const Group* FindGroup(std::string_view group_id) const;
  // The declared source with this tag, or nullptr.
  const Source* FindSource(std::string_view tag) const;
  // The src a response is stored under: empty stays empty; a tag is kept when the survey
  // declares no sources or declares this one, and is kOtherSource otherwise.
  std::string StoredSource(std::string_view src) const;
};

// Parses and validates a definition. On failure the error names the offending field and says
// what was expected, e.g. "questions[2].options[0].id: expected 1-32 of a-z, 0-9, _ and -,
// starting with a letter or digit" or "questions[2].options[0].id: \"base\" is reserved".
// Ids of options and measures are 1-32 of a-z, 0-9, '_' and '-', starting with a letter or
// digit; those of questions and groups may also hold A-Z ("Q60"). None may be a name the
// results use beside them (base, total, all, not_stated), and no question may be named like a
// submission's own fields (src, lang, code, period). Choice questions have at most
// kMaxSingleOptions or kMaxMultiOptions options. A question's "when" names an earlier
// single-choice question of the survey that has no "when" of its own, and a non-empty list of
// its option ids (none missing, none twice); a question with "when" is not a dimension.
// "population" is {dimension id: {option id: total}}: each a single-choice dimension, every
// non-missing option with a positive total or null (a group outside the population), no
// missing option, and every dimension's totals summing to the same figure (within 1e-9 of it).
[[nodiscard]] boost::system::result<Survey, std::string> ParseSurvey(std::string_view json);

// Why `next` cannot be a new version of `current`, or empty if it can. Answers to earlier
// versions must keep their meaning: every question stays, with its type, range, its "when"
// (who it is for) and its options' ids in order (new options go at the end). A published
// measure is never redefined: a measure id in both keeps its question and its set of positive
// options (a changed definition takes a new id; measures may be removed). Texts, languages,
// new questions and measures, and everything else may change.
std::string IncompatibleChange(const Survey& current, const Survey& next);

// The survey's address on `public_url` with one query parameter (none when `value` is empty),
// e.g. SurveyUrl("https://x.org", "demo", "src", "poster-7") = "https://x.org/s/demo?src=poster-7".
std::string SurveyUrl(std::string_view public_url, std::string_view survey_id,
                      std::string_view param, std::string_view value);

// Survey ids appear in URLs: 1-64 of a-z, 0-9 and '-', starting with a letter or digit.
bool IsValidSurveyId(std::string_view id);

}  // namespace candour::survey
