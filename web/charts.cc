#include "web/charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>

namespace candour::web {
namespace {

using html::Element;

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// "label: 62% (55% - 69%)": a point's figures as its tooltip says them.
std::string Figures(const ChartPoint& p) {
  return p.label + ": " + Percent(p.share) + " (" + Percent(p.low) + " - " + Percent(p.high) + ")";
}

Element Open(const ChartText& text, int width, int height) {
  return Element("svg")
      .Attr("class", "chart-svg")
      .Attr("viewBox", "0 0 " + std::to_string(width) + " " + std::to_string(height))
      .Attr("role", "img")
      .Attr("aria-labelledby", text.id + "-t " + text.id + "-d")
      .Attr("focusable", "false")
      .Child("\n")
      .Line(Element("title").Attr("id", text.id + "-t").Text(text.title))
      .Line(Element("desc").Attr("id", text.id + "-d").Text(text.description));
}

// One numeric attribute of an SVG element, such as x="12.5".
struct Coordinate {
  html::Name name;
  double value;
};

// <tag class="cls" name="value"...>, the coordinates in the order given.
Element SvgElement(html::Name tag, std::string_view cls,
                   std::initializer_list<Coordinate> coordinates) {
  Element e(tag);
  e.Attr("class", cls);
  for (const Coordinate& c : coordinates) e.Attr(c.name, Num(c.value));
  return e;
}

Element Rect(std::string_view cls, double x, double y, double w, double h) {
  return SvgElement("rect", cls, {{"x", x}, {"y", y}, {"width", w}, {"height", h}});
}

Element SvgLine(std::string_view cls, double x1, double x2, double y1, double y2) {
  return SvgElement("line", cls, {{"x1", x1}, {"x2", x2}, {"y1", y1}, {"y2", y2}});
}

// <text class x y [text-anchor]>content</text>
Element Label(std::string_view cls, double x, double y, std::string_view anchor,
              std::string_view content) {
  Element t = SvgElement("text", cls, {{"x", x}, {"y", y}});
  if (!anchor.empty()) t.Attr("text-anchor", anchor);
  t.Text(content);
  return t;
}

// A withheld marker: a hatched box with its reason as a tooltip, and a short note.
Element WithheldMark(double x, double y, double w, double h, const std::string& note,
                     const std::string& why, bool centred) {
  return Element("g")
      .Attr("class", "suppressed")
      .Child(Element("title").Text(why))
      .Child(Rect("withheld-box", x, y, w, h))
      .Child(
          Label("note", centred ? x + w / 2 : x + 6, y + h / 2 + 4, centred ? "middle" : "", note));
}

// A 95% interval drawn as a whisker: a line from `lo` to `hi` at height `mid`, with end caps.
Element Whisker(double lo, double hi, double mid) {
  std::string d;
  d.append("M").append(Num(lo)).append(" ").append(Num(mid)).append("H").append(Num(hi));
  for (double x : {lo, hi}) {
    d.append("M").append(Num(x)).append(" ").append(Num(mid - 6));
    d.append("V").append(Num(mid + 6));
  }
  return Element("path").Attr("class", "whisker").Attr("d", d);
}

// Shortens a label to fit the bar chart's label column; the table has it in full.
std::string Fit(const std::string& label, size_t max_chars) {
  size_t chars = 0, i = 0;
  for (; i < label.size(); ++i) {
    if ((static_cast<unsigned char>(label[i]) & 0xC0) != 0x80 && ++chars > max_chars) break;
  }
  if (i >= label.size()) return label;
  std::string cut = label.substr(0, i);
  while (!cut.empty() && cut.back() == ' ') cut.pop_back();
  return cut + "\u2026";
}

// The band (95% interval) and line of one run of consecutive shown points [i, j).
template <typename X, typename Y>
void Run(const std::vector<ChartPoint>& points, size_t i, size_t j, X x_of, Y y_of, Element& svg) {
  std::string band, line;
  if (j - i == 1) {
    const double x = x_of(i), hi = y_of(points[i].high), lo = y_of(points[i].low);
    band = Num(x - 5) + "," + Num(hi) + " " + Num(x + 5) + "," + Num(hi) + " " + Num(x + 5) + "," +
           Num(lo) + " " + Num(x - 5) + "," + Num(lo);
  } else {
    for (size_t k = i; k < j; ++k) band += Num(x_of(k)) + "," + Num(y_of(points[k].high)) + " ";
    for (size_t k = j; k-- > i;) band += Num(x_of(k)) + "," + Num(y_of(points[k].low)) + " ";
  }
  for (size_t k = i; k < j; ++k) line += Num(x_of(k)) + "," + Num(y_of(points[k].share)) + " ";
  svg.Line(Element("polygon").Attr("class", "band").Attr("points", band));
  svg.Line(Element("polyline").Attr("class", "line").Attr("points", line));
}

}  // namespace

std::string Percent(double share) {
  return std::to_string(static_cast<int>(std::lround(share * 100))) + "%";
}

Element TrendSvg(const std::vector<ChartPoint>& points, const ChartText& text) {
  constexpr double kW = 640, kH = 250, kLeft = 46, kRight = 10, kTop = 12, kBottom = 44;
  const double plot_w = kW - kLeft - kRight, plot_h = kH - kTop - kBottom;
  const size_t n = points.size();
  // Each period owns an equal slot; its point sits in the middle, so markers never cross the axis.
  const double slot = plot_w / double(std::max<size_t>(n, 1));
  auto x_of = [&](size_t i) { return kLeft + slot * (static_cast<double>(i) + 0.5); };
  auto y_of = [&](double share) { return kTop + plot_h * (1 - share); };
  Element svg = Open(text, static_cast<int>(kW), static_cast<int>(kH));
  for (int pct = 0; pct <= 100; pct += 25) {
    const double y = y_of(pct / 100.0);
    svg.Child(SvgLine("grid", kLeft, kW - kRight, y, y))
        .Line(Label("axis", kLeft - 6, y + 4, "end", std::to_string(pct) + "%"));
  }
  // Each run of consecutive shown points gets its band and line; withheld points break runs.
  for (size_t i = 0; i < n;) {
    if (!points[i].shown) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < n && points[j].shown) ++j;
    Run(points, i, j, x_of, y_of, svg);
    i = j;
  }
  // Label as many periods as fit (a label is about 60 units wide at this size).
  const size_t fit = std::max<size_t>(1, static_cast<size_t>(plot_w / 64));
  const size_t step = (n + fit - 1) / fit;
  for (size_t i = 0; i < n; ++i) {
    const double x = x_of(i);
    const ChartPoint& p = points[i];
    if (p.shown) {
      svg.Line(Element("circle")
                   .Attr("class", "point")
                   .Attr("cx", Num(x))
                   .Attr("cy", Num(y_of(p.share)))
                   .Attr("r", "3.5")
                   .Child(Element("title").Text(Figures(p))));
    } else if (!p.note.empty() && p.withheld) {
      const double w = std::min(40.0, slot * 0.8);
      svg.Line(WithheldMark(x - w / 2, kTop, w, plot_h, "", text.withheld, true));
    } else if (!p.note.empty()) {
      svg.Line(SvgLine("gap", x, x, kTop, kTop + plot_h)
                   .Child(Element("title").Text(p.label + ": " + p.note)));
    }
    if (i % step == 0) svg.Line(Label("axis", x, kH - kBottom + 18, "middle", p.label));
  }
  return svg;
}

