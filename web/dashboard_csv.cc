// DashboardCsv (web/dashboard.h): the figures of the measure pages' tables, one row per table
// row, with the weighted column set beside the unweighted.
#include "web/csv.h"
#include "web/dashboard.h"
#include "web/dashboard_model.h"
#include "web/ui_text.h"

namespace candour::web {

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
using stats::MeasureCell;

std::string DashboardCsv(const survey::Survey& survey, const stats::Release& release,
                         const DashboardView& view) {
  const std::string& lang = view.lang;
  const Model model = dashboard::Build(survey, release, lang, view.measure, true);
  // Column names in the reader's language; values machine-readable and the same in every
  // language (ids, ISO periods, counts, shares as decimals with a point, 1 or 0), except the
  // *_label columns and the notes, which say the same in words. A weighted release adds the
  // weighted column set after the unweighted columns.
  std::vector<std::string> header;
  for (const char* column : {"measure", "measure_label", "chart", "period", "period_label", "group",
                             "group_label", "positive", "base", "share", "low", "high", "note",
                             "gap", "gap_low", "gap_high", "gap_significant"})
    header.push_back(UiText::BuiltIn().Plain(lang, std::string("csv_") + column));
  if (model.weighted) {
    for (const char* column :
         {"weighted_share", "weighted_low", "weighted_high", "n_eff", "weighted_note",
          "weighted_gap", "weighted_gap_low", "weighted_gap_high", "weighted_gap_significant"})
      header.push_back(UiText::BuiltIn().Plain(lang, std::string("csv_") + column));
  }
  CsvWriter csv(header);
  auto count = [&](const stats::Figure& f) {
    if (f.published()) {
      csv.Integer(f.count);
    } else {
      csv.Empty();
    }
  };
  const std::string everyone = UiText::BuiltIn().Plain(lang, "csv_everyone");
  for (const MeasureModel& mm : model.measures) {
    std::vector<const Chart*> charts;
    for (const Chart& c : mm.trends) charts.push_back(&c);
    for (const Chart& c : mm.breakdowns) charts.push_back(&c);
    for (const Chart* chart : charts) {
      for (const Row& r : chart->rows) {
        const MeasureCell& c = *r.cell;
        csv.Text(mm.measure->id).Text(mm.label).Text(chart->kind);
        // A trend's row is a period of everyone; a breakdown's, a group in the latest window.
        csv.Text(r.period).Text(chart->trend ? r.label : model.window_label);
        csv.Text(r.group).Text(chart->trend ? everyone : r.label);
        count(c.positive);
        count(c.base);
        if (c.share_shown) {
          csv.Decimal(c.share).Decimal(c.low).Decimal(c.high).Empty();
        } else {
          csv.Empty().Empty().Empty().Text(Withheld(c) ? WithheldLine(lang)
                                                       : NoShareNote(c, survey, lang));
        }
        auto gap = [&](const std::optional<stats::GapCell>& g) {
          if (g) {
            csv.Decimal(g->difference).Decimal(g->low).Decimal(g->high);
            csv.Integer(g->significant ? 1 : 0);
          } else {
            csv.Empty().Empty().Empty().Empty();
          }
        };
        gap(r.gap);
        if (model.weighted) {  // the weighted column set
          if (WeightedShown(c)) {
            csv.Decimal(c.weighted->share).Decimal(c.weighted->low).Decimal(c.weighted->high);
            csv.Integer(static_cast<uint64_t>(c.weighted->n_eff)).Empty();
          } else {
            csv.Empty().Empty().Empty().Empty();
            csv.Text(WeightedWithheld(c) ? WithheldLine(lang) : NoWeightedNote(c, survey, lang));
          }
          gap(r.weighted_gap);
        }
        csv.EndRow();
      }
    }
  }
  return std::move(csv).str();
}

}  // namespace candour::web
