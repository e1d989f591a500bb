#include "web/charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "web/locale_format.h"

namespace candour::web {
namespace {

using html::Element;

// Heights in CSS pixels: the plot's, the margin above it (half a tick label), the time axis'.
constexpr double kPlotH = 180, kTop = 10, kAxisH = 26;
constexpr double kBarRowH = 28;

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}
std::string Pct(double fraction) { return Num(fraction * 100) + "%"; }

// An inline SVG sized by CSS (no viewBox: its text is in CSS pixels), hidden from assistive
// technology: the chart's role="img" container and its table say everything it shows.
Element Svg(std::string_view cls, double height) {
  return Element("svg")
      .Attr("class", cls)
      .Attr("width", "100%")
      .Attr("height", Num(height))
      .Attr("aria-hidden", "true")
      .Attr("focusable", "false");
}

Element Line(std::string_view cls, std::string_view x1, std::string_view x2, double y1, double y2) {
  return Element("line")
      .Attr("class", cls)
      .Attr("x1", x1)
      .Attr("x2", x2)
      .Attr("y1", Num(y1))
      .Attr("y2", Num(y2));
}

Element Text(std::string_view cls, std::string_view x, double y, std::string_view anchor,
             std::string_view content) {
  Element t("text");
  t.Attr("class", cls).Attr("x", x).Attr("y", Num(y));
  if (!anchor.empty()) t.Attr("text-anchor", anchor);
  return std::move(t.Text(content));
}

// The light marker standing where a share is not shown: a small hollow circle.
Element Marker(std::string_view cx, double cy) {
  return Element("circle")
      .Attr("class", "not-shown-mark")
      .Attr("cx", cx)
      .Attr("cy", Num(cy))
      .Attr("r", "5");
}

// The role="img" container of a chart and its description, which only screen readers read.
Element Box(std::string_view cls, const ChartText& text, Element drawing) {
  return Element("div")
      .Attr("class", "chart-box")
      .Child("\n")
      .Line(Element("div")
                .Attr("class", cls)
                .Attr("role", "img")
                .Attr("aria-labelledby", text.title_id + " " + text.id + "-d")
                .Child(std::move(drawing)))
      .Line(Element("p")
                .Attr("class", "visually-hidden")
                .Attr("id", text.id + "-d")
                .Text(text.description));
}

// One run of consecutive shown points [i, j) as its band and line, in the area's viewBox units
// (x 0-1000 across the plot, y in pixels).
template <typename X, typename Y>
void Run(const std::vector<ChartPoint>& points, size_t i, size_t j, X x_of, Y y_of, Element& area) {
  std::string band, line;
  auto pt = [](double x, double y) { return Num(x) + "," + Num(y) + " "; };
  if (j - i == 1) {
    const double x = x_of(i);
    band = pt(x - 6, y_of(points[i].high)) + pt(x + 6, y_of(points[i].high)) +
           pt(x + 6, y_of(points[i].low)) + pt(x - 6, y_of(points[i].low));
  } else {
    for (size_t k = i; k < j; ++k) band += pt(x_of(k), y_of(points[k].high));
    for (size_t k = j; k-- > i;) band += pt(x_of(k), y_of(points[k].low));
  }
  for (size_t k = i; k < j; ++k) line += pt(x_of(k), y_of(points[k].share));
  area.Line(Element("polygon").Attr("class", "band").Attr("points", band));
  if (j - i > 1) area.Line(Element("polyline").Attr("class", "line").Attr("points", line));
}

// Which of `n` evenly spaced points get a tick label on a plot `width` pixels wide when a
// label takes `label` pixels: the latest always (it is the one read first), then every
// step-th before it that fits whole between its neighbours and the plot's edges. The first
// point's label starts at the left edge and the last's ends at the right (see TrendChart).
std::vector<bool> Labelled(size_t n, double width, double label) {
  std::vector<bool> out(n, false);
  if (n == 0) return out;
  const double slot = width / static_cast<double>(n);
  const size_t step = std::max<size_t>(1, static_cast<size_t>(std::ceil(label / slot)));
  out[n - 1] = true;
  double left = n > 1 ? width - label : 0;  // where the last placed label begins
  for (size_t back = step; back < n; back += step) {
    const size_t i = n - 1 - back;
    const double from = i == 0 ? 0 : (static_cast<double>(i) + 0.5) * slot - label / 2;
    if (from < 0 || from + label > left) continue;
    out[i] = true;
    left = from;
  }
  return out;
}

// The room a tick label takes at the charts' 14 px: about 7.5 px a character (UTF-8 lead
// bytes counted, so "ç" is one) and a gap; at least 70 px.
double LabelWidth(const std::vector<ChartPoint>& points) {
  size_t longest = 0;
  for (const ChartPoint& p : points) {
    const std::string& label = p.tick.empty() ? p.label : p.tick;
    size_t chars = 0;
    for (unsigned char c : label) chars += (c & 0xC0) != 0x80 ? 1 : 0;
    longest = std::max(longest, chars);
  }
  return std::max(70.0, 7.5 * static_cast<double>(longest) + 16);
}

}  // namespace

