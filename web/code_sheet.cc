// The two forms in which an organiser receives a batch of single-use codes (pages.h).
#include "web/csv.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/qr.h"

namespace candour::web {

using html::Element;

std::string RenderCodeSheet(const survey::Survey& survey, const std::vector<std::string>& codes,
                            const std::function<std::string(const std::string&)>& link) {
  const std::string title = survey.title.In(survey.default_language(), "");
  Element list("ul");
  list.Child("\n");
  for (const std::string& code : codes) {
    const std::string url = link(code);
    Element card("li");
    card.Attr("class", "code-card");
    if (auto qr = QrSvgElement(url)) card.Child(std::move(*qr));
    card.Child(Element("p").Attr("class", "code").Text(code));
    card.Child(Element("p").Attr("class", "code-link").Text(url));
    list.Line(std::move(card));
  }
  Element main("main");
  main.Attr("class", "code-sheet")
      .Child("\n")
      .Line(Element("h1").Text(title))
      .Line(std::move(list));
  return Page(survey.default_language(), title, false, html::Fragment().Line(std::move(main)));
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
