#include "survey/errc.h"

#include <string>

namespace candour::survey {
namespace {

class CategoryImpl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "candour.survey"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::kMalformedResponse:
        return "a stored response is not in the stored-response format";
      case Errc::kNotSealed:
        return "a stored free-text answer is not a sealed answer";
      case Errc::kAuditLogBroken:
        return "the audit log was edited, cut or replaced (run `candour audit verify`)";
      case Errc::kAuditLogIo:
        return "the audit log could not be written (disk full, read-only or not permitted)";
      case Errc::kBadTemplate:
        return "the built-in survey template does not parse";
      case Errc::kPreparing:
        return "results are being prepared; try again in a few seconds";
      case Errc::kCancelled:
        return "the release build was cancelled because the server is stopping";
    }
    return "unknown survey error";
  }
};

}  // namespace

const boost::system::error_category& Category() {
  static const CategoryImpl category;
  return category;
}

}  // namespace candour::survey
