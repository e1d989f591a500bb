// Authenticated encryption of stored records with XChaCha20-Poly1305 (IETF), libsodium.
// A sealed record is nonce || ciphertext || tag. The associated data binds a record to the
// database key it is stored under, so sealed blobs cannot be swapped between keys.
// Thread-safe: free functions over immutable inputs.
#pragma once

#include <sodium.h>

#include <boost/system/result.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "crypto/data_key.h"

namespace candour::crypto {

inline constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
inline constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
inline constexpr size_t kSealOverhead = kNonceBytes + kTagBytes;

// Returns nonce || ciphertext || tag. The caller supplies a nonce it has never used with
// this key (random nonces are safe: 192 bits).
[[nodiscard]] std::string Seal(const DataKey& key, std::span<const uint8_t, kNonceBytes> nonce,
                               std::string_view plaintext, std::string_view associated_data);

// Appends the sealed record to *out instead of returning a new string.
void SealTo(const DataKey& key, std::span<const uint8_t, kNonceBytes> nonce,
            std::string_view plaintext, std::string_view associated_data, std::string* out);

// Returns the plaintext of a record made by Seal with the same key and associated data.
// Errc::kForged if the record is truncated, altered, sealed under another key or bound to
// other associated data.
[[nodiscard]] boost::system::result<std::string> Open(const DataKey& key, std::string_view sealed,
                                                      std::string_view associated_data);

}  // namespace candour::crypto
