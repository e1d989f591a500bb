#include "web/dashboard.h"

#include <algorithm>
#include <cmath>

#include "survey/text_codec.h"
#include "web/charts.h"
#include "web/dashboard_model.h"
#include "web/html.h"
#include "web/locale_format.h"
#include "web/pages.h"
#include "web/ui_text.h"

namespace candour::web {
namespace {

using dashboard::Chart;
using dashboard::MeasureModel;
using dashboard::Model;
using dashboard::NoShareNote;
using dashboard::NoWeightedNote;
using dashboard::Row;
using dashboard::WeightedShown;
using dashboard::WeightedWithheld;
using dashboard::Withheld;
using dashboard::WithheldLine;
using html::Element;
using stats::MeasureCell;

const UiText& Ui() { return UiText::BuiltIn(); }

bool HasMeasure(const survey::Survey& survey, const std::string& id) {
  for (const survey::Measure& m : survey.measures)
    if (m.id == id) return true;
  return false;
}

// Whole percentage points, unsigned: "6".
std::string Points(double d) {
  return std::to_string(static_cast<int>(std::lround(std::fabs(d) * 100)));
}

// Signed percentage points with one decimal: "+15.0", "-2.3".
std::string SignedPoints(double d, const std::string& lang) {
  return FormatDecimal(d * 100, lang, 1, true);
}

// "(+2.1 to +9.8 points)": a difference's interval.
std::string PointsInterval(const stats::GapCell& g, const std::string& lang) {
  return Ui().Plain(lang, "interval_points",
                    {{"low", SignedPoints(g.low, lang)}, {"high", SignedPoints(g.high, lang)}});
}

bool SmallBase(const MeasureCell& c) { return !c.share_shown && !Withheld(c) && c.base.count > 0; }

bool SmallWeightedBase(const MeasureCell& c) {
  return !WeightedShown(c) && !WeightedWithheld(c) && c.base.count > 0;
}

std::string SmallBaseLine(const survey::Survey& survey, const std::string& lang) {
  return Ui().Plain(lang, "small_base_line", {{"min_base", std::to_string(survey.min_base)}});
}

// A withheld table cell: the one word, with the one explanation for screen readers.
Element WithheldCell(const std::string& lang) {
  return Element("td")
      .Attr("class", "suppressed")
      .Child(Ui().Html(lang, "withheld"))
      .Child(Element("span").Attr("class", "visually-hidden").Text(": " + WithheldLine(lang)));
}

Element HeaderCell(const std::string& lang, std::string_view key) {
  return Element("th").Attr("scope", "col").Child(Ui().Html(lang, key));
}

std::string Interval(const MeasureCell& c, const std::string& lang) {
  return Ui().Plain(lang, "interval_range",
                    {{"low", Percent(c.low, lang)}, {"high", Percent(c.high, lang)}});
}
std::string WeightedInterval(const MeasureCell& c, const std::string& lang) {
  return Ui().Plain(
      lang, "interval_range",
      {{"low", Percent(c.weighted->low, lang)}, {"high", Percent(c.weighted->high, lang)}});
}

// A table's weighted share, interval and effective base (three cells), weighted first.
void WeightedCells(const MeasureCell& c, const survey::Survey& survey, const std::string& lang,
                   Element& tr) {
  if (WeightedShown(c)) {
    tr.Child(Element("td").Text(Percent(c.weighted->share, lang)))
        .Child(Element("td").Text(WeightedInterval(c, lang)))
        .Child(Element("td").Text(FormatCount(static_cast<int64_t>(c.weighted->n_eff), lang)));
  } else if (WeightedWithheld(c)) {
    tr.Child(WithheldCell(lang)).Child(Element("td")).Child(Element("td"));
  } else {
    tr.Child(Element("td").Attr("colspan", "3").Text(NoWeightedNote(c, survey, lang)));
  }
}

Element GapCellOf(const std::optional<stats::GapCell>& g, const std::string& lang) {
  Element gap("td");
  if (g) {
    gap.Text(SignedPoints(g->difference, lang));
    if (g->significant)
      gap.Attr("class", "significant").Text(" ").Child(Ui().Html(lang, "gap_significant"));
    gap.Child(Element("span").Attr("class", "gap-interval").Text(PointsInterval(*g, lang)));
  }
  return gap;
}

// Weighted first: weighted share, interval, effective base, (weighted gap), then the
// unweighted share and base.
Element WeightedTableRow(const Row& r, bool gaps, const survey::Survey& survey,
                         const std::string& lang) {
  const MeasureCell& c = *r.cell;
  Element tr("tr");
  tr.Child(Element("th").Attr("scope", "row").Text(r.label));
  WeightedCells(c, survey, lang, tr);
  if (gaps) tr.Child(GapCellOf(r.weighted_gap, lang));
  if (c.share_shown) {
    tr.Child(Element("td").Text(Percent(c.share, lang)));
  } else if (Withheld(c)) {
    tr.Child(WithheldCell(lang));
  } else {
    tr.Child(Element("td").Text(NoShareNote(c, survey, lang)));
  }
  tr.Child(c.base.published() ? Element("td").Text(FormatCount(c.base.count, lang))
                              : WithheldCell(lang));
  return tr;
}

Element TableRow(const Row& r, bool gaps, const survey::Survey& survey, const std::string& lang,
                 bool weighted) {
  if (weighted) return WeightedTableRow(r, gaps, survey, lang);
  const MeasureCell& c = *r.cell;
  Element tr("tr");
  tr.Child(Element("th").Attr("scope", "row").Text(r.label));
  if (c.share_shown) {
    tr.Child(Element("td").Text(Percent(c.share, lang)))
        .Child(Element("td").Text(Interval(c, lang)));
  } else if (Withheld(c)) {
    tr.Child(WithheldCell(lang)).Child(Element("td"));
  } else {
    tr.Child(Element("td").Attr("colspan", "2").Text(NoShareNote(c, survey, lang)));
  }
  tr.Child(c.base.published() ? Element("td").Text(FormatCount(c.base.count, lang))
                              : WithheldCell(lang));
  if (gaps) tr.Child(GapCellOf(r.gap, lang));
  return tr;
}

Element Table(const Chart& chart, const survey::Survey& survey, const std::string& lang, bool open,
              bool weighted) {
  Element body("tbody");
  body.Child("\n");
  for (const Row& r : chart.rows) body.Line(TableRow(r, !chart.trend, survey, lang, weighted));
  Element details("details");
  details.Attr("class", "figures");
  if (open) details.Attr("open");
  Element head("tr");
  head.Child(HeaderCell(lang, chart.trend ? "col_period" : "col_group"));
  if (weighted) {
    head.Child(HeaderCell(lang, "col_weighted_share"))
        .Child(HeaderCell(lang, "col_weighted_interval"))
        .Child(HeaderCell(lang, "col_neff"));
    if (!chart.trend) head.Child(HeaderCell(lang, "col_weighted_gap"));
    head.Child(HeaderCell(lang, "col_unweighted_share")).Child(HeaderCell(lang, "col_base"));
  } else {
    head.Child(HeaderCell(lang, "col_share"))
        .Child(HeaderCell(lang, "col_interval"))
        .Child(HeaderCell(lang, "col_base"));
    if (!chart.trend) head.Child(HeaderCell(lang, "col_gap"));
  }
  return details.Child(Element("summary").Child(Ui().Html(lang, "show_table")))
      .Child("\n")
      .Line(Element("table")
                .Child("\n")
                .Line(Element("caption").Text(chart.title))
                .Line(Element("thead").Child(std::move(head)))
                .Line(std::move(body)));
}

std::vector<ChartPoint> PointsOf(const Chart& chart, const survey::Survey& survey,
                                 const std::string& lang, bool weighted) {
  std::vector<ChartPoint> points;
  for (const Row& r : chart.rows) {
    const MeasureCell& c = *r.cell;
    if (weighted) {  // the weighted shares are what the charts draw
      const bool shown = WeightedShown(c);
      points.push_back(
          {r.label, r.tick, shown, shown ? c.weighted->share : 0, shown ? c.weighted->low : 0,
           shown ? c.weighted->high : 0, WeightedWithheld(c),
           shown || (c.base.count == 0 && !WeightedWithheld(c)) ? ""
                                                                : NoWeightedNote(c, survey, lang)});
      continue;
    }
    points.push_back(
        {r.label, r.tick, c.share_shown, c.share, c.low, c.high, Withheld(c),
         c.share_shown || (c.base.count == 0 && !Withheld(c)) ? "" : NoShareNote(c, survey, lang)});
  }
  return points;
}

// "Jan 2026: 38% (29% to 46%); Feb 2026: ...": the chart said in words, for screen readers.
std::string Description(const std::vector<ChartPoint>& points, const std::string& lang) {
  std::string out;
  for (const ChartPoint& p : points) {
    if (!out.empty()) out += "; ";
    out += p.label + ": ";
    if (p.shown) {
      out += Percent(p.share, lang) + " (" +
             Ui().Plain(lang, "interval_range",
                        {{"low", Percent(p.low, lang)}, {"high", Percent(p.high, lang)}}) +
             ")";
    } else {
      out += p.note.empty() ? Ui().Plain(lang, "no_answers") : p.note;
    }
  }
  return out;
}

// A line beside a chart saying what its light markers mean.
Element KeyLine(std::string_view cls, const std::string& text) {
  return Element("p")
      .Attr("class", cls)
      .Child(Element("span").Attr("class", "marker-swatch").Attr("aria-hidden", "true"))
      .Text(text);
}

// A chart with its caption, its key lines and (unless `brief`) the table behind it.
Element Figure(const Chart& chart, const MeasureModel& mm, const survey::Survey& survey,
               const DashboardView& view, bool brief = false) {
  const std::string& lang = view.lang;
  const bool weighted = mm.headline && mm.headline->weighted;
  const auto points = PointsOf(chart, survey, lang, weighted);
  size_t shown = 0;
  bool withheld = false, small = false;
  for (const Row& r : chart.rows) {
    shown += weighted ? WeightedShown(*r.cell) : r.cell->share_shown;
    withheld |= weighted ? WeightedWithheld(*r.cell) : Withheld(*r.cell);
    small |= weighted ? SmallWeightedBase(*r.cell) : SmallBase(*r.cell);
  }
  ChartText text;
  text.id = chart.id;
  text.title_id = chart.id + "-t";
  text.description = Description(points, lang);
  text.lang = lang;
  Element figure("figure");
  figure.Attr("class", chart.trend ? "chart trend" : "chart breakdown")
      .Attr("id", chart.id)
      .Child("\n")
      .Line(Element("figcaption").Attr("id", text.title_id).Text(chart.title));
  if (shown == 0) {
    figure.Line(Element("p").Attr("class", "note").Child(Ui().Html(lang, "no_chart")));
  } else if (chart.trend) {
    const TrendRange range = RangeOf(points);
    if (range.lo > 0)
      text.axis_note = Ui().Plain(lang, "axis_from", {{"low", Percent(range.lo, lang)}});
    figure.Line(TrendChart(points, text));
  } else {
    const bool reference =
        weighted ? WeightedShown(*mm.headline) : mm.headline && mm.headline->share_shown;
    if (reference) {
      const double share = weighted ? mm.headline->weighted->share : mm.headline->share;
      text.reference = true;
      text.reference_share = share;
      text.reference_label = Ui().Plain(lang, "reference_label", {{"share", Percent(share, lang)}});
    }
    figure.Line(BarsChart(points, text));
  }
  if (withheld) figure.Line(KeyLine("key withheld-key", WithheldLine(lang)));
  if (small) figure.Line(KeyLine("key small-base-key", SmallBaseLine(survey, lang)));
  if (brief) return figure;
  return std::move(figure.Line(Table(chart, survey, lang, view.print, weighted)));
}

Element Paragraph(const html::Fragment& content) { return Element("p").Child(content); }

std::string Link(const survey::Survey& survey, const std::string& lang, const std::string& page,
                 const std::string& query = "") {
  return "/r/" + survey.id + (page.empty() ? "" : "/" + page) +
         "?lang=" + survey::PercentEncode(lang) + query;
}

// The change on the 12 months before, in words when it is significant.
html::Fragment ChangeText(const MeasureModel& mm, const std::string& lang) {
  html::Fragment f;
  if (!mm.change) return f.Text(Ui().Plain(lang, "not_available"));
  const stats::GapCell& c = *mm.change;
  Element words("strong");
  if (c.significant) {
    words.Text(Ui().Plain(lang, c.difference > 0 ? "change_up" : "change_down",
                          {{"points", Points(c.difference)}}));
  } else {
    words = Element("span");
    words.Text(Ui().Plain(lang, "change_none"));
  }
  return f.Append(std::move(words))
      .Text(" ")
      .Append(Element("span").Attr("class", "interval").Text(PointsInterval(c, lang)));
}

// `brief`: the summary's form, where a group whose name no other dimension has goes without
// its dimension's name, so that the row keeps to two lines.
html::Fragment GapText(const MeasureModel& mm, const std::string& lang, bool brief = false) {
  html::Fragment f;
  if (!mm.largest_gap) return f.Text(Ui().Plain(lang, mm.any_gap ? "gap_none" : "not_available"));
  const auto& g = *mm.largest_gap;
  const bool named_alone = brief && g.unique_name;
  return f
      .Append(Element("span")
                  .Attr("class", "gap-group")
                  .Text(named_alone ? g.group + ":" : g.group + " (" + g.dimension + "):"))
      .Text(" ")
      .Append(
          Element("strong").Text(Ui().Plain(lang, g.gap.difference > 0 ? "gap_higher" : "gap_lower",
                                            {{"points", Points(g.gap.difference)}})))
      .Text(" ")
      .Append(Element("span").Attr("class", "interval").Text(PointsInterval(g.gap, lang)));
}

Element LabelledCell(const std::string& lang, std::string_view key) {
  return Element("td").Attr("data-label", Ui().Plain(lang, key));
}

// The summary's weighted cells: the weighted share with its interval under it, then the
// unweighted share, each named for the list layout (the effective base is on the measure page
// and in the CSV: the summary keeps every measure on the first screen).
void WeightedSummaryCells(const MeasureCell* c, const survey::Survey& survey,
                          const std::string& lang, Element& tr) {
  if (c && WeightedShown(*c)) {
    tr.Child(
        LabelledCell(lang, "col_weighted_share_interval")
            .Child(Element("span").Attr("class", "share").Text(Percent(c->weighted->share, lang)))
            .Text(" ")
            .Child(Element("span").Attr("class", "interval").Text(WeightedInterval(*c, lang))));
  } else if (c && WeightedWithheld(*c)) {
    tr.Child(
        WithheldCell(lang).Attr("data-label", Ui().Plain(lang, "col_weighted_share_interval")));
  } else {
    tr.Child(LabelledCell(lang, "col_weighted_share_interval")
                 .Text(c ? NoWeightedNote(*c, survey, lang) : Ui().Plain(lang, "no_answers")));
  }
  if (c && c->share_shown) {
    tr.Child(LabelledCell(lang, "col_unweighted_share").Text(Percent(c->share, lang)));
  } else if (c && Withheld(*c)) {
    tr.Child(WithheldCell(lang).Attr("data-label", Ui().Plain(lang, "col_unweighted_share")));
  } else {
    tr.Child(LabelledCell(lang, "col_unweighted_share")
                 .Text(c ? NoShareNote(*c, survey, lang) : Ui().Plain(lang, "no_answers")));
  }
}

// Whether any measure has a change on the year before: without one (a survey's first two
// years), the summary leaves out a column that would say "not available" on every row.
bool AnyChange(const Model& model) {
  return std::any_of(model.measures.begin(), model.measures.end(),
                     [](const MeasureModel& mm) { return mm.change.has_value(); });
}

Element SummaryHead(bool weighted, bool change, const std::string& lang) {
  Element tr("tr");
  tr.Child(HeaderCell(lang, "col_measure"));
  if (weighted) {
    tr.Child(HeaderCell(lang, "col_weighted_share_interval"))
        .Child(HeaderCell(lang, "col_unweighted_share"));
  } else {
    tr.Child(HeaderCell(lang, "col_share")).Child(HeaderCell(lang, "col_interval"));
  }
  tr.Child(HeaderCell(lang, "col_base"));
  if (change) tr.Child(HeaderCell(lang, "col_change"));
  return std::move(tr.Child(HeaderCell(lang, "col_largest_gap")));
}

Element SummaryTable(const Model& model, const survey::Survey& survey, const std::string& lang) {
  const bool change = AnyChange(model);
  Element body("tbody");
  body.Child("\n");
  for (const MeasureModel& mm : model.measures) {
    Element tr("tr");
    tr.Child(
        Element("th")
            .Attr("scope", "row")
            .Child(Element("a").Attr("href", Link(survey, lang, mm.measure->id)).Text(mm.label)));
    const MeasureCell* c = mm.headline;
    if (model.weighted) {
      WeightedSummaryCells(c, survey, lang, tr);
    } else if (c && c->share_shown) {
      tr.Child(LabelledCell(lang, "col_share").Attr("class", "share").Text(Percent(c->share, lang)))
          .Child(LabelledCell(lang, "col_interval").Text(Interval(*c, lang)));
    } else if (c && Withheld(*c)) {
      tr.Child(WithheldCell(lang).Attr("data-label", Ui().Plain(lang, "col_share")))
          .Child(LabelledCell(lang, "col_interval"));
    } else {
      tr.Child(LabelledCell(lang, "col_share")
                   .Attr("colspan", "2")
                   .Text(c ? NoShareNote(*c, survey, lang) : Ui().Plain(lang, "no_answers")));
    }
    if (c && c->base.published()) {
      tr.Child(LabelledCell(lang, "col_base").Text(FormatCount(c->base.count, lang)));
    } else {
      tr.Child(WithheldCell(lang).Attr("data-label", Ui().Plain(lang, "col_base")));
    }
    if (change) tr.Child(LabelledCell(lang, "col_change").Child(ChangeText(mm, lang)));
    tr.Child(LabelledCell(lang, "col_largest_gap").Child(GapText(mm, lang, true)));
    body.Line(std::move(tr));
  }
  return Element("table")
      .Attr("class", change ? "summary" : "summary no-change")
      .Child("\n")
      .Line(Element("caption").Text(
          Ui().Plain(lang, "summary_caption", {{"window", model.window_label}})))
      .Line(Element("thead").Child(SummaryHead(model.weighted, change, lang)))
      .Line(std::move(body));
}

Element HowToRead(const survey::Survey& survey, const Model& model, const std::string& lang) {
  return Element("section")
      .Attr("class", "how-to-read")
      .Attr("aria-labelledby", "how-heading")
      .Child("\n")
      .Line(Element("h2").Attr("id", "how-heading").Child(Ui().Html(lang, "how_heading")))
      .Line(Element("ul")
                .Child("\n")
                .Line(Element("li").Child(model.weighted ? Ui().Html(lang, "how_interval_weighted",
                                                                     {{"margins", model.margins}})
                                                         : Ui().Html(lang, "how_interval")))
                .Line(Element("li").Child(Ui().Html(lang, "how_change")))
                .Line(Element("li").Child(Ui().Html(lang, "how_withheld")))
                .Line(Element("li").Child(Ui().Html(
                    lang, "how_small_base", {{"min_base", std::to_string(survey.min_base)}}))))
      .Line(Element("p").Child(
          Element("a").Attr("href", "#method-heading").Child(Ui().Html(lang, "method_link"))));
}

// A measure page's weighted headline: its weighted share, interval and effective base.
Element WeightedHeadline(const MeasureCell* c, const survey::Survey& survey, const Model& model,
                         const std::string& lang) {
  Element p("p");
  p.Attr("class", "headline weighted");
  if (c && WeightedShown(*c)) {
    return std::move(
        p.Child(Element("span").Attr("class", "share").Text(Percent(c->weighted->share, lang)))
            .Text(" ")
            .Child(Ui().Html(
                lang, "headline_weighted_detail",
                {{"window", model.window_label},
                 {"interval", WeightedInterval(*c, lang)},
                 {"n_eff", FormatCount(static_cast<int64_t>(c->weighted->n_eff), lang)}})));
  }
  return std::move(p.Text(model.window_label + ": " +
                          (c ? NoWeightedNote(*c, survey, lang) : Ui().Plain(lang, "no_answers"))));
}

// "Weighted figures come first ...": above every table of a weighted survey's pages.
Element WeightedLead(const Model& model, const std::string& lang) {
  return Element("p")
      .Attr("class", "weighted-note")
      .Child(Ui().Html(lang, "weighted_lead", {{"margins", model.margins}}));
}

// How the weights are made, and which periods' raking stopped at its limit.
Element WeightedMethod(const survey::Survey& survey, const stats::Release& release,
                       const Model& model, const std::string& lang) {
  const stats::ReleaseSpec& spec = release.spec();
  html::Fragment text =
      Ui().Html(lang, "method_weighted",
                {{"margins", model.margins},
                 {"source", survey.population_source.In(lang, survey.default_language())},
                 {"cap", FormatDecimal(spec.raking.trim_factor, lang, 0, false)},
                 {"min_base", std::to_string(survey.min_base)}});
  std::string stopped;
  for (const stats::WeightingReport& r : release.weighting()) {
    if (!r.converged) stopped += (stopped.empty() ? "" : ", ") + r.period;
  }
  if (!stopped.empty())
    text.Text(" ").Append(Ui().Html(lang, "method_not_converged", {{"periods", stopped}}));
  return Paragraph(text);
}

Element Method(const survey::Survey& survey, const stats::Release& release, const Model& model,
               const std::string& lang) {
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
      .Line(Paragraph(
          html::Fragment(Ui().Html(lang, "method_periods"))
              .Text(" ")
              .Append(Ui().Html(lang, "covering_months",
                                {{"first", model.first_month}, {"last", model.last_month}}))))
      .Line(model.weighted ? WeightedMethod(survey, release, model, lang)
                           : Paragraph(Ui().Html(lang, "method_weighting")));
}

// Who answered in the latest 12 months, by each dimension's groups: the release's profile of
// the window when it publishes one, else the bases of the first measure's breakdowns (said so).
Element WhoAnswered(const survey::Survey& survey, const stats::Release& release, const Model& model,
                    const std::string& lang) {
  const std::string& def = survey.default_language();
  Element section("section");
  section.Attr("class", "who-answered")
      .Attr("aria-labelledby", "who-heading")
      .Child("\n")
      .Line(Element("h2").Attr("id", "who-heading").Child(Ui().Html(lang, "who_heading")));
  const Model full = dashboard::Build(
      survey, release, lang, survey.measures.empty() ? "" : survey.measures.front().id, true);
  if (full.measures.empty() || full.window.empty()) {
    return std::move(section.Line(Paragraph(Ui().Html(lang, "results_none"))));
  }
  const MeasureModel& first = full.measures.front();
  section.Line(Paragraph(
      Ui().Html(lang, "who_intro", {{"measure", first.label}, {"window", model.window_label}})));
  Element grid("div");
  grid.Attr("class", "profile").Child("\n");
  const stats::Figure* total = first.headline ? &first.headline->base : nullptr;
  for (const Chart& chart : first.breakdowns) {
    const survey::Question* q = survey.FindQuestion(chart.kind);
    Element body("tbody");
    for (const Row& r : chart.rows) {
      Element tr("tr");
      tr.Child(Element("th").Attr("scope", "row").Text(r.label));
      tr.Child(r.cell->base.published() ? Element("td").Text(FormatCount(r.cell->base.count, lang))
                                        : WithheldCell(lang));
      // The group's part of everyone who answered: two published counts, so nothing new.
      if (r.cell->base.published() && total && total->published() && total->count > 0) {
        tr.Child(
            Element("td").Text(Percent(double(r.cell->base.count) / double(total->count), lang)));
      } else {
        tr.Child(Element("td"));
      }
      body.Line(std::move(tr));
    }
    grid.Line(Element("table")
                  .Child(Element("caption").Text(!q ? chart.kind
                                                 : q->short_text.Has(lang) || q->short_text.Has(def)
                                                     ? q->short_text.In(lang, def)
                                                     : q->text.In(lang, def)))
                  .Child(Element("thead").Child(Element("tr")
                                                    .Child(HeaderCell(lang, "col_group"))
                                                    .Child(HeaderCell(lang, "col_count"))
                                                    .Child(HeaderCell(lang, "col_part"))))
                  .Child(std::move(body)));
  }
  return std::move(section.Line(std::move(grid)));
}

// Each measure's trend by financial quarter, captioned with the measure, without its table.
Element Brief(const survey::Survey& survey, const stats::Release& release,
              const DashboardView& view) {
  const Model model = dashboard::Build(survey, release, view.lang, "", true);
  Element section("section");
  section.Attr("class", "brief-charts")
      .Attr("aria-labelledby", "brief-heading")
      .Child("\n")
      .Line(Element("h2").Attr("id", "brief-heading").Child(Ui().Html(view.lang, "brief_heading")));
  for (const MeasureModel& mm : model.measures) {
    for (Chart chart : mm.trends) {
      if (chart.kind != stats::LevelName(stats::Level::kQuarter)) continue;
      chart.title = Ui().Plain(view.lang, "brief_caption", {{"measure", mm.label}});
      section.Line(Figure(chart, mm, survey, view, true));
    }
  }
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

Element Actions(const survey::Survey& survey, const DashboardView& view, const std::string& page) {
  const std::string& lang = view.lang;
  const std::string csv_query = "/r/" + survey.id +
                                "/figures.csv?lang=" + survey::PercentEncode(lang) +
                                (page.empty() ? "" : "&measure=" + survey::PercentEncode(page));
  return Element("p")
      .Attr("class", "actions")
      .Child(Element("a")
                 .Attr("class", "csv-download")
                 .Attr("href", csv_query)
                 .Attr("download")
                 .Child(Ui().Html(lang, "download_csv")))
      .Text(" ")
      .Child(Element("a")
                 .Attr("class", "print-view")
                 .Attr("href", Link(survey, lang, page, "&print=1"))
                 .Child(Ui().Html(lang, "print_view")));
}

// The start of every dashboard page: language switch, h1, the demo note.
Element Top(const survey::Survey& survey, const DashboardView& view, const std::string& page,
            const std::string& h1) {
  Element main("main");
  main.Attr("class", view.print ? "dashboard print" : "dashboard").Child("\n");
  if (!view.print)
    main.Child(LanguageSwitch(survey, view.lang,
                              "/r/" + survey.id + (page.empty() ? "" : "/" + page), ""));
  main.Line(Element("h1").Text(h1));
  if (survey.demo) {
    main.Line(Element("p").Attr("class", "demo-note").Child(Ui().Html(view.lang, "results_demo")));
  }
  return main;
}

std::string Title(const survey::Survey& survey, const std::string& lang) {
  return Ui().Plain(lang, "results_title",
                    {{"title", survey.title.In(lang, survey.default_language())}});
}

}  // namespace

boost::system::result<DashboardView, std::string> ParseDashboardView(
    const survey::Survey& survey, const std::vector<std::pair<std::string, std::string>>& query) {
  using Result = boost::system::result<DashboardView, std::string>;
  constexpr char kAllowed[] = "allowed: print=1, measure=MEASURE (figures.csv), lang=LANGUAGE";
  DashboardView view;
  for (const auto& [key, value] : query) {
    if (key == "print") {
      view.print = value == "1";
    } else if (key == "period" && (value == "month" || value == "quarter" || value == "rolling")) {
      // Links from before the summary chose a page's period; every period is on the measure
      // pages now, so they still work and the value is ignored.
    } else if (key == "measure") {
      if (!HasMeasure(survey, value)) {
        return Result(boost::system::in_place_error,
                      "measure: there is no measure \"" + value.substr(0, 40) + "\"; " + kAllowed);
      }
      view.measure = value;
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
  const std::string title = Title(survey, lang);
  const Model model = dashboard::Build(survey, release, lang, "", false);
  Element main = Top(survey, view, "", title);
  if (model.window.empty()) {
    main.Line(Paragraph(Ui().Html(lang, "results_none")))
        .Line(Element("p").Child(
            Element("a").Attr("href", "/s/" + survey.id).Child(Ui().Html(lang, "take_survey"))));
    return Page(lang, title, false, html::Fragment().Line(std::move(main)));
  }
  main.Line(Element("div").Attr("class", "summary-wrap").Child(SummaryTable(model, survey, lang)));
  if (!AnyChange(model)) main.Line(Paragraph(Ui().Html(lang, "change_not_yet")));
  // Said right under the table, whose caption and columns already name the weighted figures.
  if (model.weighted) main.Line(WeightedLead(model, lang));
  main.Line(Element("p")
                .Attr("class", "lead")
                .Child(Ui().Html(lang, "summary_intro", {{"window", model.window_label}})));
  main.Line(HowToRead(survey, model, lang));
  if (view.print) {
    // The printed brief: the summary, then each measure's quarterly trend (its page and CSV
    // have the tables), then the method note; at most 4 A4 pages.
    main.Line(Brief(survey, release, view));
    main.Line(Method(survey, release, model, lang));
    return Page(lang, title, false, html::Fragment().Line(std::move(main)));
  }
  main.Line(Actions(survey, view, ""));
  main.Line(Method(survey, release, model, lang));
  main.Line(WhoAnswered(survey, release, model, lang));
  return Page(lang, title, false, html::Fragment().Line(std::move(main)));
}

std::optional<std::string> RenderMeasurePage(const survey::Survey& survey,
                                             const stats::Release& release,
                                             const DashboardView& view) {
  const std::string& lang = view.lang;
  if (!HasMeasure(survey, view.measure)) return std::nullopt;
  const Model model = dashboard::Build(survey, release, lang, view.measure, true);
  const MeasureModel& mm = model.measures.front();
  const std::string title = mm.label + " – " + Title(survey, lang);
  Element main = Top(survey, view, view.measure, mm.label);
  main.Line(Element("p")
                .Attr("class", "breadcrumb")
                .Child(Element("a")
                           .Attr("href", Link(survey, lang, ""))
                           .Child(Ui().Html(
                               lang, "back_to_summary",
                               {{"title", survey.title.In(lang, survey.default_language())}}))));
  if (model.window.empty()) {
    main.Line(Paragraph(Ui().Html(lang, "results_none")));
    return Page(lang, title, false, html::Fragment().Line(std::move(main)));
  }
  // The headline: the latest 12 months, its change and largest gap, as the summary says them.
  Element headline("p");
  headline.Attr("class", "headline");
  const MeasureCell* c = mm.headline;
  if (model.weighted) {
    main.Line(WeightedLead(model, lang));
    main.Line(WeightedHeadline(c, survey, model, lang));
    headline.Attr("class", "headline unweighted");
  }
  if (c && c->share_shown && model.weighted) {
    headline.Text(Ui().Plain(lang, "headline_unweighted",
                             {{"share", Percent(c->share, lang)},
                              {"interval", Interval(*c, lang)},
                              {"base", FormatCount(static_cast<int64_t>(c->base.count), lang)}}));
  } else if (c && c->share_shown) {
    headline.Child(Element("span").Attr("class", "share").Text(Percent(c->share, lang)))
        .Text(" ")
        .Child(Ui().Html(lang, "headline_detail",
                         {{"window", model.window_label},
                          {"interval", Interval(*c, lang)},
                          {"base", FormatCount(c->base.count, lang)}}));
  } else {
    headline.Text(model.window_label + ": " +
                  (c ? NoShareNote(*c, survey, lang) : Ui().Plain(lang, "no_answers")));
  }
  main.Line(std::move(headline));
  main.Line(Element("dl")
                .Attr("class", "headline-facts")
                .Child(Element("dt").Child(Ui().Html(lang, "col_change")))
                .Child(Element("dd").Child(ChangeText(mm, lang)))
                .Child(Element("dt").Child(Ui().Html(lang, "col_largest_gap")))
                .Child(Element("dd").Child(GapText(mm, lang))));
  if (!view.print) main.Line(Actions(survey, view, view.measure));
  main.Line(Element("h2").Child(Ui().Html(lang, "trend_heading")));
  for (const Chart& chart : mm.trends) main.Line(Figure(chart, mm, survey, view));
  main.Line(
      Element("h2").Child(Ui().Html(lang, "breakdown_heading", {{"window", model.window_label}})));
  for (const Chart& chart : mm.breakdowns) main.Line(Figure(chart, mm, survey, view));
  main.Line(Element("p").Child(Element("a")
                                   .Attr("href", Link(survey, lang, "") + "#method-heading")
                                   .Child(Ui().Html(lang, "method_link"))));
  return Page(lang, title, false, html::Fragment().Line(std::move(main)));
}

std::string RenderUnknownMeasure(const survey::Survey& survey, const std::string& lang,
                                 const std::string& measure) {
  const std::string title = Title(survey, lang);
  return Page(
      lang, title, false,
      html::Fragment().Line(
          Element("main")
              .Child("\n")
              .Line(Element("h1").Text(title))
              .Line(Paragraph(
                  Ui().Html(lang, "measure_unknown", {{"measure", measure.substr(0, 60)}})))
              .Line(Element("p").Child(
                  Element("a")
                      .Attr("href", Link(survey, lang, ""))
                      .Child(Ui().Html(
                          lang, "back_to_summary",
                          {{"title", survey.title.In(lang, survey.default_language())}}))))));
}

std::string RenderNotPublic(const survey::Survey& survey, const std::string& lang) {
  return ResultsNotice(survey, lang, "results_not_public", 0);
}

std::string RenderPreparing(const survey::Survey& survey, const std::string& lang,
                            int refresh_seconds) {
  return ResultsNotice(survey, lang, "results_preparing", refresh_seconds);
}

}  // namespace candour::web
