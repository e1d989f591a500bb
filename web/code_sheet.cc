// The two forms in which an organiser receives a batch of single-use codes (pages.h).
//
// The sheet is a file to save and print later, perhaps from a laptop without the service: it
// is one self-contained document (its style inline, its QR codes inline SVG, nothing fetched),
// A4 pages of kCodeCardsPerPage cards (3 x 4, 63.2 x 68 mm) with dashed cut lines. Each page is
// its own block that breaks after it, so a page always holds exactly its cards, whatever the
// browser's fragmentation of grids.
#include "web/csv.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/qr.h"
#include "web/ui_text.h"

namespace candour::web {
namespace {

using html::Element;
using html::Fragment;

// Our own style sheet, placed inline: the saved file has no service to load it from. (The CSP
// of the service's pages does not apply: the sheet is sent as an attachment, never shown.)
constexpr char kCodeSheetCss[] = R"css(
* { box-sizing: border-box; }
body { margin: 0; color: #1b1b1b; background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
.sheet-note { max-width: 190mm; margin: 1rem auto; padding: 0.75rem 1rem; font-size: 1.05rem;
  line-height: 1.45; background: #fff7d6; border-left: 6px solid #b58a00; }
.sheet-note h1 { font-size: 1.4rem; line-height: 1.2; margin: 0 0 0.5rem; }
.sheet-note p { margin: 0.4rem 0; }
.sheet-page { width: 190mm; margin: 0 auto 10mm; }
.cards { list-style: none; margin: 0; padding: 0; display: grid;
  grid-template-columns: repeat(3, 63.2mm); grid-auto-rows: 68mm; }
/* Each card draws its right and bottom cut lines, the first row and column the outer top and
   left: one line between two cards, none around an empty place. */
.code-card:nth-child(-n+3) { border-top: 0.3mm dashed #555; }
.code-card:nth-child(3n+1) { border-left: 0.3mm dashed #555; }
.code-card { border-right: 0.3mm dashed #555; border-bottom: 0.3mm dashed #555; padding: 3.5mm 3mm;
  display: flex; flex-direction: column; align-items: center; justify-content: space-between;
  text-align: center; overflow: hidden; break-inside: avoid; }
.card-title { font-weight: 700; font-size: 10.5pt; line-height: 1.2; margin: 0; }
.code-card svg { width: 33mm; height: 33mm; flex: none; }
.card-code { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace;
  font-size: 14pt; font-weight: 700; letter-spacing: 0.08em; margin: 0; }
.card-instruction { font-size: 8pt; line-height: 1.25; margin: 0; overflow-wrap: anywhere; }
@page { size: A4; margin: 10mm; }
@media print {
  .sheet-note { display: none; }
  .sheet-page { margin: 0; break-after: page; }
  .sheet-page:last-child { break-after: auto; }
}
@media screen and (max-width: 48rem) {
  .sheet-note { margin: 0.5rem; }
  .sheet-page { width: auto; margin: 0 0.5rem 1rem; }
  .cards { grid-template-columns: repeat(auto-fill, minmax(min(63.2mm, 100%), 1fr)); }
  .code-card { border: 0.3mm dashed #555; }
}
)css";

}  // namespace

std::string RenderCodeSheet(const survey::Survey& survey, const std::vector<std::string>& codes,
                            const std::function<std::string(const std::string&)>& link) {
  const std::string& lang = survey.default_language();
  const std::string title = survey.title.In(lang, "");
  const std::string plain = link("");
  const size_t pages = (codes.size() + kCodeCardsPerPage - 1) / kCodeCardsPerPage;
  const std::string n = std::to_string(codes.size());

  Element main("main");
  main.Attr("class", "code-sheet").Child("\n");
  // For the organiser (the console is in English), on screen only.
  main.Line(
      Element("div")
          .Attr("class", "sheet-note")
          .Attr("lang", "en")
          .Child("\n")
          .Line(Element("h1").Text("Single-use codes: " + title))
          .Line(Element("p")
                    .Child(Element("strong").Text("These " + n +
                                                  " codes are shown only once. Save this file "
                                                  "or print it now."))
                    .Text(" The service keeps only a hash of each code and cannot show them "
                          "again; issuing more makes new codes."))
          .Line(Element("p").Text("Print on A4 at 100% (" + std::to_string(pages) + " page" +
                                  (pages == 1 ? "" : "s") + ", " +
                                  std::to_string(kCodeCardsPerPage) +
                                  " cards a page) and cut along the dashed lines. Each card "
                                  "lets one person answer once.")));
  for (size_t page = 0; page < pages; ++page) {
    Element list("ul");
    list.Attr("class", "cards").Child("\n");
    for (size_t i = page * kCodeCardsPerPage;
         i < codes.size() && i < (page + 1) * kCodeCardsPerPage; ++i) {
      Element card("li");
      card.Attr("class", "code-card").Child(Element("p").Attr("class", "card-title").Text(title));
      if (auto qr = QrSvgElement(link(codes[i]))) card.Child(std::move(*qr));
      card.Child(Element("p").Attr("class", "card-code").Text(codes[i]))
          .Child(Element("p")
                     .Attr("class", "card-instruction")
                     .Child(UiText::BuiltIn().Html(lang, "card_instruction", {{"link", plain}})));
      list.Line(std::move(card));
    }
    main.Line(Element("section")
                  .Attr("class", "sheet-page")
                  .Attr("aria-label",
                        "Cards, page " + std::to_string(page + 1) + " of " + std::to_string(pages))
                  .Child("\n")
                  .Line(std::move(list)));
  }
  Element head("head");
  head.Child("\n")
      .Line(Element("meta").Attr("charset", "utf-8"))
      .Line(Element("meta")
                .Attr("name", "viewport")
                .Attr("content", "width=device-width, initial-scale=1"))
      .Line(Element("meta").Attr("name", "referrer").Attr("content", "no-referrer"))
      .Line(Element("title").Text("Single-use codes: " + title))
      .Line(Element("style").Child(kCodeSheetCss));
  return Fragment("<!doctype html>\n")
      .Line(Element("html")
                .Attr("lang", lang)
                .Child("\n")
                .Line(std::move(head))
                .Line(Element("body").Child("\n").Line(std::move(main))))
      .str();
}

std::string CodesCsv(const std::vector<std::string>& codes,
                     const std::function<std::string(const std::string&)>& link) {
  CsvWriter csv({"code", "link"});
  for (const std::string& code : codes) {
    csv.Text(code).Text(link(code));
    csv.EndRow();
  }
  return std::move(csv).str();
}

}  // namespace candour::web
