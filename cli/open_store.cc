// The helpers every subcommand shares (commands.h): the data folder and its key, the
// comments key, the public address, and how a failure is reported.
#include <iostream>

#include "cli/commands.h"
#include "crypto/errc.h"
#include "crypto/key_file.h"
#include "store/errc.h"
#include "survey/catalog.h"

namespace candour::cli {
namespace {

// Reads the data key, or creates one for a brand-new data folder. Never creates a key for a
// folder that already holds data: that would silently write under a second key.
boost::system::result<crypto::DataKey> LoadKey(const Options& o, bool may_create,
                                               std::string* error) {
  std::error_code ec;
  const fs::path data = fs::weakly_canonical(o.data, ec);
  const fs::path key = fs::weakly_canonical(o.key_file, ec);
  if (key.string().starts_with(data.string() + "/")) {
    *error = "the key file " + o.key_file.string() + " must be outside the data folder " +
             o.data.string() + " (a copy of the folder must not carry its key)";
    return crypto::Errc::kKeyFileIo;
  }
  auto read = crypto::ReadKeyFile(o.key_file);
  if (read || read.error() != crypto::Errc::kKeyFileMissing) {
    if (!read)
      *error = "cannot use key file " + o.key_file.string() + ": " + read.error().message();
    return read;
  }
  if (!may_create || store::Store::Exists(o.data)) {
    *error = "key file " + o.key_file.string() + " is missing" +
             (store::Store::Exists(o.data)
                  ? " but the data folder " + o.data.string() +
                        " already holds data: refusing to create a new key. Restore the key "
                        "file it was written with."
                  : ".");
    return read;
  }
  auto created = crypto::CreateKeyFile(o.key_file);
  if (!created) {
    *error = "cannot create key file " + o.key_file.string() + ": " + created.error().message();
  } else {
    std::cout << "Generated a new data key in " << o.key_file.string()
              << " (mode 0600). Back it up and keep it apart from the data: without it the "
                 "responses cannot be read."
              << std::endl;
  }
  return created;
}

}  // namespace

int Fail(const std::string& message) {
  std::cerr << "candour: " << message << "\n";
  return 1;
}

std::string PublicUrl(const Options& o) {
  return o.public_url.empty() ? "http://" + o.listen : o.public_url;
}

boost::system::result<std::unique_ptr<store::Store>> OpenStore(const Options& o, bool may_create) {
  std::string error;
  auto key = LoadKey(o, may_create, &error);
  if (!key) {
    Fail(error);
    return key.error();
  }
  store::StoreOptions options;
  options.dir = o.data;
  if (!o.group_commit) options.commit.max_batch_records = 1;
  auto store = store::Store::Open(options, std::move(*key));
  if (!store) {
    if (store.error() == store::Errc::kWrongKey) {
      Fail("the key in " + o.key_file.string() + " does not match the data in " + o.data.string() +
           " (its key-check record failed). Use the key it was written with.");
    } else {
      Fail("cannot open data folder " + o.data.string() + ": " + store.error().message());
    }
  }
  return store;
}

std::optional<OpenedSurvey> OpenSurvey(const Options& o) {
  auto store = OpenStore(o, false);
  if (!store) return std::nullopt;
  auto catalog = survey::SurveyCatalog::Load(**store);
  if (!catalog) {
    Fail(catalog.error());
    return std::nullopt;
  }
  auto survey = (*catalog)->Get(o.survey);
  if (!survey) {
    Fail("there is no survey \"" + o.survey + "\"");
    return std::nullopt;
  }
  return OpenedSurvey{std::move(*store), std::move(survey)};
}

std::optional<crypto::BoxPublicKey> CommentsKey(const Options& o) {
  auto read = crypto::ReadBoxPublicKey(o.comments_key);
  if (read) return *read;
  if (read.error() != crypto::Errc::kKeyFileMissing) {
    Fail("cannot use comments key " + o.comments_key.string() + ": " + read.error().message());
    return std::nullopt;
  }
  fs::path secret = o.comments_key;
  secret.replace_extension(".secret");
  if (auto ec = crypto::CreateBoxKeyFiles(o.comments_key, secret)) {
    Fail("cannot create the comments key " + o.comments_key.string() + ": " + ec.message());
    return std::nullopt;
  }
  std::cout << "Free-text answers are sealed to " << o.comments_key.string()
            << "; its secret half is in " << secret.string()
            << ". Move that file off this server: only `candour comments export "
               "--secret-key FILE` needs it, and the server never does."
            << std::endl;
  auto created = crypto::ReadBoxPublicKey(o.comments_key);
  if (!created) Fail("cannot read the new comments key: " + created.error().message());
  return created ? std::optional<crypto::BoxPublicKey>(*created) : std::nullopt;
}

}  // namespace candour::cli
