#include "web/html.h"

#include <algorithm>
#include <array>
#include <cassert>

namespace candour::web::html {
namespace {

// Escapes for element content and double-quoted attribute values alike.
void Escape(std::string_view s, std::string& out) {
  size_t run = 0;  // start of the pending run of characters that need no escape
  for (size_t i = 0; i < s.size(); ++i) {
    const char* entity = nullptr;
    switch (s[i]) {
      case '&':
        entity = "&amp;";
        break;
      case '<':
        entity = "&lt;";
        break;
      case '>':
        entity = "&gt;";
        break;
      case '"':
        entity = "&quot;";
        break;
      case '\'':
        entity = "&#39;";
        break;
      default:
        continue;
    }
    out.append(s.substr(run, i - run)).append(entity);
    run = i + 1;
  }
  out.append(s.substr(run));
}

constexpr std::array<std::string_view, 13> kVoid = {"area",   "base",  "br",    "col",  "embed",
                                                    "hr",     "img",   "input", "link", "meta",
                                                    "source", "track", "wbr"};
constexpr std::array<std::string_view, 6> kSvgShapes = {"circle",  "line",     "path",
                                                        "polygon", "polyline", "rect"};

bool Among(std::string_view tag, const auto& tags) {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

}  // namespace

Fragment::Fragment(Markup markup) : html_(markup.text()) {}

Fragment::Fragment(Element element) { element.WriteTo(html_); }

Fragment& Fragment::Text(std::string_view text) {
  Escape(text, html_);
  return *this;
}

Fragment& Fragment::Append(const Fragment& fragment) {
  html_.append(fragment.html_);
  return *this;
}

Fragment& Fragment::Append(Element element) {
  element.WriteTo(html_);
  return *this;
}

Fragment& Fragment::Append(Markup markup) {
  html_.append(markup.text());
  return *this;
}

Fragment& Fragment::Line(Element element) {
  element.WriteTo(html_);
  html_.push_back('\n');
  return *this;
}

Element::Element(Name tag)
    : tag_(tag.text()),
      kind_(Among(tag_, kVoid)        ? Kind::kVoid
            : Among(tag_, kSvgShapes) ? Kind::kSvgShape
                                      : Kind::kNormal) {}

Element& Element::Attr(Name name, std::string_view value) & {
  attrs_.append(" ").append(name.text()).append("=\"");
  Escape(value, attrs_);
  attrs_.push_back('"');
  return *this;
}

Element& Element::Attr(Name name) & {
  attrs_.append(" ").append(name.text());
  return *this;
}

Element& Element::Text(std::string_view text) & {
  assert(kind_ != Kind::kVoid && "a void element has no content");
  Escape(text, content_);
  return *this;
}

Element& Element::Child(Element child) & {
  assert(kind_ != Kind::kVoid && "a void element has no content");
  child.WriteTo(content_);
  return *this;
}

Element& Element::Child(const Fragment& content) & {
  assert(kind_ != Kind::kVoid && "a void element has no content");
  content_.append(content.html_);
  return *this;
}

Element& Element::Child(Markup markup) & {
  assert(kind_ != Kind::kVoid && "a void element has no content");
  content_.append(markup.text());
  return *this;
}

Element& Element::Line(Element child) & {
  Child(std::move(child));
  content_.push_back('\n');
  return *this;
}

std::string Element::str() && {
  std::string out;
  WriteTo(out);
  return out;
}

void Element::WriteTo(std::string& out) const {
  out.append("<").append(tag_).append(attrs_);
  if (kind_ == Kind::kVoid) {
    out.append(">");
  } else if (kind_ == Kind::kSvgShape && content_.empty()) {
    out.append("/>");
  } else {
    out.append(">").append(content_).append("</").append(tag_).append(">");
  }
}

}  // namespace candour::web::html
