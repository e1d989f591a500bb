#include "survey/template.h"

#include "survey/embedded.h"

namespace candour::survey {

std::string_view TrustAndConfidenceTemplate() {
  for (const embedded::File& f : embedded::Files()) {
    if (f.path == "templates/trust_and_confidence.json") return f.bytes;
  }
  return "";
}

}  // namespace candour::survey
