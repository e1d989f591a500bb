#include "web/charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "survey/text_codec.h"
#include "web/html.h"

namespace candour::web {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string Open(const ChartText& text, int width, int height) {
  return "<svg class=\"chart-svg\" viewBox=\"0 0 " + std::to_string(width) + " " +
         std::to_string(height) + "\" role=\"img\" aria-labelledby=\"" + HtmlEscape(text.id) +
         "-t " + HtmlEscape(text.id) + "-d\" focusable=\"false\">\n<title id=\"" +
         HtmlEscape(text.id) + "-t\">" + HtmlEscape(text.title) + "</title>\n<desc id=\"" +
         HtmlEscape(text.id) + "-d\">" + HtmlEscape(text.description) + "</desc>\n";
}

// A withheld marker: a hatched box with its reason as a tooltip, and a short note.
std::string WithheldMark(double x, double y, double w, double h, const std::string& note,
                         const std::string& why, bool centred) {
  std::string out = "<g class=\"suppressed\"><title>" + HtmlEscape(why) + "</title>";
  out += "<rect class=\"withheld-box\" x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" +
         Num(w) + "\" height=\"" + Num(h) + "\"/>";
  const double tx = centred ? x + w / 2 : x + 6;
  out += "<text class=\"note\" x=\"" + Num(tx) + "\" y=\"" + Num(y + h / 2 + 4) + "\"" +
         (centred ? " text-anchor=\"middle\"" : "") + ">" + HtmlEscape(note) + "</text></g>\n";
  return out;
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

}  // namespace

std::string Percent(double share) {
  return std::to_string(static_cast<int>(std::lround(share * 100))) + "%";
}

std::string TrendSvg(const std::vector<ChartPoint>& points, const ChartText& text) {
  constexpr double kW = 640, kH = 250, kLeft = 46, kRight = 10, kTop = 12, kBottom = 44;
  const double plot_w = kW - kLeft - kRight, plot_h = kH - kTop - kBottom;
  const size_t n = points.size();
  // Each period owns an equal slot; its point sits in the middle, so markers never cross the axis.
  const double slot = plot_w / double(std::max<size_t>(n, 1));
  auto x_of = [&](size_t i) { return kLeft + slot * (static_cast<double>(i) + 0.5); };
  auto y_of = [&](double share) { return kTop + plot_h * (1 - share); };
  std::string out = Open(text, static_cast<int>(kW), static_cast<int>(kH));
  for (int pct = 0; pct <= 100; pct += 25) {
    const double y = y_of(pct / 100.0);
    out += "<line class=\"grid\" x1=\"" + Num(kLeft) + "\" x2=\"" + Num(kW - kRight) + "\" y1=\"" +
           Num(y) + "\" y2=\"" + Num(y) + "\"/><text class=\"axis\" x=\"" + Num(kLeft - 6) +
           "\" y=\"" + Num(y + 4) + "\" text-anchor=\"end\">" + std::to_string(pct) + "%</text>\n";
  }
  // Each run of consecutive shown points gets its band and line; withheld points break runs.
  for (size_t i = 0; i < n;) {
    if (!points[i].shown) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < n && points[j].shown) ++j;
    std::string band, line;
    if (j - i == 1) {
      const double x = x_of(i);
      band = Num(x - 5) + "," + Num(y_of(points[i].high)) + " " + Num(x + 5) + "," +
             Num(y_of(points[i].high)) + " " + Num(x + 5) + "," + Num(y_of(points[i].low)) + " " +
             Num(x - 5) + "," + Num(y_of(points[i].low));
    } else {
      for (size_t k = i; k < j; ++k) band += Num(x_of(k)) + "," + Num(y_of(points[k].high)) + " ";
      for (size_t k = j; k-- > i;) band += Num(x_of(k)) + "," + Num(y_of(points[k].low)) + " ";
    }
    for (size_t k = i; k < j; ++k) line += Num(x_of(k)) + "," + Num(y_of(points[k].share)) + " ";
    out += "<polygon class=\"band\" points=\"" + band + "\"/>\n";
    out += "<polyline class=\"line\" points=\"" + line + "\"/>\n";
    i = j;
  }
  // Label as many periods as fit (a label is about 60 units wide at this size).
  const size_t fit = std::max<size_t>(1, static_cast<size_t>(plot_w / 64));
  const size_t step = (n + fit - 1) / fit;
  for (size_t i = 0; i < n; ++i) {
    const double x = x_of(i);
    const ChartPoint& p = points[i];
    if (p.shown) {
      out += "<circle class=\"point\" cx=\"" + Num(x) + "\" cy=\"" + Num(y_of(p.share)) +
             "\" r=\"3.5\"><title>" +
             HtmlEscape(p.label + ": " + Percent(p.share) + " (" + Percent(p.low) + " - " +
                        Percent(p.high) + ")") +
             "</title></circle>\n";
    } else if (!p.note.empty()) {
      const double w = std::min(40.0, slot * 0.8);
      out += p.withheld ? WithheldMark(x - w / 2, kTop, w, plot_h, "", text.withheld, true)
                        : "<line class=\"gap\" x1=\"" + Num(x) + "\" x2=\"" + Num(x) + "\" y1=\"" +
                              Num(kTop) + "\" y2=\"" + Num(kTop + plot_h) + "\"><title>" +
                              HtmlEscape(p.label + ": " + p.note) + "</title></line>\n";
    }
    if (i % step == 0) {
      out += "<text class=\"axis\" x=\"" + Num(x) + "\" y=\"" + Num(kH - kBottom + 18) +
             "\" text-anchor=\"middle\">" + HtmlEscape(p.label) + "</text>\n";
    }
  }
  return out + "</svg>\n";
}

