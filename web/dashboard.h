// Dashboard: the public results page of a survey (/r/{survey}) and the CSV of exactly the
// figures it shows. Both are drawn from one model built from the day's release, so the page,
// its tables, its charts and its CSV cannot disagree with each other or with the API.
// Thread-safe: pure functions.
#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <utility>
#include <vector>

#include "stats/release.h"
#include "survey/survey.h"

namespace candour::web {

struct DashboardView {
  stats::Level level = stats::Level::kQuarter;  // of the trend; breakdowns use quarter or year
  bool print = false;                           // the printable layout
  std::string lang;                             // chosen by the caller
};

// Parses ?period=month|quarter|year&print=1 (and ignores lang=, which the caller reads). On
// failure returns a message for a 400 that says what is allowed.
boost::system::result<DashboardView, std::string> ParseDashboardView(
    const std::vector<std::pair<std::string, std::string>>& query);

// The page (HTML) and its figures (CSV: one row per table row of the page).
std::string RenderDashboard(const survey::Survey& survey, const stats::Release& release,
                            const DashboardView& view);
std::string DashboardCsv(const survey::Survey& survey, const stats::Release& release,
                         const DashboardView& view);

// The page for a survey whose results are not public.
std::string RenderNotPublic(const survey::Survey& survey, const std::string& lang);

// The page shown while a survey's first release is being built: says so in `lang` and reloads
// itself after `refresh_seconds`.
std::string RenderPreparing(const survey::Survey& survey, const std::string& lang,
                            int refresh_seconds);

}  // namespace candour::web
