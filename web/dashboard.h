// Dashboard: the public results pages of a survey and the CSV of exactly the figures they show.
//   /r/{survey}            the summary: every measure's latest rolling 12 months, its change on
//                          the 12 months before and its largest gap between groups; how to read
//                          it; links to each measure; the method note and who answered.
//   /r/{survey}/{measure}  one measure: its trend by month, financial quarter and rolling 12
//                          months, each dimension's breakdown for the latest 12 months with each
//                          group's gap, and the table behind every chart.
// Every page is drawn from one model of the day's release, so pages, tables, charts and CSV
// cannot disagree with each other or with the API. The latest rolling 12-month window (the
// latest complete quarter's) is the headline period of every page.
// Thread-safe: pure functions.
#pragma once

#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stats/release.h"
#include "survey/survey.h"

namespace candour::web {

struct DashboardView {
  bool print = false;   // the printable layout
  std::string lang;     // chosen by the caller
  std::string measure;  // a measure id: that measure's page or CSV; empty: the survey's
};

// Parses ?print=1&measure=ID (and ignores lang=, which the caller reads); `measure` must be
// one of the survey's. On failure returns a message for a 400 that says what is allowed.
boost::system::result<DashboardView, std::string> ParseDashboardView(
    const survey::Survey& survey, const std::vector<std::pair<std::string, std::string>>& query);

// The survey's summary page (view.measure is ignored).
std::string RenderDashboard(const survey::Survey& survey, const stats::Release& release,
                            const DashboardView& view);
// The page of the measure `view.measure`; nullopt when the survey has no such measure.
std::optional<std::string> RenderMeasurePage(const survey::Survey& survey,
                                             const stats::Release& release,
                                             const DashboardView& view);
// The 404 page for a measure the survey does not have, in `lang`, linking to the summary.
std::string RenderUnknownMeasure(const survey::Survey& survey, const std::string& lang,
                                 const std::string& measure);
// The figures of the measure pages' tables, one CSV row per table row: every measure's, or
// only view.measure's when it is set.
std::string DashboardCsv(const survey::Survey& survey, const stats::Release& release,
                         const DashboardView& view);

// The page for a survey whose results are not public.
std::string RenderNotPublic(const survey::Survey& survey, const std::string& lang);

// The page shown while a survey's first release is being built: says so in `lang` and reloads
// itself after `refresh_seconds`.
std::string RenderPreparing(const survey::Survey& survey, const std::string& lang,
                            int refresh_seconds);

}  // namespace candour::web