std::string BarsSvg(const std::vector<ChartPoint>& points, const ChartText& text) {
  constexpr double kW = 640, kLabel = 218, kRow = 30, kTop = 8, kValue = 70;
  const double bar_w = kW - kLabel - kValue - 8;
  const double height = kTop * 2 + kRow * double(points.size()) + 18;
  auto x_of = [&](double share) { return kLabel + bar_w * share; };
  std::string out = Open(text, static_cast<int>(kW), static_cast<int>(height));
  for (int pct = 0; pct <= 100; pct += 25) {
    const double x = x_of(pct / 100.0);
    out += "<line class=\"grid\" x1=\"" + Num(x) + "\" x2=\"" + Num(x) + "\" y1=\"" + Num(kTop) +
           "\" y2=\"" + Num(height - 18) + "\"/><text class=\"axis\" x=\"" + Num(x) + "\" y=\"" +
           Num(height - 4) + "\" text-anchor=\"middle\">" + std::to_string(pct) + "%</text>\n";
  }
  for (size_t i = 0; i < points.size(); ++i) {
    const ChartPoint& p = points[i];
    const double y = kTop + kRow * double(i);
    out += "<text class=\"label\" x=\"" + Num(kLabel - 8) + "\" y=\"" + Num(y + kRow / 2 + 4) +
           "\" text-anchor=\"end\">" + HtmlEscape(Fit(p.label, 30)) + "</text>\n";
    if (p.shown) {
      const double mid = y + kRow / 2;
      out += "<rect class=\"bar\" x=\"" + Num(kLabel) + "\" y=\"" + Num(y + 6) + "\" width=\"" +
             Num(std::max(1.0, bar_w * p.share)) + "\" height=\"" + Num(kRow - 12) + "\"><title>" +
             HtmlEscape(p.label + ": " + Percent(p.share) + " (" + Percent(p.low) + " - " +
                        Percent(p.high) + ")") +
             "</title></rect>\n";
      out += "<path class=\"whisker\" d=\"M" + Num(x_of(p.low)) + " " + Num(mid) + "H" +
             Num(x_of(p.high)) + "M" + Num(x_of(p.low)) + " " + Num(mid - 6) + "V" + Num(mid + 6) +
             "M" + Num(x_of(p.high)) + " " + Num(mid - 6) + "V" + Num(mid + 6) + "\"/>\n";
      out += "<text class=\"value\" x=\"" + Num(kW - kValue + 4) + "\" y=\"" + Num(mid + 4) +
             "\">" + Percent(p.share) + "</text>\n";
    } else if (p.withheld) {
      out += WithheldMark(kLabel, y + 5, bar_w, kRow - 10, p.note, text.withheld, false);
    } else {
      out += "<text class=\"note\" x=\"" + Num(kLabel + 6) + "\" y=\"" + Num(y + kRow / 2 + 4) +
             "\">" + HtmlEscape(p.note) + "</text>\n";
    }
  }
  return out + "</svg>\n";
}

}  // namespace candour::web
