// The HTML (and inline SVG) builder: the one place text becomes markup. Text and attribute
// values given to it are escaped as they are added, and tag names, attribute names and literal
// markup can only be string literals of our source (checked at compile time), so no data can
// reach a page unescaped and no caller escapes anything.
//
//   html::Element p("p");
//   p.Attr("class", "hint").Text(user_text).Child(html::Element("strong").Text("!"));
//   std::string page = html::Fragment(std::move(p)).str();
//
// An Element is serialised as it is built (attributes and content in two buffers), so nesting
// costs what string concatenation costs, not a tree.
// Thread-safe: values; a value is not shared between threads while it is being built.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace candour::web::html {

// A name or piece of markup written in our own source. The constructor is consteval, so only
// a string literal (or a constexpr array) converts: never a string made at run time.
class Literal {
 public:
  template <size_t N>
  consteval Literal(const char (&literal)[N]) : text_(literal, N - 1) {}  // NOLINT: implicit
  constexpr std::string_view text() const { return text_; }

 private:
  std::string_view text_;
};

// Tag and attribute names, and literal markup ("&ndash;", "\n"), are all our own literals.
using Name = Literal;
using Markup = Literal;

class Element;

// A sequence of safe HTML: escaped text, serialised elements and literal markup, in order.
class Fragment {
 public:
  Fragment() = default;
  Fragment(Markup markup);    // NOLINT: implicit, markup is ours
  Fragment(Element element);  // NOLINT: implicit, an element is safe by construction

  Fragment& Text(std::string_view text);  // escaped
  Fragment& Append(const Fragment& fragment);
  Fragment& Append(Element element);
  Fragment& Append(Markup markup);
  // Appends `element` and a newline, so that a page's source reads line by line.
  Fragment& Line(Element element);

  bool empty() const { return html_.empty(); }
  const std::string& str() const& { return html_; }
  std::string str() && { return std::move(html_); }

 private:
  friend class Element;
  std::string html_;
};

// One element: <tag attributes>content</tag>. HTML void elements (input, img, meta, link...)
// are written <tag attributes> and take no content; empty SVG shapes (rect, line, path...)
// are written <tag attributes/>.
class Element {
 public:
  explicit Element(Name tag);

  // name="value", the value escaped for a double-quoted attribute.
  Element& Attr(Name name, std::string_view value) &;
  Element&& Attr(Name name, std::string_view value) && { return std::move(Attr(name, value)); }
  // A boolean attribute: ` name` (open, defer, download).
  Element& Attr(Name name) &;
  Element&& Attr(Name name) && { return std::move(Attr(name)); }

  // Content, in order. REQUIRES: not a void element.
  Element& Text(std::string_view text) &;  // escaped
  Element&& Text(std::string_view text) && { return std::move(Text(text)); }
  Element& Child(Element child) &;
  Element&& Child(Element child) && { return std::move(Child(std::move(child))); }
  Element& Child(const Fragment& content) &;
  Element&& Child(const Fragment& content) && { return std::move(Child(content)); }
  Element& Child(Markup markup) &;
  Element&& Child(Markup markup) && { return std::move(Child(markup)); }
  // Child(child) and a newline, so that a page's source reads line by line.
  Element& Line(Element child) &;
  Element&& Line(Element child) && { return std::move(Line(std::move(child))); }

  // The element serialised.
  std::string str() &&;

 private:
  enum class Kind { kNormal, kVoid, kSvgShape };
  void WriteTo(std::string& out) const;

  friend class Fragment;
  std::string_view tag_;
  Kind kind_;
  std::string attrs_;  // " name=\"value\"..."
  std::string content_;
};

}  // namespace candour::web::html
