#include "store/sealed_records.h"

#include <sodium.h>

#include <array>
#include <vector>

#include "store/errc.h"
#include "store/rocks_options.h"

namespace candour::store::internal {
namespace {

constexpr std::string_view kRotationHeader = "candour key rotation v1";

std::string Hex(std::string_view bytes) {
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const uint8_t*>(bytes.data()),
                 bytes.size());
  hex.pop_back();
  return hex;
}

std::optional<std::string> Unhex(std::string_view hex) {
  std::string bytes(hex.size() / 2, '\0');
  size_t len = 0;
  if (hex.size() % 2 != 0 ||
      sodium_hex2bin(reinterpret_cast<uint8_t*>(bytes.data()), bytes.size(), hex.data(), hex.size(),
                     nullptr, &len, nullptr) != 0 ||
      len != bytes.size()) {
    return std::nullopt;
  }
  return bytes;
}

}  // namespace

std::string KeyId(const crypto::DataKey& key) {
  constexpr std::string_view kText = "candour data key id v1";
  std::array<uint8_t, 16> id{};
  crypto_generichash(id.data(), id.size(), reinterpret_cast<const uint8_t*>(kText.data()),
                     kText.size(), key.data(), crypto::DataKey::kBytes);
  return Hex(std::string_view(reinterpret_cast<const char*>(id.data()), id.size()));
}

std::string FormatRotation(const RotationRecord& r) {
  return std::string(kRotationHeader) + "\n" + r.from + "\n" + r.to + "\n" + Hex(r.done) + "\n" +
         r.old_file + "\n" + r.new_file;
}

std::optional<RotationRecord> ParseRotation(std::string_view text) {
  std::vector<std::string_view> lines;
  for (size_t start = 0;;) {
    const size_t nl = text.find('\n', start);
    lines.push_back(text.substr(start, nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  if (lines.size() != 6 || lines[0] != kRotationHeader) return std::nullopt;
  auto done = Unhex(lines[3]);
  if (!done || lines[1].size() != 32 || lines[2].size() != 32) return std::nullopt;
  return RotationRecord{std::string(lines[1]), std::string(lines[2]), std::move(*done),
                        std::string(lines[4]), std::string(lines[5])};
}

boost::system::error_code ReadRotation(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* meta,
                                       std::optional<RotationRecord>* out) {
  std::string value;
  const auto s = db.Get(rocksdb::ReadOptions(), meta, kRotationKey, &value);
  out->reset();
  if (s.IsNotFound()) return {};
  if (!s.ok()) return FromStatus(s);
  *out = ParseRotation(value);
  if (!*out) return Errc::kCorrupt;
  return {};
}

boost::system::error_code RefuseUnfinishedRotation(rocksdb::DB& db,
                                                   rocksdb::ColumnFamilyHandle* meta,
                                                   std::string* detail) {
  std::optional<RotationRecord> rotation;
  if (auto ec = ReadRotation(db, meta, &rotation)) return ec;
  if (!rotation) return {};
  *detail = rotation->old_file + "\n" + rotation->new_file;
  return Errc::kRotating;
}

}  // namespace candour::store::internal
