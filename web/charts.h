// Charts: the dashboard's figures drawn as inline SVG on the server, so a chart costs no
// script, no extra request and no third-party code, prints as it shows, and its numbers are
// exactly the table beside it. Each chart is role="img" with a title and a description.
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <vector>

#include "web/html.h"

namespace candour::web {

// One point (trend) or bar (breakdown), already in the page's language.
struct ChartPoint {
  std::string label;
  bool shown = false;  // a share and interval exist
  double share = 0, low = 0, high = 0;
  bool withheld = false;  // a figure is suppressed (drawn with the withheld marker)
  std::string note;       // short text drawn where no share is shown ("withheld", ...)
};

struct ChartText {
  std::string id;           // unique on the page; used for aria-labelledby
  std::string title;        // what the chart shows
  std::string description;  // a sentence summarising it for screen readers
  std::string withheld;     // why figures are withheld (tooltip of each marker)
};

// Shares over periods: a line with its 95% interval as a band; gaps where no share is shown.
html::Element TrendSvg(const std::vector<ChartPoint>& points, const ChartText& text);

// Shares by group: one bar per group with its 95% interval as a whisker.
html::Element BarsSvg(const std::vector<ChartPoint>& points, const ChartText& text);

// "62%": a share as a whole percentage.
std::string Percent(double share);

}  // namespace candour::web
