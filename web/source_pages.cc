#include "web/source_pages.h"

#include <boost/json.hpp>

#include "survey/text_codec.h"
#include "web/console_pages.h"
#include "web/html.h"
#include "web/locale_format.h"
#include "web/ui_text.h"

namespace candour::web {
namespace {

using html::Element;
using html::Fragment;
using Shown = survey::SourceCell::Shown;

std::string CellText(const survey::SourceCell& cell, uint64_t threshold) {
  switch (cell.shown) {
    case Shown::kCount:
      return FormatCount(cell.count, "en");
    case Shown::kFewerThan:
      return "fewer than " + std::to_string(threshold);
    case Shown::kWithheld:
      break;
  }
  return "withheld";
}

std::string MonthText(const survey::SourceMonth& month) {
  std::string out = FormatPeriod(month.month, stats::Level::kMonth, "en");
  if (!month.complete) out += " (so far)";
  return out;
}

// Sources as rows and months as columns: a survey has a few months and may have many sources.
// On a phone each row reads as a list of named months (the data-label of each cell).
Element CountsTable(const survey::SourceCounts& counts) {
  Element table("table");
  table.Attr("class", "summary console-sources").Child("\n");
  table.Line(Element("caption").Text("Responses per source and month, oldest month first"));
  Element head("tr");
  head.Child(Element("th").Attr("scope", "col").Text("Source"));
  for (const auto& month : counts.months)
    head.Child(Element("th").Attr("scope", "col").Text(MonthText(month)));
  table.Line(Element("thead").Child(std::move(head)));
  Element body("tbody");
  body.Child("\n");
  for (size_t s = 0; s < counts.sources.size(); ++s) {
    const survey::SourceColumn& source = counts.sources[s];
    Element th("th");
    th.Attr("scope", "row").Text(source.label);
    if (!source.tag.empty())
      th.Child(Element("span").Attr("class", "console-tag").Text("src=" + source.tag));
    Element row("tr");
    row.Child(std::move(th));
    for (const auto& month : counts.months) {
      const survey::SourceCell& cell = month.cells[s];
      Element td("td");
      td.Attr("data-label", MonthText(month));
      if (cell.shown != Shown::kCount) td.Attr("class", "suppressed");
      row.Child(std::move(td).Text(CellText(cell, counts.threshold)));
    }
    body.Line(std::move(row));
  }
  table.Line(std::move(body));
  return table;
}

Element PosterLinks(const survey::Survey& survey, const survey::Source& source,
                    const std::string& link) {
  const std::string base = "/s/" + survey::PercentEncode(survey.id);
  const std::string src = survey::PercentEncode(source.tag);
  Element section("section");
  section.Attr("class", "console-source").Attr("aria-labelledby", "source-" + source.tag);
  section.Child("\n").Line(Element("h3").Attr("id", "source-" + source.tag).Text(source.label));
  section.Line(Element("p").Attr("class", "console-link").Text(link));
  Element posters("p");
  posters.Attr("class", "console-links");
  for (const std::string& lang : survey.languages) {
    const std::string name =
        UiText::BuiltIn().Has(lang) ? UiText::BuiltIn().Plain(lang, "language_name") : lang;
    posters.Child(Element("a")
                      .Attr("href", base + "/poster?src=" + src + "&lang=" + lang)
                      .Child(Fragment()
                                 .Text("Poster in ")
                                 .Append(Element("span").Attr("lang", lang).Text(name))));
  }
  posters
      .Child(Element("a")
                 .Attr("href", base + "/qr.svg?src=" + src)
                 .Attr("download", survey.id + "-" + source.tag + "-qr.svg")
                 .Text("QR code (SVG)"))
      .Child(Element("a")
                 .Attr("href", base + "/qr.png?src=" + src)
                 .Attr("download", survey.id + "-" + source.tag + "-qr.png")
                 .Text("QR code (PNG)"));
  section.Line(std::move(posters));
  return section;
}

}  // namespace

std::string RenderConsoleSources(const survey::Survey& survey, const survey::SourceCounts& counts,
                                 const std::function<std::string(const std::string&)>& link) {
  const std::string title = survey.title.In(survey.default_language(), "");
  const std::string threshold = std::to_string(counts.threshold);
  Element main("main");
  main.Attr("class", "console").Attr("id", "main");
  main.Line(Element("h1").Text("Sources and posters"));
  main.Line(
      Element("p")
          .Child(Element("strong").Text(title.empty() ? survey.id : title))
          .Text(" (" + survey.id + "): " + FormatCount(counts.total, "en") + " responses in all."));

  main.Line(Element("h2").Attr("id", "counts").Text("Responses by source"));
  main.Line(Element("p").Text(
      "Counts by the tag in each poster's or event's link (?src=...), by month. Counts from 1 to " +
      std::to_string(counts.threshold - 1) + " show as \"fewer than " + threshold +
      "\"; so that none can be worked out from a month's total, a few more may be withheld "
      "too. The current month is counted so far."));
  if (!counts.fully_protected) {
    main.Line(Element("p")
                  .Attr("class", "console-warning")
                  .Text("Every count is withheld: too few responses to show any source's without "
                        "singling one "
                        "out."));
  }
  if (counts.sources.empty()) {
    main.Line(Element("p").Text("No responses yet, and no sources declared."));
  } else if (counts.months.empty()) {
    main.Line(Element("p").Text("No responses yet."));
  } else {
    main.Line(Element("div").Attr("class", "console-table").Child(CountsTable(counts)));
  }

  main.Line(Element("h2").Attr("id", "posters").Text("Posters and QR codes"));
  const std::string edit = "/admin/surveys/" + survey.id + "/edit#sources";
  if (survey.sources.empty()) {
    main.Line(Element("p")
                  .Text("This survey declares no sources. ")
                  .Child(Element("a").Attr("href", edit).Text("Declare its events and posters"))
                  .Text(" (a tag and a label each) in a new version; each then gets its own "
                        "poster and QR code here."));
  } else {
    main.Line(Element("p")
                  .Text("Each poster is one A4 page: print it from the browser. Its QR code "
                        "opens the form with the source's tag. ")
                  .Child(Element("a").Attr("href", edit).Text("Declare or change sources")));
    for (const survey::Source& source : survey.sources)
      main.Line(PosterLinks(survey, source, link(source.tag)));
  }
  return ConsolePage("Sources and posters", true, std::move(main));
}

std::string SourceCountsJson(const survey::Survey& survey, const survey::SourceCounts& counts) {
  namespace json = boost::json;
  json::array sources;
  for (const auto& s : counts.sources)
    sources.push_back({{"tag", s.tag}, {"label", s.label}, {"declared", s.declared}});
  json::array months;
  for (const auto& m : counts.months) {
    json::array cells;
    for (size_t s = 0; s < m.cells.size(); ++s) {
      json::object cell{{"source", counts.sources[s].tag}};
      switch (m.cells[s].shown) {
        case Shown::kCount:
          cell["count"] = m.cells[s].count;
          break;
        case Shown::kFewerThan:
          cell["fewer_than"] = counts.threshold;
          break;
        case Shown::kWithheld:
          cell["withheld"] = true;
          break;
      }
      cells.push_back(std::move(cell));
    }
    months.push_back({{"month", m.month}, {"complete", m.complete}, {"counts", std::move(cells)}});
  }
  return json::serialize(
             json::object{{"survey", survey.id},
                          {"threshold", counts.threshold},
                          {"total", counts.total},
                          {"fully_protected", counts.fully_protected},
                          {"sources", std::move(sources)},
                          {"months", std::move(months)},
                          {"note", "Counts from 1 to " + std::to_string(counts.threshold - 1) +
                                       " are given as \"fewer_than\"; "
                                       "\"withheld\" counts (and withheld zeros, as "
                                       "\"fewer_than\") keep a small count from being "
                                       "worked out from the month totals. The current month "
                                       "(complete: false) is counted so "
                                       "far."}}) +
         "\n";
}

}  // namespace candour::web
