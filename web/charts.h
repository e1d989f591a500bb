// Charts: the dashboard's figures drawn on the server as HTML with small inline SVGs, so a chart
// costs no script, no extra request and no third-party code, prints as it shows, and its numbers
// are exactly the table beside it.
//
// Every word of a chart is HTML or SVG text in CSS pixels (the SVGs have no viewBox, or, for the
// trend's line and band only, a viewBox that scales horizontally and holds no text), so chart
// text is the same size on a 320 px phone as at 1280 px and long group names wrap. Positions
// are percentages of the plot's width, so nothing needs inline style (the CSP forbids it).
// A chart is role="img", labelled by its caption and a description of every figure in words.
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "web/html.h"

namespace candour::web {

// One point (trend) or bar (breakdown), already in the page's language.
struct ChartPoint {
  std::string label;   // in the table and the description
  std::string tick;    // on a trend's time axis (empty: the label)
  bool shown = false;  // a share and interval exist
  double share = 0, low = 0, high = 0;
  bool withheld = false;  // a figure is suppressed (drawn with the light withheld marker)
  std::string note;       // short text where no share is shown ("withheld", "base under 30")
};

struct ChartText {
  std::string id;           // unique on the page; used for aria-labelledby
  std::string title_id;     // the id of the element holding the chart's title (its caption)
  std::string description;  // every figure in words, for screen readers
  std::string lang;         // of the page: how percentages are written
  std::string axis_note;    // a trend's "the scale does not start at 0" (may be empty)
  // A breakdown's reference line: the share of all respondents, and its label (empty: none).
  bool reference = false;
  double reference_share = 0;
  std::string reference_label;
};

// Shares over periods: a line with its 95% interval as a band, the y axis scaled to the data;
// a light marker on the axis where a share is withheld, none where it is only not shown.
html::Element TrendChart(const std::vector<ChartPoint>& points, const ChartText& text);

// Shares by group: one bar per group with its 95% interval as a whisker, the group's name
// wrapping in its own column, and a reference line at the share of everyone.
html::Element BarsChart(const std::vector<ChartPoint>& points, const ChartText& text);

// "62%" (English, Polish) or "%62" (Turkish): a share as a whole percentage in `lang`.
std::string Percent(double share, std::string_view lang = "en");

// The y range of a trend: [lo, hi] in shares, multiples of 0.1 around every shown interval,
// at least 0.3 wide. Exposed for tests.
struct TrendRange {
  double lo = 0, hi = 1;
};
TrendRange RangeOf(const std::vector<ChartPoint>& points);

}  // namespace candour::web
