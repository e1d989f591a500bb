// SurveyForm: the organiser console's form for a survey made from the built-in template
// (title and introduction per language, the organisation, the areas residents choose from,
// which dimensions to ask, the period, threshold, code, dates, public results and sources), and
// how it becomes the definition JSON that Organiser::Create and NewVersion take: the template
// (or the survey's current definition) with the form's fields written over it. Validation
// stays the definition's own (ParseSurvey, IncompatibleChange, the Organiser): ProblemOf maps
// their messages to the form field they concern. Only what the definition cannot say is
// checked here (no title in any language, a sources line without "|", no areas).
// Thread-safe: pure functions.
#pragma once

#include <boost/system/result.hpp>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "survey/survey.h"

namespace candour::survey {

// The languages the form offers, in the order a definition lists them.
inline constexpr std::string_view kFormLanguages[] = {"en", "tr", "pl"};
// The template's question whose options are the areas (wards).
inline constexpr std::string_view kAreaQuestion = "ward";

struct SurveyForm {
  std::string id;                                   // a new survey's; fixed on edit
  std::map<std::string, std::string> title, intro;  // by language; a titled language is offered
  std::string organisation, contact;
  // A new survey's police force, named in the trust question ("... is an organisation that I
  // can trust") and its measure; the template's is the Metropolitan Police.
  std::string police;
  std::string areas;                 // one per line
  std::set<std::string> dimensions;  // ids of the template's dimension questions to ask
  std::string period = "week";       // as typed: "week" or "month"
  std::string threshold = "10";      // as typed
  bool requires_code = false, public_results = false;
  std::string opens, closes;  // YYYY-MM-DD as typed, or empty
  std::string sources;        // "tag | label" per line
};

// What is wrong, and which field of the form it concerns ("" for the form as a whole). The
// fields are named as the form's inputs: id, title_en, intro_tr, organisation, police, contact,
// areas, dimension, period, threshold, requires_code, public_results, opens, closes, sources.
struct FormProblem {
  std::string field, message;
};

using FormPairs = std::vector<std::pair<std::string, std::string>>;

// The form's fields from a form body's pairs (checkboxes present mean ticked); others ignored.
SurveyForm ReadSurveyForm(const FormPairs& pairs);
// The form for a new survey: the template's dimensions ticked, the rest blank or defaults.
SurveyForm NewSurveyForm();
// The form as `survey` now stands (the edit form).
SurveyForm FormOf(const Survey& survey);
// The dimension questions the form offers: the template's (id, short name in English).
std::vector<std::pair<std::string, std::string>> FormDimensions();

// The definition JSON: `base_json` (the template for a new survey, the current definition for
// a new version) with `form` written over it. A new survey (`is_new`) takes the form's id and
// starts closed; a new version keeps the id and state of `base_json`. Areas keep the option ids
// they had in `base_json` (matched by label), new ones get ids from their names and go at the
// end, as a new version needs. A FormProblem for what only the form can get wrong.
[[nodiscard]] boost::system::result<std::string, FormProblem> DefinitionOf(
    const SurveyForm& form, std::string_view base_json, bool is_new);

// The form field that `error` (a ParseSurvey, IncompatibleChange or Organiser message, which
// starts with the definition's field: "suppression.threshold: expected ...") concerns, with the
// message as the person filling the form reads it. `definition_json` is the definition the
// error is about (to name question N of "questions[N]...").
FormProblem ProblemOf(std::string_view error, std::string_view definition_json);

}  // namespace candour::survey
