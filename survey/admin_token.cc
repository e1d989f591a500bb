#include "survey/admin_token.h"

#include "crypto/token.h"

namespace candour::survey {
namespace {

constexpr char kTokenKey[] = "admin/token";
constexpr char kTokenContext[] = "candour-admin";

}  // namespace

boost::system::result<std::optional<std::string>> EnsureAdminToken(store::Store& store) {
  auto existing = store.GetMeta(kTokenKey);
  if (!existing) return existing.error();
  if (*existing) return std::optional<std::string>();
  auto token = RotateAdminToken(store);
  if (!token) return token.error();
  return std::optional<std::string>(std::move(*token));
}

boost::system::result<std::string> RotateAdminToken(store::Store& store) {
  std::string token = crypto::NewAdminToken();
  if (auto ec = store.PutMeta(kTokenKey, crypto::SecretHash(kTokenContext, token))) return ec;
  return token;
}

boost::system::result<bool> IsAdminToken(store::Store& store, std::string_view presented) {
  auto stored = store.GetMeta(kTokenKey);
  if (!stored) return boost::system::result<bool>(boost::system::in_place_error, stored.error());
  return *stored && crypto::SecretMatches(kTokenContext, presented, **stored);
}

}  // namespace candour::survey
