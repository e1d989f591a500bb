#include "web/html.h"

#include <gtest/gtest.h>

namespace candour::web {
namespace {

TEST(HtmlTest, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

}  // namespace
}  // namespace candour::web