std::string Percent(double share, std::string_view lang) { return FormatPercent(share, lang); }

TrendRange RangeOf(const std::vector<ChartPoint>& points) {
  double lo = 1, hi = 0;
  for (const ChartPoint& p : points) {
    if (!p.shown) continue;
    lo = std::min(lo, p.low);
    hi = std::max(hi, p.high);
  }
  if (lo > hi) return {0, 1};
  TrendRange r{std::max(0.0, std::floor(lo * 10 + 1e-9) / 10),
               std::min(1.0, std::ceil(hi * 10 - 1e-9) / 10)};
  while (r.hi - r.lo < 0.3 - 1e-9) {
    if (r.lo > 0) r.lo = std::max(0.0, r.lo - 0.1);
    if (r.hi - r.lo < 0.3 - 1e-9 && r.hi < 1) r.hi = std::min(1.0, r.hi + 0.1);
  }
  return r;
}

Element TrendChart(const std::vector<ChartPoint>& points, const ChartText& text) {
  const size_t n = points.size();
  const TrendRange range = RangeOf(points);
  const double height = kTop + kPlotH + kAxisH;
  auto y_of = [&](double share) {
    return kTop + kPlotH * (range.hi - share) / (range.hi - range.lo);
  };
  // Each period owns an equal slot of the plot's width; its point sits in the middle.
  auto frac = [&](size_t i) {
    return (static_cast<double>(i) + 0.5) / double(std::max<size_t>(n, 1));
  };
  Element axis = Svg("y-axis", height);
  Element plot = Svg("plot", height);
  const int tick = range.hi - range.lo > 0.55 ? 20 : 10;
  for (int pct = static_cast<int>(std::lround(range.lo * 100));
       pct <= static_cast<int>(std::lround(range.hi * 100)); pct += tick) {
    const double y = y_of(pct / 100.0);
    axis.Line(Text("tick", "100%", y + 5, "end", Percent(pct / 100.0, text.lang)));
    plot.Line(Line(pct == 0 ? "grid zero" : "grid", "0", "100%", y, y));
  }
  // The band and line scale with the plot's width only (their viewBox height is the plot's
  // height in pixels), and hold no text.
  Element area("svg");
  area.Attr("class", "area")
      .Attr("viewBox", "0 0 1000 " + Num(height))
      .Attr("preserveAspectRatio", "none")
      .Attr("width", "100%")
      .Attr("height", Num(height))
      .Child("\n");
  for (size_t i = 0; i < n;) {
    if (!points[i].shown) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < n && points[j].shown) ++j;
    Run(
        points, i, j, [&](size_t k) { return 1000 * frac(k); }, y_of, area);
    i = j;
  }
  plot.Line(std::move(area));
  // Labels: as many as fit a phone's plot, and more where the page is wide (CSS shows .wide).
  const double label_width = LabelWidth(points);
  const std::vector<bool> narrow = Labelled(n, 260, label_width),
                          wide = Labelled(n, 760, label_width);
  for (size_t i = 0; i < n; ++i) {
    const ChartPoint& p = points[i];
    const std::string x = Pct(frac(i));
    if (p.shown) {
      plot.Line(Element("circle")
                    .Attr("class", "point")
                    .Attr("cx", x)
                    .Attr("cy", Num(y_of(p.share)))
                    .Attr("r", "4"));
    } else if (p.withheld || !p.note.empty()) {
      plot.Line(Marker(x, kTop + kPlotH - 7));
    }
    const std::string& label = p.tick.empty() ? p.label : p.tick;
    // The first label starts at the plot's left edge and the last ends at its right, so that
    // neither leaves the chart; the others are centred under their point.
    const bool first = i == 0, last = i + 1 == n && n > 1;
    const std::string at = first ? "0%" : last ? "100%" : x;
    const std::string_view anchor = first ? "start" : last ? "end" : "middle";
    if (narrow[i]) {
      plot.Line(Text("tick", at, height - 6, anchor, label));
    } else if (wide[i]) {
      plot.Line(Text("tick wide", at, height - 6, anchor, label));
    }
  }
  Element drawing("div");
  drawing.Attr("class", "trend-grid").Child(std::move(axis)).Child(std::move(plot));
  Element box = Box("trend-drawing", text, std::move(drawing));
  if (!text.axis_note.empty())
    box.Line(Element("p").Attr("class", "axis-note").Text(text.axis_note));
  return box;
}

