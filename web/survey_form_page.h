// The organiser console's survey form (/admin/new and /admin/surveys/{id}/edit): the fields
// of survey::SurveyForm, prefilled, with a problem shown beside the field it concerns (and
// named above the form, linking to it); and the token rotation pages (/admin/token). English
// only (organisers' pages), built on web/console_pages.h; every form posts without JavaScript.
// Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "survey/survey_form.h"

namespace candour::web {

// `version` 0: the new-survey form; else the edit form of the survey at that version (whose
// save makes version + 1). `problem.message` empty: none.
std::string RenderConsoleSurveyForm(const survey::SurveyForm& form,
                                    const survey::FormProblem& problem, int64_t version);

// "Rotate the admin token?" with what it does (signs everyone else out).
std::string RenderConsoleTokenConfirm();
// The new token, shown once.
std::string RenderConsoleNewToken(std::string_view token, std::string_view written);

}  // namespace candour::web
