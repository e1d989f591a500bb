// ChooseLanguage: which of a survey's languages to show a person, from what their request
// says (a ?lang= parameter, then the browser's Accept-Language header).
// Thread-safe: pure function.
#pragma once

#include <string>
#include <string_view>

#include "survey/survey.h"

namespace candour::web {

// `query_lang` if the survey has it; else the Accept-Language entry with the highest q whose
// primary subtag (case-insensitive: "TR-tr" is "tr") the survey has, the first of equals
// winning; else the survey's default language. Entries with q=0 are never chosen.
std::string ChooseLanguage(const survey::Survey& survey, std::string_view query_lang,
                           std::string_view accept_language);

}  // namespace candour::web