Element BarsChart(const std::vector<ChartPoint>& points, const ChartText& text) {
  Element bars("div");
  bars.Attr("class", "bars").Child("\n");
  const double mid = kBarRowH / 2;
  for (const ChartPoint& p : points) {
    bars.Line(Element("span").Attr("class", "bar-label").Text(p.label));
    if (!p.shown) {
      // Where the bar would be: the light marker and the one word, across the bar and value
      // columns, so that a long word has room and never leaves the chart.
      Element note("span");
      note.Attr("class", "bar-note");
      if (p.withheld || !p.note.empty())
        note.Child(Element("span").Attr("class", "marker-swatch").Attr("aria-hidden", "true"));
      bars.Line(std::move(note.Text(p.note)));
      continue;
    }
    Element track = Svg("track", kBarRowH);
    for (int pct = 0; pct <= 100; pct += 25) {
      const std::string x = std::to_string(pct) + "%";
      track.Child(Line("grid", x, x, 0, kBarRowH));
    }
    track.Child(Element("rect")
                    .Attr("class", "bar")
                    .Attr("x", "0")
                    .Attr("y", Num(mid - 7))
                    .Attr("width", Pct(std::max(0.002, p.share)))
                    .Attr("height", "14"));
    const std::string lo = Pct(p.low), hi = Pct(p.high);
    track.Child(Line("whisker", lo, hi, mid, mid))
        .Child(Line("whisker", lo, lo, mid - 5, mid + 5))
        .Child(Line("whisker", hi, hi, mid - 5, mid + 5));
    if (text.reference) {
      const std::string x = Pct(text.reference_share);
      track.Child(Line("reference", x, x, 0, kBarRowH));
    }
    bars.Line(std::move(track))
        .Line(Element("span").Attr("class", "bar-value").Text(Percent(p.share, text.lang)));
  }
  Element axis = Svg("bar-axis", 20);
  for (int pct = 0; pct <= 100; pct += 25) {
    // A phone's narrow track shows 0, 50 and 100% only, so the labels never run together.
    axis.Child(Text(pct % 50 == 0 ? "tick" : "tick wide", std::to_string(pct) + "%", 15,
                    pct == 0     ? "start"
                    : pct == 100 ? "end"
                                 : "middle",
                    Percent(pct / 100.0, text.lang)));
  }
  bars.Line(Element("span").Attr("class", "bar-label")).Line(std::move(axis)).Line(Element("span"));
  Element box = Box("bars-drawing", text, std::move(bars));
  if (text.reference) {
    box.Line(
        Element("p")
            .Attr("class", "reference-key")
            .Child(Element("span").Attr("class", "reference-swatch").Attr("aria-hidden", "true"))
            .Text(text.reference_label));
  }
  return box;
}

}  // namespace candour::web
