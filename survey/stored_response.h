// The stored response: the one codec of the plaintext that is sealed and stored for each
// response. Compact JSON, exactly
//   {"survey":ID,"version":N,"period":P,"src":TAG,"answers":{QUESTION: ANSWER, ...}}
// where an ANSWER is an option id or a text (a string), option ids (an array of strings) or a
// number (an integer). Nothing else about a response is ever stored.
// Thread-safe: pure functions; a StoredCodesDecoder is immutable after construction.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "survey/index_coder.h"
#include "survey/submission.h"
#include "survey/survey.h"

namespace candour::survey {

// A stored response, decoded.
struct StoredResponse {
  std::string survey;
  int64_t version = 0;
  std::string period;
  std::string src;
  std::map<std::string, AnswerValue> answers;  // every stored answer, known to a definition or not
};

// The plaintext to store for a validated (and sealed, see SealFreeText) submission.
std::string EncodeStored(const Survey& survey, const Submission& submission,
                         std::string_view period);

// The response, or Errc::kMalformedResponse if the plaintext is not one: not a JSON object, a
// field missing or of the wrong type, or an answer that is not a string, an integer or an
// array of strings. Fields other than the five are ignored.
[[nodiscard]] boost::system::result<StoredResponse> DecodeStored(std::string_view plaintext);

// The start-up fast path: decodes stored responses of one survey straight into the codes of
// its index (IndexCoder), with no intermediate map. It accepts and refuses exactly the
// plaintexts DecodeStored does.
class StoredCodesDecoder {
 public:
  // REQUIRES: `survey` outlives the decoder.
  explicit StoredCodesDecoder(const Survey& survey) : coder_(survey) {}

  const IndexCoder& coder() const { return coder_; }

  // Sets *period, *src and *codes (one per column); or returns Errc::kMalformedResponse,
  // leaving them unspecified.
  [[nodiscard]] boost::system::error_code Decode(std::string_view plaintext, std::string* period,
                                                 std::string* src,
                                                 std::vector<uint64_t>* codes) const;

 private:
  IndexCoder coder_;
};

}  // namespace candour::survey
