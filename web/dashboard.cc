#include "web/dashboard.h"

#include "survey/text_codec.h"
#include "web/charts.h"
#include "web/csv.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/ui_text.h"

namespace candour::web {
namespace {

using html::Element;
using stats::Level;
using stats::MeasureCell;

const UiText& Ui() { return UiText::BuiltIn(); }

// A difference of shares in percentage points, signed: "+15.0", "-2.3".
std::string PercentagePoints(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f", d * 100);
  return buf;
}

// One row of a figure's table (and of the CSV).
struct Row {
  std::string period, group, label;  // label: the period or group as shown
  const MeasureCell* cell = nullptr;
  std::optional<stats::GapCell> gap;  // a stated group's gap to everyone else
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
  // The headline's period: the latest rolling 12 months (or, in a survey's first year, the
  // latest quarter).
  std::string headline_period;
  bool any_month = false;  // a month is complete: there is something to show
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
  model.any_month = !release.Periods(Level::kMonth).empty();
  for (Level l : {Level::kRolling, Level::kQuarter}) {
    if (model.headline_period.empty() && !release.Periods(l).empty())
      model.headline_period = release.Periods(l).back();
  }
  const Level breakdown_level = view.level == Level::kRolling ? Level::kRolling : Level::kQuarter;
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
    block.headline = release.Measure(m.id, "", model.headline_period, stats::kAllGroups);
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
        block.trend.rows.push_back({p, stats::kAllGroups, p, c, std::nullopt});
      }
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
            chart.rows.push_back({breakdown_period, g, GroupLabel(q, g, lang, def), c,
                                  stats::GapOf(release, m.id, q.id, breakdown_period, g)});
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
                               const std::string& lang) {
  std::vector<ChartPoint> points;
  for (const Row& r : chart.rows) {
    const MeasureCell& c = *r.cell;
    points.push_back({r.label, c.share_shown, c.share, c.low, c.high, Withheld(c),
                      c.share_shown ? "" : NoShareNote(c, survey, lang)});
  }
  return points;
}

// A withheld table cell: the short word, with the reason for screen readers.
Element WithheldCell(const survey::Survey& survey, const std::string& lang) {
  return Element("td")
      .Attr("class", "suppressed")
      .Child(Ui().Html(lang, "withheld"))
      .Child(Element("span")
                 .Attr("class", "visually-hidden")
                 .Text(": " + WithheldReason(survey, lang)));
}

Element HeaderCell(const std::string& lang, std::string_view key) {
  return Element("th").Attr("scope", "col").Child(Ui().Html(lang, key));
}

Element TableRow(const Row& r, const survey::Survey& survey, const std::string& lang) {
  const MeasureCell& c = *r.cell;
  Element tr("tr");
  tr.Child(Element("th").Attr("scope", "row").Text(r.label));
  if (c.share_shown) {
    tr.Child(Element("td").Text(Percent(c.share)))
        .Child(Element("td").Text(Percent(c.low)).Child(" &ndash; ").Text(Percent(c.high)));
  } else if (Withheld(c)) {
    tr.Child(WithheldCell(survey, lang)).Child(Element("td"));
  } else {
    tr.Child(Element("td").Attr("colspan", "2").Text(NoShareNote(c, survey, lang)));
  }
  tr.Child(c.base.published() ? Element("td").Text(std::to_string(c.base.count))
                              : WithheldCell(survey, lang));
  if (r.group != stats::kAllGroups) {
    Element gap("td");
    if (r.gap) {
      gap.Text(PercentagePoints(r.gap->difference));
      if (r.gap->significant)
        gap.Attr("class", "significant").Text(" ").Child(Ui().Html(lang, "gap_significant"));
      gap.Child(Element("span")
                    .Attr("class", "gap-interval")
                    .Text(PercentagePoints(r.gap->low) + " " + Ui().Plain(lang, "gap_to") + " " +
                          PercentagePoints(r.gap->high)));
    }
    tr.Child(std::move(gap));
  }
  return tr;
}

Element Table(const Chart& chart, const survey::Survey& survey, const std::string& lang,
              bool open) {
  Element body("tbody");
  body.Child("\n");
  for (const Row& r : chart.rows) body.Line(TableRow(r, survey, lang));
  Element details("details");
  details.Attr("class", "figures");
  if (open) details.Attr("open");
  return details.Child(Element("summary").Child(Ui().Html(lang, "show_table")))
      .Child("\n")
      .Line(Element("table")
                .Child("\n")
                .Line(Element("caption").Text(chart.title))
                .Line(Element("thead").Child(
                    Element("tr")
                        .Child(HeaderCell(lang, chart.kind == "trend" ? "col_period" : "col_group"))
                        .Child(HeaderCell(lang, "col_share"))
                        .Child(HeaderCell(lang, "col_interval"))
                        .Child(HeaderCell(lang, "col_base"))
                        .Child(chart.kind == "trend"
                                   ? html::Fragment()
                                   : html::Fragment().Append(HeaderCell(lang, "col_gap")))))
                .Line(std::move(body)));
}

// "2026-01: 38% (29% - 46%); 2026-02: ...": the chart said in words, for screen readers.
std::string Description(const std::vector<ChartPoint>& points) {
  std::string out;
  for (const ChartPoint& p : points) {
    if (!out.empty()) out += "; ";
    out += p.label + ": " +
           (p.shown ? Percent(p.share) + " (" + Percent(p.low) + " - " + Percent(p.high) + ")"
                    : p.note);
  }
  return out;
}

Element Figure(const Chart& chart, const survey::Survey& survey, const DashboardView& view) {
  const std::string& lang = view.lang;
  const bool trend = chart.kind == "trend";
  const auto points = Points(chart, survey, lang);
  size_t shown = 0, withheld = 0;
  for (const ChartPoint& p : points) {
    shown += p.shown;
    withheld += p.withheld;
  }
  const ChartText text{chart.id, chart.title, Description(points), WithheldReason(survey, lang)};
  Element figure("figure");
  figure.Attr("class", trend ? "chart trend" : "chart breakdown")
      .Attr("id", chart.id)
      .Child("\n")
      .Line(Element("figcaption").Text(chart.title));
  if (trend && shown == 0) {
    figure.Line(Element("p").Attr("class", "note").Child(Ui().Html(lang, "no_trend")));
  } else {
    figure.Line(trend ? TrendSvg(points, text) : BarsSvg(points, text));
  }
  if (withheld > 0) {
    figure.Line(Element("p")
                    .Attr("class", "withheld-key suppressed")
                    .Child(Element("span").Attr("class", "swatch").Attr("aria-hidden", "true"))
                    .Text(WithheldReason(survey, lang)));
  }
  return std::move(figure.Line(Table(chart, survey, lang, view.print)));
}

html::Fragment Covering(const Model& model, const std::string& lang) {
  return Ui().Html(lang, "covering", {{"period", model.headline_period}});
}

Element Headline(const Block& block, const survey::Survey& survey, const Model& model,
                 const std::string& lang) {
  Element p("p");
  p.Attr("class", "headline");
  const MeasureCell* c = block.headline;
  Element detail("span");
  if (c && c->share_shown) {
    p.Child(Element("span").Attr("class", "share").Text(Percent(c->share))).Text(" ");
    detail.Attr("class", "detail")
        .Child(Ui().Html(lang, "headline_interval",
                         {{"low", Percent(c->low)}, {"high", Percent(c->high)}}))
        .Text(", ")
        .Child(Ui().Html(lang, "headline_base", {{"base", std::to_string(c->base.count)}}));
  } else {
    const bool withheld = c && Withheld(*c);
    detail.Attr("class", withheld ? "detail suppressed" : "detail")
        .Text(c ? NoShareNote(*c, survey, lang) : Ui().Plain(lang, "no_answers"));
    if (withheld) detail.Text(": " + WithheldReason(survey, lang));
  }
  detail.Text(". ").Child(Covering(model, lang));
  return p.Child(std::move(detail));
}

std::string Query(const DashboardView& view, stats::Level level, bool print) {
  std::string q = "?period=" + std::string(stats::LevelName(level)) +
                  "&lang=" + survey::PercentEncode(view.lang);
  if (print) q += "&print=1";
  return q;
}

html::Fragment Controls(const survey::Survey& survey, const DashboardView& view) {
  const std::string& lang = view.lang;
  const std::string base = "/r/" + survey.id;
  Element nav("nav");
  nav.Attr("class", "period-switch")
      .Attr("aria-label", Ui().Plain(lang, "period_switch"))
      .Child(Element("span").Child(Ui().Html(lang, "period_switch")).Text(":"))
      .Text(" ");
  for (Level l : {Level::kMonth, Level::kQuarter, Level::kRolling}) {
    Element a("a");
    a.Attr("href", base + Query(view, l, view.print));
    if (l == view.level) a.Attr("aria-current", "page");
    a.Child(Ui().Html(lang, std::string("period_") + stats::LevelName(l)));
    nav.Child(std::move(a)).Text(" ");
  }
  return html::Fragment()
      .Line(std::move(nav))
      .Line(Element("p")
                .Attr("class", "actions")
                .Child(Element("a")
                           .Attr("class", "csv-download")
                           .Attr("href", base + "/figures.csv" + Query(view, view.level, false))
                           .Attr("download")
                           .Child(Ui().Html(lang, "download_csv")))
                .Text(" ")
                .Child(Element("a")
                           .Attr("class", "print-view")
                           .Attr("href", base + Query(view, view.level, true))
                           .Child(Ui().Html(lang, "print_view"))));
}

Element Paragraph(const html::Fragment& content) { return Element("p").Child(content); }

Element Method(const survey::Survey& survey, const Model& model, const std::string& lang) {
  return Element("section")
      .Attr("class", "method")
      .Attr("aria-labelledby", "method-heading")
      .Child("\n")
      .Line(Element("h2").Attr("id", "method-heading").Child(Ui().Html(lang, "method_heading")))
      .Line(Paragraph(Ui().Html(lang, "method_sample")))
      .Line(Paragraph(Ui().Html(lang, "method_base")))
      .Line(Paragraph(Ui().Html(lang, "method_suppression",
                                {{"below", std::to_string(survey.threshold - 1)},
                                 {"min_base", std::to_string(survey.min_base)}})))
      .Line(Paragraph(html::Fragment(Ui().Html(lang, "method_periods"))
                          .Text(" ")
                          .Append(Covering(model, lang))))
      .Line(Paragraph(Ui().Html(lang, "method_weighting")));
}

Element Contents(const Model& model, const std::string& lang, const std::string& def) {
  Element list("ul");
  list.Child("\n");
  for (const Block& b : model.blocks) {
    list.Line(Element("li").Child(
        Element("a").Attr("href", "#m-" + b.measure->id).Text(b.measure->label.In(lang, def))));
  }
  list.Line(Element("li").Child(
      Element("a").Attr("href", "#method-heading").Child(Ui().Html(lang, "method_heading"))));
  return Element("nav")
      .Attr("class", "contents")
      .Attr("aria-labelledby", "contents-heading")
      .Child(Element("h2").Attr("id", "contents-heading").Child(Ui().Html(lang, "contents")))
      .Child("\n")
      .Line(std::move(list));
}

Element Section(const Block& b, const survey::Survey& survey, const Model& model,
                const DashboardView& view) {
  Element section("section");
  section.Attr("class", "measure")
      .Attr("id", "m-" + b.measure->id)
      .Child("\n")
      .Line(Element("h2").Text(b.measure->label.In(view.lang, survey.default_language())))
      .Line(Headline(b, survey, model, view.lang))
      .Line(Figure(b.trend, survey, view));
  for (const Chart& c : b.breakdowns) section.Line(Figure(c, survey, view));
  return section;
}

// A results page of a survey that says only one thing: the UI text `key`.
std::string ResultsNotice(const survey::Survey& survey, const std::string& lang, const char* key,
                          int refresh_seconds) {
  const std::string title = Ui().Plain(
      lang, "results_title", {{"title", survey.title.In(lang, survey.default_language())}});
  return Page(lang, title, false,
              html::Fragment().Line(Element("main")
                                        .Child("\n")
                                        .Line(Element("h1").Text(title))
                                        .Line(Paragraph(Ui().Html(lang, key)))),
              refresh_seconds);
}

}  // namespace

