// Server-rendered HTML pages: the survey form (works with JavaScript off), the thank-you page,
// and plain message pages for errors. Every dynamic string is HTML-escaped here.
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/submission.h"
#include "server/survey.h"

namespace candour::server {

struct SurveyLink {
  std::string id;
  std::string title;
};

// The form for `survey` in `lang`. `src` (already validated, or empty) is carried as a hidden
// field. `error` (may be null) is shown above the questions.
std::string RenderForm(const Survey& survey, const std::string& lang, const std::string& src,
                       const Rejection* error);

// The page shown after a successful submission, linking to the public results.
std::string RenderThanks(const Survey& survey, const std::string& lang);

// An A4 poster for one event or venue: the survey title, the QR code of the link for `src`,
// the short link spelled out, and the privacy promise. `link` is the full survey link.
std::string RenderPoster(const Survey& survey, const std::string& lang, const std::string& src,
                         const std::string& link);

// The results page (statistics arrive with the statistics module).
std::string RenderResults(const Survey& survey, const std::string& lang);

// A page that says what went wrong and what to do (errors, closed surveys).
std::string RenderMessage(std::string_view title, std::string_view message,
                          std::string_view lang = "en");

// The front page: links to each open survey.
std::string RenderIndex(const std::vector<SurveyLink>& surveys);

}  // namespace candour::server