Element BarsSvg(const std::vector<ChartPoint>& points, const ChartText& text) {
  constexpr double kW = 640, kLabel = 218, kRow = 30, kTop = 8, kValue = 70;
  const double bar_w = kW - kLabel - kValue - 8;
  const double height = kTop * 2 + kRow * double(points.size()) + 18;
  auto x_of = [&](double share) { return kLabel + bar_w * share; };
  Element svg = Open(text, static_cast<int>(kW), static_cast<int>(height));
  for (int pct = 0; pct <= 100; pct += 25) {
    const double x = x_of(pct / 100.0);
    svg.Child(SvgLine("grid", x, x, kTop, height - 18))
        .Line(Label("axis", x, height - 4, "middle", std::to_string(pct) + "%"));
  }
  for (size_t i = 0; i < points.size(); ++i) {
    const ChartPoint& p = points[i];
    const double y = kTop + kRow * double(i), mid = y + kRow / 2;
    svg.Line(Label("label", kLabel - 8, mid + 4, "end", Fit(p.label, 30)));
    if (p.shown) {
      svg.Line(Rect("bar", kLabel, y + 6, std::max(1.0, bar_w * p.share), kRow - 12)
                   .Child(Element("title").Text(Figures(p))));
      svg.Line(Whisker(x_of(p.low), x_of(p.high), mid));
      svg.Line(Label("value", kW - kValue + 4, mid + 4, "", Percent(p.share)));
    } else if (p.withheld) {
      svg.Line(WithheldMark(kLabel, y + 5, bar_w, kRow - 10, p.note, text.withheld, false));
    } else {
      svg.Line(Label("note", kLabel + 6, mid + 4, "", p.note));
    }
  }
  return svg;
}

}  // namespace candour::web