boost::system::result<DashboardView, std::string> ParseDashboardView(
    const std::vector<std::pair<std::string, std::string>>& query) {
  using Result = boost::system::result<DashboardView, std::string>;
  constexpr char kAllowed[] = "allowed: period=month|quarter|rolling, print=1, lang=LANGUAGE";
  DashboardView view;
  for (const auto& [key, value] : query) {
    if (key == "period") {
      auto level = stats::ParseLevel(value);
      if (!level) {
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
  Element main("main");
  main.Attr("class", view.print ? "dashboard print" : "dashboard").Child("\n");
  if (!view.print) main.Child(LanguageSwitch(survey, lang, "/r/" + survey.id, ""));
  main.Line(Element("h1").Text(title));
  if (survey.demo) {
    main.Line(Element("p").Attr("class", "demo-note").Child(Ui().Html(lang, "results_demo")));
  }
  if (!model.any_month) {
    main.Line(Paragraph(Ui().Html(lang, "results_none")))
        .Line(Element("p").Child(
            Element("a").Attr("href", "/s/" + survey.id).Child(Ui().Html(lang, "take_survey"))));
    return Page(lang, title, false, html::Fragment().Line(std::move(main)));
  }
  main.Line(Paragraph(Ui().Html(lang, "results_intro")));
  if (!view.print) main.Child(Controls(survey, view));
  main.Line(Contents(model, lang, def));
  for (const Block& b : model.blocks) main.Line(Section(b, survey, model, view));
  main.Line(Method(survey, model, lang));
  return Page(lang, title, false, html::Fragment().Line(std::move(main)));
}

std::string DashboardCsv(const survey::Survey& survey, const stats::Release& release,
                         const DashboardView& view) {
  const Model model = Build(survey, release, view);
  const std::string& lang = view.lang;
  CsvWriter csv({"measure", "measure_label", "chart", "period", "group", "label", "positive",
                 "base", "share", "low", "high", "note", "gap", "gap_low", "gap_high",
                 "gap_significant"});
  auto count = [&](const stats::Figure& f) {
    if (f.published()) {
      csv.Integer(f.count);
    } else {
      csv.Empty();
    }
  };
  for (const Block& b : model.blocks) {
    const std::string label = b.measure->label.In(lang, survey.default_language());
    std::vector<const Chart*> charts{&b.trend};
    for (const Chart& c : b.breakdowns) charts.push_back(&c);
    for (const Chart* chart : charts) {
      for (const Row& r : chart->rows) {
        const MeasureCell& c = *r.cell;
        csv.Text(b.measure->id).Text(label).Text(chart->kind).Text(r.period).Text(r.group);
        csv.Text(r.label);
        count(c.positive);
        count(c.base);
        if (c.share_shown) {
          csv.Decimal(c.share).Decimal(c.low).Decimal(c.high).Empty();
        } else {
          csv.Empty().Empty().Empty().Text(Withheld(c) ? WithheldReason(survey, lang)
                                                       : NoShareNote(c, survey, lang));
        }
        if (r.gap) {
          csv.Decimal(r.gap->difference).Decimal(r.gap->low).Decimal(r.gap->high);
          csv.Text(r.gap->significant ? "yes" : "no");
        } else {
          csv.Empty().Empty().Empty().Empty();
        }
        csv.EndRow();
      }
    }
  }
  return std::move(csv).str();
}

std::string RenderNotPublic(const survey::Survey& survey, const std::string& lang) {
  return ResultsNotice(survey, lang, "results_not_public", 0);
}

std::string RenderPreparing(const survey::Survey& survey, const std::string& lang,
                            int refresh_seconds) {
  return ResultsNotice(survey, lang, "results_preparing", refresh_seconds);
}

}  // namespace candour::web
