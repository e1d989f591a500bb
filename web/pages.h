// Server-rendered HTML pages: the survey form (works with JavaScript off), the thank-you page,
// the poster, and plain message pages for errors, with their interface text in the page's
// language (UiText). Built with web/html.h, so every dynamic string is escaped by construction.
// Thread-safe: pure functions.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "survey/submission.h"
#include "survey/survey.h"
#include "web/html.h"

namespace candour::web {

struct SurveyLink {
  std::string id;
  std::string title;
  bool public_results = false;  // link to its dashboard too
};

// A whole page: doctype, <html lang>, the head (stylesheet, and candour.js if `script`: only
// pages that JavaScript can enhance load it; every page works without it), then `body`.
// `refresh_seconds` > 0 makes the browser reload it after that long (a meta refresh: no
// script, which the CSP forbids inline); default 0, never. `referrer`: the page's referrer
// policy (the organiser console's is "same-origin", see server/app.h).
std::string Page(std::string_view lang, std::string_view title, bool script,
                 const html::Fragment& body, int refresh_seconds = 0,
                 std::string_view referrer = "no-referrer");

// Links to the page at `base` in each of the survey's languages (none if it has one), each
// named in its own language, keeping the source tag `src` (may be empty).
html::Fragment LanguageSwitch(const survey::Survey& survey, const std::string& lang,
                              const std::string& base, const std::string& src);

// The form for `survey` in `lang`. `src` (already validated, or empty) is carried as a hidden
// field. `error` (may be null) is shown above the questions.
// `code` (may be empty) is the single-use code it was opened with, carried as a hidden field.
std::string RenderForm(const survey::Survey& survey, const std::string& lang,
                       const std::string& src, const survey::Rejection* error,
                       const std::string& code = "");

// The form for organisers to check (/admin/surveys/{id}/preview): as residents see it in
// `lang`, under a note (in English) that answers are not recorded, with language links to the
// preview and a disabled submit button in a form with no action, so nothing can be sent.
std::string RenderFormPreview(const survey::Survey& survey, const std::string& lang);

// For a survey that needs a code: asks for it. `problem_key` (may be empty) is the UI string
// saying what was wrong with the code given ("code_unknown", "code_spent").
std::string RenderCodeEntry(const survey::Survey& survey, const std::string& lang,
                            const std::string& problem_key);

// The page shown after a successful submission, linking to the public results.
std::string RenderThanks(const survey::Survey& survey, const std::string& lang);

// An A4 poster for one event or venue: the survey title, the QR code of the link for `src`,
// the short link spelled out, and the privacy promise. `link` is the full survey link.
std::string RenderPoster(const survey::Survey& survey, const std::string& lang,
                         const std::string& src, const std::string& link);

// A page that says what went wrong and what to do (errors, closed surveys).
std::string RenderMessage(std::string_view title, std::string_view message,
                          std::string_view lang = "en");

// Cards on one A4 page of a code sheet: 3 columns of 4.
inline constexpr size_t kCodeCardsPerPage = 12;
// A printable sheet of single-use codes, a self-contained file to save: A4 pages of
// kCodeCardsPerPage cards with cut lines, each with the survey's title, the QR code of
// `link(code)`, the code spelled out and one sentence of instruction naming `link("")` (the
// survey's plain link), under a note (on screen only) that the codes are shown once
// (web/code_sheet.cc).
std::string RenderCodeSheet(const survey::Survey& survey, const std::vector<std::string>& codes,
                            const std::function<std::string(const std::string&)>& link);
// The same codes as CSV: a "code,link" header, then each code and `link(code)`.
std::string CodesCsv(const std::vector<std::string>& codes,
                     const std::function<std::string(const std::string&)>& link);

// The front page: links to each open survey.
std::string RenderIndex(const std::vector<SurveyLink>& surveys);

}  // namespace candour::web
