// The organiser console's pages (/admin): sign-in, the survey list, the confirmation of a
// state change, single-use codes and the audit log. English only (organisers' pages), built
// with web/html.h and the site's page layout; every form posts without JavaScript.
// Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "web/html.h"

namespace candour::web {

struct ConsoleSurvey {
  std::string id, title;
  int64_t version = 1;
  bool open = false, public_results = false, requires_code = false;
  size_t responses = 0;
  // The survey's latest periods that have responses (label, count), newest last.
  std::vector<std::pair<std::string, size_t>> recent;
};

struct ConsoleAuditEntry {
  std::string seq, time, action, survey, detail;
};

// A console page: the console's header (with its navigation when `signed_in`), then `main`,
// with the console's referrer policy. For the console's other pages (web/source_pages.h).
std::string ConsolePage(std::string_view title, bool signed_in, html::Element main);

// The sign-in form; `problem` (may be empty) is shown above it.
std::string RenderConsoleSignIn(std::string_view problem, std::string_view notice = "");
// Every survey with its state, counts, links and actions; `notice` (may be empty) on top.
std::string RenderConsoleSurveys(const std::vector<ConsoleSurvey>& surveys,
                                 std::string_view notice);
// "Open survey X?" with a button that posts `change` (open, close, publish, unpublish).
std::string RenderConsoleConfirm(const ConsoleSurvey& survey, std::string_view change);
// The form that issues single-use codes; `problem` (may be empty) beside the count field.
std::string RenderConsoleCodes(const ConsoleSurvey& survey, std::string_view problem);
// The audit log, newest first, under the verdict of `candour audit verify`.
std::string RenderConsoleAudit(bool intact, std::string_view verdict,
                               const std::vector<ConsoleAuditEntry>& newest_first);
// A console page saying what went wrong; `signed_in`: with the console's navigation.
std::string RenderConsoleMessage(std::string_view title, std::string_view message, bool signed_in);

}  // namespace candour::web
