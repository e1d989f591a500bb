#include "web/dashboard.h"

#include <cstdio>

#include "survey/text_codec.h"
#include "web/charts.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/ui_text.h"

namespace candour::web {
namespace {

using stats::Level;
using stats::MeasureCell;

const UiText& Ui() { return UiText::BuiltIn(); }

// One row of a figure's table (and of the CSV).
struct Row {
  std::string period, group, label;  // label: the period or group as shown
  const MeasureCell* cell = nullptr;
};

struct Chart {
  std::string id;    // HTML id
  std::string kind;  // "trend", or the dimension's question id
  std::string title;
  std::vector<Row> rows;
};

struct Block {
  const survey::Measure* measure = nullptr;
  const MeasureCell* headline = nullptr;
  Chart trend;
  std::vector<Chart> breakdowns;
};

struct Model {
  std::vector<Block> blocks;
  std::string first_month, last_month;
};

bool Withheld(const MeasureCell& c) {
  return !c.positive.published() || !c.negative.published() || !c.base.published();
}

std::string GroupLabel(const survey::Question& q, const std::string& group, const std::string& lang,
                       const std::string& def) {
  if (group == stats::kNotStated) return Ui().Plain(lang, "not_stated");
  const int o = q.OptionIndex(group);
  return o < 0 ? group : q.options[static_cast<size_t>(o)].label.In(lang, def);
}

std::string DimensionName(const survey::Question& q, const std::string& lang,
                          const std::string& def) {
  return q.short_text.Has(lang) || q.short_text.Has(def) ? q.short_text.In(lang, def)
                                                         : q.text.In(lang, def);
}

Model Build(const survey::Survey& survey, const stats::Release& release,
            const DashboardView& view) {
  const std::string& lang = view.lang;
  const std::string& def = survey.default_language();
  Model model;
  const auto& months = release.Periods(Level::kMonth);
  if (!months.empty()) {
    model.first_month = months.front();
    model.last_month = months.back();
  }
  const Level breakdown_level = view.level == Level::kYear ? Level::kYear : Level::kQuarter;
  const auto& breakdown_periods = release.Periods(breakdown_level);
  for (const survey::Measure& m : survey.measures) {
    // Breakdowns show the latest quarter (or year) in which the measure has answers.
    std::string breakdown_period;
    for (auto p = breakdown_periods.rbegin(); p != breakdown_periods.rend(); ++p) {
      const MeasureCell* c = release.Measure(m.id, "", *p, stats::kAllGroups);
      if (c && (!c->base.published() || c->base.count > 0)) {
        breakdown_period = *p;
        break;
      }
    }
    Block block;
    block.measure = &m;
    const std::string label = m.label.In(lang, def);
    block.headline = release.Measure(m.id, "", stats::kAllPeriods, stats::kAllGroups);
    block.trend = {
        "m-" + m.id + "-trend",
        "trend",
        Ui().Plain(
            lang, "trend_caption",
            {{"measure", label},
             {"period", Ui().Plain(lang, std::string("period_") + stats::LevelName(view.level))}}),
        {}};
    for (const std::string& p : release.Periods(view.level)) {
      if (const MeasureCell* c = release.Measure(m.id, "", p, stats::kAllGroups)) {
        block.trend.rows.push_back({p, stats::kAllGroups, p, c});
      }
    }
    if (block.headline) {
      block.trend.rows.push_back(
          {stats::kAllPeriods, stats::kAllGroups, Ui().Plain(lang, "all_periods"), block.headline});
    }
    if (!breakdown_period.empty()) {
      for (const survey::Question& q : survey.questions) {
        if (!q.dimension || q.type != survey::QuestionType::kSingle) continue;
        Chart chart{"m-" + m.id + "-" + q.id,
                    q.id,
                    Ui().Plain(lang, "breakdown_caption",
                               {{"measure", label},
                                {"dimension", DimensionName(q, lang, def)},
                                {"period", breakdown_period}}),
                    {}};
        for (const std::string& g : release.Groups(q.id)) {
          if (const MeasureCell* c = release.Measure(m.id, q.id, breakdown_period, g)) {
            chart.rows.push_back({breakdown_period, g, GroupLabel(q, g, lang, def), c});
          }
        }
        if (!chart.rows.empty()) block.breakdowns.push_back(std::move(chart));
      }
    }
    model.blocks.push_back(std::move(block));
  }
  return model;
}

// What stands in for a share that is not shown, in the page's language.
std::string NoShareNote(const MeasureCell& c, const survey::Survey& survey,
                        const std::string& lang) {
  if (Withheld(c)) return Ui().Plain(lang, "withheld");
  if (c.base.count == 0) return Ui().Plain(lang, "no_answers");
  return Ui().Plain(lang, "share_small_base", {{"min_base", std::to_string(survey.min_base)}});
}

std::string WithheldReason(const survey::Survey& survey, const std::string& lang) {
  return Ui().Plain(lang, "withheld_reason", {{"threshold", std::to_string(survey.threshold)}});
}

std::vector<ChartPoint> Points(const Chart& chart, const survey::Survey& survey,
                               const std::string& lang, bool skip_all) {
  std::vector<ChartPoint> points;
  for (const Row& r : chart.rows) {
    if (skip_all && r.period == stats::kAllPeriods) continue;
    const MeasureCell& c = *r.cell;
    points.push_back({r.label, c.share_shown, c.share, c.low, c.high, Withheld(c),
                      c.share_shown ? "" : NoShareNote(c, survey, lang)});
  }
  return points;
}

// A withheld table cell: the short word, with the reason for screen readers.
std::string WithheldCell(const survey::Survey& survey, const std::string& lang) {
  return "<td class=\"suppressed\">" + Ui().Html(lang, "withheld") +
         "<span class=\"visually-hidden\">: " + HtmlEscape(WithheldReason(survey, lang)) +
         "</span></td>";
}

std::string Table(const Chart& chart, const survey::Survey& survey, const std::string& lang,
                  bool open) {
  const std::string first_col = chart.kind == "trend" ? "col_period" : "col_group";
  std::string out = std::string("<details class=\"figures\"") + (open ? " open" : "") +
                    "><summary>" + Ui().Html(lang, "show_table") + "</summary>\n<table>\n";
  out += "<caption>" + HtmlEscape(chart.title) + "</caption>\n<thead><tr><th scope=\"col\">" +
         Ui().Html(lang, first_col) + "</th><th scope=\"col\">" + Ui().Html(lang, "col_share") +
         "</th><th scope=\"col\">" + Ui().Html(lang, "col_interval") + "</th><th scope=\"col\">" +
         Ui().Html(lang, "col_base") + "</th></tr></thead>\n<tbody>\n";
  for (const Row& r : chart.rows) {
    const MeasureCell& c = *r.cell;
    out += "<tr><th scope=\"row\">" + HtmlEscape(r.label) + "</th>";
    if (c.share_shown) {
      out += "<td>" + Percent(c.share) + "</td><td>" + Percent(c.low) + " &ndash; " +
             Percent(c.high) + "</td>";
    } else if (Withheld(c)) {
      out += WithheldCell(survey, lang) + "<td></td>";
    } else {
      out += "<td colspan=\"2\">" + HtmlEscape(NoShareNote(c, survey, lang)) + "</td>";
    }
    out += c.base.published() ? "<td>" + std::to_string(c.base.count) + "</td>"
                              : WithheldCell(survey, lang);
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n</details>\n";
}

std::string Figure(const Chart& chart, const survey::Survey& survey, const DashboardView& view) {
  const std::string& lang = view.lang;
  const bool trend = chart.kind == "trend";
  const auto points = Points(chart, survey, lang, trend);
  size_t shown = 0, withheld = 0;
  for (const ChartPoint& p : points) {
    shown += p.shown;
    withheld += p.withheld;
  }
  ChartText text{chart.id, chart.title, "", WithheldReason(survey, lang)};
  for (const ChartPoint& p : points) {
    if (!text.description.empty()) text.description += "; ";
    text.description +=
        p.label + ": " +
        (p.shown ? Percent(p.share) + " (" + Percent(p.low) + " - " + Percent(p.high) + ")"
                 : p.note);
  }
  std::string out = std::string("<figure class=\"chart ") + (trend ? "trend" : "breakdown") +
                    "\" id=\"" + HtmlEscape(chart.id) + "\">\n<figcaption>" +
                    HtmlEscape(chart.title) + "</figcaption>\n";
  if (trend && shown == 0) {
    out += "<p class=\"note\">" + Ui().Html(lang, "no_trend") + "</p>\n";
  } else {
    out += trend ? TrendSvg(points, text) : BarsSvg(points, text);
  }
  if (withheld > 0) {
    out +=
        "<p class=\"withheld-key suppressed\"><span class=\"swatch\" aria-hidden=\"true\">"
        "</span>" +
        HtmlEscape(WithheldReason(survey, lang)) + "</p>\n";
  }
  return out + Table(chart, survey, lang, view.print) + "</figure>\n";
}

std::string Headline(const Block& block, const survey::Survey& survey, const Model& model,
                     const std::string& lang) {
  std::string out = "<p class=\"headline\">";
  const MeasureCell* c = block.headline;
  if (c && c->share_shown) {
    out += "<span class=\"share\">" + Percent(c->share) + "</span> <span class=\"detail\">" +
           Ui().Html(lang, "headline_interval",
                     {{"low", Percent(c->low)}, {"high", Percent(c->high)}}) +
           ", " + Ui().Html(lang, "headline_base", {{"base", std::to_string(c->base.count)}}) + ".";
  } else {
    out += "<span class=\"detail" + std::string(c && Withheld(*c) ? " suppressed" : "") + "\">" +
           HtmlEscape(c ? NoShareNote(*c, survey, lang) : Ui().Plain(lang, "no_answers"));
    if (c && Withheld(*c)) out += ": " + HtmlEscape(WithheldReason(survey, lang));
    out += ".";
  }
  out += " " + Ui().Html(lang, "covering",
                         {{"first", HtmlEscape(model.first_month)},
                          {"last", HtmlEscape(model.last_month)}});
  return out + "</span></p>\n";
}

std::string Query(const DashboardView& view, stats::Level level, bool print) {
  std::string q = "?period=" + std::string(stats::LevelName(level)) +
                  "&lang=" + survey::PercentEncode(view.lang);
  if (print) q += "&print=1";
  return q;
}

std::string Controls(const survey::Survey& survey, const DashboardView& view) {
  const std::string& lang = view.lang;
  const std::string base = "/r/" + survey.id;
  std::string out = "<nav class=\"period-switch\" aria-label=\"" +
                    Ui().Html(lang, "period_switch") + "\"><span>" +
                    Ui().Html(lang, "period_switch") + ":</span> ";
  for (Level l : {Level::kMonth, Level::kQuarter, Level::kYear}) {
    out += "<a href=\"" + HtmlEscape(base + Query(view, l, view.print)) + "\"" +
           (l == view.level ? " aria-current=\"page\"" : "") + ">" +
           Ui().Html(lang, std::string("period_") + stats::LevelName(l)) + "</a> ";
  }
  out += "</nav>\n<p class=\"actions\"><a class=\"csv-download\" href=\"" +
         HtmlEscape(base + "/figures.csv" + Query(view, view.level, false)) + "\" download>" +
         Ui().Html(lang, "download_csv") + "</a> <a class=\"print-view\" href=\"" +
         HtmlEscape(base + Query(view, view.level, true)) + "\">" + Ui().Html(lang, "print_view") +
         "</a></p>\n";
  return out;
}

std::string Method(const survey::Survey& survey, const Model& model, const std::string& lang) {
  std::string out =
      "<section class=\"method\" aria-labelledby=\"method-heading\">\n<h2 "
      "id=\"method-heading\">" +
      Ui().Html(lang, "method_heading") + "</h2>\n";
  out += "<p>" + Ui().Html(lang, "method_sample") + "</p>\n";
  out += "<p>" + Ui().Html(lang, "method_base") + "</p>\n";
  out += "<p>" +
         Ui().Html(lang, "method_suppression",
                   {{"below", std::to_string(survey.threshold - 1)},
                    {"min_base", std::to_string(survey.min_base)}}) +
         "</p>\n";
  out += "<p>" + Ui().Html(lang, "method_periods") + " " +
         Ui().Html(
             lang, "covering",
             {{"first", HtmlEscape(model.first_month)}, {"last", HtmlEscape(model.last_month)}}) +
         "</p>\n";
  out += "<p>" + Ui().Html(lang, "method_weighting") + "</p>\n";
  return out + "</section>\n";
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

std::string Share(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

}  // namespace

boost::system::result<DashboardView, std::string> ParseDashboardView(
    const std::vector<std::pair<std::string, std::string>>& query) {
  using Result = boost::system::result<DashboardView, std::string>;
  constexpr char kAllowed[] = "allowed: period=month|quarter|year, print=1, lang=LANGUAGE";
  DashboardView view;
  for (const auto& [key, value] : query) {
    if (key == "period") {
      auto level = stats::ParseLevel(value);
      if (!level || *level == Level::kAll) {
        return Result(boost::system::in_place_error,
                      "period: unknown period \"" + value.substr(0, 20) + "\"; " + kAllowed);
      }
      view.level = *level;
    } else if (key == "print") {
      view.print = value == "1";
    } else if (key != "lang") {
      return Result(boost::system::in_place_error,
                    key.substr(0, 40) + ": unknown parameter; " + kAllowed);
    }
  }
  return view;
}

std::string RenderDashboard(const survey::Survey& survey, const stats::Release& release,
                            const DashboardView& view) {
  const std::string& lang = view.lang;
  const std::string& def = survey.default_language();
  const std::string title =
      Ui().Plain(lang, "results_title", {{"title", survey.title.In(lang, def)}});
  const Model model = Build(survey, release, view);
  std::string out = PageHead(lang, title, false);
  out += std::string("<main class=\"dashboard") + (view.print ? " print" : "") + "\">\n";
  if (!view.print) out += LanguageSwitch(survey, lang, "/r/" + survey.id, "");
  out += "<h1>" + HtmlEscape(title) + "</h1>\n";
  if (survey.demo) out += "<p class=\"demo-note\">" + Ui().Html(lang, "results_demo") + "</p>\n";
  if (model.first_month.empty()) {
    out += "<p>" + Ui().Html(lang, "results_none") + "</p>\n<p><a href=\"/s/" +
           HtmlEscape(survey.id) + "\">" + Ui().Html(lang, "take_survey") + "</a></p>\n";
    return out + "</main>\n</body>\n</html>\n";
  }
  out += "<p>" + Ui().Html(lang, "results_intro") + "</p>\n";
  if (!view.print) out += Controls(survey, view);
  out +=
      "<nav class=\"contents\" aria-labelledby=\"contents-heading\"><h2 id=\"contents-heading\">" +
      Ui().Html(lang, "contents") + "</h2>\n<ul>\n";
  for (const Block& b : model.blocks) {
    out += "<li><a href=\"#m-" + HtmlEscape(b.measure->id) + "\">" +
           HtmlEscape(b.measure->label.In(lang, def)) + "</a></li>\n";
  }
  out += "<li><a href=\"#method-heading\">" + Ui().Html(lang, "method_heading") +
         "</a></li>\n</ul>\n</nav>\n";
  for (const Block& b : model.blocks) {
    out += "<section class=\"measure\" id=\"m-" + HtmlEscape(b.measure->id) + "\">\n<h2>" +
           HtmlEscape(b.measure->label.In(lang, def)) + "</h2>\n";
    out += Headline(b, survey, model, lang);
    out += Figure(b.trend, survey, view);
    for (const Chart& c : b.breakdowns) out += Figure(c, survey, view);
    out += "</section>\n";
  }
  out += Method(survey, model, lang);
  return out + "</main>\n</body>\n</html>\n";
}

std::string DashboardCsv(const survey::Survey& survey, const stats::Release& release,
                         const DashboardView& view) {
  const Model model = Build(survey, release, view);
  const std::string& lang = view.lang;
  std::string out =
      "measure,measure_label,chart,period,group,label,positive,base,share,low,high,note\n";
  auto count = [](const stats::Figure& f) {
    return f.published() ? std::to_string(f.count) : std::string();
  };
  for (const Block& b : model.blocks) {
    const std::string label = b.measure->label.In(lang, survey.default_language());
    std::vector<const Chart*> charts{&b.trend};
    for (const Chart& c : b.breakdowns) charts.push_back(&c);
    for (const Chart* chart : charts) {
      for (const Row& r : chart->rows) {
        const MeasureCell& c = *r.cell;
        out += CsvField(b.measure->id) + "," + CsvField(label) + "," + CsvField(chart->kind) + "," +
               CsvField(r.period) + "," + CsvField(r.group) + "," + CsvField(r.label) + "," +
               count(c.positive) + "," + count(c.base) + ",";
        if (c.share_shown) {
          out += Share(c.share) + "," + Share(c.low) + "," + Share(c.high) + ",";
        } else {
          out += ",,," + CsvField(Withheld(c) ? WithheldReason(survey, lang)
                                              : NoShareNote(c, survey, lang));
        }
        out += "\n";
      }
    }
  }
  return out;
}

std::string RenderNotPublic(const survey::Survey& survey, const std::string& lang) {
  const std::string& def = survey.default_language();
  const std::string title =
      Ui().Plain(lang, "results_title", {{"title", survey.title.In(lang, def)}});
  return PageHead(lang, title, false) + "<main>\n<h1>" + HtmlEscape(title) + "</h1>\n<p>" +
         Ui().Html(lang, "results_not_public") + "</p>\n</main>\n</body>\n</html>\n";
}

}  // namespace candour::web
