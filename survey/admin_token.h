// The admin token: only its hash is stored (meta record "admin/token"); a presented token is
// hashed and compared in constant time.
// Thread-safe: each call is one store operation.
#pragma once

#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "store/store.h"

namespace candour::survey {

// Creates the admin token if there is none. Returns the new token (to print once), or
// nullopt if one exists already. Store errors as the store's.
[[nodiscard]] boost::system::result<std::optional<std::string>> EnsureAdminToken(
    store::Store& store);
// Replaces the admin token; returns the new one. The old one stops working at once.
[[nodiscard]] boost::system::result<std::string> RotateAdminToken(store::Store& store);
// Whether `presented` is the admin token. Store errors as the store's.
[[nodiscard]] boost::system::result<bool> IsAdminToken(store::Store& store,
                                                       std::string_view presented);

}  // namespace candour::survey
